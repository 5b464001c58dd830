"""One tokenization of an article, shared by the name matcher and the date finder.

Both need the same thing per token: the shared analyzer's normalized form and the forms a
glued proclitic hides (`بدير` → `دير`, `للحسكة` → `الحسكة`). Computing that once per distinct
surface (news vocabulary is Zipfian) keeps extraction fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis import analyze_word, fold, normalize, tokenize

try:  # the list-returning twin of tokenize(): one C-level pass on the hot path
    from indexer.analysis.tokenizer import split_surface
except ImportError:  # pragma: no cover - the analyzer may rename its internals
    def split_surface(text: str) -> list[tuple[str, int, int]]:
        return list(tokenize(text))

CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"
MIN_LEFT = 3
CACHE_LIMIT = 300_000


@dataclass(frozen=True, slots=True)
class Word:
    """What the extractors need to know about one distinct surface token."""

    norm: str
    keys: tuple[str, ...]
    heads: tuple[tuple[str, int, bool], ...]
    noise: bool
    name_heads: tuple[tuple[str, int, bool, bool], ...] = ()  # heads plus "weak": multi-word names only


def clitic_heads(key: str) -> list[tuple[str, int, bool]]:
    """(form, letters stripped, article restored) for KEY and KEY without و/ف then ب/ل/ك.

    `لل` is ل + the article whose alef is dropped in writing, so `للحسكه` gives `الحسكه`.
    At least MIN_LEFT letters must remain, so two-letter words are never split.
    """
    out = [(key, 0, False)]
    rest, stripped = key, 0
    if rest[:1] in CONJUNCTIONS and len(rest) > MIN_LEFT:
        rest, stripped = rest[1:], 1
        out.append((rest, stripped, False))
    if rest[:2] == "لل" and len(rest) > MIN_LEFT:
        out.append(("ال" + rest[2:], stripped + 1, True))
    elif rest[:1] in PREPOSITIONS and len(rest) > MIN_LEFT:
        out.append((rest[1:], stripped + 1, False))
    return out


_cache: dict[str, Word] = {}


def word(surface: str) -> Word:
    """The cached analysis of one surface token."""
    hit = _cache.get(surface)
    if hit is not None:
        return hit
    norm = normalize(surface)
    terms = analyze_word(surface)
    keys = (norm,) if terms is None or terms[0] == norm else (norm, terms[0])
    heads: list[tuple[str, int, bool]] = []
    for form, stripped, restored in clitic_heads(norm):
        for key in (form, fold(form)):
            if (key, stripped, restored) not in heads:
                heads.append((key, stripped, restored))
    split = terms is not None and terms[0] != norm
    # (form, stripped, restored, weak): a clitic the analyzer does not see (`كريمة` is not ك +
    # `ريمة`, `فعالية` not ف + `عالية`) may still begin a name of two words or more (`فدير الزور`)
    name_heads = [(f, n, r, not split and n > 0) for f, n, r in heads]
    if len(norm) == 3 and norm[0] in CONJUNCTIONS + PREPOSITIONS:
        name_heads.append((norm[1:], 1, False, True))  # `وتل أبيض`, `وأم درمان`, `وسد الموصل`
    result = Word(norm, keys, tuple(heads), terms is None, tuple(name_heads))
    if len(_cache) >= CACHE_LIMIT:
        _cache.clear()
    _cache[surface] = result
    return result


def scan(text: str) -> list[tuple[Word, int, int]]:
    """(word, start, end) for every token of TEXT, noise included (dates need `و` and digits)."""
    get = _cache.get
    return [(get(surface) or word(surface), start, end) for surface, start, end in split_surface(text)]


def surface_after(surface: str, letters: int) -> str:
    """SURFACE without its first LETTERS normalized letters (and the marks that follow them)."""
    if letters == 0:
        return surface
    seen = 0
    for i, ch in enumerate(surface):
        if normalize(ch):
            if seen == letters:
                return surface[i:]
            seen += 1
    return ""
