"""What story grouping and URL-variant merging need of each article of a build, kept compactly.

The parent sends an article's text to a worker and keeps only its id, publication day and time,
URL variant key and content hash, until the workers' fingerprints come back and the story store
is written. A dict of NamedTuples of five strings cost ~530 bytes per article (≈ 500 MiB at a
million reports; tracemalloc, SaudiNewsNet-like ids and URLs); here the four strings of an
article are one UTF-8 record in a shared buffer, with their lengths and the day in arrays:
~200 bytes per article.
"""

from __future__ import annotations

from array import array
from itertools import repeat

import numpy as np

from .dedup import variant_key
from .stories import NO_DAY, Fingerprint
from .story_store import Report
from .validation import Article

FIELDS = 4  # id, published, variant key, content hash
MISSING = -1


class BriefTable:
    """A write-once mapping ordinal → the article's brief, read back as story-store Reports."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.starts = array("q")
        self.lengths = array("I")
        self.days = array("q")
        self.slots = array("q")  # by ordinal: the article's row, or MISSING

    def __setitem__(self, ordinal: int, article: Article) -> None:
        day = article.published_day
        parts = [p.encode("utf-8") for p in (article.id, article.published or "", variant_key(article.url),
                                              article.content_hash)]
        grow = ordinal + 1 - len(self.slots)
        if grow > 0:
            self.slots.extend(repeat(MISSING, grow))
        self.slots[ordinal] = len(self.days)
        self.starts.append(len(self.data))
        self.lengths.extend(len(p) for p in parts)
        self.days.append(NO_DAY if day is None else day)
        for part in parts:
            self.data += part

    def __contains__(self, ordinal: int) -> bool:
        return 0 <= ordinal < len(self.slots) and self.slots[ordinal] != MISSING

    def __len__(self) -> int:
        return len(self.days)

    def fields(self, ordinal: int) -> list[str]:
        """ORDINAL's id, published, variant key and content hash."""
        if ordinal not in self:
            raise KeyError(ordinal)
        slot = self.slots[ordinal]
        at = self.starts[slot]
        fields = []
        for length in self.lengths[slot * FIELDS:(slot + 1) * FIELDS]:
            fields.append(self.data[at:at + length].decode("utf-8"))
            at += length
        return fields

    def field(self, ordinal: int, number: int) -> str:
        """One of ORDINAL's fields (NUMBER: 0 id, 1 published, 2 variant key, 3 content hash)."""
        slot = self.slots[ordinal]
        at = self.starts[slot] + sum(self.lengths[slot * FIELDS:slot * FIELDS + number])
        return self.data[at:at + self.lengths[slot * FIELDS + number]].decode("utf-8")

    def days_of(self, ordinals: np.ndarray) -> np.ndarray:
        """The publication day (NO_DAY: none) of each of ORDINALS."""
        slots = np.frombuffer(self.slots, dtype=np.int64)[ordinals]
        return np.frombuffer(self.days, dtype=np.int64)[slots].copy()

    def report(self, ordinal: int, fingerprint: Fingerprint) -> Report:
        """The story-store row of ORDINAL's article with its FINGERPRINT."""
        article_id, published, variant, content_hash = self.fields(ordinal)
        return Report(article_id, self.days[self.slots[ordinal]], published, variant, content_hash, fingerprint)
