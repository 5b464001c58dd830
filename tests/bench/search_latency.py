"""Latency of the complete search response on SaudiNewsNet (31k) and on a 4× corpus (124k), with an
SQLite FTS5 index of the same texts as a side-by-side peer.

    python tests/bench/search_latency.py [--index DIR] [--index4 DIR] [--rounds 5] [--skip-4x] [--skip-fts]
    python tests/bench/search_latency.py --events-overhead [--index DIR] [--rounds 5]
    python tests/bench/search_latency.py [--index DIR] [--rounds 5] [--skip-4x] [--skip-fts] [--collapse-only]

A complete response is what `/api/search` returns: 10 hits with snippets and highlighted titles,
the place, actor and source facets, the date histogram, the exact total and the "did you mean"
check, serialized to JSON. The searcher is warm (each query is run once before timing) and the
per-query result cache is off, so every timed call parses, matches, ranks, counts and
highlights afresh; the decoded-postings cache stays on (that is the warm searcher) and a second
pass with it off is printed too. Targets (issue 5, this 2-core machine): p95 ≤ 60 ms at 31k and
≤ 200 ms at 124k. The machine is shared: the load average is printed with every figure.

--events-overhead (issue 11) times the same queries with and without the event facet and the
killed-per-bucket histogram in one process, each query both ways back to back (order alternating)
so that the machine's load falls on both alike, and prints the two p95 side by side, wall and CPU
time (target: within 10 %);
then the event filters themselves (event=…, min_killed, sort=killed) for information.

Stories (issue 12): every query is also timed with collapse=story, interleaved with the same
query uncollapsed so both see the same load; the p95 of each and their ratio are printed side
by side (target: collapsed within 20 %), with the number of stories of more than one report
in the index (an index without stories.tsv has none, and collapsing it proves nothing).

The indexes are built into --index / --index4 if those are missing (≈ 4 and ≈ 16 minutes on
2 cores); the 4× corpus repeats every article under new ids and URLs (the copy number in the URL's
path: a `#fragment` or a query flag would make the copies one report to the URL-variant merge). Reads ../shared (or
$MARSAD_SHARED) at run time; nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
COPIES = 4

# ≥ 50 fixed queries: single names, phrases, operators, with and without filters, browsing.
QUERIES: list[dict[str, Any]] = [
    {"q": "الرياض"}, {"q": "جدة"}, {"q": "مكة"}, {"q": "اليمن"}, {"q": "صنعاء"}, {"q": "عدن"},
    {"q": "الحوثيين"}, {"q": "داعش"}, {"q": "إيران"}, {"q": "سوريا"}, {"q": "سورية"}, {"q": "العراق"},
    {"q": "تركيا"}, {"q": "مصر"}, {"q": "النفط"}, {"q": "أرامكو"}, {"q": "الهلال"}, {"q": "الحج"},
    {"q": "تنظيم الدولة"}, {"q": "الملك سلمان"}, {"q": "محمد بن سلمان"}, {"q": "وزير الخارجية"},
    {"q": "مجلس الوزراء"}, {"q": "الأمم المتحدة"}, {"q": "التحالف العربي"}, {"q": "الاتفاق النووي"},
    {"q": '"ولي العهد"'}, {"q": '"خادم الحرمين الشريفين"'}, {"q": '"عاصفة الحزم"'}, {"q": '"إعادة الأمل"'},
    {"q": '"مجلس التعاون"'}, {"q": '"فيروس كورونا"'},
    {"q": "الحوثيين OR صالح"}, {"q": "داعش -سوريا"}, {"q": "(اليمن OR سوريا) غارات"}, {"q": "title:داعش"},
    {"q": "سعودي*"}, {"q": "إرهاب* الرياض"}, {"q": "الحوثين"}, {"q": "تفجير مسجد القديح"},
    {"q": "الرياض", "source": ["alriyadh"]}, {"q": "داعش", "place": ["sa"]}, {"q": "الحوثيين", "place": ["ye"]},
    {"q": "غارات", "actor": ["saudi-coalition"]}, {"q": "النفط", "from": "2015-07-25", "to": "2015-08-05"},
    {"q": "هجوم", "place": ["sa", "ye"], "sort": "newest"}, {"q": "الهلال", "source": ["okaz", "alyaum"]},
    {"q": "اليمن", "from": "2015-08-01", "date_field": "event"}, {"q": "مكة", "place": ["sa-mecca-region"]},
    {"q": "", "place": ["ye"]}, {"q": "", "actor": ["isis"]}, {"q": "", "source": ["sabq"]},
    {"q": ""}, {"q": "", "from": "2015-07-28", "to": "2015-08-03"}, {"q": "", "place": ["sy"], "sort": "oldest"},
    {"q": "", "actor": ["houthis"], "place": ["ye-sanaa"]}, {"q": "السعودية", "page": 3},
]


EVENT_QUERIES: list[dict[str, Any]] = [
    {"q": "", "event": ["explosions_remote_violence"]}, {"q": "", "event": ["air_drone_strike"], "place": ["ye"]},
    {"q": "اليمن", "event": ["battles"]}, {"q": "", "min_killed": 1, "sort": "killed"},
    {"q": "غارات", "event": ["air_drone_strike", "shelling_artillery_missile_attack"], "sort": "killed"},
    {"q": "", "event": ["protests"], "from": "2015-07-01", "to": "2015-08-31"},
    {"q": "داعش", "event": ["violence_against_civilians"], "min_killed": 5},
    {"q": "", "event": ["arrests"], "place": ["sa"]},
]


def load_average() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {"n": len(ordered), "p50": at(50), "p95": at(95), "p99": at(99), "mean": statistics.fmean(ordered)}


def show(label: str, stats: dict[str, float]) -> None:
    print(f"{label:<44} n={stats['n']:>4}  p50 {stats['p50']:7.1f} ms  p95 {stats['p95']:7.1f} ms  "
          f"p99 {stats['p99']:7.1f} ms  ({load_average()})", flush=True)


def snn_zips() -> list[Path]:
    found = sorted((SHARED / "corpora" / "saudinewsnet").glob("*.zip"))
    if not found:
        sys.exit(f"no SaudiNewsNet ZIPs under {SHARED}; set MARSAD_SHARED")
    return found


def iter_articles() -> Iterator[dict[str, Any]]:
    """SaudiNewsNet as validated articles, one at a time, read by the indexer's own readers."""
    from indexer.readers import Problem, read_paths
    from indexer.validation import validate_record

    for item in read_paths(snn_zips()):
        if isinstance(item, Problem):
            continue
        article = validate_record(item)
        if isinstance(article, Problem):
            continue
        yield {"id": article.id, "url": article.url, "title": article.title, "content": article.content,
               "source": article.source, "author": article.author, "published": article.published}


def articles() -> list[dict[str, Any]]:
    return list(iter_articles())


def ensure_index(home: Path, copies: int) -> None:
    if (home / "CURRENT").exists():
        return
    from indexer.build import build_index

    started = time.perf_counter()
    if copies == 1:
        paths = snn_zips()
        folder = None
    else:
        folder = Path(tempfile.mkdtemp(prefix="marsad-4x-"))
        base = articles()
        for k in range(copies):
            with open(folder / f"copy-{k}.jsonl", "w", encoding="utf-8") as handle:
                for a in base:
                    handle.write(json.dumps({**a, "id": f"{a['id']}~{k}", "url": f"{a['url']}/copy{k}" if a["url"]
                                             else "", "published": a["published"]}, ensure_ascii=False) + "\n")
        paths = [folder]
    print(f"building {home} ({copies}×) …", flush=True)
    summary = build_index(paths, home, workers=2, quarantine=home.parent / f"{home.name}-quarantine.jsonl")
    print(f"built {summary['documents']} documents in {time.perf_counter() - started:.0f} s", flush=True)
    if folder is not None:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def time_engine(home: Path, rounds: int, postings_cache: bool) -> tuple[dict[str, float], dict[str, float]]:
    """(wall-clock, CPU-time) percentiles of the complete response; CPU time is the steadier
    figure on a shared machine (another process's load shows in wall time only)."""
    from search.engine import Engine
    from search.params import parse_params

    params = [parse_params(q) for q in QUERIES]
    with Engine(home, query_cache=0) as engine:
        with engine.lease() as gen:
            if not postings_cache:
                gen.postings.cache_limit = 0
            gen.postings._cache.clear()
            gen.postings._cached = 0
        for p in params:  # warm: the analyzer's word cache, Whoosh's column readers, numpy
            json.dumps(engine.search(p), ensure_ascii=False)
        samples, cpu = [], []
        for _ in range(rounds):
            for p in params:
                started, started_cpu = time.perf_counter(), time.process_time()
                result = engine.search(p)
                json.dumps(result, ensure_ascii=False)
                cpu.append((time.process_time() - started_cpu) * 1000)
                samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples), percentiles(cpu)


def time_events_overhead(home: Path, rounds: int) -> None:
    """p95 of the complete response with the event facet (as shipped) and without it (today's
    response before issue 11: the event facet empty, the histogram without killed), alternated."""
    import search.engine as engine_module
    from search.engine import Engine
    from search.params import parse_params

    real_facet, real_histogram = engine_module.event_facet, engine_module.date_histogram

    def without_events(on: bool) -> None:
        engine_module.event_facet = real_facet if on else (lambda *args: [])
        engine_module.date_histogram = real_histogram if on else (
            lambda *args: real_histogram(*args[:5]))

    params = [parse_params(q) for q in QUERIES]
    samples: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    with Engine(home, query_cache=0) as engine:
        for on in (False, True):
            without_events(on)
            for p in params:
                json.dumps(engine.search(p), ensure_ascii=False)
        for round_number in range(rounds):
            for k, p in enumerate(params):  # each query both ways back to back, the order alternating
                for on in ((False, True) if (round_number + k) % 2 == 0 else (True, False)):
                    without_events(on)
                    started, started_cpu = time.perf_counter(), time.process_time()
                    json.dumps(engine.search(p), ensure_ascii=False)
                    cpu[on].append((time.process_time() - started_cpu) * 1000)
                    samples[on].append((time.perf_counter() - started) * 1000)
        without_events(True)
        show("without the event facet (before issue 11)", percentiles(samples[False]))
        show("with the event facet and killed histogram", percentiles(samples[True]))
        show("  CPU time, without", percentiles(cpu[False]))
        show("  CPU time, with", percentiles(cpu[True]))
        for name, measured in (("wall", samples), ("CPU", cpu)):
            before, after = percentiles(measured[False])["p95"], percentiles(measured[True])["p95"]
            print(f"p95 with / without, {name} time: {after / before:.3f} (target ≤ 1.10)")
        event_params = [parse_params(q) for q in EVENT_QUERIES]
        for p in event_params:
            engine.search(p)
        event_samples = []
        for _ in range(rounds):
            for p in event_params:
                started = time.perf_counter()
                json.dumps(engine.search(p), ensure_ascii=False)
                event_samples.append((time.perf_counter() - started) * 1000)
        show(f"event filters, min_killed, sort=killed ({len(EVENT_QUERIES)} queries)", percentiles(event_samples))


def time_collapse(home: Path, rounds: int) -> tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float]]:
    """(uncollapsed, collapsed) wall-clock and CPU-time percentiles, each query timed both ways
    back to back."""
    from search.engine import Engine
    from search.params import parse_params

    pairs = [(parse_params(q), parse_params({**q, "collapse": "story"})) for q in QUERIES]
    with Engine(home, query_cache=0) as engine:
        for plain, collapsed in pairs:
            json.dumps(engine.search(plain), ensure_ascii=False)
            json.dumps(engine.search(collapsed), ensure_ascii=False)
        samples: dict[str, list[float]] = {"plain": [], "collapsed": [], "plain_cpu": [], "collapsed_cpu": []}
        for round_number in range(rounds):
            for plain, collapsed in pairs:
                order = [("plain", plain), ("collapsed", collapsed)]
                for name, params in (order if round_number % 2 == 0 else order[::-1]):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    json.dumps(engine.search(params), ensure_ascii=False)
                    samples[f"{name}_cpu"].append((time.process_time() - started_cpu) * 1000)
                    samples[name].append((time.perf_counter() - started) * 1000)
    return (percentiles(samples["plain"]), percentiles(samples["collapsed"]), percentiles(samples["plain_cpu"]),
            percentiles(samples["collapsed_cpu"]))


def story_counts(home: Path) -> str:
    from search.engine import Engine

    with Engine(home) as engine, engine.lease() as gen:
        sizes = gen.stories.size
        multi = sizes[sizes > 1]
        return (f"{int((sizes > 0).sum())} stories, {len(multi)} of more than one report "
                f"({int(multi.sum())} reports), the largest {int(sizes.max()) if len(sizes) else 0}")


def run_collapse(home: Path, rounds: int) -> None:
    print(f"stories: {story_counts(home)}", flush=True)
    plain, collapsed, plain_cpu, collapsed_cpu = time_collapse(home, rounds)
    show("uncollapsed (interleaved)", plain)
    show("collapse=story (interleaved)", collapsed)
    show("  uncollapsed, CPU time", plain_cpu)
    show("  collapse=story, CPU time", collapsed_cpu)
    print(f"collapsed / uncollapsed p95: wall {collapsed['p95'] / plain['p95']:.2f}, "
          f"CPU {collapsed_cpu['p95'] / plain_cpu['p95']:.2f} (target ≤ 1.20)", flush=True)


# the FTS5 peer -------------------------------------------------------------------------------
def build_fts(home: Path, path: Path) -> None:
    if path.exists():
        return
    from whoosh.index import open_dir

    generation = (home / "CURRENT").read_text().strip()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, content, source UNINDEXED, "
               "published UNINDEXED, tokenize='unicode61 remove_diacritics 2')")
    ix = open_dir(str(home / generation), indexname="MAIN")
    with ix.reader() as reader:
        rows = ((f["id"], f.get("title") or "", f.get("content") or "", f.get("source") or "", f.get("published") or "")
                for _, f in reader.iter_docs())
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    print(f"FTS5 index of {home.name}: {time.perf_counter() - started:.0f} s", flush=True)


def fts_match(q: str) -> str | None:
    """The text part of a Marsad query in FTS5 syntax (phrases, OR, NOT, groups, prefixes; fields
    dropped). None when nothing positive is left (FTS5 has no bare NOT)."""
    parts: list[str] = []
    for token in re.findall(r'-?"[^"]*"|[()]|[^\s()]+', q):
        if token in "()":
            parts.append(token)
            continue
        negate = token.startswith("-")
        token = token.lstrip("-")
        if token in ("OR", "أو"):
            parts.append("OR")
            continue
        if ":" in token:
            token = token.split(":", 1)[1]
        words = re.findall(r"\w+", token)
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"' + ("*" if token.endswith("*") else "")
        parts.append(("NOT " if negate else "") + phrase)
    joined: list[str] = []
    for part in parts:  # FTS5 wants an explicit AND next to a group
        if joined and joined[-1] not in ("(", "OR") and part not in (")", "OR") and not part.startswith("NOT"):
            joined.append("AND")
        joined.append(part)
    text = " ".join(joined).replace("( ", "(").replace(" )", ")")
    if not re.search(r'(^|[\s(])"', text):
        return None
    return text


def time_fts(path: Path, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    db = sqlite3.connect(path, check_same_thread=False)
    snippet_sql = ("SELECT id, title, snippet(docs, 2, '<mark>', '</mark>', '…', 24), bm25(docs, 0, 2.0, 1.0) "
                   "FROM docs WHERE docs MATCH ? {extra} ORDER BY bm25(docs, 0, 2.0, 1.0) LIMIT 10")
    calls: list[Callable[[], Any]] = []
    full: list[Callable[[], Any]] = []
    for query in QUERIES:
        match = fts_match(query["q"])
        if match is None:
            continue
        extra, args = "", [match]
        if query.get("source"):
            extra += f" AND source IN ({','.join('?' * len(query['source']))})"
            args += query["source"]
        if query.get("from") and query.get("date_field", "published") == "published":
            extra += " AND published >= ?"
            args.append(query["from"])
        if query.get("to"):
            extra += " AND published <= ?"
            args.append(query["to"])
        sql = snippet_sql.format(extra=extra)
        count = f"SELECT count(*) FROM docs WHERE docs MATCH ? {extra}"
        group = f"SELECT source, count(*) FROM docs WHERE docs MATCH ? {extra} GROUP BY source"
        calls.append(lambda sql=sql, args=args: db.execute(sql, args).fetchall())
        full.append(lambda sql=sql, count=count, group=group, args=args: (
            db.execute(sql, args).fetchall(), db.execute(count, args).fetchone(), db.execute(group, args).fetchall()))
    out = []
    for batch in (calls, full):
        for call in batch:
            call()
        samples = []
        for _ in range(rounds):
            for call in batch:
                started = time.perf_counter()
                call()
                samples.append((time.perf_counter() - started) * 1000)
        out.append(percentiles(samples))
    db.close()
    return out[0], out[1]


def run(home: Path, label: str, rounds: int, skip_fts: bool) -> None:
    from search.index import index_stats

    stats = index_stats(home)
    print(f"\n== {label}: {stats['documents']} documents, generation {stats['generation']} ==", flush=True)
    started = time.perf_counter()
    from search.engine import Engine

    with Engine(home) as engine:
        engine.stats()
    print(f"opening the generation (columns, entities): {(time.perf_counter() - started) * 1000:.0f} ms")
    wall, cpu = time_engine(home, rounds, postings_cache=True)
    show(f"marsad complete response ({len(QUERIES)} queries)", wall)
    show("  the same, CPU time", cpu)
    wall, cpu = time_engine(home, max(1, rounds // 2), postings_cache=False)
    show("marsad, postings cache off", wall)
    show("  the same, CPU time", cpu)
    run_collapse(home, rounds)
    if not skip_fts:
        path = home.parent / f"{home.name}.fts5.sqlite"
        build_fts(home, path)
        snippet_only, with_counts = time_fts(path, rounds)
        show("sqlite fts5: snippet query (top 10)", snippet_only)
        show("sqlite fts5: snippet + count + source group", with_counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path(tempfile.gettempdir()) / "marsad-snn")
    parser.add_argument("--index4", type=Path, default=Path(tempfile.gettempdir()) / "marsad-snn-4x")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-4x", action="store_true")
    parser.add_argument("--skip-fts", action="store_true")
    parser.add_argument("--events-overhead", action="store_true")
    parser.add_argument("--collapse-only", action="store_true", help="only the collapsed vs uncollapsed figures")
    args = parser.parse_args()
    assert len(QUERIES) >= 50
    print(f"{len(QUERIES)} queries × {args.rounds} rounds; {os.cpu_count()} CPUs; {load_average()}")
    ensure_index(args.index, 1)
    if args.events_overhead:
        time_events_overhead(args.index, args.rounds)
        return
    if args.collapse_only:
        print(f"\n== SaudiNewsNet: collapse=story against uncollapsed ({args.index}) ==", flush=True)
        run_collapse(args.index, args.rounds)
        if not args.skip_4x:
            ensure_index(args.index4, COPIES)
            print(f"\n== SaudiNewsNet × {COPIES}: collapse=story against uncollapsed ==", flush=True)
            run_collapse(args.index4, args.rounds)
        return
    run(args.index, "SaudiNewsNet", args.rounds, args.skip_fts)
    if not args.skip_4x:
        ensure_index(args.index4, COPIES)
        run(args.index4, f"SaudiNewsNet × {COPIES}", args.rounds, args.skip_fts)


if __name__ == "__main__":
    main()
