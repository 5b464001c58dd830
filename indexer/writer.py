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
from functools import lru_cache
from itertools import accumulate, islice, repeat
from pickle import dumps
from typing import Any, NamedTuple, Sequence
import zlib

import numpy as np
from whoosh.codec import default_codec, whoosh3
from whoosh.filedb import filetables
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import _INT_SIZE, emptybytes, pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numeric import length_to_byte as _length_to_byte

length_to_byte = lru_cache(maxsize=None)(_length_to_byte)  # called per block; lengths repeat

WHOOSH3_HEADER_MAGIC = whoosh3.WHOOSH3_HEADER_MAGIC
COMPRESSION_MIN_SIZE = getattr(whoosh3, "COMPRESSION_MIN_SIZE", 0)  # this Whoosh skips zlib below it
TERMINFO = whoosh3.W3TermInfo._struct
ROW_LENGTHS = filetables._lengths
FLUSH_BYTES = 1 << 20
CHUNK_POSTINGS = 1 << 16

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
        missing = set(prepared.terms).difference(terms)  # a document's terms are distinct
        if missing:  # ids in any order: the segment is written in term order regardless
            base = len(terms)
            terms.update(zip(missing, range(base, base + len(missing))))
        self.tids.extend(map(terms.__getitem__, prepared.terms))
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

    def add_postings(self, term: bytes, docs: np.ndarray, weights: np.ndarray, values: list[bytes] | None) -> None:
        """One term's postings copied from another segment (indexer/merge.py), DOCS ascending and
        after every posting of this term added so far; VALUES for fields that keep value bytes."""
        tid = self.terms.get(term)
        if tid is None:
            tid = self.terms[term] = len(self.terms)
        count = len(docs)
        self.tids.extend(repeat(tid, count))
        self.docs.frombytes(docs.astype(np.uint32).tobytes())
        freqs = np.rint(weights / self.boost).astype(np.uint32)
        if self.weights is None and not np.array_equal(freqs.astype(np.float32) * np.float32(self.boost), weights):
            self.weights = array("f", [f * self.boost for f in self.freqs])
        self.freqs.frombytes(freqs.tobytes())
        if self.weights is not None:
            self.weights.frombytes(weights.astype(np.float32).tobytes())
        if self.mode == "blob":
            values = values if values is not None else [emptybytes] * count
            base = len(self.blob)
            self.blob += b"".join(values)
            self.ends.extend(islice(accumulate(map(len, values), initial=base), 1, None))

    def add_term_postings(self, terms: list[bytes], counts: np.ndarray, docs: np.ndarray, weights: np.ndarray,
                          values: list[bytes] | None) -> None:
        """`add_postings` for several terms at once (TERMS in order, COUNTS postings each, their
        DOCS, WEIGHTS and VALUES concatenated): the same arrays, a few numpy calls per batch."""
        if not terms:
            return
        table = self.terms
        tids = []
        for term in terms:
            tid = table.get(term)
            if tid is None:
                tid = table[term] = len(table)
            tids.append(tid)
        self.tids.frombytes(np.repeat(np.asarray(tids, dtype=np.uint32), counts).tobytes())
        self.docs.frombytes(docs.astype(np.uint32).tobytes())
        freqs = np.rint(weights / self.boost).astype(np.uint32)
        first_own = 0  # postings before this one carry no weight of their own
        if self.weights is None:
            differs = np.flatnonzero(freqs.astype(np.float32) * np.float32(self.boost) != weights)
            if len(differs):
                starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
                first_own = int(starts[np.searchsorted(starts, differs[0], side="right") - 1])
                self.weights = array("f", [f * self.boost for f in self.freqs])
                self.weights.extend([f * self.boost for f in freqs[:first_own].tolist()])
        self.freqs.frombytes(freqs.tobytes())
        if self.weights is not None:
            self.weights.frombytes(weights[first_own:].astype(np.float32).tobytes())
        if self.mode == "blob":
            values = values if values is not None else [emptybytes] * len(docs)
            base = len(self.blob)
            self.blob += b"".join(values)
            self.ends.extend(islice(accumulate(map(len, values), initial=base), 1, None))

    def set_length(self, docnum: int, length: int) -> None:
        lengths = self.lengths
        if len(lengths) <= docnum:
            lengths.extend(repeat(0, docnum + 1 - len(lengths)))
        lengths[docnum] = byte_to_length(length_to_byte(length))

    def cost(self) -> int:
        return len(self.docs) * POSTING_COST + len(self.blob) + len(self.terms) * TERM_COST

    def write(self, fieldwriter: Any, fieldname: str, doc_count: int) -> None:
        """Hand every term's postings, in term order, to the codec's files.

        The postings are put in term order with one numpy sort, then converted to Python lists
        a chunk of terms at a time: lists cost ~30 bytes per number, so converting a whole
        field at once would multiply the segment's memory at the moment it is largest."""
        if not self.terms:
            return
        ordered_terms = sorted(self.terms.items())
        self.terms = {}
        rank = np.empty(len(ordered_terms), dtype=np.uint32)
        rank[np.fromiter((tid for _, tid in ordered_terms), dtype=np.int64, count=len(ordered_terms))] = \
            np.arange(len(ordered_terms), dtype=np.uint32)
        ranks = rank[np.frombuffer(self.tids, dtype=np.uint32)]
        del rank
        self.tids = array("I")
        order = np.argsort(ranks, kind="stable").astype(np.uint32)  # each term's postings stay in doc order
        starts = np.zeros(len(ordered_terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(ranks, minlength=len(ordered_terms)), out=starts[1:])
        del ranks
        lengths_by_doc = np.zeros(doc_count, dtype=np.uint32)
        lengths_by_doc[: len(self.lengths)] = np.frombuffer(self.lengths, dtype=np.uint32)
        docs_all = np.frombuffer(self.docs, dtype=np.uint32)
        freqs_all = np.frombuffer(self.freqs, dtype=np.uint32)
        weights_all = np.frombuffer(self.weights, dtype=np.float32) if self.weights is not None else None
        if self.mode == "blob":
            ends_all = np.frombuffer(self.ends, dtype=np.uint32)
            starts_all = np.concatenate((np.zeros(1, dtype=np.uint32), ends_all[:-1]))
            blob = bytes(self.blob)
            self.blob = bytearray()
        emitter = PostingsEmitter(fieldwriter, fieldname, self.fieldobj)
        bounds = starts.tolist()
        first_term = 0
        while first_term < len(ordered_terms):
            # terms first_term..last_term-1, about CHUNK_POSTINGS postings (one term may exceed it)
            last_term = int(np.searchsorted(starts, bounds[first_term] + CHUNK_POSTINGS, side="right")) - 1
            last_term = min(max(last_term, first_term + 1), len(ordered_terms))
            low, high = bounds[first_term], bounds[last_term]
            picked = order[low:high]
            docs_chunk = docs_all[picked]
            freqs = freqs_all[picked]
            if weights_all is not None:
                weights = weights_all[picked]
            elif self.boost == 1.0:
                weights = freqs.astype(np.float32)
            else:
                weights = freqs.astype(np.float32) * np.float32(self.boost)
            local = [b - low for b in bounds[first_term:last_term + 1]]
            docs = docs_chunk.tolist()
            lengths = lengths_by_doc[docs_chunk].tolist()
            deltas = block_deltas(docs_chunk, local, emitter.limit)
            if self.mode == "blob":
                values: Any = [blob[a:b] for a, b in zip(starts_all[picked].tolist(), ends_all[picked].tolist())]
                emitter.has_empty = not all(values)
            elif self.mode == "freq":
                values = freqs.astype(">u4").tobytes()  # pack_uint of each frequency, back to back
            else:
                values = None
            weight_list = weights.tolist()
            for term in range(first_term, last_term):
                emitter.term(ordered_terms[term][0], deltas, docs, weight_list, values, lengths,
                             local[term - first_term], local[term - first_term + 1])
            first_term = last_term
        emitter.finish()


def block_deltas(docs: np.ndarray, bounds: list[int], limit: int) -> list[int]:
    """DOCS delta-encoded the way W3 blocks store them: each block's first document number as
    is, the others as the gap from the previous one (DOCS is grouped by term: BOUNDS)."""
    numbers = docs.astype(np.int64)
    deltas = np.empty_like(numbers)
    deltas[0:1] = numbers[0:1]
    np.subtract(numbers[1:], numbers[:-1], out=deltas[1:])
    firsts = np.asarray(bounds[:-1], dtype=np.int64)
    counts = np.diff(np.asarray(bounds, dtype=np.int64))
    firsts, counts = firsts[counts > 0], counts[counts > 0]
    deltas[firsts] = numbers[firsts]
    for first, count in zip(firsts[counts > limit].tolist(), counts[counts > limit].tolist()):
        for inner in range(first + limit, first + count, limit):  # long posting lists: later blocks
            deltas[inner] = numbers[inner]
    return deltas.tolist()


class PostingsEmitter:
    """Writes one field's posting lists and term table rows: the bytes W3PostingsWriter and
    W3FieldWriter would write for the same postings (blocks of `blocklimit`, the same minified
    pickles, compression rule, block headers and term infos), without their per-posting Python
    calls. test_build.py compares the result with Whoosh's own writer byte for byte."""

    def __init__(self, fieldwriter: Any, fieldname: str, fieldobj: Any) -> None:
        fieldwriter.start_field(fieldname, fieldobj)
        probe = fieldwriter._postwriter
        self.fieldwriter = fieldwriter
        self.limit = probe._blocklimit
        self.compression = probe._compression
        self.key_prefix = pack_ushort(fieldwriter._fieldid)
        self.table = TermTable(fieldwriter._tindex)
        self.postfile = fieldwriter._postfile
        self.offset = self.postfile.tell()
        self.pending: list[bytes] = []
        self.pending_bytes = 0
        fixed = fieldobj.format.fixed_value_size()
        self.value_kind = "tuple" if fixed is None or fixed < 0 else ("none" if fixed == 0 else "joined")
        self.value_size = fixed or 0
        self.has_empty = False

    def term(self, btext: bytes, deltas: list[int], docs: list[int], weights: list[float], values: Any,
             lengths: list[int], start: int, end: int) -> None:
        """One term's posting list; DELTAS are the document numbers delta-encoded within each block."""
        limit = self.limit
        begin = self.offset
        out = self.pending
        out.append(WHOOSH3_HEADER_MAGIC)
        written = len(WHOOSH3_HEADER_MAGIC)
        total_weight: Any = 0
        min_length: int | None = None
        max_length = 0
        max_weight: Any = 0
        kind = self.value_kind
        size_each = self.value_size
        for bstart in range(start, end, limit):
            bend = min(bstart + limit, end)
            count = bend - bstart
            block_weights = weights[bstart:bend]
            first_weight = block_weights[0]
            if block_weights.count(first_weight) == count:
                mini_weights: Any = None if first_weight == 1.0 else first_weight
                heaviest = first_weight
            else:
                mini_weights = tuple(block_weights)
                heaviest = max(block_weights)
            if kind == "tuple":
                mini_values: Any = tuple(values[bstart:bend])
                if self.has_empty:
                    mini_values = tuple(v for v in mini_values if v)
            elif kind == "joined":
                mini_values = values[bstart * size_each:bend * size_each]
            else:
                mini_values = None
            data = dumps((tuple(deltas[bstart:bend]), mini_weights, mini_values), 2)
            comp = self.compression if len(data) >= COMPRESSION_MIN_SIZE else 0
            if comp:
                data = zlib.compress(data, comp)
            block_lengths = lengths[bstart:bend]
            if 0 in block_lengths:
                known = [n for n in block_lengths if n]
                block_min = min(known) if known else None
                block_max = max(known) if known else 0
            else:
                block_min, block_max = min(block_lengths), max(block_lengths)
            if heaviest <= 0:
                heaviest = 0
            last_id = docs[bend - 1]
            info = dumps((count, last_id, heaviest, comp, length_to_byte(block_min), length_to_byte(block_max)), 2)
            size = len(info) + len(data)
            out.append(pack_int(-size if bend == end else size))
            out.append(info)
            out.append(data)
            written += _INT_SIZE + size
            # what W3TermInfo.add_block accumulates
            total_weight += sum(block_weights)
            if min_length is None:
                min_length = block_min
            elif block_min is not None and block_min < min_length:
                min_length = block_min
            if block_max > max_length:
                max_length = block_max
            if heaviest > max_weight:
                max_weight = heaviest
        self.offset += written
        self.pending_bytes += written
        row = TERMINFO.pack(0, total_weight, end - start, 0 if min_length is None else length_to_byte(min_length),
                            length_to_byte(max_length), max_weight, docs[start], docs[end - 1])
        self.table.add(self.key_prefix + btext, row + pack_long(begin) + pack_int(written))
        if self.pending_bytes > FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.postfile.write(b"".join(self.pending))
            self.pending = []
            self.pending_bytes = 0
        self.table.flush()

    def finish(self) -> None:
        self.flush()
        self.fieldwriter.finish_field()


class TermTable:
    """Rows for the codec's term table (an OrderedHashWriter), added the way its add() does
    (position index, length header, key, value, hash bucket) with the position counted here
    instead of asked of the file twice per row, and the bytes written in batches."""

    def __init__(self, writer: Any) -> None:
        if type(writer) is not filetables.OrderedHashWriter:
            raise TypeError("the term table is not Whoosh's OrderedHashWriter")
        self.writer = writer
        self.position = writer.dbfile.tell()
        self.pending: list[bytes] = []
        self.hash = writer.hashfn
        self.buckets = writer.buckets
        self.index = writer.index

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.writer.lastkey:
            raise ValueError(f"Keys must increase: {self.writer.lastkey!r}..{key!r}")
        position = self.position
        self.index.append(position)
        header = ROW_LENGTHS.pack(len(key), len(value))
        self.pending += (header, key, value)
        self.position = position + len(header) + len(key) + len(value)
        digest = self.hash(key)
        self.buckets[digest & 255].append((digest, position))
        self.writer.lastkey = key

    def flush(self) -> None:
        if self.pending:
            self.writer.dbfile.write(b"".join(self.pending))
            self.pending = []


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
        """PostingsEmitter writes the W3 codec's block format itself: refuse anything else."""
        probe = self.codec.postings_writer(None)
        if not (isinstance(self.codec, whoosh3.W3Codec) and isinstance(probe, whoosh3.W3PostingsWriter)
                and getattr(probe, "_inlinelimit", None) in (0, 1) and not getattr(probe, "_byteids", True)
                and isinstance(getattr(probe, "_blocklimit", None), int)):
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
