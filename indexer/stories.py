"""Stories: reports that tell the same story, grouped at build and update time.

Each report is reduced to the set of its word shingles (runs of SHINGLE_WORDS words in the
analyzer's normalized, unstemmed form, hashed to 32 bits) and a MinHash of that set (datasketch).
Locality-sensitive hashing over the MinHashes proposes candidate pairs without comparing every
pair; each candidate is then checked exactly on its distinctive shingles, those not found on
COMMON_DAYS or more publication days (the boilerplate of weather bulletins, ministry statements,
cables and market reports, which otherwise joins different events told in the same words):
  - published the same day: Jaccard of the distinctive shingles >= SAME_DAY_JACCARD;
  - one to WINDOW_DAYS days apart: Jaccard >= LATER_JACCARD, or the shorter report (at least
    MIN_CONTAINED shingles) contained to CONTAINED in the longer one (a press release run again).
Stories are then formed from the checked pairs, strongest first, joining two groups only when
the merged story spans at most WINDOW_DAYS and, for a link weaker than CHAIN_JACCARD, when their
first members are linked too (so chains of look-alike reports and of daily bulletins do not
snowball); a story's id is the id of its earliest report (earliest day, then smallest id): a rebuild over the
same members gives the same ids. The thresholds were chosen on the tuned half of
tests/data/stories_eval/ and are scored on its blind half by tests/bench/stories_eval.py.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 3
NUM_PERM = 64
SEED = 1
SCHEME = "affine32"  # datasketch 2's default: 32-bit values, mixed input hashes
LSH_THRESHOLD = 0.15  # candidates: estimated Jaccard about this or more (recall measured in stories_eval)
SAME_DAY_JACCARD = 0.15
LATER_JACCARD = 0.4
CONTAINED = 0.6
MIN_CONTAINED = 50
COMMON_DAYS = 8
CHAIN_JACCARD = 0.3
MIN_SHINGLES = 20  # a report shorter than this (a caption, a one-line item) is a story of its own
WINDOW_DAYS = 3
NO_DAY = -(10 ** 6)  # reports without a date are compared only with other undated reports
EMPTY = np.zeros(0, dtype=np.uint32)
COMMON_CHUNK = 4_000_000  # shingles per pass of common_shingles (~10,000 reports; ~180 MB at once)


class Fingerprint(NamedTuple):
    """What grouping needs of one report: its sorted shingle hashes and their MinHash."""

    shingles: np.ndarray  # uint32, sorted, unique
    minhash: np.ndarray  # uint32, NUM_PERM values (empty when the report is too short)


@lru_cache(maxsize=1)
def permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


_word_hashes: dict[str, int] = {}


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2.4's np.unique hashes, and is 60× slower on these arrays)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def member_of(sorted_set: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each of VALUES, whether it is in SORTED_SET (sorted, unique)."""
    if not len(sorted_set) or not len(values):
        return np.zeros(len(values), dtype=bool)
    where = np.searchsorted(sorted_set, values)
    where[where == len(sorted_set)] = 0
    return sorted_set[where] == values


def distinctive(shingles: np.ndarray, common: np.ndarray) -> np.ndarray:
    """SHINGLES without the COMMON ones."""
    return shingles[~member_of(common, shingles)]


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """crc32 of each word, cached per process (news vocabularies repeat)."""
    table = _word_hashes
    if len(table) > 2_000_000:
        table.clear()
    get = table.get
    missing = [w for w in set(words) if get(w) is None]
    for word in missing:
        table[word] = zlib.crc32(word.encode("utf-8"))
    return np.array([table[w] for w in words], dtype=np.uint64)


def shingle_hashes(words: Sequence[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique 32-bit hashes of the runs of SIZE consecutive words."""
    if len(words) < size:
        return EMPTY
    hashes = word_hashes(words)
    mixed = hashes[: len(hashes) - size + 1].copy()
    for offset in range(1, size):
        mixed = (mixed * np.uint64(0x9E3779B97F4A7C15)) ^ hashes[offset: len(hashes) - size + 1 + offset]
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(32)
    return sorted_unique((mixed & np.uint64(0xFFFFFFFF)).astype(np.uint32))


def fingerprint(words: Sequence[str], size: int = SHINGLE_WORDS) -> Fingerprint:
    """WORDS: the report's normalized words (title then body)."""
    shingles = shingle_hashes(words, size)
    if len(shingles) < MIN_SHINGLES:
        return Fingerprint(shingles, np.zeros(0, dtype=np.uint32))
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=permutations(),
                     scheme=SCHEME)
    sketch.update_batch(shingles.tolist())
    return Fingerprint(shingles, np.asarray(sketch.hashvalues, dtype=np.uint32))


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two sorted unique hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    shared = int(member_of(b, a).sum())
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def same_story(a: np.ndarray, b: np.ndarray, days_apart: int) -> float:
    """The strength of the link between two reports (their Jaccard), or 0.0 when the rule in the
    module docstring says they are different stories. A and B: distinctive shingles."""
    if days_apart > WINDOW_DAYS:
        return 0.0
    jaccard, containment = overlap(a, b)
    if days_apart == 0:
        return jaccard if jaccard >= SAME_DAY_JACCARD else 0.0
    if jaccard >= LATER_JACCARD or (containment >= CONTAINED and min(len(a), len(b)) >= MIN_CONTAINED):
        return jaccard
    return 0.0


def common_shingles(fingerprints: Sequence[Fingerprint], days: Sequence[int],
                    chunk: int | None = None) -> np.ndarray:
    """Shingles found on COMMON_DAYS or more distinct publication days (sorted).

    Counted in passes over ranges of hash values of about CHUNK shingles each (each report's
    shingles are sorted, so its part of a range is one slice): a single pass held ~45 bytes per
    shingle of the whole corpus at once (~17 KiB per report), the build's peak memory."""
    chunk = chunk or COMMON_CHUNK
    lengths = np.fromiter((len(f.shingles) for f in fingerprints), dtype=np.int64, count=len(fingerprints))
    total = int(lengths.sum())
    if not total:
        return EMPTY
    day_numbers = np.asarray(days, dtype=np.int64)
    day_numbers = (day_numbers - day_numbers.min()).astype(np.uint64)
    passes = max(1, -(-total // chunk))
    found = []
    starts = np.zeros(len(fingerprints), dtype=np.int64)
    for number in range(passes):
        if number == passes - 1:
            ends = lengths
        else:
            bound = np.uint32(((number + 1) << 32) // passes)
            ends = np.fromiter((np.searchsorted(f.shingles, bound) for f in fingerprints), dtype=np.int64,
                               count=len(fingerprints))
        counts = ends - starts
        if counts.any():
            hashes = np.concatenate([f.shingles[a:b] for f, a, b in zip(fingerprints, starts.tolist(), ends.tolist())])
            found.append(common_in(hashes.astype(np.uint64), np.repeat(day_numbers, counts)))
        starts = ends
    return np.concatenate(found) if found else EMPTY


def common_in(hashes: np.ndarray, day_numbers: np.ndarray) -> np.ndarray:
    """Of HASHES (uint64 holding 32-bit values), seen on DAY_NUMBERS, those on COMMON_DAYS or more
    distinct days (sorted)."""
    keys = sorted_unique((hashes << np.uint64(32)) | day_numbers)
    sorted_hashes = (keys >> np.uint64(32)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]])
    counts = np.diff(np.r_[starts, len(sorted_hashes)])
    return sorted_hashes[starts[counts >= COMMON_DAYS]]


@lru_cache(maxsize=4)
def band_ranges(threshold: float = LSH_THRESHOLD) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each LSH band: datasketch's choice of bands and rows for THRESHOLD."""
    return tuple(tuple(r) for r in MinHashLSH(threshold=threshold, num_perm=NUM_PERM).hashranges)


@dataclass
class Member:
    """One report as grouping sees it."""

    id: str
    day: int
    fingerprint: Fingerprint


Edge = tuple[int, int, float]  # positions i < j and the link's strength


def candidate_pairs(members: Sequence[Member], threshold: float = LSH_THRESHOLD,
                    involving: int = 0) -> set[tuple[int, int]]:
    """Pairs (i < j) of positions whose MinHashes agree on a whole LSH band and whose days are
    at most WINDOW_DAYS apart; with INVOLVING, only pairs with j >= INVOLVING.

    The banding is datasketch's MinHashLSH scheme (same bands and rows), done on the signature
    matrix with numpy: one sort per band instead of a Python dictionary insert per report."""
    positions = np.array([p for p, m in enumerate(members) if len(m.fingerprint.minhash)], dtype=np.int64)
    if len(positions) < 2:
        return set()
    signatures = np.stack([members[p].fingerprint.minhash for p in positions])
    days = np.array([members[p].day for p in positions], dtype=np.int64)
    pairs: set[tuple[int, int]] = set()
    for start, end in band_ranges(threshold):
        band = np.ascontiguousarray(signatures[:, start:end]).view(np.dtype((np.void, 4 * (end - start)))).ravel()
        order = np.argsort(band, kind="stable")
        ordered = band[order]
        same_as_next = ordered[1:] == ordered[:-1]
        if not same_as_next.any():
            continue
        starts = np.flatnonzero(np.r_[True, ~same_as_next])
        sizes = np.diff(np.r_[starts, len(order)])
        twos = starts[sizes == 2]  # most buckets hold two reports: no Python loop for them
        i, j = positions[order[twos]], positions[order[twos + 1]]
        close = np.abs(days[order[twos]] - days[order[twos + 1]]) <= WINDOW_DAYS
        low, high = np.minimum(i, j)[close], np.maximum(i, j)[close]
        keep = high >= involving
        pairs.update(zip(low[keep].tolist(), high[keep].tolist()))
        for first, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist()):
            run = order[first:first + size]
            run = run[np.argsort(days[run], kind="stable")]
            run_days = days[run].tolist()
            run_positions = positions[run].tolist()
            for x in range(len(run_positions)):
                for y in range(x + 1, len(run_positions)):
                    if run_days[y] - run_days[x] > WINDOW_DAYS:
                        break
                    a, b = sorted((run_positions[x], run_positions[y]))
                    if b >= involving:
                        pairs.add((a, b))
    return pairs


def new_pairs(members: Sequence[Member], first_new: int, threshold: float = LSH_THRESHOLD) -> set[tuple[int, int]]:
    """Candidate pairs that involve at least one of members[first_new:], the others being
    already grouped: the same pairs candidate_pairs would find among them, looking only at the
    reports published near the new ones."""
    fresh = [j for j in range(first_new, len(members)) if len(members[j].fingerprint.minhash)]
    if not fresh:
        return set()
    low = min(members[j].day for j in fresh) - WINDOW_DAYS
    high = max(members[j].day for j in fresh) + WINDOW_DAYS
    near = [p for p in range(first_new) if low <= members[p].day <= high] + list(range(first_new, len(members)))
    found = candidate_pairs([members[p] for p in near], threshold, involving=len(near) - (len(members) - first_new))
    return {(near[i], near[j]) for i, j in found}


def checked_pairs(members: Sequence[Member], pairs: Iterable[tuple[int, int]], common: np.ndarray) -> list[Edge]:
    kept: dict[int, np.ndarray] = {}

    def of(position: int) -> np.ndarray:
        if position not in kept:
            kept[position] = distinctive(members[position].fingerprint.shingles, common)
        return kept[position]

    edges = []
    for i, j in sorted(pairs):
        strength = same_story(of(i), of(j), abs(members[i].day - members[j].day))
        if strength > 0:
            edges.append((i, j, strength))
    return edges


def story_ids(members: Sequence[Member], edges: Iterable[Edge]) -> list[str]:
    """The story id of each member: strongest links first; two groups are joined only if the
    merged story spans at most WINDOW_DAYS, and, unless the link is a near-copy (Jaccard >=
    CHAIN_JACCARD), only if their representatives (each group's first member) are linked too, so
    that A~B and B~C do not make C part of A's story when A and C tell different things; a
    story's id is its earliest member's id."""
    edges = list(edges)
    parent = list(range(len(members)))
    first = [m.day for m in members]
    last = list(first)
    linked = {(i, j) for i, j, _ in edges} | {(j, i) for i, j, _ in edges}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, strength in sorted(edges, key=lambda e: (-e[2], members[e[0]].id, members[e[1]].id)):
        ri, rj = find(i), find(j)
        if ri == rj or max(last[ri], last[rj]) - min(first[ri], first[rj]) > WINDOW_DAYS:
            continue
        if strength < CHAIN_JACCARD and (ri, rj) not in linked:
            continue
        parent[rj] = ri
        first[ri], last[ri] = min(first[ri], first[rj]), max(last[ri], last[rj])
    earliest: dict[int, tuple[int, str]] = {}
    roots = [find(x) for x in range(len(members))]
    for position, root in enumerate(roots):
        key = (members[position].day, members[position].id)
        if root not in earliest or key < earliest[root]:
            earliest[root] = key
    return [earliest[root][1] for root in roots]


def group(members: Sequence[Member]) -> tuple[list[str], list[Edge], np.ndarray]:
    """(story id per member, the checked same-story links, the common shingles)."""
    common = common_shingles([m.fingerprint for m in members], [m.day for m in members])
    edges = checked_pairs(members, candidate_pairs(members), common)
    return story_ids(members, edges), edges, common


def regroup(members: Sequence[Member], kept_edges: Iterable[Edge], first_new: int,
            common: np.ndarray) -> tuple[list[str], list[Edge]]:
    """`group` for an update: KEPT_EDGES are the checked links among members[:first_new];
    COMMON, the common shingles of the build this index descends from."""
    edges = sorted(set(kept_edges) | set(checked_pairs(members, new_pairs(members, first_new), common)))
    return story_ids(members, edges), edges
