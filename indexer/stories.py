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
Stories are then formed from the checked pairs, strongest first, joining two groups only while
the merged story spans at most WINDOW_DAYS (so chains of daily bulletins never snowball), and a
story's id is the id of its earliest report (earliest day, then smallest id): a rebuild over the
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
MIN_SHINGLES = 20  # a report shorter than this (a caption, a one-line item) is a story of its own
WINDOW_DAYS = 3
NO_DAY = -(10 ** 6)  # reports without a date are compared only with other undated reports
EMPTY = np.zeros(0, dtype=np.uint32)


class Fingerprint(NamedTuple):
    """What grouping needs of one report: its sorted shingle hashes and their MinHash."""

    shingles: np.ndarray  # uint32, sorted, unique
    minhash: np.ndarray  # uint32, NUM_PERM values (empty when the report is too short)


@lru_cache(maxsize=1)
def permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingle_hashes(words: Sequence[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    if len(words) < size:
        return EMPTY
    joined = [" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)]
    return np.unique(np.fromiter(map(zlib.crc32, joined), dtype=np.uint32, count=len(joined)))


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
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


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


def common_shingles(fingerprints: Sequence[Fingerprint], days: Sequence[int]) -> np.ndarray:
    """Shingles found on COMMON_DAYS or more distinct publication days (sorted)."""
    lengths = np.fromiter((len(f.shingles) for f in fingerprints), dtype=np.int64, count=len(fingerprints))
    if not lengths.sum():
        return EMPTY
    hashes = np.concatenate([f.shingles for f in fingerprints]).astype(np.uint64)
    day_numbers = np.asarray(days, dtype=np.int64)
    day_numbers = (day_numbers - day_numbers.min()).astype(np.uint64)
    keys = np.unique((hashes << np.uint64(32)) | np.repeat(day_numbers, lengths))
    values, counts = np.unique((keys >> np.uint64(32)).astype(np.uint32), return_counts=True)
    return values[counts >= COMMON_DAYS]


def lsh_index(threshold: float = LSH_THRESHOLD) -> MinHashLSH:
    return MinHashLSH(threshold=threshold, num_perm=NUM_PERM)


def minhash_of(fp: Fingerprint) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=fp.minhash, permutations=permutations(),
                   scheme=SCHEME)


@dataclass
class Member:
    """One report as grouping sees it."""

    id: str
    day: int
    fingerprint: Fingerprint


Edge = tuple[int, int, float]  # positions i < j and the link's strength


def candidate_pairs(members: Sequence[Member], threshold: float = LSH_THRESHOLD) -> set[tuple[int, int]]:
    """Pairs (i < j) of positions whose MinHashes share an LSH band and whose days are close."""
    lsh = lsh_index(threshold)
    with lsh.insertion_session() as session:
        for position, member in enumerate(members):
            if len(member.fingerprint.minhash):
                session.insert(position, minhash_of(member.fingerprint), check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    days = [m.day for m in members]
    for table in lsh.hashtables:
        for key in table.keys():
            bucket = table.get(key)
            if len(bucket) < 2:
                continue
            bucket = sorted(bucket)
            for x, i in enumerate(bucket):
                day = days[i]
                for j in bucket[x + 1:]:
                    if abs(day - days[j]) <= WINDOW_DAYS:
                        pairs.add((i, j))
    return pairs


def new_pairs(members: Sequence[Member], first_new: int, threshold: float = LSH_THRESHOLD) -> set[tuple[int, int]]:
    """Candidate pairs that involve at least one of members[first_new:], the others being
    already grouped: the same pairs candidate_pairs would find among them, at the cost of one
    LSH over the reports published near the new ones."""
    fresh = [j for j in range(first_new, len(members)) if len(members[j].fingerprint.minhash)]
    if not fresh:
        return set()
    low = min(members[j].day for j in fresh) - WINDOW_DAYS
    high = max(members[j].day for j in fresh) + WINDOW_DAYS
    lsh = lsh_index(threshold)
    with lsh.insertion_session() as session:
        for position, member in enumerate(members):
            if len(member.fingerprint.minhash) and low <= member.day <= high:
                session.insert(position, minhash_of(member.fingerprint), check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for j in fresh:
        for i in lsh.query(minhash_of(members[j].fingerprint)):
            if i != j and abs(members[i].day - members[j].day) <= WINDOW_DAYS:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def checked_pairs(members: Sequence[Member], pairs: Iterable[tuple[int, int]], common: np.ndarray) -> list[Edge]:
    distinctive: dict[int, np.ndarray] = {}

    def of(position: int) -> np.ndarray:
        if position not in distinctive:
            distinctive[position] = np.setdiff1d(members[position].fingerprint.shingles, common, assume_unique=True)
        return distinctive[position]

    edges = []
    for i, j in sorted(pairs):
        strength = same_story(of(i), of(j), abs(members[i].day - members[j].day))
        if strength > 0:
            edges.append((i, j, strength))
    return edges


def story_ids(members: Sequence[Member], edges: Iterable[Edge]) -> list[str]:
    """The story id of each member: strongest links first, two groups joined only while the
    merged story spans at most WINDOW_DAYS; a story's id is its earliest member's id."""
    parent = list(range(len(members)))
    first = [m.day for m in members]
    last = list(first)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in sorted(edges, key=lambda e: (-e[2], members[e[0]].id, members[e[1]].id)):
        ri, rj = find(i), find(j)
        if ri == rj or max(last[ri], last[rj]) - min(first[ri], first[rj]) > WINDOW_DAYS:
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
