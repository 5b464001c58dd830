"""Posting lists as numpy arrays, decoded straight from Whoosh's W3 segment files.

Whoosh's matchers hand out one posting per Python call and read through a shared file
position (seek + read), so they are neither fast enough to score every match of a common word
nor safe to share between threads. A W3 posting list is a run of blocks, each a pickled info
tuple and a pickled (delta-encoded ids, weights, values) tuple; this module reads the bytes of
a whole list with one `get()` and decodes a block with two C-level unpickles, so a list of
10,000 postings costs about a millisecond.

For a few documents' positions (the proximity bonus, phrases with few candidates) a term's
block directory — each block's last id and byte range, per segment — is cached, and only the
blocks holding the wanted documents are read and unpickled (and kept a while in an LRU).

The index is opened without Whoosh's memory maps: its mmap mode wraps every file of a segment
in a BytesIO, which copies the whole index into memory (600 MB of RSS for SaudiNewsNet's
280 MB). Plain files are read with seek + read through one shared handle per segment, so every
read of a segment holds that segment's lock.
The layout is the one whoosh/codec/whoosh3.py writes; tests/search check the decoded lists
against Whoosh's own matchers.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import zlib
from bisect import bisect_right
from collections import OrderedDict
from typing import Any, Callable, Iterator, NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.util.numeric import byte_to_length

RECORD_HEADER = struct.Struct("!ii")  # a hash file record: key length, value length, then both
DF_SLICE = slice(5, 9)  # W3TermInfo packs "!BfIBBfII": flags, total weight, doc frequency, min/max length,
MINID_SLICE = slice(15, 19)  # max weight, then the first and the last document id
MAXID_SLICE = slice(19, 23)
LENGTH_TABLE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
CACHE_POSTINGS = 4_000_000  # decoded postings, and position keys, kept per generation: ≤ 48 + 32 MB
CACHE_BLOCKS = 250_000  # block directory entries kept per generation (25 bytes each; a block holds ≤ 128 postings)
CACHE_BLOCK_KEYS = 2_000_000  # position keys of recently read blocks kept (8 bytes each: 16 MB)
POSITION_BITS = 20
EXPANSIONS_CACHED = 512
ASKED_BEFORE_DECODING = 3  # partial position reads of one term before it is decoded whole and cached
ASKED_REMEMBERED = 50_000
POSITION_LIMIT = (1 << POSITION_BITS) - 4096  # later words of a longer text are not phrase-searchable


class Leaf:
    """One segment of the generation: its terms table, postings bytes and global doc offset."""

    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.doc_count = reader.doc_count_all()
        self.terms = reader._terms  # W3TermsReader
        self.tindex = self.terms._tindex
        self.fieldmap = self.terms._fieldmap
        self.postfile = self.terms._postfile
        self.perdoc = reader._perdoc
        self.lock = threading.Lock()

    def key(self, field: str, term: bytes) -> bytes | None:
        number = self.fieldmap.get(field)
        if number is None:
            return None
        return number.to_bytes(2, "big") + term

    def terminfo(self, field: str, term: bytes) -> W3TermInfo | None:
        key = self.key(field, term)
        if key is None:
            return None
        with self.lock:
            raw = self.tindex.get(key)
        return None if raw is None else W3TermInfo.from_bytes(raw)

    def get(self, offset: int, length: int) -> bytes:
        with self.lock:
            return self.postfile.get(offset, length)

    def field_terms(self, field: str, start: bytes = b"", limit: int | None = None) -> list[tuple[bytes, W3TermInfo]]:
        """(term, terminfo) of FIELD in term order from START (at most LIMIT of them)."""
        number = self.fieldmap.get(field)
        if number is None:
            return []
        prefix = number.to_bytes(2, "big")
        out = []
        with self.lock:
            for key, value in self.tindex.items_from(prefix + start):
                if not key.startswith(prefix) or (limit is not None and len(out) >= limit):
                    break
                out.append((key[2:], value))
        return [(term, W3TermInfo.from_bytes(value)) for term, value in out]

    def doc_frequencies(self, field: str) -> Iterator[tuple[bytes, int]]:
        """(term, documents) of every term of FIELD, in term order. The field's records lie side by
        side in the terms file, so they are read with one get() and parsed here, without a seek and a
        W3TermInfo per term (a third of a second for SaudiNewsNet's 355k body terms, not a second)."""
        number = self.fieldmap.get(field)
        if number is None:
            return iter(())
        return ((term, int.from_bytes(info[DF_SLICE], "big")) for term, info in _records(self.field_bytes(number), number))

    def first_last_ids(self, field: str) -> Iterator[tuple[bytes, int, int, int]]:
        """(term, documents, first local id, last local id) of every term of FIELD: for a unique
        field such as `id` the first id is the document, read without decoding a posting list."""
        number = self.fieldmap.get(field)
        if number is None:
            return iter(())
        return ((term, int.from_bytes(info[DF_SLICE], "big"), int.from_bytes(info[MINID_SLICE], "big"),
                 int.from_bytes(info[MAXID_SLICE], "big")) for term, info in _records(self.field_bytes(number), number))

    def field_bytes(self, number: int) -> bytes:
        """The terms-file records of field NUMBER, read with one get()."""
        tindex = self.tindex
        with self.lock:
            start = tindex.closest_key_pos(number.to_bytes(2, "big"))
            if start is None:
                return b""
            end = tindex.closest_key_pos((number + 1).to_bytes(2, "big")) if number < 0xFFFF else None
            return tindex.dbfile.get(start, (tindex.endofdata if end is None else end) - start)

    def stored(self, docnum: int) -> dict[str, Any]:
        with self.lock:
            return self.reader.stored_fields(docnum)

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in FIELD (as Whoosh stores it: one byte, coarse for long texts)."""
        out = np.zeros(self.doc_count, dtype=np.float32)
        with self.lock:
            reader = self.perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
            if reader is None:
                return out
            raw = reader._dbfile.get(reader._basepos, reader._count)
        out[: len(raw)] = LENGTH_TABLE[np.frombuffer(raw, dtype=np.uint8)]
        return out

    def deleted(self) -> list[int]:
        return list(self.reader._segment.deleted_docs()) if self.reader.has_deletions() else []


def _records(raw: bytes, number: int) -> Iterator[tuple[bytes, bytes]]:
    """(term, W3TermInfo bytes) of the records of field NUMBER at the start of RAW."""
    prefix = number.to_bytes(2, "big")
    unpack, header = RECORD_HEADER.unpack_from, RECORD_HEADER.size
    position, end = 0, len(raw)
    while position < end:
        key_length, value_length = unpack(raw, position)
        key_start = position + header
        value_start = key_start + key_length
        if raw[key_start:key_start + 2] != prefix:
            return
        yield raw[key_start + 2:value_start], raw[value_start:value_start + value_length]
        position = value_start + value_length


def _extent(info: W3TermInfo) -> tuple[int, int]:
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves the unpacked 1-tuple
        length = length[0]
    return offset, length


def _list_stream(leaf: Leaf, info: W3TermInfo) -> tuple[io.BytesIO, int]:
    """One term's posting list in LEAF as a stream past its W3 header, and the list's file offset."""
    offset, length = _extent(info)
    raw = leaf.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("postings block without the W3 header: the index is damaged")
    stream = io.BytesIO(raw)
    stream.seek(4)
    return stream, offset


def decode(leaf: Leaf, info: W3TermInfo, values: bool = False) -> tuple[np.ndarray, np.ndarray, list | None]:
    """(global doc ids, weights, value bytes or None) of one term in one segment."""
    if info.is_inlined():
        ids, weights, vals = info.inlined_postings()
        out_ids = np.asarray(ids, dtype=np.int64) + leaf.offset
        out_weights = np.asarray(weights, dtype=np.float32) if weights else np.ones(len(ids), np.float32)
        return out_ids, out_weights, list(vals) if values else None
    stream, _ = _list_stream(leaf, info)
    deltas: list[int] = []
    weights: list[float] = []
    value_list: list | None = [] if values else None
    previous_max = 0
    read, load = stream.read, pickle.load
    while True:
        size = int.from_bytes(read(4), "big", signed=True)
        last = size < 0
        end = stream.tell() + abs(size)
        count, max_id, _, compression, _, _ = load(stream)
        body = read(end - stream.tell())
        if compression:
            body = zlib.decompress(body)
        block_ids, block_weights, block_values = pickle.loads(body)
        start = len(deltas)
        deltas.extend(block_ids)
        deltas[start] -= previous_max  # the first id of a block is absolute, not a delta
        previous_max = max_id
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if value_list is not None:
            value_list.extend(block_values if block_values is not None else [b""] * count)
        if last:
            break
    ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
    if leaf.offset:
        ids += leaf.offset
    return ids, np.asarray(weights, dtype=np.float32), value_list


class Blocks(NamedTuple):
    """Where the posting blocks of one term lie, over every segment in order, so that the blocks
    holding a few wanted documents are read and unpickled without the rest of the list. A
    segment whose postings of the term are inlined in its terms record counts as one block."""

    max_ids: np.ndarray  # the last global id of each block, ascending
    leaves: list[Leaf]  # the segment of each block
    starts: np.ndarray  # the file offset of each block's pickled (ids, weights, values)
    ends: np.ndarray
    compressed: np.ndarray
    inlined: dict[int, tuple[list[int], list[bytes]]]  # block → its (local ids, values) from the terms record

    def __len__(self) -> int:
        return len(self.max_ids)




def segment_blocks(leaf: Leaf, info: W3TermInfo) -> Iterator[tuple[int, int, int, bool]]:
    """(last local id, start, end, compressed) of each block of one term in LEAF, found by
    reading the list once and unpickling only each block's small info tuple."""
    stream, offset = _list_stream(leaf, info)
    read, load, tell = stream.read, pickle.load, stream.tell
    while True:
        size = int.from_bytes(read(4), "big", signed=True)
        end = tell() + abs(size)
        _, max_id, _, compression, _, _ = load(stream)
        yield max_id, offset + tell(), offset + end, bool(compression)
        if size < 0:
            return
        stream.seek(end)


def block_directory(found: list[tuple[Leaf, W3TermInfo]]) -> Blocks:
    """The blocks of one term over the segments that have it (FOUND, in segment order)."""
    max_ids: list[int] = []
    leaves: list[Leaf] = []
    starts: list[int] = []
    ends: list[int] = []
    compressed: list[bool] = []
    inlined: dict[int, tuple[list[int], list[bytes]]] = {}
    for leaf, info in found:
        if info.is_inlined():
            ids, _, values = info.inlined_postings()
            inlined[len(max_ids)] = (list(ids), list(values))
            blocks = [(max(ids), -1, -1, False)]
        else:
            blocks = segment_blocks(leaf, info)
        for max_id, start, end, packed in blocks:
            max_ids.append(max_id + leaf.offset)
            leaves.append(leaf)
            starts.append(start)
            ends.append(end)
            compressed.append(packed)
    return Blocks(np.asarray(max_ids, dtype=np.int64), leaves, np.asarray(starts, dtype=np.int64),
                  np.asarray(ends, dtype=np.int64), np.asarray(compressed, dtype=bool), inlined)


def block_keys(blocks: Blocks, block: int, wanted: np.ndarray | None = None) -> np.ndarray:
    """Sorted position keys (global ids) of the postings of one block: every one, or only those
    of the documents in WANTED (sorted global ids; the others' positions are not unpickled)."""
    leaf = blocks.leaves[block]
    if block in blocks.inlined:
        ids, values = blocks.inlined[block]
        local = np.asarray(ids, dtype=np.int64)
    else:
        start = int(blocks.starts[block])
        body = leaf.get(start, int(blocks.ends[block]) - start)
        if blocks.compressed[block]:
            body = zlib.decompress(body)
        block_ids, _, values = pickle.loads(body)
        local = np.cumsum(np.asarray(block_ids, dtype=np.int64))  # a block's first id is absolute
    docs = local + leaf.offset
    if wanted is not None:
        keep = member(docs, wanted)
        docs = docs[keep]
        values = [value for value, kept in zip(values, keep.tolist()) if kept]
    return _keys_of(docs, values)


def member(values: np.ndarray, sorted_pool: np.ndarray) -> np.ndarray:
    """Which of VALUES occur in SORTED_POOL (a sorted array), by binary search."""
    if not len(sorted_pool):
        return np.zeros(len(values), dtype=bool)
    where = np.searchsorted(sorted_pool, values)
    return sorted_pool[np.minimum(where, len(sorted_pool) - 1)] == values


def _keys_of(ids: np.ndarray, values: list) -> np.ndarray:
    """Sorted position keys of one segment's postings (ids ascending, each value a Positions-format
    posting): the deltas of all documents unpickled into one list, summed up by numpy."""
    loads = pickle.loads
    deltas: list[int] = []
    counts = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        found = loads(value[4:])
        deltas.extend(found)
        counts[i] = len(found)
    if not deltas:
        return EMPTY_IDS
    flat = np.cumsum(np.asarray(deltas, dtype=np.int64))
    before = np.concatenate(([0], flat))[np.cumsum(counts) - counts]  # the running sum at each document's start
    positions = flat - np.repeat(before, counts)
    keys = (np.repeat(ids.astype(np.int64), counts) << POSITION_BITS) | positions
    return keys[positions < POSITION_LIMIT]


class SizedCache:
    """An LRU whose bound is the summed size of its values (array elements), not their count:
    one common word's postings weigh as much as thousands of rare ones. Callers hold the lock."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self.size = 0

    def __contains__(self, key: tuple) -> bool:
        return key in self.entries

    def get(self, key: tuple, touch: bool = True) -> Any:
        hit = self.entries.get(key)
        if hit is None:
            return None
        if touch:
            self.entries.move_to_end(key)
        return hit[0]

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0

    def add(self, key: tuple, value: Any, size: int, limit: int) -> None:
        if key in self.entries:
            return
        self.entries[key] = (value, size)
        self.size += size
        while self.size > limit and self.entries:
            _, (_, old_size) = self.entries.popitem(last=False)
            self.size -= old_size


class Postings:
    """Term → numpy postings over every segment of one generation, with a bounded LRU cache."""

    def __init__(self, reader: Any) -> None:
        self.leaves = [Leaf(r, offset) for r, offset in reader.leaf_readers()]
        self.doc_count = sum(leaf.doc_count for leaf in self.leaves)
        self.offsets = [leaf.offset for leaf in self.leaves]
        self._cache = SizedCache()  # (field, term) → (ids, weights)
        self._keys = SizedCache()  # (field, term) → position keys
        self._blocks = SizedCache()  # (field, term) → [(leaf, Blocks)]: where each segment's blocks lie
        self._decoded_blocks = SizedCache()  # (field, term, segment offset, block) → its position keys
        self._expansions: dict[tuple[str, str, int], list[str]] = {}
        self._asked: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self.cache_limit = CACHE_POSTINGS

    def lookup(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted global doc ids, weights = term frequency × field boost) of TERM in FIELD."""
        return self._through(self._cache, field, term, self._read, lambda found: len(found[0]))

    def _through(self, cache: SizedCache, field: str, term: str, read: Callable[[str, str], Any],
                 size_of: Callable[[Any], int], limit: int | None = None) -> Any:
        """CACHE's entry for (FIELD, TERM), read and remembered on a miss while caching is on."""
        key = (field, term)
        with self._lock:
            hit = cache.get(key)
        if hit is not None:
            return hit
        found = read(field, term)
        if self.cache_limit:
            with self._lock:
                cache.add(key, found, size_of(found), self.cache_limit if limit is None else limit)
        return found

    def _read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        tbytes = term.encode("utf-8")
        parts = []
        for leaf in self.leaves:
            info = leaf.terminfo(field, tbytes)
            if info is not None:
                ids, weights, _ = decode(leaf, info)
                parts.append((ids, weights))
        if not parts:
            return EMPTY_IDS, EMPTY_WEIGHTS
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def ids(self, field: str, term: str) -> np.ndarray:
        return self.lookup(field, term)[0]

    def cached_ids(self, field: str, term: str) -> np.ndarray | None:
        """TERM's doc ids if its decoded list is in the cache (a search's own words usually are),
        else None: a shortcut for callers that can do without, never a decode."""
        with self._lock:
            hit = self._cache.get((field, term), touch=False)
        return None if hit is None else hit[0]

    def doc_frequency(self, field: str, term: str) -> int:
        hit = self.cached_ids(field, term)
        if hit is not None:  # the decoded list is at hand: its length, without a seek per segment
            return len(hit)
        tbytes = term.encode("utf-8")
        total = 0
        for leaf in self.leaves:
            info = leaf.terminfo(field, tbytes)
            if info is not None:
                total += info.doc_frequency()
        return total

    def position_keys(self, field: str, term: str) -> np.ndarray:
        """Every occurrence of TERM in FIELD as one sorted int64 `doc << POSITION_BITS | position`,
        so that phrase checks become array searches; kept in a bounded LRU cache."""
        return self._through(self._keys, field, term, self._read_keys, len)

    def has_keys(self, field: str, term: str) -> bool:
        with self._lock:
            return (field, term) in self._keys

    def asked_again(self, field: str, term: str) -> bool:
        """Count one more read of some documents' positions of TERM; True once it has been asked
        for ASKED_BEFORE_DECODING times (and caching is on): a word that keeps coming back in
        searches is cheaper decoded whole once (a few ms even for a very common one) and kept
        than read block by block for every search (~2 ms each for a common name)."""
        if not self.cache_limit:
            return False
        return self._count((field, term)) >= ASKED_BEFORE_DECODING

    def _count(self, key: tuple) -> int:
        """How many times KEY (a term, or a term's block) has been asked for, this one included
        (forgotten all at once after ASKED_REMEMBERED keys)."""
        with self._lock:
            asked = self._asked.get(key, 0) + 1
            if len(self._asked) >= ASKED_REMEMBERED:
                self._asked.clear()
            self._asked[key] = asked
        return asked

    def _read_keys(self, field: str, term: str) -> np.ndarray:
        tbytes = term.encode("utf-8")
        parts: list[np.ndarray] = []
        for leaf in self.leaves:
            info = leaf.terminfo(field, tbytes)
            if info is None:
                continue
            ids, _, values = decode(leaf, info, values=True)
            parts.append(_keys_of(ids, values))
        if not parts:
            return EMPTY_IDS
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def frequent_terms(self, field: str, at_least: int, stop: threading.Event | None = None) -> dict[str, int]:
        """Every term of FIELD in AT_LEAST documents or more (summed over the segments, deleted
        documents included, as doc_frequency() counts them) → its documents. Raises
        InterruptedError between segments once STOP is set."""
        totals: dict[bytes, int] = {}
        get = totals.get
        for leaf in self.leaves:
            if stop is not None and stop.is_set():
                raise InterruptedError("the generation is closing")
            for term, count in leaf.doc_frequencies(field):
                totals[term] = get(term, 0) + count
        return {term.decode("utf-8"): count for term, count in totals.items() if count >= at_least}

    def wanted_keys(self, field: str, term: str, wanted: np.ndarray) -> np.ndarray:
        """Sorted position keys (as position_keys() gives them) of TERM in FIELD for the documents
        in WANTED (sorted global ids) only: just the blocks whose id range holds one of them are
        read, found through the term's cached block directory."""
        blocks = self.directory(field, term)
        if not len(wanted) or not len(blocks):
            return EMPTY_IDS
        which = np.searchsorted(blocks.max_ids, wanted)
        read = [self._block_keys(field, term, blocks, block, wanted)
                for block in np.unique(which[which < len(blocks)]).tolist()]
        if not read:
            return EMPTY_IDS
        keys = read[0] if len(read) == 1 else np.concatenate(read)
        return keys[member(keys >> POSITION_BITS, wanted)]

    def positions(self, field: str, term: str, wanted: np.ndarray) -> dict[int, list[int]]:
        """Positions of TERM in FIELD for the documents in WANTED (sorted global ids) that have it."""
        out: dict[int, list[int]] = {}
        mask = (1 << POSITION_BITS) - 1
        for key in self.wanted_keys(field, term, np.asarray(wanted, dtype=np.int64)).tolist():
            out.setdefault(key >> POSITION_BITS, []).append(key & mask)
        return out

    def _block_keys(self, field: str, term: str, blocks: Blocks, block: int, wanted: np.ndarray) -> np.ndarray:
        """One block's position keys. The first time a block is asked for, only WANTED's
        postings are unpickled (a cold search pays for the documents it needs); the second
        time, every posting, and the keys are kept in an LRU of recent blocks: the documents at
        the top of a repeated search are the same each time, and so are the blocks holding them."""
        key = (field, term, block)
        with self._lock:
            hit = self._decoded_blocks.get(key)
        if hit is not None:
            return hit
        if not (self.cache_limit and CACHE_BLOCK_KEYS) or self._count(key) < 2:
            return block_keys(blocks, block, wanted)
        found = block_keys(blocks, block)
        with self._lock:
            self._decoded_blocks.add(key, found, max(len(found), 1), CACHE_BLOCK_KEYS)
        return found

    def directory(self, field: str, term: str) -> Blocks:
        """Where TERM's posting blocks lie over the segments (cached: a few numbers a block, so
        even a very common word's directory is small)."""
        return self._through(self._blocks, field, term, self._read_directory, lambda found: max(len(found), 1),
                             CACHE_BLOCKS)

    def _read_directory(self, field: str, term: str) -> Blocks:
        tbytes = term.encode("utf-8")
        found = [(leaf, info) for leaf in self.leaves if (info := leaf.terminfo(field, tbytes)) is not None]
        return block_directory(found)

    def field_postings(self, field: str) -> Iterator[tuple[str, np.ndarray]]:
        """Every (term, doc ids) of a keyword field, segment by segment (a term may repeat)."""
        for leaf in self.leaves:
            for tbytes, info in leaf.field_terms(field):
                ids, _, _ = decode(leaf, info)
                yield tbytes.decode("utf-8"), ids

    def unique_terms(self, field: str) -> tuple[list[bytes], np.ndarray]:
        """Every (term, global doc id) pair of a field with one term per document (such as `id`),
        deleted documents included, read from the terms' headers: a million ids cost about a
        second instead of a million posting-list decodes."""
        terms: list[bytes] = []
        docs: list[int] = []
        for leaf in self.leaves:
            offset = leaf.offset
            for term, count, first, last in leaf.first_last_ids(field):
                if count <= 2:
                    terms.append(term)
                    docs.append(first + offset)
                    if count == 2:
                        terms.append(term)
                        docs.append(last + offset)
                    continue
                info = leaf.terminfo(field, term)
                if info is not None:
                    ids, _, _ = decode(leaf, info)
                    terms.extend([term] * len(ids))
                    docs.extend(ids.tolist())
        return terms, np.asarray(docs, dtype=np.int64)

    def terms_from(self, field: str, prefix: str, limit: int) -> list[str]:
        """Up to LIMIT distinct terms of FIELD that start with PREFIX, in term order (cached: the
        lexicon is read through small seeks)."""
        key = (field, prefix, limit)
        with self._lock:
            hit = self._expansions.get(key)
        if hit is not None:
            return hit
        found = self._terms_from(field, prefix, limit)
        with self._lock:
            if len(self._expansions) >= EXPANSIONS_CACHED:
                self._expansions.pop(next(iter(self._expansions)))
            self._expansions[key] = found
        return found

    def _terms_from(self, field: str, prefix: str, limit: int) -> list[str]:
        pbytes = prefix.encode("utf-8")
        found: set[bytes] = set()
        for leaf in self.leaves:
            for tbytes, _ in leaf.field_terms(field, pbytes, limit):
                if not tbytes.startswith(pbytes):
                    break
                found.add(tbytes)
        return [t.decode("utf-8") for t in sorted(found)[:limit]]

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of global document DOCNUM."""
        index = bisect_right(self.offsets, docnum) - 1
        leaf = self.leaves[index]
        return leaf.stored(docnum - leaf.offset)

    def lengths(self, field: str) -> np.ndarray:
        if not self.leaves:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([leaf.lengths(field) for leaf in self.leaves])

    def deleted_mask(self) -> np.ndarray:
        mask = np.zeros(self.doc_count, dtype=bool)
        for leaf in self.leaves:
            for docnum in leaf.deleted():
                mask[leaf.offset + docnum] = True
        return mask
