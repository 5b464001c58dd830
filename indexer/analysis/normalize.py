"""Character normalization for retrieval: fold the spellings that readers treat as one.

The issue's rules, in one `str.translate` pass: harakat, tatweel and superscript alef removed;
`أ إ آ ٱ` → `ا`; `ى` → `ي` (everywhere: a medial `ى` is a typo for `ي`); `ة` → `ه`;
Persian/Urdu `ک ی ڪ` (and `ڤ پ چ ژ گ`, which Arabic news uses for v/p/ch/zh/g) → their Arabic
letters; Arabic-Indic and Persian digits → ASCII; Latin case-folded. NFKC runs only on text
that holds presentation forms (`ﻻ`, `ﷲ`), NFC only on text with a combining hamza or madda,
so the common case stays a single C-level pass.

Word analysis needs one fact that full folding destroys: whether a word-initial alef carries a
hamza (`ألمانيا`, `آلاف` start with a root alef, never with the article `ال`). `fold_marks()`
is the first stage, which keeps `أ إ آ`; `fold_alef()` finishes; `normalize()` is both.

pyarabic was measured against these rules on SaudiNewsNet's vocabulary
(tests/bench/analysis_speed.py --pyarabic): `strip_tashkeel`, `strip_tatweel`, `normalize_teh`
are right but cost one pass each (the chain runs at ~0.4 M words/s, normalize() at ~1.4 M);
`normalize_alef` turns `ى` into `ا`, so `على` meets `علا` and `الى` meets `الا`;
`normalize_hamza` is wrong for search: by default `أ`/`إ` → `ء` and `آ` → `ءء`, so `إلى` no
longer meets `الى` written without its hamza (1.3 % of all tokens leave their word), and
"tasheel" joins `فيه`/`فئه`, `يوم`/`يؤم`; `normalize_ligature` knows only the lam-alef
ligatures; nothing folds Persian letters or digits. So the table is ours.
"""

from __future__ import annotations

import re
import unicodedata

_DELETE = (
    [chr(c) for c in range(0x0610, 0x061B)]  # Quranic honorific marks
    + [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, combining madda/hamza
    + ["\u0670"]  # superscript (dagger) alef
    + [chr(c) for c in range(0x06D6, 0x06DD)] + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06e7", "\u06e8"] + [chr(c) for c in range(0x06EA, 0x06EE)]  # Quranic annotation
    + ["\u0640"]  # tatweel
    + ["\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"]  # invisible
)
_LETTERS = {
    "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي", "ۑ": "ي", "ے": "ي", "ٸ": "ئ",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه", "ۃ": "ه",
    "ک": "ك", "ڪ": "ك", "ګ": "ك", "ڬ": "ك", "ڭ": "ك", "گ": "ك",
    "ڤ": "ف", "ڥ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز",
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ٶ": "ؤ", "ٷ": "ؤ",
    "\u066b": ".", "\u066c": ",",
}
for _i in range(10):
    _LETTERS[chr(0x0660 + _i)] = str(_i)
    _LETTERS[chr(0x06F0 + _i)] = str(_i)

HAMZA_ALEFS = "أإآ"
MARKS_TABLE = str.maketrans({**_LETTERS, **{c: None for c in _DELETE}})
ALEF_TABLE = str.maketrans({c: "ا" for c in HAMZA_ALEFS})
TABLE = str.maketrans({**_LETTERS, **{c: "ا" for c in HAMZA_ALEFS}, **{c: None for c in _DELETE}})

_NFKC = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\uff00-\uffef]")
_NFC = re.compile("[\u0653-\u0655]")


def _compose(text: str) -> str:
    if _NFC.search(text):
        text = unicodedata.normalize("NFC", text)
    if _NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text


def fold_marks(text: str) -> str:
    """Every rule of normalize() except `أ إ آ` → `ا` (word analysis still needs the hamza)."""
    return _compose(text).translate(MARKS_TABLE).casefold()


def fold_alef(text: str) -> str:
    """The last rule of normalize(): hamza-carrying alefs become a bare alef."""
    return text.translate(ALEF_TABLE)


def normalize(text: str) -> str:
    """Fold the spellings that readers treat as one: marks, alef/hamza seats, ى, ة, digits, case."""
    return _compose(text).translate(TABLE).casefold()
