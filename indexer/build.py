"""`marsad index build` and `marsad index update`: corpus files → a new index generation.

Pipeline: readers → validation → duplicates → N worker processes (analysis, extraction, one
Whoosh segment each) → one table of contents listing the segments unmerged → marsad.json →
publish (rename + CURRENT). See indexer/workers.py for why the work is split that way and
indexer/generations.py for why a crash never damages the live generation.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from whoosh.index import TOC, clean_files
from whoosh.filedb.filestore import FileStorage

from . import generations as gens
from .analysis import ANALYZER_VERSION, warm
from . import story_store, story_windows
from .briefs import BriefTable
from .columns_out import write_segment_columns
from .dedup import Copy, Deduplicator, variant_losers
from .ledger import Ledger
from .merge import UPDATE_POLICY, MergePolicy, MergeReport, merge_index
from .origins import OriginTable
from .quarantine import Quarantine
from .readers import Origin, Problem, Skipped, read_paths
from .schema import build_schema
from .stats import index_figures
from .story_store import Report, StoryStore
from .validation import Article, validate_record
from .story_rows import BuildColumns, BuildReports
from .workers import FINGERPRINTS, SPACE_ERRORS, IndexingPool, SegmentResult

INDEX_NAME = "MAIN"
SAME = "same"  # the indexed copy is identical
OLDER = "older"  # the indexed copy is newer: keep it
# Segment size per worker (estimated MB of postings, ~5,000 news articles): smaller segments
# lower the peak (a worker's segment, plus the analysis caches, is most of its memory); larger
# ones cost a little less CPU to write and leave fewer segments for search. SaudiNewsNet on 2
# workers: 6 segments, peak ~950 MiB RSS summed over the processes (measured: 100 MB → ~990).
SEGMENT_MB = 64
UPDATE_PARALLEL_FROM = 500  # below this, one worker: the forked second costs more than it saves


class NothingToIndex(ValueError):
    pass


class RebuildNeeded(ValueError):
    pass


class DiskFull(OSError):
    """The disk (or a size limit) ran out while writing a new generation; nothing was published."""

    def __str__(self) -> str:
        return str(self.strerror)  # the whole sentence, without OSError's "[Errno 28]" prefix


def is_space_error(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in SPACE_ERRORS


def disk_full(home: Path, error: OSError, live: Path | None) -> DiskFull:
    what = "no space left on the device" if error.errno != errno.EFBIG else "the file size limit was reached"
    kept = f"the live index ({live.name}) is unchanged" if live is not None else "no index was published"
    return DiskFull(error.errno, f"{what} while writing a new generation in {home} "
                                 f"({error.strerror or error}); the partial build was removed and {kept}")


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def check_paths(paths: Iterable[Path]) -> list[Path]:
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("no input given: name files, folders or ZIPs to index")
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {path}")
    return paths


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def validated(paths: list[Path], quarantine: Quarantine, home: Path, skipped: list[int] | None = None,
              ledger: Ledger | None = None) -> Iterator[tuple[int, Article, Origin]]:
    """Valid articles in reading order, numbered; everything else goes to QUARANTINE, except
    records that are not articles by nature (WARC requests, redirects), counted in SKIPPED[0].
    The index HOME and the quarantine file are skipped should they lie inside a folder being read,
    and so are the files LEDGER knows unchanged."""
    ordinal = 0
    for item in read_paths(paths, exclude=(home, quarantine.path), admit=ledger.admit if ledger else None):
        if isinstance(item, Skipped):
            if skipped is not None:
                skipped[0] += 1
            continue
        if isinstance(item, Problem):
            quarantine.add(item)
            continue
        article = validate_record(item)
        if isinstance(article, Problem):
            quarantine.add(article)
            continue
        yield ordinal, article, item.origin
        ordinal += 1


class StageClock:
    """Wall seconds of the parent's stages, and the workers' CPU seconds by stage (summed over
    workers): where a build's time goes, printed by the benchmarks. `reading` (reading,
    validating, deduplicating and dealing out articles) overlaps the workers' `document`/`add`
    work; the other parent stages run after it."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.parent: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.parent[stage] = round(self.parent.get(stage, 0.0) + now - self.last, 3)
        self.last = now

    def summary(self, results: Sequence[SegmentResult]) -> dict[str, dict[str, float]]:
        workers: dict[str, float] = {}
        for result in results:
            for stage, seconds in result.seconds.items():
                workers[stage] = round(workers.get(stage, 0.0) + seconds, 3)
        return {"parent_wall_s": dict(self.parent), "workers_cpu_s": workers}


class Progress:
    """A tqdm bar on a terminal; silent otherwise (the CLI prints the one-line summary)."""

    def __init__(self, enabled: bool, description: str) -> None:
        self.bar = None
        if enabled:
            from tqdm import tqdm

            try:
                columns = os.get_terminal_size(sys.stderr.fileno()).columns
            except (OSError, ValueError):
                columns = 0
            # a terminal that reports no width (a bare pty, some CI runners) would get no bar at all
            sizing = {"dynamic_ncols": True} if columns else {"ncols": 80, "nrows": 24}
            self.bar = tqdm(desc=description, unit=" articles", file=sys.stderr, smoothing=0.1, **sizing)

    def step(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def phase(self, text: str) -> None:
        if self.bar is not None:
            self.bar.set_description(text)
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def feed(pool: IndexingPool, articles: Iterator[tuple[int, Article, Origin]], dedup: Deduplicator,
         origins: OriginTable, briefs: BriefTable, progress: Progress) -> list[int]:
    """Send winning articles to POOL; return the ordinals that a later copy superseded."""
    superseded: list[int] = []
    for ordinal, article, origin in articles:
        accepted, losers = dedup.offer(ordinal, article)
        superseded.extend(losers)
        if accepted:
            origins[ordinal] = origin
            briefs[ordinal] = article
            pool.add(ordinal, article)
        progress.step()
    return superseded


def new_reports(results: list[SegmentResult], briefs: BriefTable, deleted: Iterable[int]) -> dict[int, Report]:
    """The story-store rows of the articles the workers indexed, by ordinal, minus DELETED."""
    gone = set(deleted)
    out = {}
    for result in results:
        for ordinal, fp in result.fingerprints.items():
            if ordinal not in gone:
                out[ordinal] = briefs.report(ordinal, fp)
    return dict(sorted(out.items()))


def older_variants(new: dict[int, Report], stored: Sequence[Report] = ()) -> tuple[list[int], list[int]]:
    """URL-variant copies that lose to a newer near-identical copy: (ordinals among NEW,
    positions in STORED). A stored copy loses to a new one of the same day (read later)."""
    keys = {r.variant for r in new.values() if r.variant}
    copies = [Copy(o, r.variant, (r.published, o), r.content_hash, r.fingerprint.shingles) for o, r in new.items()]
    copies += [Copy(-1 - i, r.variant, (r.published, -1), r.content_hash, r.fingerprint.shingles)
               for i, r in enumerate(stored) if r.variant in keys]
    losers = variant_losers(copies)
    return [o for o in losers if o >= 0], [-1 - o for o in losers if o < 0]


def commit_segments(index_dir: Path, base_segments: list, results: list[SegmentResult],
                    deletions: Iterable[int], quarantine: Quarantine, origins: Any) -> int:
    """Write the index's table of contents: the base segments plus one per worker, with the
    superseded documents marked deleted. Returns the number of documents deleted."""
    doomed = set(deletions)
    where: dict[int, tuple[Any, int]] = {}  # only the doomed: a table of every document would grow with the corpus
    segments = list(base_segments)
    for result in results:
        for ordinal, reason in result.problems:
            quarantine.add(Problem(origins.get(ordinal, Origin("?")), "content", reason))
        for segment, ordinals in result.segments:
            segments.append(segment)
            if doomed:
                for docnum, ordinal in enumerate(ordinals):
                    if ordinal in doomed:
                        where[ordinal] = (segment, docnum)
    deleted = 0
    for ordinal in doomed:
        if ordinal in where:
            segment, docnum = where[ordinal]
            segment.delete_document(docnum)
            deleted += 1
    storage = FileStorage(str(index_dir))
    ix = storage.open_index(INDEX_NAME)
    generation = ix.latest_generation() + 1
    TOC(ix.schema, segments, generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, segments)
    shutil.rmtree(index_dir / f"{INDEX_NAME}.tmp", ignore_errors=True)
    return deleted


def write_generation_files(home: Path, build_dir: Path, number: int, extra: dict[str, Any],
                           stories: StoryStore | story_store.Columns) -> Path:
    """entities.json and the stories, then marsad.json last, then publish; returns the generation folder."""
    from .entities.extract import get_extractor

    gens.write_json(build_dir / gens.ENTITIES, get_extractor().snapshot())
    story_store.write(build_dir, stories)
    shutil.rmtree(build_dir / FINGERPRINTS, ignore_errors=True)
    write_segment_columns(build_dir)
    ix = gens.open_index(build_dir)
    with ix.reader() as reader:
        figures = index_figures(reader)
        segment_count = len(ix._segments())
    marker = {"format": gens.FORMAT, "generation": number, "analyzer_version": ANALYZER_VERSION,
              "built_at": utc_now(), **figures, "segments": segment_count, **extra}
    folder = gens.publish(home, build_dir, number, marker)
    gens.prune(home)
    return folder


def prepare_process() -> None:
    """Load the analyzer tables and the extractor before forking, so workers share them."""
    from .entities.extract import get_extractor

    warm()
    get_extractor()


def build_index(paths: list[Path], home: Path, workers: int | None = None, quarantine: Path | None = None,
                progress: bool = False, limitmb: float = SEGMENT_MB) -> dict[str, Any]:
    """Index PATHS into a new generation of HOME and make it live. Returns the summary."""
    started = time.perf_counter()
    paths = check_paths(paths)
    home = Path(home)
    workers = workers or default_workers()
    quarantine_path = Path(quarantine) if quarantine else home / gens.QUARANTINE
    prepare_process()
    with gens.locked(home) as lock_fd:
        number = gens.next_generation_number(home)  # counts dead builds' names too: never reused
        gens.clean_stale(home)
        live = gens.current_generation(home)
        bar = Progress(progress, "indexing")
        build_dir: Path | None = None
        empty = False
        try:
            with Quarantine(quarantine_path) as q:
                build_dir = gens.new_build_dir(home, number)
                FileStorage(str(build_dir)).create_index(build_schema(), indexname=INDEX_NAME)
                dedup = Deduplicator()
                origins = OriginTable()
                skipped = [0]
                (build_dir / FINGERPRINTS).mkdir()
                briefs = BriefTable(build_dir / FINGERPRINTS / "briefs")
                clock = StageClock()
                ledger = Ledger()
                with IndexingPool(build_dir, workers, [lock_fd], limitmb) as pool:
                    superseded = feed(pool, validated(paths, q, home, skipped, ledger), dedup, origins, briefs, bar)
                    clock.lap("reading")
                    bar.phase("writing segments")
                    results = pool.finish()
                    clock.lap("finishing")
                duplicates = dedup.duplicates
                del dedup  # its tables (~280 bytes per article) are not needed past reading
                bar.phase("grouping stories")
                reports = BuildReports([r.fingerprints for r in results], briefs, superseded)
                variants = reports.variant_losers()
                reports.drop(variants)
                grouping = story_windows.group(reports, reports.id, build_dir / FINGERPRINTS)
                stories = BuildColumns(reports, grouping)
                clock.lap("stories")
                deleted = commit_segments(build_dir, [], results, superseded + variants, q, origins)
                clock.lap("commit")
                quarantined = q.count
                empty = sum(len(r.ordinals) for r in results) - deleted <= 0
                if not empty:
                    bar.phase("publishing")
                    ledger.write(build_dir)
                    folder = write_generation_files(home, build_dir, number, {
                        "kind": "build", "quarantined": quarantined, "duplicates": duplicates,
                        "skipped": skipped[0], "url_variants": len(variants),
                        "stories": grouping.story_count()}, stories)
                    clock.lap("publishing")
                briefs.close()
        except OSError as error:
            if is_space_error(error):
                raise disk_full(home, error, live) from None
            raise
        finally:
            bar.close()
            if build_dir is not None and build_dir.exists():
                shutil.rmtree(build_dir, ignore_errors=True)
    if empty:
        raise NothingToIndex(f"no valid articles in {', '.join(map(str, paths))}; "
                             f"{quarantined} problems listed in {quarantine_path}")
    seconds = time.perf_counter() - started
    marker = gens.read_marker(folder)
    return {
        "documents": marker["documents"],
        "quarantined": quarantined,
        "duplicates": duplicates,
        "skipped": skipped[0],
        "url_variants": marker["url_variants"],
        "stories": marker["stories"],
        "seconds": round(seconds, 3),
        "docs_per_s": round(marker["documents"] / seconds, 1) if seconds > 0 else None,
        "generation": number,
        "workers": workers,
        "index": str(folder),
        "quarantine": str(quarantine_path),
        "stages": clock.summary(results),
    }


def same_article(stored: dict[str, Any], article: Article) -> bool:
    return (stored.get("content_hash") == article.content_hash
            and (stored.get("url") or "") == article.url
            and (stored.get("source") or "") == article.source
            and (stored.get("author") or "") == article.author
            and (stored.get("published") or "") == (article.published or ""))


def lookup_ids(ix: Any, ids: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    """The live documents with these ids (docnums and stored fields)."""
    with ix.reader() as reader:
        lookup = LiveLookup(reader)
        return [hit for article_id in ids for hit in lookup.find_field("id", article_id)]


class LiveLookup:
    """Finds the indexed copies of an article: by id and by URL (usually one document; two when
    an article's id and URL belong to different indexed documents, and both are replaced)."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader

    def find(self, article: Article) -> list[tuple[int, dict[str, Any]]]:
        found: dict[int, dict[str, Any]] = {}
        for fieldname, value in (("id", article.id), ("url", article.url)):
            if value:
                found.update(self.find_field(fieldname, value))
        return sorted(found.items())

    def find_field(self, fieldname: str, value: str) -> list[tuple[int, dict[str, Any]]]:
        try:
            matcher = self.reader.postings(fieldname, value)
        except Exception:  # noqa: BLE001 - whoosh raises TermNotFound for unknown terms
            return []
        found = []
        while matcher.is_active():
            found.append((matcher.id(), self.reader.stored_fields(matcher.id())))
            matcher.next()
        return found


def classify(article: Article, found: list[tuple[int, dict[str, Any]]]) -> str | list[int]:
    """SAME, OLDER, or the docnums the article replaces (empty: a new article). A feed's partial
    summary never replaces an indexed full text."""
    if len(found) == 1 and same_article(found[0][1], article):
        return SAME
    if found and article.partial and any(not stored.get("partial") for _, stored in found):
        return OLDER
    if found and all((article.published or "") < (stored.get("published") or "") for _, stored in found):
        return OLDER
    return [docnum for docnum, _ in found]


def live_stories(home: Path, live: Path) -> StoryStore:
    """The live generation's stories, which an update or a compaction carries forward."""
    stored = story_store.load(live)
    if stored is None:
        raise RebuildNeeded(f"index at {home} was built before stories were grouped: rebuild needed "
                            f"(marsad index build PATH --index {home})")
    return stored


def update_index(paths: list[Path], home: Path, quarantine: Path | None = None, progress: bool = False,
                 workers: int | None = None, merge_policy: MergePolicy = UPDATE_POLICY,
                 reread: bool = False) -> dict[str, Any]:
    """Add new articles and replace changed ones in a new generation that shares the live
    generation's segment files (hard links), then merge segments by MERGE_POLICY (indexer/merge.py).
    Files the live generation read and that have not changed since are skipped (indexer/ledger.py)
    unless REREAD. Running it twice changes nothing the second time."""
    started = time.perf_counter()
    paths = check_paths(paths)
    home = Path(home)
    quarantine_path = Path(quarantine) if quarantine else home / gens.QUARANTINE
    gens.live_generation(home)  # fail fast, before loading anything
    prepare_process()
    with gens.locked(home) as lock_fd:
        number = gens.next_generation_number(home)
        gens.clean_stale(home)
        live = gens.live_generation(home)
        marker = gens.check_generation(live)
        if str(marker.get("analyzer_version")) != ANALYZER_VERSION:
            raise RebuildNeeded(
                f"index at {home} was built by analyzer version {marker.get('analyzer_version')}, "
                f"this Marsad uses {ANALYZER_VERSION}: rebuild needed (marsad index build PATH --index {home})")
        live_number = gens.generation_number(live.name) or 0
        stored = live_stories(home, live)
        ledger = Ledger() if reread else Ledger.load(live)
        bar = Progress(progress, "checking")
        pending: dict[int, Any] = {}
        dedup = Deduplicator()
        skipped = [0]
        build_dir: Path | None = None
        folder: Path | None = None
        merged: MergeReport | None = None
        try:
            with Quarantine(quarantine_path) as q:
                ix = gens.open_index(live)
                with ix.reader() as reader:
                    lookup = LiveLookup(reader)
                    for ordinal, article, origin in validated(paths, q, home, skipped, ledger):
                        accepted, losers = dedup.offer(ordinal, article)
                        for loser in losers:
                            pending.pop(loser, None)
                        bar.step()
                        if accepted:
                            found = lookup.find(article)
                            verdict = classify(article, found)
                            pending[ordinal] = verdict if isinstance(verdict, str) else \
                                (article, origin, verdict, [stored_fields["id"] for _, stored_fields in found])
                changes = {o: p for o, p in pending.items() if isinstance(p, tuple)}
                unchanged = sum(1 for p in pending.values() if p is SAME)
                dedup.duplicates += sum(1 for p in pending.values() if p is OLDER)
                quarantined = q.count
                added = replaced = 0
                variants: list[int] = []
                if changes:
                    build_dir = gens.new_build_dir(home, number)
                    gens.link_generation(live, build_dir)
                    base = FileStorage(str(build_dir)).open_index(INDEX_NAME)._segments()
                    count = workers or (default_workers() if len(changes) >= UPDATE_PARALLEL_FROM else 1)
                    origins = {o: p[1] for o, p in changes.items()}
                    bar.phase("indexing")
                    with IndexingPool(build_dir, count, [lock_fd]) as pool:
                        for ordinal, (article, _, _, _) in sorted(changes.items()):
                            pool.add(ordinal, article)
                        bar.phase("writing segments")
                        results = pool.finish()
                    indexed = {o for r in results for o in r.ordinals}
                    briefs = BriefTable()
                    for ordinal, change in changes.items():
                        briefs[ordinal] = change[0]
                    reports = new_reports(results, briefs, ())
                    variants, stored_losers = older_variants(reports, stored.reports)
                    removed = {stored.reports[i].id for i in stored_losers}
                    doomed = [docnum for docnum, _ in lookup_ids(ix, removed)]
                    offsets = segment_offsets(base)
                    for ordinal, (_, _, docnums, old_ids) in changes.items():
                        if ordinal not in indexed:
                            continue  # analysis failed: the old copy stays
                        removed.update(old_ids)
                        doomed.extend(docnums)
                        if ordinal in variants:
                            continue
                        if docnums:
                            replaced += 1
                        else:
                            added += 1
                    for docnum in doomed:
                        segment, local = locate(base, offsets, docnum)
                        if not segment.is_deleted(local):
                            segment.delete_document(local)
                    for ordinal in variants:
                        del reports[ordinal]
                    bar.phase("grouping stories")
                    stories = story_store.updated(stored, removed, list(reports.values()))
                    commit_segments(build_dir, base, results, variants, q, origins)
                    bar.phase("merging segments")
                    merged = merge_index(build_dir, merge_policy)
                    quarantined = q.count
                    bar.phase("publishing")
                    ledger.write(build_dir)
                    folder = write_generation_files(home, build_dir, number, {
                        "kind": "update", "based_on": live_number, "quarantined": quarantined,
                        "duplicates": dedup.duplicates, "skipped": skipped[0],
                        "url_variants": len(variants) + len(stored_losers),
                        "stories": len(stories.sizes())}, stories)
        except OSError as error:
            if is_space_error(error):
                raise disk_full(home, error, live) from None
            raise
        finally:
            bar.close()
            if build_dir is not None and build_dir.exists():
                shutil.rmtree(build_dir, ignore_errors=True)
    summary: dict[str, Any] = {"added": added, "replaced": replaced, "unchanged": unchanged,
                               "quarantined": quarantined, "duplicates": dedup.duplicates,
                               "skipped": skipped[0], "files_unchanged": ledger.unchanged}
    if folder is not None:
        summary["url_variants"] = gens.read_marker(folder)["url_variants"]
    if folder is None:
        summary.update(documents=marker["documents"], generation=live_number, changed=False,
                       message="index already up to date")
    else:
        summary.update(documents=gens.read_marker(folder)["documents"], generation=number, changed=True,
                       index=str(folder))
    if merged is not None:
        summary["merge"] = merged.summary()
    summary.update(seconds=round(time.perf_counter() - started, 3), quarantine=str(quarantine_path))
    return summary


def segment_offsets(segments: list) -> list[int]:
    offsets, base = [], 0
    for segment in segments:
        offsets.append(base)
        base += segment.doc_count_all()
    return offsets


def locate(segments: list, offsets: list[int], docnum: int) -> tuple[Any, int]:
    from bisect import bisect_right

    index = bisect_right(offsets, docnum) - 1
    return segments[index], docnum - offsets[index]
