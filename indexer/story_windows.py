"""Story grouping over a sliding window of publication days, so that a build's memory does not
grow with the corpus.

indexer/stories.py's rules need three things of the whole corpus: the common shingles (found on
COMMON_DAYS or more days), the boilerplate MinHash values (likewise, per MinHash position) and
the links, strongest first. Everything else is local in time: two reports are candidates, and
links, only when at most WINDOW_DAYS apart. So grouping reads the reports' fingerprints from a
SOURCE (the workers' files in a build; a list in memory elsewhere) in two passes:
  1. in chunks of CHUNK_REPORTS: every (shingle, day) and (MinHash value, day) pair goes to
     files by range of value (`DayCounter`), each range then counted alone: the common shingles
     and boilerplate values, as stories.common_shingles and stories.boilerplate_values count them;
  2. in blocks of consecutive days holding about BLOCK_REPORTS reports each, with the WINDOW_DAYS
     days before the block: the candidate pairs whose later report is in the block (each pair is
     found in exactly one block), checked on their distinctive shingles.
Then the links (a few per report, in arrays) are turned into stories (stories.story_roots).
Only one chunk or window of fingerprints is in memory at once; what stays per report is a few
integers. The result is the whole-corpus computation's, link for link:
tests/indexer/test_story_windows.py compares them on many windows.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from . import stories
from .stories import EMPTY, NUM_PERM, WINDOW_DAYS, Edge, Fingerprint, Member

BLOCK_REPORTS = 10_000  # reports per block of days in pass 2 (its window adds WINDOW_DAYS days before it)
CHUNK_REPORTS = 10_000  # reports per chunk of pass 1


class Source(Protocol):
    """Reports by position: DAYS, LENGTHS (shingles) and HAS_SKETCH per position, and their
    fingerprints read on demand."""

    days: np.ndarray
    lengths: np.ndarray
    has_sketch: np.ndarray

    def fingerprints(self, positions: np.ndarray) -> list[Fingerprint]: ...


class MemberSource:
    """A Source over members held in memory (evaluation scripts, tests, `story_store.built`)."""

    def __init__(self, members: Sequence[Member]) -> None:
        self.members = members
        self.days = np.array([m.day for m in members], dtype=np.int64)
        self.lengths = np.array([len(m.fingerprint.shingles) for m in members], dtype=np.int64)
        self.has_sketch = np.array([len(m.fingerprint.minhash) > 0 for m in members], dtype=bool)

    def fingerprints(self, positions: np.ndarray) -> list[Fingerprint]:
        return [self.members[p].fingerprint for p in np.asarray(positions).tolist()]


@dataclass
class Grouping:
    """The links (positions i < j, in order of (i, j), and their strengths), the position of each
    report's story's earliest member, and the common shingles."""

    edges: np.ndarray  # (links, 2) int64
    weights: np.ndarray  # float64
    roots: np.ndarray  # int64 per position
    common: np.ndarray

    def edge_list(self) -> list[Edge]:
        return [(i, j, w) for (i, j), w in zip(self.edges.tolist(), self.weights.tolist())]

    def story_count(self) -> int:
        return len(np.unique(self.roots))


class DayCounter:
    """On how many distinct days each 32-bit value was seen, without holding every pair at once:
    the pairs, as (value << 32) | day number, are appended to BUCKETS files by range of value
    and each file is counted alone."""

    def __init__(self, folder: Path, name: str, buckets: int) -> None:
        self.paths = [folder / f"{name}-{k}.u64" for k in range(buckets)]
        self.handles = [open(path, "wb") for path in self.paths]
        bounds = [-(-((k + 1) << 32) // buckets) for k in range(buckets - 1)]
        self.bounds = np.array(bounds, dtype=np.uint64) << np.uint64(32)

    def add(self, values: np.ndarray, day_numbers: np.ndarray) -> None:
        keys = stories.sorted_unique((values.astype(np.uint64) << np.uint64(32)) | day_numbers)
        cuts = np.r_[0, np.searchsorted(keys, self.bounds), len(keys)]
        for handle, start, end in zip(self.handles, cuts[:-1].tolist(), cuts[1:].tolist()):
            if end > start:
                handle.write(keys[start:end].tobytes())

    def common(self) -> np.ndarray:
        """The values seen on COMMON_DAYS or more days (sorted); the files are removed."""
        for handle in self.handles:
            handle.close()
        found = []
        for path in self.paths:
            found.append(stories.common_of_keys(np.fromfile(path, dtype=np.uint64)))
            path.unlink()
        return np.concatenate(found) if found else EMPTY


def group(source: Source, id_of: Callable[[int], str], spill: Path | None = None,
          block: int = BLOCK_REPORTS, chunk: int = CHUNK_REPORTS) -> Grouping:
    """The stories of SOURCE's reports (ID_OF: a position's article id), spilling to files under
    SPILL (a temporary folder when None)."""
    if spill is None:
        with tempfile.TemporaryDirectory(prefix="marsad-stories-") as folder:
            return group(source, id_of, Path(folder), block, chunk)
    spill.mkdir(parents=True, exist_ok=True)
    common, boilerplate = counted(source, spill, chunk)
    edges, weights = window_links(source, common, boilerplate, block)
    roots = stories.story_roots(source.days, edges, weights, id_of)
    return Grouping(edges, weights, roots, common)


def counted(source: Source, spill: Path, chunk: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Pass 1: the common shingles, and per MinHash position its boilerplate values."""
    days = source.days
    if not len(days):
        return EMPTY, [EMPTY] * NUM_PERM
    day_numbers = (days - days.min()).astype(np.uint64)
    buckets = max(1, math.ceil(int(source.lengths.sum()) / stories.COMMON_CHUNK))
    shingles = DayCounter(spill, "shingles", buckets)
    sketches = [DayCounter(spill, f"sketch{column}", 1) for column in range(NUM_PERM)]
    for start in range(0, len(days), chunk):
        positions = np.arange(start, min(start + chunk, len(days)))
        prints = source.fingerprints(positions)
        if prints:
            shingles.add(np.concatenate([fp.shingles for fp in prints]), np.repeat(day_numbers[positions],
                                                                                   source.lengths[positions]))
        sketched = [i for i, fp in enumerate(prints) if len(fp.minhash)]
        if sketched:
            matrix = np.stack([prints[i].minhash for i in sketched])
            for column, counter in enumerate(sketches):
                counter.add(matrix[:, column], day_numbers[positions[sketched]])
    return shingles.common(), [counter.common() for counter in sketches]


def blocks(days: np.ndarray, size: int) -> list[tuple[int, int]]:
    """(first day, last day) of consecutive days holding about SIZE reports each (a day is never split)."""
    values, counts = np.unique(days, return_counts=True)
    out, start, held = [], 0, 0
    for k, count in enumerate(counts.tolist()):
        held += count
        if held >= size or k == len(values) - 1:
            out.append((int(values[start]), int(values[k])))
            start, held = k + 1, 0
    return out


def window_links(source: Source, common: np.ndarray, boilerplate: list[np.ndarray],
                 block: int) -> tuple[np.ndarray, np.ndarray]:
    """Pass 2: the links, block of days by block, in order of (i, j)."""
    days = source.days
    by_day = np.argsort(days, kind="stable")
    sorted_days = days[by_day]
    pairs, weights = [np.zeros((0, 2), dtype=np.int64)], [np.zeros(0, dtype=np.float64)]
    for first, last in blocks(days, block):
        lo = np.searchsorted(sorted_days, first - WINDOW_DAYS, "left")
        hi = np.searchsorted(sorted_days, last, "right")
        window = np.sort(by_day[lo:hi])
        window = window[source.has_sketch[window]]
        if len(window) < 2:
            continue
        prints = dict(zip(window.tolist(), source.fingerprints(window)))
        signatures = np.stack([prints[p].minhash for p in window.tolist()])
        ignored = np.column_stack([stories.member_of(boilerplate[column], signatures[:, column])
                                   for column in range(NUM_PERM)])
        low, high = stories.agreeing_pairs(window, signatures, days[window], ignored, from_day=first)
        links = stories.checked(zip(low.tolist(), high.tolist()), lambda p: prints[p].shingles,
                                lambda p: int(days[p]), common)
        pairs.append(np.array([(i, j) for i, j, _ in links], dtype=np.int64).reshape(-1, 2))
        weights.append(np.array([w for _, _, w in links], dtype=np.float64))
    edges, strengths = np.concatenate(pairs), np.concatenate(weights)
    order = np.lexsort((edges[:, 1], edges[:, 0]))
    return edges[order], strengths[order]
