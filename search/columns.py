"""Per-generation columns: every document's day, source, places, actors, event dates, event types
and casualty totals as numpy arrays, read once when a generation is opened.

Filters and facets then cost a few vectorised operations over these arrays instead of one
Whoosh search per facet value: a facet count is `bincount(values[mask[docs]])` over the
(document, value) pairs of a field. The arrays come from the keyword fields' posting lists
(decoded in bulk by search.postings), so opening 31k documents takes well under a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

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

    def __post_init__(self) -> None:
        order = np.argsort(self.docs, kind="stable")
        self.doc_codes = self.codes[order]
        per_doc = np.bincount(self.docs, minlength=self.size) if len(self.docs) else np.zeros(self.size, np.int64)
        self.indptr = np.concatenate(([0], np.cumsum(per_doc))).astype(np.int64)

    def mask_for(self, codes: list[int], size: int) -> np.ndarray:
        wanted = np.zeros(len(self.values) + 1, dtype=bool)
        wanted[codes] = True
        mask = np.zeros(size, dtype=bool)
        mask[self.docs[wanted[self.codes]]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Documents in MASK per value (each pair is one document, so no value counts one twice)."""
        hits = np.flatnonzero(mask)
        if len(hits) * SPARSE >= len(self.docs) or len(self.indptr) <= len(mask):
            return np.bincount(self.codes[mask[self.docs]], minlength=len(self.values))
        starts = self.indptr[hits]
        lengths = self.indptr[hits + 1] - starts
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        where = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - lengths), lengths)
        return np.bincount(self.doc_codes[where], minlength=len(self.values))

    def doc_frequency(self) -> dict[str, int]:
        counts = np.bincount(self.codes, minlength=len(self.values))
        return {value: int(counts[i]) for i, value in enumerate(self.values)}


def read_pairs(postings: Postings, field: str, live: np.ndarray) -> Pairs:
    code_of: dict[str, int] = {}
    docs, codes = [], []
    for term, ids in postings.field_postings(field):
        if not term:
            continue
        code = code_of.setdefault(term, len(code_of))
        docs.append(ids)
        codes.append(np.full(len(ids), code, dtype=np.int32))
    if docs:
        all_docs = np.concatenate(docs)
        all_codes = np.concatenate(codes)
        keep = live[all_docs]
        all_docs, all_codes = all_docs[keep], all_codes[keep]
    else:
        all_docs, all_codes = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    return Pairs(all_docs, all_codes, list(code_of), code_of, len(live))


def read_count(postings: Postings, field: str, size: int) -> np.ndarray:
    """A count stored as one decimal term per document (killed, injured); -1 where not stated.
    Figures beyond int32 are capped there: no report states more."""
    column = np.full(size, -1, dtype=np.int32)
    cap = np.iinfo(np.int32).max
    for term, ids in postings.field_postings(field):
        if term.isascii() and term.isdigit():
            column[ids] = cap if len(term) > 9 else min(int(term), cap)
    return column


def read_single(postings: Postings, field: str, size: int) -> tuple[np.ndarray, list[str], dict[str, int]]:
    """A single-valued keyword field as one code per document (-1 where it is empty)."""
    column = np.full(size, -1, dtype=np.int32)
    code_of: dict[str, int] = {}
    for term, ids in postings.field_postings(field):
        if term:
            column[ids] = code_of.setdefault(term, len(code_of))
    return column, list(code_of), code_of


class Columns:
    def __init__(self, postings: Postings) -> None:
        size = postings.doc_count
        self.size = size
        self.live = ~postings.deleted_mask()
        self.live_count = int(self.live.sum())
        self.source, self.sources, self.source_code = read_single(postings, "source", size)
        published, days, _ = read_single(postings, "published", size)
        day_of_code = np.array([_parse_day(d) for d in days] + [-1], dtype=np.int32)
        self.day = day_of_code[published]  # published == -1 picks the trailing -1
        self.places = read_pairs(postings, "places", self.live)
        self.actors = read_pairs(postings, "actors", self.live)
        events = read_pairs(postings, "event_dates", self.live)
        event_day = np.array([_parse_day(d) for d in events.values] + [-1], dtype=np.int32)
        self.event_docs = events.docs
        self.event_day = event_day[events.codes] if len(events.codes) else np.zeros(0, dtype=np.int32)
        valid = self.event_day >= 0
        self.event_docs, self.event_day = self.event_docs[valid], self.event_day[valid]
        self.events = read_pairs(postings, "events", self.live)
        self.killed = read_count(postings, "killed", size)
        self.injured = read_count(postings, "injured", size)
        self.lengths = {name: postings.lengths(name) for name in TEXT_FIELDS}
        self.avg_length = {}
        for name, lengths in self.lengths.items():
            live_lengths = lengths[self.live]
            self.avg_length[name] = float(live_lengths.mean()) if len(live_lengths) and live_lengths.any() else 1.0

    def popularity(self) -> dict[str, dict[str, int]]:
        return {"place": self.places.doc_frequency(), "actor": self.actors.doc_frequency()}


def _parse_day(text: str) -> int:
    try:
        return day_number(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return -1
