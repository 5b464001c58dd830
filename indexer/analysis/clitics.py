"""Proclitics: the one-letter particles Arabic writes glued to the next word.

`و`/`ف` (and, so), `ب`/`ل`/`ك` (in, for, like) and the article are separate words in meaning, so
both views drop the particles and keep the article: `بدير` → `دير`, `للحرس` → `الحرس`,
`وبالموصل` → `الموصل`, `لـ"الحرس"` → `الحرس`. Then a phrase `دير الزور` finds `بدير الزور`.

The letters are ambiguous (`وزير`, `بيان`, `لبنان` start with a root letter), so:
- a word listed in protected.txt/names.txt (or one whose suffix-less form is, or whose nisba
  base is: `لبنانية`, `كويتيون`, `ليبية` of `ليبيا`) stays whole;
- `و` is stripped when at least three letters remain (always before a hamza alef: `وأهمية`); `ف` only before a hamza alef, the article
  (`فالحرس`, `فبالحرس`) or a protected word, because `ف`-initial words (`فريق`, `فرنسا`) outnumber `ف` + word;
- `ب`/`ل`/`ك` are stripped when at least three letters remain;
- the article `ال` is only a bare alef + lam: `ألمانيا`, `إلكتروني`, `آلاف` keep their `ال`,
  which is why this works on fold_marks() output, where `أ إ آ` are still distinct;
- `لل` is `ل` + the article (its alef is not written): `للحرس` → `الحرس`; when the word itself
  starts with `ل` the lists tell: a name takes no article (`للبنان` → `لبنان`), a protected
  word does (`للاعبين` → `اللاعبين`).
"""

from __future__ import annotations

from functools import lru_cache

from .lexicon import names, protected_words
from .normalize import fold_alef

CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"
HAMZA_ALEFS = "أإآ"
POSSESSIVES = ("هما", "ها", "هم", "ه", "نا", "ي", "ات", "ون", "ين", "ان", "ا")
NISBA = ("يتين", "يتان", "يون", "يين", "يات", "يان", "يه")  # لبنانية, كويتيون, ليبية (of ليبيا)
ARTICLE_LEADS = ("ال", "لل", "بال", "كال")
MIN_LEFT = 3


@lru_cache(maxsize=65536)
def is_protected(word: str) -> bool:
    """WORD (alef-folded) or its form without one suffix is a listed root-initial word."""
    protected = protected_words()
    if word in protected:
        return True
    for suffix in POSSESSIVES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if base in protected or (base[-1] == "ت" and base[:-1] + "ه" in protected):
                return True
    for suffix in NISBA:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if base in protected or base + "ا" in protected or base + "يا" in protected:
                return True
    return False


def split_proclitics(word: str) -> tuple[int, str]:
    """(letters of WORD that are proclitics, the rest) for a fold_marks() word.

    After `لل` the rest gets its article back, so it is not always a suffix of WORD.
    """
    if len(word) < 4:
        return 0, word
    first = word[0]
    if first in CONJUNCTIONS:
        rest = word[1:]
        if rest[0] not in HAMZA_ALEFS and is_protected(fold_alef(word)):
            return 0, word
        if first == "و" or rest[0] in HAMZA_ALEFS or rest.startswith(ARTICLE_LEADS) or is_protected(fold_alef(rest)):
            if len(rest) >= MIN_LEFT:
                n, body = _after_conjunction(rest)
                return n + 1, body
        return 0, word
    return _after_conjunction(word)


def _after_conjunction(word: str) -> tuple[int, str]:
    if word.startswith("لل") and len(word) >= 4:
        rest = word[2:]
        if is_protected(fold_alef(word)):
            return 0, word
        lam_word = fold_alef("ل" + rest)
        if lam_word in names():
            return 1, "ل" + rest
        if fold_alef("ال" + rest) in names():  # لليونان: ل + اليونان, not ل + ليون…
            return 1, "ال" + rest
        if is_protected(lam_word):
            return 1, "الل" + rest
        return 1, "ال" + rest
    first = word[0]
    if first in PREPOSITIONS and len(word) > MIN_LEFT:
        rest = word[1:]
        if rest.startswith("ال") and len(rest) >= 4:
            return (0, word) if is_protected(fold_alef(word)) else (1, rest)
        if not is_protected(fold_alef(word)):
            return 1, rest
    return 0, word
