"""A light stemmer for the recall view (Light10 family, tuned for names in the news).

Light10 only strips `ال`-led prefixes; news text glues single-letter proclitics to names
(`بدير`, `لدمشق`, `ولبنان`), so we also strip `و`/`ف` then `ب`/`ل`/`ك` when enough word is
left, except for words whose first letter is part of the word (`لبنان`, `بغداد`), listed in
data/protected.txt.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .normalize import normalize

DEFINITE_PREFIXES = ("وبال", "وكال", "وال", "فال", "بال", "كال", "لل", "ال")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
MIN_STEM = 2


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """Normalized words whose initial و/ف/ب/ل/ك is a root letter, not a clitic."""
    text = resources.files(__package__).joinpath("data/protected.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(normalize(w) for w in words if w)


def strip_prefixes(word: str) -> str:
    """Remove proclitics and the article, keeping protected words whole."""
    protected = protected_words()
    if word in protected:
        return word
    for prefix in DEFINITE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix):]
    rest = word
    if rest[:1] in CONJUNCTIONS and len(rest) >= 4:
        rest = rest[1:]
        if rest in protected:
            return rest
        for prefix in DEFINITE_PREFIXES:
            if rest.startswith(prefix) and len(rest) - len(prefix) >= MIN_STEM:
                return rest[len(prefix):]
    if rest[:1] in PREPOSITIONS and len(rest) >= 4 and rest not in protected:
        rest = rest[1:]
    return rest


def strip_suffixes(word: str) -> str:
    """Light10's suffix pass: each suffix at most once, longest list order."""
    for suffix in SUFFIXES:
        if len(word) > len(suffix) + 1 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def light_stem(word: str) -> str:
    """Stem a normalized word; Latin and digits pass through."""
    if not word or not ("\u0621" <= word[0] <= "\u06ff"):
        return word
    return strip_suffixes(strip_prefixes(word))
