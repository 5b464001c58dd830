"""Stories: reports that tell the same story, grouped at build and update time.

Each report is reduced to the set of its word shingles (runs of SHINGLE_WORDS words in the
analyzer's normalized, unstemmed form, hashed to 32 bits) and a MinHash of that set (datasketch).
Locality-sensitive hashing over the MinHashes proposes candidate pairs without comparing every
pair; each candidate is then checked exactly: published within WINDOW_DAYS of each other and
a shingle overlap of at least SAME_STORY (Jaccard) or CONTAINED (the shorter report's share, for
an outlet that runs a cut-down wire). Stories are the connected components of the checked pairs,
and a story's id is the id of its earliest report (earliest day, then smallest id), so a rebuild
over the same members gives the same ids. tests/bench/stories_eval.py measures all of this.
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
LSH_THRESHOLD = 0.2  # candidates: estimated Jaccard about this or more (recall measured in stories_eval)
SAME_STORY = 0.3  # exact Jaccard of shingle sets
CONTAINED = 0.6  # share of the shorter report's shingles found in the longer one
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


def same_story(a: np.ndarray, b: np.ndarray, same: float = SAME_STORY, contained: float = CONTAINED) -> bool:
    jaccard, containment = overlap(a, b)
    return jaccard >= same or containment >= contained


def lsh_index(threshold: float = LSH_THRESHOLD) -> MinHashLSH:
    return MinHashLSH(threshold=threshold, num_perm=NUM_PERM)


def lsh_key(position: int) -> str:
    return str(position)


@dataclass
class Member:
    """One report as grouping sees it."""

    id: str
    day: int
    fingerprint: Fingerprint


def candidate_pairs(members: Sequence[Member], threshold: float = LSH_THRESHOLD) -> set[tuple[int, int]]:
    """Pairs (i < j) of positions whose MinHashes share an LSH band and whose days are close."""
    lsh = lsh_index(threshold)
    with lsh.insertion_session() as session:
        for position, member in enumerate(members):
            if len(member.fingerprint.minhash):
                session.insert(lsh_key(position), minhash_of(member.fingerprint), check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:
        for key in table.keys():
            bucket = sorted(int(k) for k in table.get(key))
            if len(bucket) < 2:
                continue
            for x, i in enumerate(bucket):
                for j in bucket[x + 1:]:
                    if abs(members[i].day - members[j].day) <= WINDOW_DAYS:
                        pairs.add((i, j))
    return pairs


def minhash_of(fp: Fingerprint) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=fp.minhash, permutations=permutations(),
                   scheme=SCHEME)


def checked_pairs(members: Sequence[Member], pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted((i, j) for i, j in pairs
                  if same_story(members[i].fingerprint.shingles, members[j].fingerprint.shingles))


def components(count: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Union-find: a root position per position."""
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return [find(x) for x in range(count)]


def story_ids(members: Sequence[Member], edges: Iterable[tuple[int, int]]) -> list[str]:
    """The story id of each member: the id of its component's earliest member."""
    roots = components(len(members), edges)
    earliest: dict[int, tuple[int, str]] = {}
    for position, root in enumerate(roots):
        key = (members[position].day, members[position].id)
        if root not in earliest or key < earliest[root]:
            earliest[root] = key
    return [earliest[root][1] for root in roots]


def group(members: Sequence[Member]) -> tuple[list[str], list[tuple[int, int]]]:
    """(story id per member, the checked same-story pairs)."""
    edges = checked_pairs(members, candidate_pairs(members))
    return story_ids(members, edges), edges


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
                session.insert(lsh_key(position), minhash_of(member.fingerprint), check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for j in fresh:
        for key in lsh.query(minhash_of(members[j].fingerprint)):
            i = int(key)
            if i != j and abs(members[i].day - members[j].day) <= WINDOW_DAYS:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def regroup(members: Sequence[Member], kept_edges: Iterable[tuple[int, int]],
            first_new: int) -> tuple[list[str], list[tuple[int, int]]]:
    """`group` for an update: KEPT_EDGES are the checked pairs among members[:first_new]."""
    edges = sorted(set(kept_edges) | set(checked_pairs(members, new_pairs(members, first_new))))
    return story_ids(members, edges), edges
