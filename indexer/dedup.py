"""Which copy of an article wins when the same id or URL appears more than once.

A full text wins over a feed's partial summary; then the newest copy wins (later `published`
day), and among copies of the same day the one read last, so re-feeding a corrected file after the original replaces it. Records are offered in
reading order; the decision for each is final except that a later record may supersede it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .validation import Article


def rank(article: Article, ordinal: int) -> tuple[bool, str, int]:
    """A full text beats a feed's partial summary of the same article whatever their order."""
    return (not article.partial, article.published or "", ordinal)


def keys(article: Article) -> list[str]:
    out = [f"id:{article.id}"]
    if article.url:
        out.append(f"url:{article.url}")
    return out


@dataclass
class Deduplicator:
    owner: dict[str, int] = field(default_factory=dict)
    ranks: dict[int, tuple[bool, str, int]] = field(default_factory=dict)
    keys_of: dict[int, list[str]] = field(default_factory=dict)
    duplicates: int = 0

    def offer(self, ordinal: int, article: Article) -> tuple[bool, list[int]]:
        """(whether ARTICLE is kept for now, ordinals of earlier winners it supersedes)."""
        mine = keys(article)
        rivals = {self.owner[k] for k in mine if k in self.owner}
        my_rank = rank(article, ordinal)
        if any(self.ranks[r] > my_rank for r in rivals):
            self.duplicates += 1
            return False, []
        for rival in rivals:
            for k in self.keys_of.pop(rival):
                if self.owner.get(k) == rival:
                    del self.owner[k]
            del self.ranks[rival]
        self.duplicates += len(rivals)
        for k in mine:
            self.owner[k] = ordinal
        self.ranks[ordinal] = my_rank
        self.keys_of[ordinal] = mine
        return True, sorted(rivals)
