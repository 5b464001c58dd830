"""One segment's columns (day, source, places, actors, events, event dates, killed, injured, killed
per event day),
kept in a file next to the segment so that opening a generation reads arrays instead of
decoding every posting list of the keyword fields.

Opening a generation used to rebuild these columns from the postings: tens of thousands of
posting lists decoded in Python, a cost that grows with the corpus (1.7 s at 31k reports,
6.4 s at 123k). A Whoosh segment never changes once written (deletions live in the TOC), so its
columns can be computed once, when the segment is new, and stored as `MAIN_<segment id>.cols.npz`:
Whoosh's own file clean-up treats a file with the segment's name as part of the segment, and
an update hard-links the old segments' files (columns included) into the new generation, so it
only computes the columns of the segments it wrote. Opening then costs one small read per
segment. A segment without a readable file (an index written before this file existed, or a
damaged one) has its columns computed from the postings as before: both ways run `compute`.

Everything is segment-local here (document numbers from 0; value codes into the segment's own
sorted value table); search.columns joins the segments into the generation's columns.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("marsad.search")

SUFFIX = ".cols.npz"
FORMAT = 3
ID_WIDTH = 64  # article ids up to this many bytes are kept as a fixed-width column (Marsad's all are)
PAIR_FIELDS = ("places", "actors", "events")
COUNT_FIELDS = ("killed", "injured")
EPOCH = dt.date(1970, 1, 1)
INT32_MAX = np.iinfo(np.int32).max


@dataclass
class Pairs:
    """(document, value code) pairs of a multi-valued field in document order, and the values."""

    docs: np.ndarray  # int32, ascending
    codes: np.ndarray  # int32 into values
    values: np.ndarray  # str, sorted


@dataclass
class SegmentColumns:
    doc_count: int
    day: np.ndarray  # int32 days since 1970-01-01 per document, -1 where unknown
    source: np.ndarray  # int32 code into sources per document, -1 where empty
    sources: np.ndarray
    pairs: dict[str, Pairs]
    event_docs: np.ndarray  # int32 (document, event day) pairs, document order
    event_day: np.ndarray
    counts: dict[str, np.ndarray]  # killed, injured: int32 per document, -1 where not stated
    killed_docs: np.ndarray  # int32 (document, event day, killed) rows, document order:
    killed_day: np.ndarray  # indexer.events.killed_days's figures, each stated death once
    killed_count: np.ndarray
    ids: np.ndarray | None = None  # article id per document (bytes, b"" where none); None: too long to keep


def day_number(text: str) -> int:
    try:
        return (dt.date.fromisoformat(text[:10]) - EPOCH).days
    except ValueError:
        return -1


def file_name(segment_id: str) -> str:
    """`MAIN_<id>.cols.npz` (Whoosh's segment ids carry the index name): Whoosh's clean-up then
    deletes it with its segment."""
    return f"{segment_id}{SUFFIX}"


def segment_id(leaf: Any) -> str:
    return leaf.reader._segment.segment_id()


# computing from the postings -------------------------------------------------------------------
def _terms(leaf: Any, field: str) -> list[tuple[str, np.ndarray]]:
    """(term, segment-local doc ids) of every term of a keyword field in LEAF, in term order."""
    from .postings import decode

    out = []
    for tbytes, info in leaf.field_terms(field):
        ids, _, _ = decode(leaf, info)
        if tbytes:
            out.append((tbytes.decode("utf-8"), (ids - leaf.offset).astype(np.int32)))
    return out


def _single(leaf: Any, field: str) -> tuple[np.ndarray, list[str]]:
    column = np.full(leaf.doc_count, -1, dtype=np.int32)
    values = []
    for term, ids in _terms(leaf, field):
        column[ids] = len(values)
        values.append(term)
    return column, values


def _pairs(leaf: Any, field: str) -> Pairs:
    terms = _terms(leaf, field)
    values = [t for t, _ in terms]
    if not terms:
        return Pairs(np.zeros(0, np.int32), np.zeros(0, np.int32), np.array([], dtype=str))
    docs = np.concatenate([ids for _, ids in terms])
    codes = np.repeat(np.arange(len(terms), dtype=np.int32), [len(ids) for _, ids in terms])
    order = np.argsort(docs, kind="stable")
    return Pairs(docs[order], codes[order], np.array(values, dtype=str))


def _count(leaf: Any, field: str) -> np.ndarray:
    """A count stored as one decimal term per document; figures beyond int32 are capped there."""
    column = np.full(leaf.doc_count, -1, dtype=np.int32)
    for term, ids in _terms(leaf, field):
        if term.isascii() and term.isdigit():
            column[ids] = INT32_MAX if len(term) > 9 else min(int(term), INT32_MAX)
    return column


def _killed_days(leaf: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document, day, killed) rows from the `killed_days` terms (`YYYY-MM-DD:killed`)."""
    rows: list[tuple[np.ndarray, int, int]] = []
    for term, ids in _terms(leaf, "killed_days"):
        day, separator, killed = term.rpartition(":")
        number = day_number(day) if separator and killed.isascii() and killed.isdigit() else -1
        if number >= 0:
            rows.append((ids, number, min(int(killed), INT32_MAX) if len(killed) <= 10 else INT32_MAX))
    if not rows:
        empty = np.zeros(0, np.int32)
        return empty, empty, empty
    docs = np.concatenate([ids for ids, _, _ in rows])
    sizes = [len(ids) for ids, _, _ in rows]
    days = np.repeat(np.array([d for _, d, _ in rows], dtype=np.int32), sizes)
    killed = np.repeat(np.array([k for _, _, k in rows], dtype=np.int32), sizes)
    order = np.lexsort((days, docs))
    return docs[order], days[order], killed[order]


def _ids(leaf: Any) -> np.ndarray | None:
    """Each document's article id (the `id` field has one term per document), read from the terms'
    headers as Postings.unique_terms does; None when one is too long for a fixed-width column."""
    from .postings import decode

    terms: list[bytes] = []
    docs: list[int] = []
    for term, count, first, last in leaf.first_last_ids("id"):
        if count <= 2:
            terms.extend([term] * count)
            docs.extend([first, last][:count])
            continue
        info = leaf.terminfo("id", term)
        if info is not None:
            ids, _, _ = decode(leaf, info)
            terms.extend([term] * len(ids))
            docs.extend((ids - leaf.offset).tolist())
    if any(len(t) > ID_WIDTH or t.endswith(b"\0") for t in terms):
        return None
    column = np.zeros(leaf.doc_count, dtype=f"S{max(map(len, terms), default=1)}")
    column[np.asarray(docs, dtype=np.int64)] = terms
    return column


def compute(leaf: Any) -> SegmentColumns:
    """LEAF's columns, read from its postings (Whoosh keeps terms sorted, so every value table
    comes out sorted)."""
    published, days = _single(leaf, "published")
    day_of = np.array([day_number(d) for d in days] + [-1], dtype=np.int32)
    source, sources = _single(leaf, "source")
    dates = _pairs(leaf, "event_dates")
    date_day = np.array([day_number(d) for d in dates.values.tolist()] + [-1], dtype=np.int32)
    event_day = date_day[dates.codes] if len(dates.codes) else np.zeros(0, np.int32)
    valid = event_day >= 0
    killed_docs, killed_day, killed_count = _killed_days(leaf)
    return SegmentColumns(
        doc_count=leaf.doc_count, day=day_of[published], source=source, sources=np.array(sources, dtype=str),
        pairs={name: _pairs(leaf, name) for name in PAIR_FIELDS},
        event_docs=dates.docs[valid], event_day=event_day[valid],
        counts={name: _count(leaf, name) for name in COUNT_FIELDS},
        killed_docs=killed_docs, killed_day=killed_day, killed_count=killed_count, ids=_ids(leaf))


# the file -------------------------------------------------------------------------------------
def save(path: Path, columns: SegmentColumns) -> None:
    """Write COLUMNS to PATH durably (temporary name, fsync, rename)."""
    arrays: dict[str, np.ndarray] = {
        "format": np.array([FORMAT, columns.doc_count], dtype=np.int64),
        "day": columns.day, "source": columns.source, "sources": columns.sources,
        "event_docs": columns.event_docs, "event_day": columns.event_day,
        "killed_docs": columns.killed_docs, "killed_day": columns.killed_day, "killed_count": columns.killed_count}
    for name, pairs in columns.pairs.items():
        arrays[f"{name}.docs"], arrays[f"{name}.codes"], arrays[f"{name}.values"] = pairs.docs, pairs.codes, pairs.values
    for name, column in columns.counts.items():
        arrays[name] = column
    if columns.ids is not None:
        arrays["ids"] = columns.ids
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        np.savez(handle, **arrays)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load(path: Path, doc_count: int) -> SegmentColumns | None:
    """The columns in PATH, or None when there is no usable file (missing, another format, or
    not this segment's size): the caller then computes them."""
    try:
        with np.load(path, allow_pickle=False) as data:
            head = data["format"]
            if int(head[0]) != FORMAT or int(head[1]) != doc_count:
                return None
            return SegmentColumns(
                doc_count=doc_count, day=data["day"], source=data["source"], sources=data["sources"],
                pairs={name: Pairs(data[f"{name}.docs"], data[f"{name}.codes"], data[f"{name}.values"])
                       for name in PAIR_FIELDS},
                event_docs=data["event_docs"], event_day=data["event_day"],
                counts={name: data[name] for name in COUNT_FIELDS},
                killed_docs=data["killed_docs"], killed_day=data["killed_day"], killed_count=data["killed_count"],
                ids=data["ids"] if "ids" in data.files else None)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        log.warning("cannot read %s (%s): computing that segment's columns from its postings", path, error)
        return None


def for_leaf(leaf: Any, folder: Path | None) -> SegmentColumns:
    """LEAF's columns: from its file in FOLDER when there is one, else from its postings."""
    if folder is not None:
        found = load(Path(folder) / file_name(segment_id(leaf)), leaf.doc_count)
        if found is not None:
            return found
    return compute(leaf)


def write_missing(folder: Path, reader: Any) -> int:
    """Write the columns file of every segment of READER (an index in FOLDER) that has none yet;
    returns how many were written. Called by every build, update and compaction before publishing."""
    from .postings import Leaf

    written = 0
    for segment_reader, _ in reader.leaf_readers():
        leaf = Leaf(segment_reader, 0)
        path = Path(folder) / file_name(segment_id(leaf))
        if load(path, leaf.doc_count) is None:
            save(path, compute(leaf))
            written += 1
    return written
