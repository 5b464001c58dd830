"""Which copy of an article wins when the same id or URL appears more than once.

The newest copy wins (later `published` day), and among copies of the same day the one read
last, so re-feeding a corrected file after the original replaces it. Records are offered in
reading order; the decision for each is final except that a later record may supersede it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from hashlib import blake2b

from .validation import Article


def rank(article: Article, ordinal: int) -> tuple[str, int]:
    return (article.published or "", ordinal)


def keys(article: Article) -> list[int]:
    """The article's identity keys as 64-bit digests of "id:…" and "url:…": the table below holds
    one entry per key for every article of a build, so an int instead of a URL string keeps
    it at ~150 bytes per article (a collision takes ~4·10⁹ articles to become likely)."""
    out = [key_digest(f"id:{article.id}")]
    if article.url:
        out.append(key_digest(f"url:{article.url}"))
    return out


def key_digest(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass
class Deduplicator:
    """Every winner so far: its keys (OWNER: key → ordinal) and, by ordinal, its published text
    (interned: many articles share a day) and keys in one tuple (WINNERS)."""

    owner: dict[int, int] = field(default_factory=dict)
    winners: dict[int, tuple] = field(default_factory=dict)
    duplicates: int = 0

    def offer(self, ordinal: int, article: Article) -> tuple[bool, list[int]]:
        """(whether ARTICLE is kept for now, ordinals of earlier winners it supersedes)."""
        mine = keys(article)
        rivals = {self.owner[k] for k in mine if k in self.owner}
        my_rank = rank(article, ordinal)
        if any((self.winners[r][0], r) > my_rank for r in rivals):
            self.duplicates += 1
            return False, []
        for rival in rivals:
            for k in self.winners.pop(rival)[1:]:
                if self.owner.get(k) == rival:
                    del self.owner[k]
        self.duplicates += len(rivals)
        for k in mine:
            self.owner[k] = ordinal
        self.winners[ordinal] = (sys.intern(my_rank[0]), *mine)
        return True, sorted(rivals)
