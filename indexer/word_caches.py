"""One setting bounds every per-word cache a build worker fills.

Analysis, entity scanning, dates, events and story shingling each keep a dict from a word to
what they computed for it, because news vocabulary is Zipfian and a dict hit is what keeps pure
Python fast. Each module clears its own dict at 300,000–2,000,000 entries; together that is
several hundred MiB per worker once a corpus's vocabulary has grown past them, which is why a
build's peak grew with the corpus. A worker calls `trim()` between batches and clears any of
these dicts holding more than `limit` entries: the caches only hold pure functions of the word,
so clearing one changes no output, only the hit rate.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterator

ENVIRONMENT = "MARSAD_BUILD_WORD_CACHE"
DEFAULT_LIMIT = 150_000  # entries per cache; SaudiNewsNet has ~230k distinct surfaces per worker

MODULE_CACHES = (
    ("indexer.analysis.pipeline", "_cache"),
    ("indexer.entities.tokens", "_cache"),
    ("indexer.entities.dates", "_roles"),
    ("indexer.events.lexicon", "_stems"),
    ("indexer.events.extract", "_infos"),
    ("indexer.stories", "_word_hashes"),
)
INSTANCE_CACHES: tuple[tuple[Callable[[Any], Any], str], ...] = (
    (lambda extractor: getattr(extractor, "matcher", None), "_starts"),
    (lambda extractor: getattr(extractor, "event_finder", None), "_flags"),
)


def configured_limit() -> int:
    """The limit from MARSAD_BUILD_WORD_CACHE (entries per cache), else DEFAULT_LIMIT."""
    raw = os.environ.get(ENVIRONMENT, "").strip()
    if not raw:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{ENVIRONMENT} must be a whole number of entries, not {raw!r}") from None
    if value < 1_000:
        raise ValueError(f"{ENVIRONMENT} must be at least 1000 (entries per word cache), not {value}")
    return value


class WordCaches:
    """The per-word caches of this process (and of EXTRACTOR's matcher and event finder)."""

    def __init__(self, limit: int, extractor: Any = None) -> None:
        self.limit = limit
        self.extractor = extractor

    def caches(self) -> Iterator[tuple[str, dict]]:
        for module_name, attribute in MODULE_CACHES:
            module = sys.modules.get(module_name)
            cache = getattr(module, attribute, None) if module is not None else None
            if isinstance(cache, dict):
                yield f"{module_name}.{attribute}", cache
        if self.extractor is not None:
            for owner_of, attribute in INSTANCE_CACHES:
                owner = owner_of(self.extractor)
                cache = getattr(owner, attribute, None) if owner is not None else None
                if isinstance(cache, dict):
                    yield f"{type(owner).__name__}.{attribute}", cache

    def trim(self) -> int:
        """Clear every cache over the limit; returns how many were cleared."""
        cleared = 0
        for _, cache in self.caches():
            if len(cache) > self.limit:
                cache.clear()
                cleared += 1
        return cleared

    def sizes(self) -> dict[str, int]:
        return {name: len(cache) for name, cache in self.caches()}
