"""What story grouping and URL-variant merging need of each article of a build, kept compactly.

The parent sends an article's text to a worker and keeps only its id, publication day and time,
URL variant key and content hash, until the workers' fingerprints come back and the story store
is written. A dict of NamedTuples of five strings cost ~530 bytes per article (≈ 500 MiB at a
million reports; tracemalloc, SaudiNewsNet-like ids and URLs); here the four strings of an
article are one UTF-8 record, with their lengths and the day in arrays (~40 bytes per article),
and the records are appended to a file in the build folder (~160 bytes per article that no
longer stay in memory), read back a chunk of articles at a time; or kept in a buffer when the
table is given no file (an update's few articles, tests).
"""

from __future__ import annotations

import os
from array import array
from itertools import repeat
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .dedup import variant_key
from .stories import NO_DAY, Fingerprint
from .story_store import Report
from .validation import Article

FIELDS = 4  # id, published, variant key, content hash
MISSING = -1


class BriefTable:
    """A write-once mapping ordinal → the article's brief, read back as story-store Reports."""

    def __init__(self, path: Path | None = None) -> None:
        self.data = bytearray()
        self.file = open(path, "w+b") if path is not None else None
        self.size = 0
        self.unflushed = False
        self.starts = array("q")
        self.lengths = array("I")
        self.days = array("q")
        self.slots = array("q")  # by ordinal: the article's row, or MISSING

    def __setitem__(self, ordinal: int, article: Article) -> None:
        day = article.published_day
        record = [p.encode("utf-8") for p in (article.id, article.published or "", variant_key(article.url),
                                               article.content_hash)]
        grow = ordinal + 1 - len(self.slots)
        if grow > 0:
            self.slots.extend(repeat(MISSING, grow))
        self.slots[ordinal] = len(self.days)
        self.starts.append(self.size)
        self.lengths.extend(len(p) for p in record)
        self.days.append(NO_DAY if day is None else day)
        joined = b"".join(record)
        self.size += len(joined)
        if self.file is None:
            self.data += joined
        else:
            self.file.write(joined)
            self.unflushed = True

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def read(self, start: int, length: int) -> bytes:
        if self.file is None:
            return bytes(self.data[start:start + length])
        if self.unflushed:
            self.file.flush()
            self.unflushed = False
        return os.pread(self.file.fileno(), length, start)

    def record(self, slot: int, data: bytes, offset: int) -> list[str]:
        """The four fields of SLOT's record, which starts at OFFSET of DATA."""
        fields = []
        for length in self.lengths[slot * FIELDS:(slot + 1) * FIELDS]:
            fields.append(data[offset:offset + length].decode("utf-8"))
            offset += length
        return fields

    def records(self, ordinals: Iterable[int], chunk: int = 4096) -> Iterator[list[str]]:
        """The fields of each of ORDINALS, reading a chunk of records at once (the span of their
        records: ascending ordinals, whose records lie in that order, keep it short)."""
        pending: list[int] = []
        for ordinal in ordinals:
            pending.append(self.slots[ordinal])
            if len(pending) == chunk:
                yield from self._records(pending)
                pending = []
        if pending:
            yield from self._records(pending)

    def _records(self, slots: list[int]) -> Iterator[list[str]]:
        first = min(self.starts[slot] for slot in slots)
        end = max(self.starts[slot] + sum(self.lengths[slot * FIELDS:(slot + 1) * FIELDS]) for slot in slots)
        data = self.read(first, end - first)
        for slot in slots:
            yield self.record(slot, data, self.starts[slot] - first)

    def __contains__(self, ordinal: int) -> bool:
        return 0 <= ordinal < len(self.slots) and self.slots[ordinal] != MISSING

    def __len__(self) -> int:
        return len(self.days)

    def fields(self, ordinal: int) -> list[str]:
        """ORDINAL's id, published, variant key and content hash."""
        if ordinal not in self:
            raise KeyError(ordinal)
        slot = self.slots[ordinal]
        return self.record(slot, self.read(self.starts[slot], sum(self.lengths[slot * FIELDS:(slot + 1) * FIELDS])), 0)

    def days_of(self, ordinals: np.ndarray) -> np.ndarray:
        """The publication day (NO_DAY: none) of each of ORDINALS."""
        slots = np.frombuffer(self.slots, dtype=np.int64)[ordinals]
        return np.frombuffer(self.days, dtype=np.int64)[slots].copy()

    def report(self, ordinal: int, fingerprint: Fingerprint) -> Report:
        """The story-store row of ORDINAL's article with its FINGERPRINT."""
        article_id, published, variant, content_hash = self.fields(ordinal)
        return Report(article_id, self.days[self.slots[ordinal]], published, variant, content_hash, fingerprint)
