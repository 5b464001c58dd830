"""Write a Whoosh segment from an in-memory inverted index.

Whoosh's own SegmentWriter keeps every posting as a Python tuple in a pool, pickles the pool
to temporary run files when it is full, merges the runs with heapq and then reads each
document's length back from a column: several Python calls and some 200 bytes per posting.
On SaudiNewsNet that was three quarters of the build time. Here each field keeps its postings
in flat arrays (term id, document, weight, value bytes) and the terms in a dict, so adding a
document costs a few C-level bulk operations per field and ~20 bytes per posting; at the end
the postings are grouped by term with one numpy sort and handed to the W3 codec block by block.

The files are written by Whoosh's codec itself (per-document writer, field writer, compound
segment file), so readers see an ordinary segment; tests/indexer/test_build.py checks that the
postings, lengths and stored fields are identical to those Whoosh's stock writer produces.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from itertools import accumulate, islice, repeat
from pickle import dumps
from typing import Any, NamedTuple, Sequence

import numpy as np
from whoosh.codec import default_codec
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

SINGLE_POSITIONS = [pack_uint(1) + dumps([pos], 2) for pos in range(4096)]
FREQ_BYTES = [pack_uint(n) for n in range(1024)]
POSTING_COST = 16
TERM_COST = 120


class Prepared(NamedTuple):
    """A field's postings for one document, computed outside Whoosh: parallel lists of term
    bytes, frequencies and value bytes (what the field format's word_values would yield)."""

    terms: list[bytes]
    freqs: list[int]
    values: list[bytes] | None
    length: int


def positions_postings(words: Sequence[str]) -> Prepared:
    """formats.Positions.word_values for an analyzed word list (positions 0, 1, 2…)."""
    where: defaultdict[str, list[int]] = defaultdict(list)
    for pos, word in enumerate(words):
        where[word].append(pos)
    terms, freqs, values = [], [], []
    for word, poses in where.items():
        terms.append(word.encode("utf-8"))
        count = len(poses)
        freqs.append(count)
        if count == 1:
            pos = poses[0]
            values.append(SINGLE_POSITIONS[pos] if pos < 4096 else pack_uint(1) + dumps(poses, 2))
        else:
            values.append(pack_uint(count) + dumps([b - a for a, b in zip([0] + poses, poses)], 2))
    return Prepared(terms, freqs, values, len(words))


def frequency_postings(words: Sequence[str]) -> Prepared:
    """formats.Frequency.word_values for an analyzed word list."""
    counts = Counter(words)
    return Prepared([w.encode("utf-8") for w in counts], list(counts.values()), None, len(words))


def postings_for(fieldobj: Any, words: Sequence[str]) -> Prepared:
    fmt = type(fieldobj.format)
    if fmt is Positions:
        return positions_postings(words)
    if fmt is Frequency:
        return frequency_postings(words)
    raise TypeError(f"no fast postings for {fmt.__name__} fields")


NOTHING = Prepared([], [], None, 0)


class FieldPostings:
    """All postings of one field in one segment, as flat arrays."""

    __slots__ = ("fieldobj", "mode", "boost", "terms", "tids", "docs", "weights", "freqs", "blob", "ends",
                 "lengths", "scorable")

    def __init__(self, fieldobj: Any) -> None:
        fmt = fieldobj.format
        self.fieldobj = fieldobj
        self.mode = {Frequency: "freq", Existence: "empty"}.get(type(fmt), "blob")
        self.boost = fmt.field_boost
        self.scorable = fieldobj.scorable
        self.terms: dict[bytes, int] = {}
        self.tids = array("I")
        self.docs = array("I")
        self.freqs = array("I")
        self.weights: array | None = None
        self.blob = bytearray()
        self.ends = array("I")
        self.lengths = array("I")

    def add_prepared(self, docnum: int, prepared: Prepared) -> None:
        terms = self.terms
        setdefault = terms.setdefault
        self.tids.extend([setdefault(t, len(terms)) for t in prepared.terms])
        count = len(prepared.terms)
        self.docs.extend(repeat(docnum, count))
        freqs = prepared.freqs
        self.freqs.extend(freqs)
        if self.weights is not None:
            self.weights.extend([f * self.boost for f in freqs])
        if self.mode == "blob":
            values = prepared.values or [emptybytes] * count
            base = len(self.blob)
            self.blob += b"".join(values)
            self.ends.extend(islice(accumulate(map(len, values), initial=base), 1, None))

    def add_items(self, docnum: int, items: list[tuple[bytes, int, float, bytes]]) -> None:
        """Postings from field.index() (ids, keywords, numbers): few per document."""
        terms = self.terms
        for tbytes, freq, weight, vbytes in items:
            tid = terms.get(tbytes)
            if tid is None:
                tid = terms[tbytes] = len(terms)
            self.tids.append(tid)
            self.docs.append(docnum)
            self.freqs.append(freq)
            if self.weights is None and weight != freq * self.boost:
                self.weights = array("f", [f * self.boost for f in self.freqs[:-1]])
            if self.weights is not None:
                self.weights.append(weight)
            if self.mode == "blob":
                self.blob += vbytes
                self.ends.append(len(self.blob))

    def set_length(self, docnum: int, length: int) -> None:
        lengths = self.lengths
        if len(lengths) <= docnum:
            lengths.extend(repeat(0, docnum + 1 - len(lengths)))
        lengths[docnum] = byte_to_length(length_to_byte(length))

    def cost(self) -> int:
        return len(self.docs) * POSTING_COST + len(self.blob) + len(self.terms) * TERM_COST

    def write(self, fieldwriter: Any, fieldname: str, doc_count: int) -> None:
        """Hand every term's postings, in term order, to the codec's field writer."""
        if not self.terms:
            return
        tids = np.frombuffer(self.tids, dtype=np.uint32)
        order = np.argsort(tids, kind="stable")
        counts = np.bincount(tids, minlength=len(self.terms))
        starts = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        del tids
        self.tids = array("I")
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        freqs = np.frombuffer(self.freqs, dtype=np.uint32)[order]
        if self.weights is not None:
            weights = np.frombuffer(self.weights, dtype=np.float32)[order]
        elif self.boost == 1.0:
            weights = freqs.astype(np.float32)
        else:
            weights = freqs.astype(np.float32) * np.float32(self.boost)
        lengths_by_doc = np.zeros(doc_count, dtype=np.uint32)
        lengths_by_doc[: len(self.lengths)] = np.frombuffer(self.lengths, dtype=np.uint32)
        lengths = lengths_by_doc[docs]
        if self.mode == "blob":
            ends = np.frombuffer(self.ends, dtype=np.uint32)
            value_starts = np.concatenate((np.zeros(1, dtype=np.uint32), ends[:-1]))[order]
            value_ends = ends[order]
            blob = memoryview(self.blob)
        fieldwriter.start_field(fieldname, self.fieldobj)
        block = BlockFiller(fieldwriter, self.scorable)
        for btext, tid in sorted(self.terms.items()):
            start, end = int(starts[tid]), int(starts[tid + 1])
            if self.mode == "freq":
                fs = freqs[start:end].tolist()
                values = [FREQ_BYTES[f] if f < 1024 else pack_uint(f) for f in fs]
            elif self.mode == "blob":
                values = [blob[a:b].tobytes() for a, b in
                          zip(value_starts[start:end].tolist(), value_ends[start:end].tolist())]
            else:
                values = None
            fieldwriter.start_term(btext)
            block.fill(docs[start:end].tolist(), weights[start:end].tolist(), values, lengths[start:end].tolist())
            fieldwriter.finish_term()
        fieldwriter.finish_field()


class BlockFiller:
    """Fills the W3 postings writer's block buffers a block at a time instead of one
    add_posting() call per posting (same buffers, same statistics, same bytes)."""

    def __init__(self, fieldwriter: Any, scorable: bool) -> None:
        self.fieldwriter = fieldwriter
        self.scorable = scorable

    def fill(self, docs: list[int], weights: list[float], values: list[bytes] | None, lengths: list[int]) -> None:
        writer = self.fieldwriter._postwriter
        limit = writer._blocklimit
        for start in range(0, len(docs), limit):
            if start:
                writer._write_block()
            end = start + limit
            chunk = weights[start:end]
            writer._ids.extend(docs[start:end])
            writer._weights.extend(chunk)
            heaviest = max(chunk)
            if heaviest > writer._maxweight:
                writer._maxweight = heaviest
            if values is not None:
                writer._values.extend([v for v in values[start:end] if v])
            known = [n for n in lengths[start:end] if n]
            if known:
                shortest, longest = min(known), max(known)
                if writer._minlength is None or shortest < writer._minlength:
                    writer._minlength = shortest
                if longest > writer._maxlength:
                    writer._maxlength = longest


class SegmentBuilder:
    """Collects documents for one new segment of an index and writes it with the index's codec.

    Use: add() each document (keyword arguments as for IndexWriter.add_document, where
    indexed text fields may be `Prepared`), then finish() → the Segment object to list in a
    table of contents. Vectors, spelling fields and per-document boosts are not supported.
    """

    def __init__(self, storage: Any, schema: Any, indexname: str) -> None:
        for name, fieldobj in schema.items():
            if fieldobj.vector or fieldobj.separate_spelling():
                raise TypeError(f"field {name!r}: vectors and spelling fields are not supported")
        self.storage = storage
        self.schema = schema
        self.codec = default_codec()
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.fields: dict[str, FieldPostings] = {}
        self.docnum = 0
        self.check_codec()

    def check_codec(self) -> None:
        probe = self.codec.postings_writer(None)
        needed = ("_blocklimit", "_write_block", "start_postings")
        if not all(hasattr(probe, name) for name in needed) or not hasattr(self.codec, "field_writer"):
            raise TypeError("this Whoosh version's codec is not the W3 codec the writer was made for")

    def add(self, **fields: Any) -> None:
        schema = self.schema
        perdoc = self.perdoc
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for fieldname in sorted(name for name in fields if not name.startswith("_")):
            value = fields[fieldname]
            if value is None:
                continue
            fieldobj = schema[fieldname]
            length = 0
            if fieldobj.indexed:
                postings = self.fields.get(fieldname)
                if postings is None:
                    postings = self.fields[fieldname] = FieldPostings(fieldobj)
                if isinstance(value, Prepared):
                    postings.add_prepared(docnum, value)
                    length = value.length
                else:
                    items = list(fieldobj.index(value))
                    postings.add_items(docnum, items)
                    length = sum(item[1] for item in items)
                if not fieldobj.scorable:
                    length = 0
                if length:
                    postings.set_length(docnum, length)
            stored = fields.get(f"_stored_{fieldname}", value)
            perdoc.add_field(fieldname, fieldobj, stored if fieldobj.stored else None, length)
            if fieldobj.column_type and stored is not None and not isinstance(stored, Prepared):
                perdoc.add_column_value(fieldname, fieldobj.column_type, fieldobj.to_column_value(stored))
        perdoc.finish_doc()
        self.docnum += 1

    def cost(self) -> int:
        """Rough bytes held in memory, to decide when to write a segment."""
        return sum(f.cost() for f in self.fields.values())

    def finish(self) -> Any:
        self.perdoc.close()
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        for fieldname in sorted(self.fields):
            self.fields[fieldname].write(fieldwriter, fieldname, self.docnum)
            self.fields[fieldname] = None  # type: ignore[assignment]
        fieldwriter.close()
        self.segment.set_doc_count(self.docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
        return self.segment
