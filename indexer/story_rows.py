"""A build's indexed reports as story grouping and the story store see them, kept as arrays.

A report's position is its rank by ordinal (reading order) among the reports kept: the order the
story store has always used. Per position only the ordinal, the worker's pack and row, the
day, the shingle count and whether it has a sketch are in memory (~33 bytes); the fingerprints
stay in the workers' files (indexer/workers.py, FingerprintPack) and the strings in the brief
table (indexer/briefs.py) until a window or a chunk of rows needs them. Before, every report
was a Report tuple of strings and two numpy views (~0.7 KiB on top of its shingles).
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import numpy as np

from .briefs import BriefTable
from .dedup import Copy, key_digest, variant_losers
from .stories import Fingerprint
from .story_windows import Grouping
from .workers import FingerprintPack

ID, PUBLISHED, VARIANT, HASH = range(4)
READ_ROWS = 10_000  # fingerprints read at once when the store is written


class BuildReports:
    """The reports of PACKS (one per worker), minus the DROPPED ordinals, by position."""

    def __init__(self, packs: Sequence[FingerprintPack], briefs: BriefTable, dropped: Iterable[int]) -> None:
        self.packs = list(packs)
        self.briefs = briefs
        self.ends = [np.frombuffer(pack.ends, dtype=np.int64) for pack in self.packs]
        ordinals = np.concatenate([np.zeros(0, np.int64)] + [np.frombuffer(p.ordinals, dtype=np.int64)
                                                             for p in self.packs])
        pack_of = np.concatenate([np.zeros(0, np.int16)] + [np.full(len(p), k, dtype=np.int16)
                                                            for k, p in enumerate(self.packs)])
        rows = np.concatenate([np.zeros(0, np.int64)] + [np.arange(len(p), dtype=np.int64) for p in self.packs])
        order = np.argsort(ordinals, kind="stable")
        self.ordinals, self.pack_of, self.rows = ordinals[order], pack_of[order], rows[order]
        self.keep(~np.isin(self.ordinals, np.fromiter(dropped, dtype=np.int64)))

    def keep(self, mask: np.ndarray) -> None:
        self.ordinals, self.pack_of, self.rows = self.ordinals[mask], self.pack_of[mask], self.rows[mask]
        self.days = self.briefs.days_of(self.ordinals)
        self.lengths = np.zeros(len(self.ordinals), dtype=np.int64)
        self.has_sketch = np.zeros(len(self.ordinals), dtype=bool)
        for k, pack in enumerate(self.packs):
            mine = np.flatnonzero(self.pack_of == k)
            rows = self.rows[mine]
            ends = self.ends[k]
            self.lengths[mine] = ends[rows] - np.where(rows > 0, ends[np.maximum(rows - 1, 0)], 0)
            self.has_sketch[mine] = np.frombuffer(pack.has_sketch, dtype=bool)[rows]

    def drop(self, ordinals: Iterable[int]) -> None:
        self.keep(~np.isin(self.ordinals, np.fromiter(ordinals, dtype=np.int64)))

    def __len__(self) -> int:
        return len(self.ordinals)

    def fingerprints(self, positions: np.ndarray) -> list[Fingerprint]:
        positions = np.asarray(positions, dtype=np.int64)
        out: list[Fingerprint] = [None] * len(positions)  # type: ignore[list-item]
        for k, pack in enumerate(self.packs):
            mine = np.flatnonzero(self.pack_of[positions] == k)
            for at, fp in zip(mine.tolist(), pack.read(self.rows[positions[mine]])):
                out[at] = fp
        return out

    def text(self, position: int, field: int) -> str:
        return self.briefs.fields(int(self.ordinals[position]))[field]

    def id(self, position: int) -> str:
        return self.text(position, ID)

    def variant_losers(self) -> list[int]:
        """Ordinals of the URL-variant copies that lose to a newer near-identical copy
        (dedup.variant_losers), looking only at the reports whose variant key another shares."""
        digests = np.fromiter((key_digest(v) if v else 0 for v in self.strings(VARIANT)), dtype=np.uint64,
                              count=len(self))
        values, counts = np.unique(digests[digests != 0], return_counts=True)
        shared = np.flatnonzero(np.isin(digests, values[counts > 1]))
        copies = [Copy(int(self.ordinals[p]), self.text(p, VARIANT), (self.text(p, PUBLISHED), int(self.ordinals[p])),
                       self.text(p, HASH), fp.shingles) for p, fp in zip(shared.tolist(), self.fingerprints(shared))]
        return variant_losers(copies)

    def strings(self, field: int) -> Iterator[str]:
        return (record[field] for record in self.briefs.records(self.ordinals.tolist()))


class BuildColumns:
    """What story_store.write stores, for a build's REPORTS and their GROUPING."""

    def __init__(self, reports: BuildReports, grouping: Grouping) -> None:
        self.reports = reports
        self.days, self.lengths, self.has_sketch = reports.days, reports.lengths, reports.has_sketch
        self.edges, self.weights, self.common = grouping.edges, grouping.weights, grouping.common
        self.roots = grouping.roots

    def __len__(self) -> int:
        return len(self.reports)

    def strings(self, name: str) -> Iterator[str]:
        if name == "story":
            ids = self.reports.strings(ID)
            return (own if root == position else self.reports.id(root)
                    for position, (root, own) in enumerate(zip(self.roots.tolist(), ids)))
        return self.reports.strings({"ids": ID, "published": PUBLISHED, "variants": VARIANT, "hashes": HASH}[name])

    def fingerprint_chunks(self) -> Iterator[list[Fingerprint]]:
        for start in range(0, len(self.reports), READ_ROWS):
            yield self.reports.fingerprints(np.arange(start, min(start + READ_ROWS, len(self.reports))))
