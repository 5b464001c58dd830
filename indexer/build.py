"""`marsad index build` and `marsad index update`: corpus files → a new index generation.

Pipeline: readers → validation → duplicates → N worker processes (analysis, extraction, one
Whoosh segment each) → one table of contents listing the segments unmerged → marsad.json →
publish (rename + CURRENT). See indexer/workers.py for why the work is split that way and
indexer/generations.py for why a crash never damages the live generation.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from whoosh.index import TOC, clean_files, open_dir
from whoosh.filedb.filestore import FileStorage

from . import generations as gens
from .analysis import ANALYZER_VERSION, warm
from .dedup import Deduplicator
from .quarantine import Quarantine
from .readers import Origin, Problem, RawRecord, read_paths
from .schema import build_schema
from .stats import index_figures
from .validation import Article, validate_record
from .workers import IndexingPool, SegmentResult

INDEX_NAME = "MAIN"
SAME = "same"  # the indexed copy is identical
OLDER = "older"  # the indexed copy is newer: keep it
UPDATE_PARALLEL_FROM = 4_000


class NothingToIndex(ValueError):
    pass


class RebuildNeeded(ValueError):
    pass


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


def validated(paths: list[Path], quarantine: Quarantine) -> Iterator[tuple[int, Article, Origin]]:
    """Valid articles in reading order, numbered; everything else goes to QUARANTINE."""
    ordinal = 0
    for item in read_paths(paths):
        if isinstance(item, Problem):
            quarantine.add(item)
            continue
        article = validate_record(item)
        if isinstance(article, Problem):
            quarantine.add(article)
            continue
        yield ordinal, article, item.origin
        ordinal += 1


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
         origins: dict[int, Origin], progress: Progress,
         keep: Any = None) -> list[int]:
    """Send winning articles to POOL; return the ordinals that a later copy superseded."""
    superseded: list[int] = []
    for ordinal, article, origin in articles:
        accepted, losers = dedup.offer(ordinal, article)
        superseded.extend(losers)
        if accepted and (keep is None or keep(ordinal, article)):
            origins[ordinal] = origin
            pool.add(ordinal, article)
        progress.step()
    return superseded


def commit_segments(index_dir: Path, base_segments: list, results: list[SegmentResult],
                    deletions: Iterable[int], quarantine: Quarantine, origins: dict[int, Origin]) -> int:
    """Write the index's table of contents: the base segments plus one per worker, with the
    superseded documents marked deleted. Returns the number of documents deleted."""
    where: dict[int, tuple[Any, int]] = {}
    segments = list(base_segments)
    for result in results:
        for ordinal, reason in result.problems:
            quarantine.add(Problem(origins.get(ordinal, Origin("?")), "content", reason))
        for segment, ordinals in result.segments:
            segments.append(segment)
            for docnum, ordinal in enumerate(ordinals):
                where[ordinal] = (segment, docnum)
    deleted = 0
    for ordinal in deletions:
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


def write_generation_files(home: Path, build_dir: Path, number: int, extra: dict[str, Any]) -> Path:
    """entities.json, then marsad.json last, then publish; returns the generation folder."""
    from .entities.extract import get_extractor

    gens.write_json(build_dir / gens.ENTITIES, get_extractor().snapshot())
    ix = open_dir(str(build_dir), indexname=INDEX_NAME)
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
                progress: bool = False, limitmb: float = 128) -> dict[str, Any]:
    """Index PATHS into a new generation of HOME and make it live. Returns the summary."""
    started = time.perf_counter()
    paths = check_paths(paths)
    home = Path(home)
    workers = workers or default_workers()
    quarantine_path = Path(quarantine) if quarantine else home / gens.QUARANTINE
    prepare_process()
    with gens.locked(home) as lock_fd:
        gens.clean_stale(home)
        number = gens.next_generation_number(home)
        build_dir = gens.new_build_dir(home, number)
        bar = Progress(progress, "indexing")
        try:
            FileStorage(str(build_dir)).create_index(build_schema(), indexname=INDEX_NAME)
            dedup = Deduplicator()
            origins: dict[int, Origin] = {}
            with Quarantine(quarantine_path) as q, \
                    IndexingPool(build_dir, workers, [lock_fd], limitmb) as pool:
                superseded = feed(pool, validated(paths, q), dedup, origins, bar)
                bar.phase("writing segments")
                results = pool.finish()
                commit_segments(build_dir, [], results, superseded, q, origins)
                quarantined = q.count
            documents = sum(len(r.ordinals) for r in results) - len(superseded)
            if documents <= 0:
                raise NothingToIndex(f"no valid articles in {', '.join(map(str, paths))}; "
                                     f"{quarantined} problems listed in {quarantine_path}")
            bar.phase("publishing")
            folder = write_generation_files(home, build_dir, number, {
                "kind": "build", "quarantined": quarantined, "duplicates": dedup.duplicates})
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
        finally:
            bar.close()
    seconds = time.perf_counter() - started
    marker = gens.read_marker(folder)
    return {
        "documents": marker["documents"],
        "quarantined": quarantined,
        "duplicates": dedup.duplicates,
        "seconds": round(seconds, 3),
        "docs_per_s": round(marker["documents"] / seconds, 1) if seconds > 0 else None,
        "generation": number,
        "workers": workers,
        "index": str(folder),
        "quarantine": str(quarantine_path),
    }


def same_article(stored: dict[str, Any], article: Article) -> bool:
    return (stored.get("content_hash") == article.content_hash
            and (stored.get("url") or "") == article.url
            and (stored.get("source") or "") == article.source
            and (stored.get("author") or "") == article.author
            and (stored.get("published") or "") == (article.published or ""))


class LiveLookup:
    """Finds the indexed copy of an article by id, then by URL."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader

    def find(self, article: Article) -> tuple[int, dict[str, Any]] | None:
        for fieldname, value in (("id", article.id), ("url", article.url)):
            if not value:
                continue
            try:
                matcher = self.reader.postings(fieldname, value)
            except Exception:  # noqa: BLE001 - whoosh raises TermNotFound for unknown terms
                continue
            if matcher.is_active():
                docnum = matcher.id()
                return docnum, self.reader.stored_fields(docnum)
        return None


def update_index(paths: list[Path], home: Path, quarantine: Path | None = None, progress: bool = False,
                 workers: int | None = None) -> dict[str, Any]:
    """Add new articles and replace changed ones in a new generation that shares the live
    generation's segment files (hard links). Running it twice changes nothing the second time."""
    started = time.perf_counter()
    paths = check_paths(paths)
    home = Path(home)
    quarantine_path = Path(quarantine) if quarantine else home / gens.QUARANTINE
    if gens.current_generation(home) is None:
        raise gens.NoIndex(f"no index at {home}: build one first (marsad index build PATH --index {home})")
    prepare_process()
    with gens.locked(home) as lock_fd:
        gens.clean_stale(home)
        live = gens.current_generation(home)
        if live is None:
            raise gens.NoIndex(f"no index at {home}: build one first (marsad index build PATH --index {home})")
        marker = gens.read_marker(live)
        if str(marker.get("analyzer_version")) != ANALYZER_VERSION:
            raise RebuildNeeded(
                f"index at {home} was built by analyzer version {marker.get('analyzer_version')}, "
                f"this Marsad uses {ANALYZER_VERSION}: rebuild needed (marsad index build PATH --index {home})")
        live_number = gens.generation_number(live.name) or 0
        bar = Progress(progress, "checking")
        pending: dict[int, Any] = {}
        dedup = Deduplicator()
        unchanged = 0
        try:
            with Quarantine(quarantine_path) as q:
                ix = open_dir(str(live), indexname=INDEX_NAME)
                with ix.reader() as reader:
                    lookup = LiveLookup(reader)
                    for ordinal, article, origin in validated(paths, q):
                        accepted, losers = dedup.offer(ordinal, article)
                        for loser in losers:
                            pending.pop(loser, None)
                        bar.step()
                        if not accepted:
                            continue
                        found = lookup.find(article)
                        if found is not None and same_article(found[1], article):
                            pending[ordinal] = SAME
                        elif found is not None and (article.published or "") < (found[1].get("published") or ""):
                            pending[ordinal] = OLDER
                        else:
                            pending[ordinal] = (article, origin, found[0] if found else None)
                changes = {o: p for o, p in pending.items() if isinstance(p, tuple)}
                unchanged = sum(1 for p in pending.values() if p is SAME)
                dedup.duplicates += sum(1 for p in pending.values() if p is OLDER)
                if not changes:
                    return {"added": 0, "replaced": 0, "unchanged": unchanged, "quarantined": q.count,
                            "duplicates": dedup.duplicates, "documents": marker["documents"],
                            "generation": live_number, "changed": False,
                            "seconds": round(time.perf_counter() - started, 3),
                            "message": "index already up to date", "quarantine": str(quarantine_path)}
                number = gens.next_generation_number(home)
                build_dir = gens.new_build_dir(home, number)
                try:
                    gens.link_generation(live, build_dir)
                    base = FileStorage(str(build_dir)).open_index(INDEX_NAME)._segments()
                    count = workers or (default_workers() if len(changes) >= UPDATE_PARALLEL_FROM else 1)
                    origins = {o: p[1] for o, p in changes.items()}
                    bar.phase("indexing")
                    with IndexingPool(build_dir, count, [lock_fd]) as pool:
                        for ordinal, (article, _, _) in sorted(changes.items()):
                            pool.add(ordinal, article)
                        bar.phase("writing segments")
                        results = pool.finish()
                    indexed = {o for r in results for o in r.ordinals}
                    replaced_docnums = [p[2] for o, p in changes.items() if p[2] is not None and o in indexed]
                    offsets = segment_offsets(base)
                    for docnum in replaced_docnums:
                        segment, local = locate(base, offsets, docnum)
                        segment.delete_document(local)
                    commit_segments(build_dir, base, results, [], q, origins)
                    quarantined = q.count
                    bar.phase("publishing")
                    folder = write_generation_files(home, build_dir, number, {
                        "kind": "update", "based_on": live_number})
                except BaseException:
                    shutil.rmtree(build_dir, ignore_errors=True)
                    raise
        finally:
            bar.close()
    replaced = len(replaced_docnums)
    new_marker = gens.read_marker(folder)
    return {"added": sum(len(r.ordinals) for r in results) - replaced, "replaced": replaced, "unchanged": unchanged,
            "quarantined": quarantined, "duplicates": dedup.duplicates,
            "documents": new_marker["documents"], "generation": number, "changed": True,
            "seconds": round(time.perf_counter() - started, 3), "index": str(folder),
            "quarantine": str(quarantine_path)}


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
