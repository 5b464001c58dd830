"""Stories: reports that tell the same story, grouped at build and update time.

Each report is reduced to the set of its word shingles (runs of SHINGLE_WORDS words in the
analyzer's normalized, unstemmed form, hashed to 32 bits) and a MinHash of that set (datasketch).
Locality-sensitive hashing over the MinHashes proposes candidate pairs without comparing every
pair: two reports are candidates when at least LSH_MATCHES of their NUM_PERM MinHash values
agree, not counting values found on COMMON_DAYS or more publication days (the minimum of a
boilerplate phrase, which would make every weather bulletin a candidate of every other). Each
candidate is then checked exactly on its distinctive shingles, those not found on COMMON_DAYS or
more publication days (the boilerplate of weather bulletins, ministry statements, cables and
market reports, which otherwise joins different events told in the same words):
  - published the same day: Jaccard of the distinctive shingles >= SAME_DAY_JACCARD;
  - one to WINDOW_DAYS days apart: Jaccard >= LATER_JACCARD, or the shorter report (at least
    MIN_CONTAINED shingles) contained to CONTAINED in the longer one (a press release run again).
Stories are then formed from the checked pairs, strongest first, joining two groups only when
the merged story spans at most WINDOW_DAYS and at least LINKED_SHARE of the pairs across the two
groups are checked links themselves (average linkage: A~B and B~C do not put A and C together
unless they are linked too, so chains of look-alike reports and of daily bulletins do not
snowball); a story's id is the id of its earliest report (earliest day, then smallest id): a
rebuild over the same members gives the same ids. A build does all this a window of days at a
time, with the same result (indexer/story_windows.py). The thresholds were chosen on the tuned
part of tests/data/stories_eval/ and are scored on its blind parts by tests/bench/stories_eval.py.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple, Sequence

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 3
NUM_PERM = 32
SEED = 1
SCHEME = "affine32"  # datasketch 2's default: 32-bit values, mixed input hashes
LSH_MATCHES = 2  # MinHash values two candidates share (candidate recall measured in stories_eval)
SAME_DAY_JACCARD = 0.12
LATER_JACCARD = 0.35
CONTAINED = 0.7
MIN_CONTAINED = 50
COMMON_DAYS = 8
LINKED_SHARE = 0.5
MIN_SHINGLES = 20  # a report shorter than this (a caption, a one-line item) is a story of its own
WINDOW_DAYS = 3
NO_DAY = -(10 ** 6)  # reports without a date are compared only with other undated reports
EMPTY = np.zeros(0, dtype=np.uint32)
EMPTY_POSITIONS = np.zeros(0, dtype=np.int64)
COMMON_CHUNK = 4_000_000  # shingles per pass of common_shingles (~10,000 reports; ~180 MB at once)


class Fingerprint(NamedTuple):
    """What grouping needs of one report: its sorted shingle hashes and their MinHash."""

    shingles: np.ndarray  # uint32, sorted, unique
    minhash: np.ndarray  # uint32, NUM_PERM values (empty when the report is too short)


@lru_cache(maxsize=1)
def permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


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


class WordHashes(dict):
    """crc32 of each word, computed on first sight (a lookup of a known word stays in C)."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_word_hashes = WordHashes()


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """crc32 of each word, cached per process (news vocabularies repeat)."""
    if len(_word_hashes) > 2_000_000:
        _word_hashes.clear()
    return np.fromiter(map(_word_hashes.__getitem__, words), dtype=np.uint64, count=len(words))


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
    return sketched(shingle_hashes(words, size))


def sketched(shingles: np.ndarray) -> Fingerprint:
    """The fingerprint of a report's shingle hashes (sorted, unique)."""
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
    return common_of_keys((hashes << np.uint64(32)) | day_numbers)


def common_of_keys(keys: np.ndarray) -> np.ndarray:
    """Of the values in KEYS ((value << 32) | day number, uint64), those found with COMMON_DAYS or
    more distinct day numbers (sorted)."""
    keys = sorted_unique(keys)
    sorted_hashes = (keys >> np.uint64(32)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]])
    counts = np.diff(np.r_[starts, len(sorted_hashes)])
    return sorted_hashes[starts[counts >= COMMON_DAYS]]


@dataclass
class Member:
    """One report as grouping sees it."""

    id: str
    day: int
    fingerprint: Fingerprint


Edge = tuple[int, int, float]  # positions i < j and the link's strength


def signature_matrix(members: Sequence[Member]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(positions of the members that have a MinHash, their MinHashes as rows, their days)."""
    positions = np.array([p for p, m in enumerate(members) if len(m.fingerprint.minhash)], dtype=np.int64)
    if not len(positions):
        return positions, np.zeros((0, NUM_PERM), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    signatures = np.stack([members[p].fingerprint.minhash for p in positions])
    days = np.array([members[p].day for p in positions], dtype=np.int64)
    return positions, signatures, days


def boilerplate_values(signatures: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Per row and MinHash position, whether that value is found on COMMON_DAYS or more distinct
    days in its column: the minimum of a phrase every bulletin repeats, not of one story."""
    ignored = np.zeros(signatures.shape, dtype=bool)
    if not len(days):
        return ignored
    day_numbers = (days - days.min()).astype(np.uint64)
    for column in range(signatures.shape[1]):
        common = common_in(signatures[:, column].astype(np.uint64), day_numbers)
        ignored[:, column] = member_of(common, signatures[:, column])
    return ignored


def candidate_pairs(members: Sequence[Member], involving: int = 0, ignored: np.ndarray | None = None,
                    matches: int = LSH_MATCHES) -> set[tuple[int, int]]:
    """Pairs (i < j) of positions whose MinHashes agree on at least MATCHES values (each value
    one LSH band of one row), not counting boilerplate values, and whose days are at most
    WINDOW_DAYS apart; with INVOLVING, only pairs with j >= INVOLVING. IGNORED: the boilerplate
    mask of the rows of signature_matrix(MEMBERS), computed here when not given (an update
    passes the whole index's, so that it proposes the pairs a rebuild would).

    One sort per MinHash position over the signature matrix (numpy) instead of a Python
    dictionary insert per report and band (datasketch's MinHashLSH.insert cost 10 s for 31k
    reports); bands of one row with a count of agreeing bands is the "at least m of b bands"
    form of LSH: with 32 values and 2 matches it proposes nearly every pair of Jaccard 0.1 or
    more (1 - P(0 or 1 of 32 agree)) while one shared value alone would propose ~1.5 M pairs."""
    positions, signatures, days = signature_matrix(members)
    if len(positions) < 2:
        return set()
    if ignored is None:
        ignored = boilerplate_values(signatures, days)
    low, high = agreeing_pairs(positions, signatures, days, ignored, involving=involving, matches=matches)
    return set(zip(low.tolist(), high.tolist()))


def agreeing_pairs(positions: np.ndarray, signatures: np.ndarray, days: np.ndarray, ignored: np.ndarray,
                   involving: int = 0, from_day: int | None = None,
                   matches: int = LSH_MATCHES) -> tuple[np.ndarray, np.ndarray]:
    """candidate_pairs over rows: POSITIONS (ascending), their SIGNATURES, DAYS and boilerplate
    mask IGNORED; the pairs (low, high) as two arrays of positions. With FROM_DAY, only pairs whose
    later report is published on FROM_DAY or after (a window's pairs that an earlier window has
    not already found)."""
    count = len(positions)
    found = []
    for column in range(signatures.shape[1]):
        rows = np.flatnonzero(~ignored[:, column])
        values = signatures[rows, column]
        order = rows[np.argsort(values, kind="stable")]
        ordered = signatures[order, column]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        for size in np.unique(sizes[sizes >= 2]).tolist():
            first = starts[sizes == size]
            x, y = np.triu_indices(size, 1)
            a, b = order[first[:, None] + x].ravel(), order[first[:, None] + y].ravel()
            low, high = np.minimum(a, b), np.maximum(a, b)
            keep = (np.abs(days[low] - days[high]) <= WINDOW_DAYS) & (positions[high] >= involving)
            if from_day is not None:
                keep &= np.maximum(days[low], days[high]) >= from_day
            found.append(low[keep] * count + high[keep])
    if not found:
        return EMPTY_POSITIONS, EMPTY_POSITIONS
    keys = np.sort(np.concatenate(found))
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    agreeing = keys[starts[np.diff(np.r_[starts, len(keys)]) >= matches]]
    return positions[agreeing // count], positions[agreeing % count]


def new_pairs(members: Sequence[Member], first_new: int) -> set[tuple[int, int]]:
    """Candidate pairs that involve at least one of members[first_new:], the others being
    already grouped: the same pairs candidate_pairs would find among them, looking only at the
    reports published near the new ones (the boilerplate values are those of the whole index)."""
    fresh = [j for j in range(first_new, len(members)) if len(members[j].fingerprint.minhash)]
    if not fresh:
        return set()
    positions, signatures, days = signature_matrix(members)
    ignored = boilerplate_values(signatures, days)
    low = min(members[j].day for j in fresh) - WINDOW_DAYS
    high = max(members[j].day for j in fresh) + WINDOW_DAYS
    row_of = {p: r for r, p in enumerate(positions.tolist())}
    near = [p for p in range(first_new) if low <= members[p].day <= high] + list(range(first_new, len(members)))
    rows = [row_of[p] for p in near if p in row_of]
    near = [p for p in near if p in row_of]
    found = candidate_pairs([members[p] for p in near], involving=len(near) - len(fresh), ignored=ignored[rows])
    return {(near[i], near[j]) for i, j in found}


def checked_pairs(members: Sequence[Member], pairs: Iterable[tuple[int, int]], common: np.ndarray) -> list[Edge]:
    return checked(pairs, lambda p: members[p].fingerprint.shingles, lambda p: members[p].day, common)


def checked(pairs: Iterable[tuple[int, int]], shingles_of: Callable[[int], np.ndarray],
            day_of: Callable[[int], int], common: np.ndarray) -> list[Edge]:
    """The PAIRS that are links by the rule of same_story, in order of (i, j)."""
    kept: dict[int, np.ndarray] = {}

    def of(position: int) -> np.ndarray:
        if position not in kept:
            kept[position] = distinctive(shingles_of(position), common)
        return kept[position]

    edges = []
    for i, j in sorted(pairs):
        strength = same_story(of(i), of(j), abs(day_of(i) - day_of(j)))
        if strength > 0:
            edges.append((i, j, strength))
    return edges


def story_ids(members: Sequence[Member], edges: Iterable[Edge]) -> list[str]:
    """The story id of each member: see story_roots."""
    edges = list(edges)
    pairs = np.array([(i, j) for i, j, _ in edges], dtype=np.int64).reshape(-1, 2)
    roots = story_roots(np.array([m.day for m in members], dtype=np.int64), pairs,
                        np.array([w for _, _, w in edges], dtype=np.float64), lambda p: members[p].id)
    return [members[root].id for root in roots.tolist()]


def story_roots(days: np.ndarray, pairs: np.ndarray, weights: np.ndarray,
                id_of: Callable[[int], str]) -> np.ndarray:
    """For each position (DAYS: its day), the position of its story's earliest member, from the
    links PAIRS ((i, j) rows) of strength WEIGHTS: see joined. A link never leaves its connected
    component of the link graph, so each component is joined alone (the same result as all at
    once, holding one component's dicts at a time: components are local in time)."""
    roots = np.arange(len(days), dtype=np.int64)
    if not len(pairs):
        return roots
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(len(days),) * 2)
    _, labels = connected_components(graph.tocsr(), directed=False)
    label = labels[pairs[:, 0]]
    order = np.argsort(label, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(label[order])) + 1, len(order)].tolist()
    for start, end in zip(bounds[:-1], bounds[1:]):
        part = order[start:end]
        links = list(zip(pairs[part, 0].tolist(), pairs[part, 1].tolist(), weights[part].tolist()))
        for members in joined(links, days, id_of):
            roots[members] = min(members, key=lambda p: (int(days[p]), id_of(p)))
    return roots


def joined(edges: Sequence[Edge], days: np.ndarray, id_of: Callable[[int], str]) -> list[list[int]]:
    """The stories of more than one report that EDGES make: strongest links first (ties by the
    two ids, ID_OF); two groups are joined only if the merged story spans at most WINDOW_DAYS and
    at least LINKED_SHARE of the pairs across them are links (average linkage), so that A~B and
    B~C do not make C part of A's story when A and C tell different things. A story's id is its
    earliest member's id (earliest day, then smallest id)."""
    parent: dict[int, int] = {}
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    group_of: dict[int, list[int]] = {}
    neighbours: dict[int, set[int]] = {}
    for i, j, _ in edges:
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    for x in neighbours:
        parent[x] = x
        first[x] = last[x] = int(days[x])

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in strongest_first(edges, id_of):
        ri, rj = find(i), find(j)
        if ri == rj or max(last[ri], last[rj]) - min(first[ri], first[rj]) > WINDOW_DAYS:
            continue
        one, other = group_of.get(ri, [ri]), group_of.get(rj, [rj])
        links = sum(1 for x in one for y in neighbours[x] if find(y) == rj)
        if links < LINKED_SHARE * len(one) * len(other):
            continue
        parent[rj] = ri
        first[ri], last[ri] = min(first[ri], first[rj]), max(last[ri], last[rj])
        group_of[ri] = one + other
        group_of.pop(rj, None)
    return list(group_of.values())


def strongest_first(edges: Sequence[Edge], id_of: Callable[[int], str]) -> list[Edge]:
    """EDGES by strength, strongest first, ties by the ids of their two reports (looked up for
    the ties only)."""
    ordered = sorted(edges, key=lambda e: -e[2])
    out: list[Edge] = []
    start = 0
    while start < len(ordered):
        end = start + 1
        while end < len(ordered) and ordered[end][2] == ordered[start][2]:
            end += 1
        run = ordered[start:end]
        out.extend(run if len(run) == 1 else sorted(run, key=lambda e: (id_of(e[0]), id_of(e[1]))))
        start = end
    return out


def group(members: Sequence[Member]) -> tuple[list[str], list[Edge], np.ndarray]:
    """(story id per member, the checked same-story links, the common shingles), computed a
    window of days at a time (indexer/story_windows.py)."""
    from .story_windows import MemberSource, group as grouped

    result = grouped(MemberSource(members), lambda p: members[p].id)
    return [members[root].id for root in result.roots.tolist()], result.edge_list(), result.common


def regroup(members: Sequence[Member], kept_edges: Iterable[Edge], first_new: int,
            common: np.ndarray) -> tuple[list[str], list[Edge]]:
    """`group` for an update: KEPT_EDGES are the checked links among members[:first_new];
    COMMON, the common shingles of the build this index descends from."""
    edges = sorted(set(kept_edges) | set(checked_pairs(members, new_pairs(members, first_new), common)))
    return story_ids(members, edges), edges
