"""`marsad`: analyze, extract, index, search and serve from the command line.

Every command takes `--json` for machine output. User errors (bad input, bad parameters, a
missing or outdated index) end with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

DEFAULT_INDEX = Path("var/index")
EXIT_USER_ERROR = 2


def default_index_home() -> Path:
    return Path(os.environ.get("MARSAD_INDEX") or DEFAULT_INDEX)


def bundled_corpus() -> Path:
    """The sample corpus: $MARSAD_CORPUS, ./corpus, or the one beside this checkout."""
    for candidate in (os.environ.get("MARSAD_CORPUS"), "corpus", Path(__file__).resolve().parents[1] / "corpus"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise click.ClickException("no corpus/ folder found; set MARSAD_CORPUS")


def emit(data: Any, as_json: bool, render: Callable[[Any], str] | None = None) -> None:
    if as_json or render is None:
        click.echo(json.dumps(data, ensure_ascii=False, indent=None if as_json else 2))
    else:
        click.echo(render(data))


class UserErrorGroup(click.Group):
    """Turns the packages' user errors (ValueError, OSError) into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            click.echo(f"marsad: error: {error.format_message()} (see marsad {ctx.invoked_subcommand or ''} --help)",
                       err=True)
            ctx.exit(EXIT_USER_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (ValueError, OSError, LookupError) as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            click.echo(f"marsad: error: {message}", err=True)
            ctx.exit(EXIT_USER_ERROR)


index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Index home (default: $MARSAD_INDEX or ./var/index).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")


@click.group(cls=UserErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Marsad (مرصد): search Arabic reporting of regional conflicts.

    \b
    Quick start:
      marsad serve                      build the sample corpus if needed, serve :5000
      marsad search "دير الزور" --json   search from the shell
      marsad index build corpus/ --index var/index
    """


@main.command()
@click.argument("text")
@json_option
def analyze(text: str, as_json: bool) -> None:
    """Show the index-time analysis of TEXT (tokens, normal forms, stems, offsets).

    TEXT `-` reads standard input (UTF-8), for texts longer than a command line allows.
    """
    from indexer.analysis import analyze as run

    if text == "-":
        try:
            text = click.get_binary_stream("stdin").read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise click.BadParameter(f"standard input is not UTF-8 ({error.reason} at byte {error.start})",
                                     param_hint="TEXT") from None
    tokens = [
        {"text": t.text, "norm": t.norm, "stem": t.stem, "start": t.start, "end": t.end}
        for t in run(text)
    ]
    emit({"tokens": tokens}, as_json, render_tokens)


def render_tokens(data: dict) -> str:
    rows = [("text", "norm", "stem", "start", "end")]
    rows += [(t["text"], t["norm"], t["stem"], str(t["start"]), str(t["end"])) for t in data["tokens"]]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8", errors="strict"))
@click.option("--published", default=None, help="Publication date (YYYY-MM-DD) for relative dates.")
@json_option
def extract(file: Any, published: str | None, as_json: bool) -> None:
    """List the places, actors, dates and events of one article (JSON or plain text; - for stdin)."""
    from indexer.entities.extract import extract_document

    emit(extract_document(file.read(), published=published), as_json, None)


@main.group()
def index() -> None:
    """Build, update and inspect index generations."""


@index.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes (default: CPU count).")
@click.option("--quarantine", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where invalid records go (default: beside the index).")
@json_option
def build(paths: tuple[Path, ...], index_dir: Path | None, workers: int | None,
          quarantine: Path | None, as_json: bool) -> None:
    """Build a fresh index generation from files, folders and ZIPs, then swap it in.

    PATHS: article files (.jsonl, .json, .txt, .md), saved web pages (.html, .htm), crawls
    (.warc, .warc.gz), RSS/Atom feeds (.xml, .rss, .atom), folders of them and ZIPs of them.
    Pages that are not articles, and WARC records cut off by truncation, go to the quarantine."""
    from indexer.build import build_index

    summary = build_index(list(paths), index_dir or default_index_home(), workers=workers,
                          quarantine=quarantine, progress=not as_json and sys.stderr.isatty())
    emit(summary, as_json, render_summary)


@index.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--quarantine", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--reread", is_flag=True, help="Read every file again, also those unchanged since the live "
              "generation read them.")
@json_option
def update(paths: tuple[Path, ...], index_dir: Path | None, quarantine: Path | None, reread: bool,
           as_json: bool) -> None:
    """Add new and changed articles to the live index without a full rebuild.

    PATHS: the same inputs as `index build` (e.g. the WARC folder `marsad fetch` fills). Files
    unchanged (path, size, modification time) since the live generation read them are skipped."""
    from indexer.build import update_index

    summary = update_index(list(paths), index_dir or default_index_home(), quarantine=quarantine,
                           progress=not as_json and sys.stderr.isatty(), reread=reread)
    emit(summary, as_json, render_summary)


@index.command()
@index_option
@json_option
def compact(index_dir: Path | None, as_json: bool) -> None:
    """Merge the live index's segments into a new generation (updates merge a little each time)."""
    from indexer.compact import compact_index

    emit(compact_index(index_dir or default_index_home()), as_json, render_summary)


@index.command()
@index_option
@click.option("--to", "replicas", multiple=True, required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Replica index home to publish to; repeatable.")
@json_option
def publish(index_dir: Path | None, replicas: tuple[Path, ...], as_json: bool) -> None:
    """Copy the live generation to replica index homes and make it live there."""
    from indexer.replicas import publish_generation

    home = index_dir or default_index_home()
    results = [publish_generation(home, replica) for replica in replicas]
    emit(results, as_json, lambda rows: "\n".join(render_summary(r) for r in rows))


def render_summary(data: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in data.items())


@index.command()
@index_option
@json_option
def stats(index_dir: Path | None, as_json: bool) -> None:
    """Counts, date range and generation of the live index."""
    from search.index import index_stats

    emit(index_stats(index_dir or default_index_home()), as_json, None)


@main.command("search")
@click.argument("query")
@index_option
@click.option("--place", multiple=True, help="Place id or name (Arabic or English); repeatable.")
@click.option("--actor", multiple=True, help="Actor id or name; repeatable.")
@click.option("--source", multiple=True, help="Source id; repeatable.")
@click.option("--event", multiple=True,
              help="ACLED event type or sub-event type id (air_drone_strike, battles…); repeatable.")
@click.option("--min-killed", type=int, default=None, help="Only reports stating at least N killed.")
@click.option("--from", "date_from", default=None, help="YYYY-MM-DD")
@click.option("--to", "date_to", default=None, help="YYYY-MM-DD")
@click.option("--date-field", type=click.Choice(["published", "event"]), default="published")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest", "killed"]), default="relevance")
@click.option("--page", type=int, default=1)
@click.option("--per-page", type=int, default=10)
@click.option("--no-entities", is_flag=True, help="Do not expand names to their actor/place aliases.")
@click.option("--no-expand", is_flag=True,
              help="Search the words exactly as typed: no near-synonyms, no relaxing to most of the words.")
@click.option("--story", default=None, help="Only the reports of this story id (a hit's story.id).")
@click.option("--collapse", type=click.Choice(["none", "story"]), default="none",
              help="story: one hit per story (its best-ranked report).")
@json_option
def search_command(query: str, index_dir: Path | None, place: tuple[str, ...], actor: tuple[str, ...],
                   source: tuple[str, ...], event: tuple[str, ...], min_killed: int | None,
                   date_from: str | None, date_to: str | None, date_field: str, sort: str, page: int,
                   per_page: int, no_entities: bool, no_expand: bool, story: str | None, collapse: str,
                   as_json: bool) -> None:
    """Search the index (QUERY may be "" to browse by filters)."""
    from search.engine import Engine
    from search.params import parse_params

    params = parse_params({
        "q": query, "place": list(place), "actor": list(actor), "source": list(source),
        "event": list(event), "min_killed": min_killed, "from": date_from, "to": date_to,
        "date_field": date_field, "sort": sort,
        "page": page, "per_page": per_page, "entities": not no_entities, "expand": not no_expand,
        "story": story, "collapse": collapse,
    })
    with Engine(index_dir or default_index_home()) as engine:
        result = engine.search(params)
    emit(result, as_json, render_results)


def event_line(event: dict) -> str:
    figures = [f"{event[k]} {k}" for k in ("killed", "injured") if event.get(k) is not None]
    return event["subtype"] + (f" ({', '.join(figures)})" if figures else "")


def render_results(data: dict) -> str:
    import html
    import re

    stories = f" in {data['total_stories']} stories" if "total_stories" in data else ""
    lines = [f"{data['total']} results{stories} (page {data['page']})"]
    if data.get("relaxed"):
        relaxation = data["relaxation"]
        lines.append(f"showing reports with most of your words (at least {relaxation['min_words']} of "
                     f"{relaxation['words']}); all of them: {relaxation['strict_total']}")
    if data.get("expansions"):
        lines.append("also searched (--no-expand to turn off): " + "; ".join(
            f"{e['text']} → {' / '.join(e['equivalents'])}" for e in data["expansions"]))
    for hit in data["hits"]:
        snippet = html.unescape(re.sub(r"</?mark>", "*", hit["snippet"]))
        lines += [f"- [{hit['published']}] {hit['title']} ({hit['source']}) id={hit['id']}", f"  {snippet}"]
        if hit.get("events"):
            lines.append("  events: " + ", ".join(event_line(e) for e in hit["events"]))
        story = hit.get("story") or {}
        if story.get("size", 1) > 1:
            others = [s for s in story.get("sources", []) if s != hit["source"]]
            lines.append(f"  story={story['id']}: {story['size']} reports" + (f", also in {', '.join(others)}" if others else ""))
    if data.get("suggestion"):
        lines.append(f"did you mean: {data['suggestion']}")
    return "\n".join(lines)


@main.command()
@click.argument("feeds", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of WARC files (created if missing); then `marsad index update DIR`.")
@click.option("--delay", type=click.FloatRange(0, 3600), default=2.0, show_default=True,
              help="Seconds between two requests to one host (a longer robots.txt Crawl-delay wins).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True,
              help="Connect and read timeout, seconds.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Extra attempts after a timeout, a connection error, a 5xx or a 429.")
@click.option("--backoff", type=click.FloatRange(0, 600), default=1.0, show_default=True,
              help="Seconds before the first retry; doubles each time.")
@click.option("--max-redirects", type=click.IntRange(0, 30), default=5, show_default=True)
@click.option("--max-page-bytes", type=click.IntRange(1), default=5_000_000, show_default=True,
              help="A larger page is skipped and reported.")
@click.option("--hosts", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Hosts crawled at once (one request at a time per host).")
@click.option("--contact", default=lambda: os.environ.get("MARSAD_FETCH_CONTACT", ""),
              help="A URL or e-mail added to the User-Agent so site owners can reach you "
                   "(default: $MARSAD_FETCH_CONTACT).")
@json_option
def fetch(feeds: Path, into: Path, delay: float, timeout: float, retries: int, backoff: float,
          max_redirects: int, max_page_bytes: int, hosts: int, contact: str, as_json: bool) -> None:
    """Follow outlets: fetch the feeds listed in FEEDS (one URL a line, # comments) and the pages
    they link that DIR does not hold yet, appending them to dated WARC files in DIR.

    \b
    A polite crawler: robots.txt, a delay per host, conditional GETs for feeds, redirects, retries
    with backoff, a page size cap. A host that fails is reported and skipped. Then:
      marsad index update DIR
    """
    from indexer.fetch import FetchSettings, fetch_feeds
    from indexer.fetch.settings import user_agent

    settings = FetchSettings(delay=delay, timeout=timeout, retries=retries, backoff=backoff,
                             max_redirects=max_redirects, max_bytes=max_page_bytes, hosts=hosts,
                             user_agent=user_agent(contact))
    summary = fetch_feeds(feeds, into, settings, progress=not as_json and sys.stderr.isatty())
    emit(summary, as_json, render_fetch_summary)


def render_fetch_summary(data: dict) -> str:
    lines = [" ".join(f"{k}={v}" for k, v in data.items() if not isinstance(v, list))]
    lines += [f"failed host {h['host']}: {h['reason']}" for h in data["failed_hosts"]]
    lines += [f"not fetched {e['url']}: {e['reason']}" for e in data["errors"]]
    lines += [f"wrote {path}" for path in data["warc_files"]]
    return "\n".join(lines)


@main.command()
@index_option
@click.option("--host", default=lambda: os.environ.get("MARSAD_HOST", "127.0.0.1"), show_default="127.0.0.1")
@click.option("--port", type=click.IntRange(1, 65535), default=lambda: int(os.environ.get("MARSAD_PORT", "5000")),
              show_default="5000")
@click.option("--threads", type=click.IntRange(1, 256), default=lambda: int(os.environ.get("MARSAD_THREADS", "4")),
              show_default="4", help="Threads per worker process.")
@click.option("--workers", type=click.IntRange(1, 64), default=lambda: int(os.environ.get("MARSAD_WORKERS", "0")) or None,
              show_default="one per core, at most 4", help="Worker processes.")
def serve(index_dir: Path | None, host: str, port: int, threads: int, workers: int | None) -> None:
    """Serve the search page and API; builds the bundled corpus first if there is no index."""
    from search.index import has_index
    from web.app import create_app
    from web.serve import run_server

    home = index_dir or default_index_home()
    if not has_index(home):
        from indexer.build import build_index

        click.echo(f"no index at {home}: building the bundled corpus first", err=True)
        summary = build_index([bundled_corpus()], home, workers=None, quarantine=None, progress=True)
        click.echo(render_summary(summary), err=True)
    from web.serve import default_workers

    run_server(lambda: create_app(home), host=host, port=port, threads=threads, workers=workers or default_workers())


if __name__ == "__main__":
    main()
