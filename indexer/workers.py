"""Worker processes that analyze, extract and write one Whoosh segment each.

Every worker runs the whole per-article pipeline (analysis, extraction, postings) and its own
segment writer, so the expensive part of Whoosh, sorting and writing postings, also runs in
parallel; the parent only reads, validates, deduplicates and deals out batches. The parent then
lists the workers' segments in one table of contents without merging them.
Workers are forked after the analyzer and the extractor are loaded, so they share those
tables copy-on-write, and they die with the parent (a killed build leaves no orphan holding
the index home's lock).
"""

from __future__ import annotations

import ctypes
import errno
import gc
import multiprocessing
import os
import queue
import signal
import sys
import time
import traceback
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from .documents import indexed_document
from .stories import EMPTY, NUM_PERM, Fingerprint
from .validation import Article
from .word_caches import WordCaches, configured_limit

SPACE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})  # the caller words these for the user

POLL_SECONDS = 0.5
BATCH = 64
INDEX_NAME = "MAIN"


FINGERPRINTS = "fingerprints.tmp"  # the workers' fingerprint files, in the build folder until published


class FingerprintPack:
    """A worker's story fingerprints, appended to two files as they are made (STEM.shingles: 4
    bytes per shingle; STEM.sketches: one NUM_PERM-value row per report, zeros when it has none),
    with only each report's ordinal, end offset and whether it has a sketch in memory (17 bytes).
    Held in memory they took ~1.7 KiB per report in the worker, and again in the parent they were
    pickled to: gigabytes at a million reports. The parent reads rows back a window at a time."""

    def __init__(self, stem: Path) -> None:
        self.stem = Path(stem)
        self.ordinals = array("q")
        self.ends = array("q")
        self.has_sketch = bytearray()
        self._files: tuple[Any, Any] | None = None

    def path(self, kind: str) -> Path:
        return self.stem.with_name(f"{self.stem.name}.{kind}")

    def add(self, ordinal: int, fp: Fingerprint) -> None:
        if self._files is None:
            self.stem.parent.mkdir(parents=True, exist_ok=True)
            self._files = (open(self.path("shingles"), "wb"), open(self.path("sketches"), "wb"))
        shingles = fp.shingles.astype(np.uint32, copy=False)
        has = len(fp.minhash) == NUM_PERM
        self._files[0].write(shingles.tobytes())
        self._files[1].write(fp.minhash.astype(np.uint32, copy=False).tobytes() if has else bytes(4 * NUM_PERM))
        self.ordinals.append(ordinal)
        self.ends.append((self.ends[-1] if self.ends else 0) + len(shingles))
        self.has_sketch.append(has)

    def close(self) -> None:
        """Flush the files (before the pack is sent to the parent)."""
        if self._files is not None:
            for handle in self._files:
                handle.close()
            self._files = None

    def __getstate__(self) -> dict[str, Any]:
        self.close()
        return {**self.__dict__, "_files": None}

    def __len__(self) -> int:
        return len(self.ordinals)

    def read(self, rows: Sequence[int]) -> list[Fingerprint]:
        """Copies of the fingerprints of ROWS (positions in the order added). The files are mapped
        for the call only: a mapping's pages count in the process's RSS while it lives."""
        if not len(rows):
            return []
        ends = np.frombuffer(self.ends, dtype=np.int64)
        shingles = mapped(self.path("shingles"), (int(ends[-1]),))
        sketches = mapped(self.path("sketches"), (len(ends), NUM_PERM))
        out = []
        for row in np.asarray(rows, dtype=np.int64).tolist():
            start = int(ends[row - 1]) if row else 0
            minhash = sketches[row].copy() if self.has_sketch[row] else EMPTY
            out.append(Fingerprint(shingles[start:ends[row]].copy(), minhash))
        del shingles, sketches
        return out

    def items(self) -> Iterator[tuple[int, Fingerprint]]:
        """(ordinal, Fingerprint) of every report, in the order added."""
        return zip(self.ordinals, self.read(range(len(self))))


def mapped(path: Path, shape: tuple[int, ...]) -> np.ndarray:
    """PATH's uint32 values as a read-only array of SHAPE (an empty array when it holds none)."""
    if not shape[0]:
        return np.zeros(shape, dtype=np.uint32)
    return np.memmap(path, dtype=np.uint32, mode="r", shape=shape).view(np.ndarray)


@dataclass
class SegmentResult:
    """What one worker wrote: its segments, each with the ordinals of its documents in order."""

    worker: int
    segments: list[tuple[Any, array]]
    fingerprints: FingerprintPack
    problems: list[tuple[int, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # CPU time by stage (see index_batches)

    @property
    def ordinals(self) -> list[int]:
        return [o for _, ordinals in self.segments for o in ordinals]


class WorkerFailed(ChildProcessError):
    """A worker died or raised: the build stops and publishes nothing. The first line of the
    message says what happened; the worker's traceback follows for the log."""


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def run_worker(number: int, index_dir: str, jobs: Any, results: Any, close_fds: list[int],
               parent: int, limitmb: float, word_cache: int) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    if os.getppid() != parent:
        os._exit(1)
    try:
        result = index_batches(number, index_dir, jobs, parent, limitmb, word_cache)
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which aborts the build
        code = error.errno if isinstance(error, OSError) else None
        summary = f"{type(error).__name__}: {error}".splitlines()[0]
        results.put(("error", number, (code, summary, traceback.format_exc())))
        results.close()
        results.join_thread()
        os._exit(1)
    results.put(("done", number, result))
    results.close()
    results.join_thread()


def index_batches(number: int, index_dir: str, jobs: Any, parent: int, limitmb: float,
                  word_cache: int) -> SegmentResult:
    """Index batches until told to stop. RESULT.seconds holds this worker's CPU seconds by stage:
    `document` (analysis, places/actors/dates, events, the story fingerprint), `add` (postings
    into the segment's arrays), `write` (sorting and writing segments), and the wall seconds it
    spent `waiting` for work (the parent reading and validating is then the bottleneck)."""
    from whoosh.filedb.filestore import FileStorage

    from .entities.extract import get_extractor
    from .writer import SegmentBuilder

    gc.freeze()
    extractor = get_extractor()
    caches = WordCaches(word_cache, extractor)
    storage = FileStorage(index_dir)
    ix = storage.open_index(INDEX_NAME)
    schema = ix.schema
    limit = limitmb * 1024 * 1024
    result = SegmentResult(number, [], FingerprintPack(Path(index_dir) / FINGERPRINTS / f"worker-{number}"))
    seconds = result.seconds = dict.fromkeys(("document", "add", "write", "waiting"), 0.0)
    fingerprints = result.fingerprints
    cpu = time.process_time
    builder, ordinals = SegmentBuilder(storage, schema, INDEX_NAME), array("q")
    while True:
        waited = time.perf_counter()
        try:
            batch = jobs.get(timeout=POLL_SECONDS)
        except queue.Empty:
            seconds["waiting"] += time.perf_counter() - waited
            if os.getppid() != parent:
                os._exit(1)
            continue
        seconds["waiting"] += time.perf_counter() - waited
        if batch is None:
            break
        for ordinal, article in batch:
            started = cpu()
            try:
                fields, fingerprint = indexed_document(article, extractor, schema)
            except Exception as error:  # noqa: BLE001 - one bad article must not stop the build
                result.problems.append((ordinal, f"analysis or extraction failed: {type(error).__name__}: {error}"))
                continue
            fingerprints.add(ordinal, fingerprint)
            added = cpu()
            builder.add(**fields)
            ordinals.append(ordinal)
            seconds["document"] += added - started
            seconds["add"] += cpu() - added
        caches.trim()
        if builder.cost() > limit:
            started = cpu()
            result.segments.append((builder.finish(), ordinals))
            seconds["write"] += cpu() - started
            builder, ordinals = SegmentBuilder(storage, schema, INDEX_NAME), array("q")
    if ordinals:
        started = cpu()
        result.segments.append((builder.finish(), ordinals))
        seconds["write"] += cpu() - started
    fingerprints.close()
    return result


class IndexingPool:
    """N forked workers fed with batches of (ordinal, Article)."""

    def __init__(self, index_dir: Path, workers: int, close_fds: list[int], limitmb: float = 64,
                 word_cache: int | None = None) -> None:
        word_cache = word_cache or configured_limit()
        self.context = multiprocessing.get_context("fork")
        self.jobs = self.context.Queue(maxsize=workers * 3)
        self.results = self.context.Queue()
        self.processes = [
            self.context.Process(
                target=run_worker, name=f"marsad-index-{n}", daemon=True,
                args=(n, str(index_dir), self.jobs, self.results, close_fds, os.getpid(), limitmb, word_cache))
            for n in range(workers)
        ]
        self.batch: list[tuple[int, Article]] = []
        self.finished: list[SegmentResult] = []

    def __enter__(self) -> "IndexingPool":
        for process in self.processes:
            process.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.abort()

    def add(self, ordinal: int, article: Article) -> None:
        self.batch.append((ordinal, article))
        if len(self.batch) >= BATCH:
            self._send(self.batch)
            self.batch = []

    def _send(self, item: Any) -> None:
        while True:
            self._check()
            try:
                self.jobs.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _check(self) -> None:
        self._drain(block=False)
        self._raise_if_dead()

    def _raise_if_dead(self) -> None:
        dead = [p for p in self.processes if p.exitcode not in (None, 0)]
        if dead:
            self._drain(block=False)  # a worker that reported its error before exiting says why
            raise WorkerFailed(f"indexing worker {dead[0].name} died (exit code {dead[0].exitcode}); "
                               "nothing was published")

    def _drain(self, block: bool) -> None:
        while True:
            try:
                message = self.results.get(timeout=POLL_SECONDS) if block else self.results.get_nowait()
            except queue.Empty:
                return
            kind, number, payload = message
            if kind == "error":
                code, summary, trace = payload
                if code in SPACE_ERRORS:
                    raise OSError(code, os.strerror(code))
                raise WorkerFailed(f"indexing worker {number} failed ({summary}); nothing was published\n{trace}")
            self.finished.append(payload)
            if block:
                return

    def finish(self) -> list[SegmentResult]:
        """Flush, tell every worker to write its segment, and wait for all of them."""
        if self.batch:
            self._send(self.batch)
            self.batch = []
        for _ in self.processes:
            self._send(None)
        while len(self.finished) < len(self.processes):
            self._drain(block=True)
            if len(self.finished) < len(self.processes):
                self._raise_if_dead()
        for process in self.processes:
            process.join()
        return sorted(self.finished, key=lambda r: r.worker)

    def abort(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
        for process in self.processes:
            if process.pid is not None:
                process.join(timeout=5)
        self.jobs.cancel_join_thread()
        self.results.cancel_join_thread()
        self.jobs.close()
        self.results.close()
