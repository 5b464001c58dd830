"""Per-generation columns: every document's day, source, places, actors, event dates, event types
and casualty totals as numpy arrays, read once when a generation is opened.

Filters and facets then cost a few vectorised operations over these arrays instead of one
Whoosh search per facet value: a facet count is `bincount(values[mask[docs]])` over the
(document, value) pairs of a field. The arrays are joined from the segments' own columns
(search.segment_columns: a file per segment written when the segment was, so opening reads
arrays instead of decoding the keyword fields' postings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import segment_columns
from .postings import Postings

EPOCH = dt.date(1970, 1, 1)
TEXT_FIELDS = ("title_exact", "title_stem", "body_exact", "body_stem")
SPARSE = 8  # a mask with fewer documents than 1/8 of a field's pairs is counted through its documents


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def day_text(number: int) -> str:
    return (EPOCH + dt.timedelta(days=int(number))).isoformat()


@dataclass
class Pairs:
    """(document, value code) pairs of a multi-valued field, and the values the codes stand for;
    also the codes in document order (DOC_CODES[INDPTR[d]:INDPTR[d + 1]] are document d's), so that
    a facet over a few hundred documents reads their pairs instead of all of them."""

    docs: np.ndarray
    codes: np.ndarray
    values: list[str]
    code_of: dict[str, int]
    size: int = 0
    postings: tuple[Postings, str, np.ndarray] | None = None  # (postings, field, live) the pairs were read from

    def __post_init__(self) -> None:
        in_order = len(self.docs) < 2 or bool((self.docs[1:] >= self.docs[:-1]).all())
        self.doc_codes = self.codes if in_order else self.codes[np.argsort(self.docs, kind="stable")]
        per_doc = np.bincount(self.docs, minlength=self.size) if len(self.docs) else np.zeros(self.size, np.int64)
        self.indptr = np.concatenate(([0], np.cumsum(per_doc))).astype(np.int64)
        self.totals = np.bincount(self.codes, minlength=len(self.values)) if len(self.codes) else \
            np.zeros(len(self.values), np.int64)

    def mask_for(self, codes: list[int], size: int) -> np.ndarray:
        """The documents with any of the values CODES. With the field's postings at hand, their
        (decoded, cached) posting lists: a filter costs its own documents, not every pair."""
        if self.postings is not None:
            postings, field, live = self.postings
            mask = np.zeros(size, dtype=bool)
            for code in codes:
                mask[postings.ids(field, self.values[code])] = True
            return mask & live
        wanted = np.zeros(len(self.values) + 1, dtype=bool)
        wanted[codes] = True
        mask = np.zeros(size, dtype=bool)
        mask[self.docs[wanted[self.codes]]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Documents in MASK per value (each pair is one document, so no value counts one twice).
        A mask of more than half the documents (a broad query, browsing) is counted as the totals
        less the documents it leaves out, so the cost follows the smaller side."""
        if len(self.indptr) <= len(mask):
            return np.bincount(self.codes[mask[self.docs]], minlength=len(self.values))
        hits = np.flatnonzero(mask)
        if len(hits) * 2 > len(mask):
            return self.totals - self._counts_of(np.flatnonzero(~mask))
        if len(hits) * SPARSE >= len(self.docs):
            return np.bincount(self.codes[mask[self.docs]], minlength=len(self.values))
        return self._counts_of(hits)

    def _counts_of(self, docs: np.ndarray) -> np.ndarray:
        """Per value, how many of DOCS (distinct document numbers) have it, read through INDPTR."""
        starts = self.indptr[docs]
        lengths = self.indptr[docs + 1] - starts
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        where = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - lengths), lengths)
        return np.bincount(self.doc_codes[where], minlength=len(self.values))

    def doc_frequency(self) -> dict[str, int]:
        return {value: int(self.totals[i]) for i, value in enumerate(self.values)}


def joined_values(tables: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The sorted union of the segments' value tables, and each segment's codes → union codes."""
    known = [t for t in tables if len(t)]
    if not known:
        return np.array([], dtype=str), [np.zeros(0, np.int32) for _ in tables]
    union = np.unique(np.concatenate(known))
    return union, [np.searchsorted(union, t).astype(np.int32) for t in tables]


def joined_pairs(parts: list[segment_columns.Pairs], offsets: list[int], live: np.ndarray,
                 postings: tuple[Postings, str, np.ndarray] | None = None) -> Pairs:
    """The generation's pairs of one field from its segments' (live documents only)."""
    values, remaps = joined_values([p.values for p in parts])
    docs = [p.docs.astype(np.int64) + offset for p, offset in zip(parts, offsets)]
    codes = [remap[p.codes] if len(p.codes) else np.zeros(0, np.int32) for p, remap in zip(parts, remaps)]
    all_docs = np.concatenate(docs) if docs else np.zeros(0, np.int64)
    all_codes = np.concatenate(codes).astype(np.int32) if codes else np.zeros(0, np.int32)
    keep = live[all_docs]
    names = values.tolist()
    return Pairs(all_docs[keep], all_codes[keep], names, {v: i for i, v in enumerate(names)}, len(live), postings)


def joined_single(columns: list[np.ndarray], tables: list[np.ndarray]) -> tuple[np.ndarray, list[str], dict[str, int]]:
    """One code per document over the generation (-1 where empty), and the values."""
    values, remaps = joined_values(tables)
    parts = [np.where(column >= 0, remap[np.maximum(column, 0)] if len(remap) else -1, -1).astype(np.int32)
             for column, remap in zip(columns, remaps)]
    names = values.tolist()
    column = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    return column, names, {v: i for i, v in enumerate(names)}


def joined_rows(parts: list[segment_columns.SegmentColumns], offsets: list[int], live: np.ndarray,
                docs: str, *values: str) -> tuple[np.ndarray, ...]:
    """The generation's rows of a (document, values...) table from its segments' (live documents
    only): the DOCS column made global, then each of the VALUES columns."""
    if not parts:
        return (np.zeros(0, np.int64),) + tuple(np.zeros(0, np.int32) for _ in values)
    all_docs = np.concatenate([getattr(p, docs).astype(np.int64) + offset for p, offset in zip(parts, offsets)])
    alive = live[all_docs]
    return (all_docs[alive],) + tuple(np.concatenate([getattr(p, name) for p in parts])[alive] for name in values)


@dataclass(frozen=True)
class DayKilled:
    """Killed per report and event day (indexer.events.killed_days): one row per (report, day)."""

    docs: np.ndarray
    days: np.ndarray
    killed: np.ndarray


class Columns:
    """The generation's columns, joined from its segments' (search.segment_columns): read from
    each segment's columns file where the build wrote one, else computed from its postings."""

    def __init__(self, postings: Postings, folder: Path | None = None) -> None:
        size = postings.doc_count
        self.size = size
        self.live = ~postings.deleted_mask()
        self.live_count = int(self.live.sum())
        parts = [segment_columns.for_leaf(leaf, folder) for leaf in postings.leaves]
        offsets = [leaf.offset for leaf in postings.leaves]
        self.source, self.sources, self.source_code = joined_single([p.source for p in parts],
                                                                    [p.sources for p in parts])
        self.day = np.concatenate([p.day for p in parts]) if parts else np.zeros(0, np.int32)
        self.places, self.actors, self.events = (
            joined_pairs([p.pairs[field] for p in parts], offsets, self.live, (postings, field, self.live))
            for field in ("places", "actors", "events"))
        self.event_docs, self.event_day = joined_rows(parts, offsets, self.live, "event_docs", "event_day")
        empty = np.zeros(0, np.int32)
        self.killed = np.concatenate([p.counts["killed"] for p in parts]) if parts else empty
        self.injured = np.concatenate([p.counts["injured"] for p in parts]) if parts else empty
        self.killed_rows = DayKilled(*joined_rows(parts, offsets, self.live, "killed_docs", "killed_day", "killed_count"))
        ids = [p.ids for p in parts]
        self.article_ids = np.concatenate(ids) if parts and all(i is not None for i in ids) else None
        self.lengths = {name: postings.lengths(name) for name in TEXT_FIELDS}
        self.avg_length = {}
        for name, lengths in self.lengths.items():
            live_lengths = lengths[self.live]
            self.avg_length[name] = float(live_lengths.mean()) if len(live_lengths) and live_lengths.any() else 1.0

    def popularity(self) -> dict[str, dict[str, int]]:
        return {"place": self.places.doc_frequency(), "actor": self.actors.doc_frequency()}
