"""The per-word pipeline: normalize → drop clitic fragments → stem → fold variants.

Every filter is a pure function on one word; the composition is cached per surface form,
because news vocabulary is Zipfian and a dict hit is the only way pure Python keeps up with
hundreds of thousands of tokens a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import normalize
from .stem import light_stem
from .tokenizer import split_surface
from .variants import fold, variant_table

LONE_CLITICS = frozenset("وفبلك")
CACHE_LIMIT = 400_000


@dataclass(frozen=True, slots=True)
class AnalyzedToken:
    text: str
    norm: str
    stem: str
    start: int
    end: int


def is_noise(norm: str) -> bool:
    """A lone proclitic left behind by tatweel or a quote (`لـ"`, `و"`) carries no meaning."""
    return not norm or (len(norm) == 1 and norm in LONE_CLITICS)


def exact_form(norm: str, stem: str) -> str:
    """The normalized word with its stem replaced by the canonical variant, suffixes kept."""
    canonical = fold(stem)
    if canonical == stem or stem not in norm:
        return norm
    return norm.replace(stem, canonical, 1)


_cache: dict[str, tuple[str, str] | None] = {}


def analyze_word(surface: str) -> tuple[str, str] | None:
    """(exact view term, stem view term) of one surface token, or None if it is noise."""
    hit = _cache.get(surface, False)
    if hit is not False:
        return hit
    norm = normalize(surface)
    if is_noise(norm):
        result = None
    else:
        stem = light_stem(norm)
        result = (exact_form(norm, stem), fold(stem))
    if len(_cache) >= CACHE_LIMIT:
        _cache.clear()
    _cache[surface] = result
    return result


def analyze(text: str) -> list[AnalyzedToken]:
    """The index-time analysis of TEXT, with offsets into TEXT for highlighting."""
    out = []
    for surface, start, end in split_surface(text):
        terms = analyze_word(surface)
        if terms is not None:
            out.append(AnalyzedToken(surface, terms[0], terms[1], start, end))
    return out


def analyzed_terms(text: str) -> list[tuple[str, str, int, int]]:
    """(exact, stem, start, end) tuples: the indexing hot path, without dataclass overhead."""
    out = []
    append = out.append
    get = _cache.get
    for surface, start, end in split_surface(text):
        terms = get(surface, False)
        if terms is False:
            terms = analyze_word(surface)
        if terms is not None:
            append((terms[0], terms[1], start, end))
    return out


def warm() -> None:
    """Load data files before forking workers, so each process does not read them again."""
    variant_table()
    light_stem("تحميل")
