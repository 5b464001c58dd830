"""Which copy of an article wins when the same id or URL appears more than once.

A full text wins over a feed's partial summary; then the newest copy wins (later `published`
day), and among copies of the same day the one read last, so re-feeding a corrected file after the original replaces it. Records are offered in
reading order; the decision for each is final except that a later record may supersede it.

URL variants are decided later, once the texts are analysed: two reports whose URLs differ only
by query flags (`…html` and `…html?live`; a parameter without `=` cannot name an article) and
whose texts are near-identical are one report. A query parameter with a value
(`News_Detail.aspx?ArticleID=…`) is part of the article's identity, so those never merge.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import NamedTuple, Sequence
from urllib.parse import urlsplit

import numpy as np

from .stories import overlap
from .validation import Article

NEAR_IDENTICAL = 0.9  # Jaccard of word shingles above which two URL variants are one report
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid")


def rank(article: Article, ordinal: int) -> tuple[bool, str, int]:
    """A full text beats a feed's partial summary of the same article whatever their order."""
    return (not article.partial, article.published or "", ordinal)


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
    """Every winner so far: its keys (OWNER: key → ordinal) and, by ordinal, whether it is a full
    text, its published day (interned: many articles share a day) and its keys in one tuple
    (WINNERS)."""

    owner: dict[int, int] = field(default_factory=dict)
    winners: dict[int, tuple] = field(default_factory=dict)
    duplicates: int = 0

    def offer(self, ordinal: int, article: Article) -> tuple[bool, list[int]]:
        """(whether ARTICLE is kept for now, ordinals of earlier winners it supersedes)."""
        mine = keys(article)
        rivals = {self.owner[k] for k in mine if k in self.owner}
        my_rank = rank(article, ordinal)
        if any((*self.winners[r][:2], r) > my_rank for r in rivals):
            self.duplicates += 1
            return False, []
        for rival in rivals:
            for k in self.winners.pop(rival)[2:]:
                if self.owner.get(k) == rival:
                    del self.owner[k]
        self.duplicates += len(rivals)
        for k in mine:
            self.owner[k] = ordinal
        self.winners[ordinal] = (my_rank[0], sys.intern(my_rank[1]), *mine)
        return True, sorted(rivals)


def variant_key(url: str) -> str:
    """URL without its query flags and tracking parameters: reports under the same key are
    candidate copies of one another."""
    if not url:
        return ""
    parts = urlsplit(url)
    kept = sorted(p for p in parts.query.split("&")
                  if "=" in p and not p.lower().startswith(TRACKING_PARAMETERS))
    return f"{parts.netloc.lower()}{parts.path}" + (f"?{'&'.join(kept)}" if kept else "")


class Copy(NamedTuple):
    """A report as URL-variant merging sees it."""

    ordinal: int
    variant: str
    rank: tuple[str, int]
    content_hash: str
    shingles: np.ndarray


def near_identical(a: Copy, b: Copy) -> bool:
    return a.content_hash == b.content_hash or overlap(a.shingles, b.shingles)[0] >= NEAR_IDENTICAL


def variant_losers(copies: Sequence[Copy]) -> list[int]:
    """Ordinals of reports that are an older copy of another report under a URL variant."""
    by_key: dict[str, list[Copy]] = {}
    for copy in copies:
        if copy.variant:
            by_key.setdefault(copy.variant, []).append(copy)
    losers = []
    for group in by_key.values():
        if len(group) < 2:
            continue
        winners: list[Copy] = []
        for copy in sorted(group, key=lambda c: c.rank, reverse=True):
            if any(near_identical(copy, winner) for winner in winners):
                losers.append(copy.ordinal)
            else:
                winners.append(copy)
    return sorted(losers)
