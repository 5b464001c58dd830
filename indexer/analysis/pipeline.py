"""The per-word pipeline: normalize → drop noise → split proclitics → split compounds →
fold variants → stem.

Every filter is a pure function on one word; the composition is cached per surface form,
because news vocabulary is Zipfian and a dict hit is the only way pure Python keeps up with
hundreds of thousands of tokens a second. A surface gives no term (a lone clitic such as `لـ`
or `و`), one term (almost always), or several: a written-together name (`عبدربه` → `عبد`
`ربه`, `عبدالله` → `عبد` `الله`), so that it matches the spelling with a space, in phrases too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from .clitics import split_proclitics
from .lexicon import compounds, names
from .normalize import fold_alef, fold_marks
from .stem import ARABIC_FIRST, ARABIC_LAST, split_article, stem_word
from .tokenizer import split_surface
from .variants import fold_body, variant_table

CLITIC_CHAIN = re.compile(r"[وف]?[بكل]?(?:ال)?|[وف]?لل")
LONE_CLITICS = frozenset(("و", "ف", "ب", "ل", "ك", "ال"))
TATWEEL = "\u0640"
CACHE_LIMIT = 400_000

Terms = Union[tuple[str, str], list[tuple[str, str, int, int]], None]


@dataclass(frozen=True, slots=True)
class AnalyzedToken:
    text: str
    norm: str
    stem: str
    start: int
    end: int


def is_noise(folded: str, surface: str) -> bool:
    """A lone proclitic left behind by tatweel or a quote (`لـ"`, `و"`, `بالـ«`) carries no meaning."""
    if not folded or folded in LONE_CLITICS:
        return True
    return surface.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith(TATWEEL) and bool(
        CLITIC_CHAIN.fullmatch(folded)
    )


def word_parts(word: str) -> list[str]:
    """The words of a written-together name (fold_marks() form), else [word]."""
    listed = compounds().get(fold_alef(word))
    if listed is not None:
        return list(listed)
    if word.startswith("عبدال") and len(word) >= 7:
        return ["عبد", word[3:]]
    return [word]


def word_terms(word: str) -> tuple[str, str]:
    """(exact, stem) of one clitic-free word in fold_marks() form."""
    article, body = split_article(word)
    if article and len(body) < 3:
        whole = fold_alef(word)
        if whole in names():
            return whole, whole
    folded = fold_body(fold_alef(body), definite=bool(article))
    return article + folded, stem_word(article, folded)


def _surface_index(surface: str, letters: int) -> int:
    """Index in SURFACE after its first LETTERS folded letters (marks and tatweel ride along)."""
    seen = 0
    for i, ch in enumerate(surface):
        if seen >= letters:
            return i
        seen += len(fold_marks(ch))
    return len(surface)


def analyze_surface(surface: str) -> Terms:
    """None (noise), (exact, stem) for the whole surface, or [(exact, stem, start, end), …]."""
    folded = fold_marks(surface)
    if not folded:
        return None
    if " " in folded:  # a presentation-form ligature that NFKC spells as several words
        out = []
        for piece in folded.split():
            terms = analyze_surface(piece)
            if isinstance(terms, tuple):
                out.append((terms[0], terms[1], 0, len(surface)))
            elif terms:
                out.extend((e, s, 0, len(surface)) for e, s, _, _ in terms)
        return out or None
    if not (ARABIC_FIRST <= folded[0] <= ARABIC_LAST):
        term = fold_body(folded)
        return term, term
    if is_noise(folded, surface):
        return None
    _, rest = split_proclitics(folded)
    parts = word_parts(rest)
    if len(parts) == 1:
        return word_terms(rest)
    out = []
    end_letters = len(folded)
    boundary = end_letters - len(rest)
    start = 0
    for i, part in enumerate(parts):
        boundary += len(part)
        end = len(surface) if i == len(parts) - 1 else _surface_index(surface, boundary)
        exact, stem = word_terms(part)
        out.append((exact, stem, start, end))
        start = end
    return out


_cache: dict[str, Terms] = {}
_MISSING = object()


def _lookup(surface: str) -> Terms:
    terms = analyze_surface(surface)
    if len(_cache) >= CACHE_LIMIT:
        _cache.clear()
    _cache[surface] = terms
    return terms


def analyze_word(surface: str) -> tuple[str, str] | None:
    """(exact view term, stem view term) of one surface token, or None if it is noise.

    A written-together name gives its terms joined by a space (`عبدربه` → (`عبد ربه`, `عبد رب`));
    analyze() and analyzed_terms() give them as separate tokens.
    """
    terms = _cache.get(surface, _MISSING)
    if terms is _MISSING:
        terms = _lookup(surface)
    if terms is None or isinstance(terms, tuple):
        return terms
    return " ".join(t[0] for t in terms), " ".join(t[1] for t in terms)


def analyze(text: str) -> list[AnalyzedToken]:
    """The index-time analysis of TEXT, with offsets into TEXT for highlighting."""
    return [AnalyzedToken(text[s:e], exact, stem, s, e) for exact, stem, s, e in analyzed_terms(text)]


def analyzed_terms(text: str) -> list[tuple[str, str, int, int]]:
    """(exact, stem, start, end) tuples: the indexing hot path, without dataclass overhead."""
    out: list[tuple[str, str, int, int]] = []
    append = out.append
    get = _cache.get
    missing = _MISSING
    for surface, start, end in split_surface(text):
        terms = get(surface, missing)
        if terms is missing:
            terms = _lookup(surface)
        if terms is None:
            continue
        if terms.__class__ is tuple:
            append((terms[0], terms[1], start, end))
        else:
            for exact, stem, s, e in terms:
                append((exact, stem, start + s, start + e))
    return out


def warm() -> None:
    """Load data files before forking workers, so each process does not read them again."""
    variant_table()
    compounds()
    analyze_surface("والتحميل")
