"""A Whoosh segment writer fed with ready-made postings.

Whoosh is pure Python, and its stock path costs several Python calls per token (a Token object,
a format's word_values, one pool.add per posting) and, at commit, one column read per posting
to find the document's length. Our analyzer already produces both views of a text in one pass,
so we turn them into postings with dict/list operations and keep the field lengths in memory.
The bytes written are exactly what `field.index()` would produce (tests/indexer/test_build.py
compares the two), so readers and searchers see an ordinary Whoosh index.
"""

from __future__ import annotations

from array import array
from collections import Counter
from pickle import dumps
from typing import Any, NamedTuple, Sequence

from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

POSTING_BYTES = 160


class Prepared(NamedTuple):
    """A field's postings, computed outside Whoosh: [(term bytes, freq, weight, value bytes)]."""

    items: list[tuple[bytes, int, float, bytes]]
    length: int


def positions_postings(words: Sequence[str], boost: float = 1.0) -> Prepared:
    """Postings of a Positions-format field (what formats.Positions.word_values yields)."""
    where: dict[str, list[int]] = {}
    for pos, word in enumerate(words):
        found = where.get(word)
        if found is None:
            where[word] = [pos]
        else:
            found.append(pos)
    items = []
    append = items.append
    for word, poses in where.items():
        count = len(poses)
        if count > 1:
            poses = [b - a for a, b in zip([0] + poses, poses)]
        append((word.encode("utf-8"), count, count * boost, pack_uint(count) + dumps(poses, 2)))
    return Prepared(items, len(words))


def frequency_postings(words: Sequence[str], boost: float = 1.0) -> Prepared:
    """Postings of a Frequency-format field (what formats.Frequency.word_values yields)."""
    items = [(word.encode("utf-8"), count, count * boost, pack_uint(count))
             for word, count in Counter(words).items()]
    return Prepared(items, len(words))


def postings_for(fieldobj: Any, words: Sequence[str]) -> Prepared:
    fmt = fieldobj.format
    if type(fmt) is Positions:
        return positions_postings(words, fmt.field_boost)
    if type(fmt) is Frequency:
        return frequency_postings(words, fmt.field_boost)
    raise TypeError(f"no fast postings for {type(fmt).__name__} fields")


class MemoryLengths:
    """Field lengths kept while adding documents, quantized the way the W3 codec stores them."""

    def __init__(self) -> None:
        self.by_field: dict[str, array] = {}

    def set(self, fieldname: str, docnum: int, length: int) -> None:
        column = self.by_field.get(fieldname)
        if column is None:
            column = self.by_field[fieldname] = array("I")
        if len(column) <= docnum:
            column.extend([0] * (docnum + 1 - len(column)))
        column[docnum] = byte_to_length(length_to_byte(length))

    def doc_field_length_reader(self, fieldname: str, default: int = 0) -> Any:
        column = self.by_field.get(fieldname)
        if column is None:
            return lambda docnum: default
        size = len(column)
        return lambda docnum: column[docnum] if docnum < size else default

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.doc_field_length_reader(fieldname, default)(docnum)


class PreparedSegmentWriter(SegmentWriter):
    """A SegmentWriter whose add_document also accepts `Prepared` values for indexed fields."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.lengths = MemoryLengths()
        for name, fieldobj in self.schema.items():
            if fieldobj.vector or fieldobj.separate_spelling():
                raise TypeError(f"field {name!r}: vectors and spelling fields are not supported here")

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        current = pool.current
        set_length = self.lengths.set
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        if "_boost" in fields or any(f"_{n}_boost" in fields for n in names):
            raise ValueError("document and field boosts are not supported by PreparedSegmentWriter")

        added = 0
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in names:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    if isinstance(value, Prepared):
                        items = value.items
                        if field.scorable:
                            length = value.length
                    else:
                        items = list(field.index(value))
                        if field.scorable:
                            length = sum(item[1] for item in items)
                    current.extend([(fieldname, tbytes, docnum, weight, vbytes)
                                    for tbytes, _, weight, vbytes in items])
                    added += len(items)
                    if items:
                        pool.fieldnames.add(fieldname)
                    if length:
                        set_length(fieldname, docnum, length)
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                if field.column_type and stored is not None and not isinstance(stored, Prepared):
                    perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        pool.currentsize += added * POSTING_BYTES
        if pool.currentsize > pool.limit:
            pool.save()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        self.fieldwriter.add_postings(self.schema, self.lengths, self.pool.iter_postings())
        self.fieldwriter.close()
