"""The light stemmer of the recall view: Light10's idea, tuned for names in the news.

Input is the exact-view word (normalized, proclitics already split off, variants folded).
Against Light10 (Larkey et al.), measured on tests/bench/variant_families.py:
- the article goes, as in Light10, but only a bare `ال` (see clitics.py);
- the nisba `ي` stays: Light10 strips `ي`/`يه`, which joins `مدني` with `مدن` and
  `إيراني` with `إيران`; here every form of an adjective ends on `ي` (`الإيرانية`,
  `إيرانيون`, `إيرانيين` → `ايراني`) and the name stays apart (`إيران` → `ايران`);
- names in names.txt are never cut (`لبنان` is not `لبن`, `عدنان` is not `عدن`), and no
  other word is cut into one (`حلبة` is not `حلب`, `عدنا` is not `عدن`, `عراقة` is not `عراق`);
- a name listed with its article keeps it (`اليمن`, `الموصل`): the bare word is another
  word (`يمن` "blesses", `موصل` "conductor");
- one possessive (`ه`, `ها`, `هم`, `هما`) goes first, and a `ت` it uncovers is the
  ta marbuta (`حكومتها` → `حكوم`, like `الحكومة`), so `ميليشياته` → `ميليشي`;
- plural and dual endings need three letters left (`قوات` stays whole), then the feminine
  `ه`, or else an accusative `ا` (`ميليشيا`, `أمريكيا` → `ميليشي`, `امريكي`).
"""

from __future__ import annotations

from .clitics import split_proclitics
from .lexicon import alef_lam_words, names
from .normalize import fold_alef
from .variants import fold_body

POSSESSIVE = ("هما", "هم", "ها", "ه")
PLURAL = ("تين", "تان", "ات", "ون", "ين", "ان")
ARABIC_FIRST, ARABIC_LAST = "\u0621", "\u06ff"


def is_name(word: str) -> bool:
    listed = names()
    return word in listed or "ال" + word in listed


def stem_body(body: str) -> str:
    """Stem a folded word that has neither proclitics nor article."""
    if len(body) < 3 or is_name(body) or not (ARABIC_FIRST <= body[0] <= ARABIC_LAST):
        return body
    word = body
    cut = False
    for suffix in POSSESSIVE:
        if word.endswith(suffix) and len(word) - len(suffix) >= (2 if suffix == "ه" else 3):
            word = word[: -len(suffix)]
            if word[-1] == "ت" and len(word) >= 4 and not word.endswith("ات"):
                word = word[:-1]
            cut = True
            break
    for suffix in PLURAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            cut = True
            break
    if not cut:
        if word.endswith("ه") and len(word) >= 3:
            word = word[:-1]
        elif word.endswith("ا") and len(word) >= 4:
            word = word[:-1]
    return body if is_name(word) else word


def stem_word(article: str, body: str) -> str:
    """The stem of a folded body that had ARTICLE (`ال` or ""): a definite listed name keeps it."""
    if article and article + body in names():
        return article + body
    return stem_body(body)


def split_article(word: str) -> tuple[str, str]:
    """("ال" or "", the rest) of a fold_marks() word: only a bare alef + lam is the article,
    and not in a word listed in alef_lam.txt (`المانيا` is `ألمانيا` without its hamza)."""
    if word.startswith("ال") and len(word) >= 4 and fold_alef(word) not in alef_lam_words():
        return "ال", word[2:]
    return "", word


def light_stem(word: str) -> str:
    """The stem-view term of one normalized word (clitics, article, variants, suffixes)."""
    if not word or not (ARABIC_FIRST <= word[0] <= ARABIC_LAST):
        return word
    _, rest = split_proclitics(word)
    article, body = split_article(rest)
    if article and len(body) < 3 and fold_alef(rest) in names():
        return fold_alef(rest)
    return stem_word(article, fold_body(fold_alef(body), definite=bool(article)))
