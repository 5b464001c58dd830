"""Character normalization for retrieval.

pyarabic's helpers are close but some defaults are wrong for search (normalize_hamza turns
`أ` into `ء`, which splits `أمريكا` from `امريكا`), so the table is ours: one str.translate
pass, plus NFKC only for text that holds presentation forms.
"""

from __future__ import annotations

import re
import unicodedata

_DELETE = (
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, madda/hamza marks
    + ["\u0670", "\u0640", "\u06e5", "\u06e6", "\u200c", "\u200d", "\u200e", "\u200f"]
)
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه",
    "ک": "ك", "ڪ": "ك", "ګ": "ك",
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)
_MAP.update({"\u066b": ".", "\u066c": ","})

TABLE = str.maketrans({**_MAP, **{c: None for c in _DELETE}})
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\uff00-\uffef]")


def normalize(text: str) -> str:
    """Fold the spellings that readers treat as one: marks, alef/hamza seats, ى, ة, digits, case."""
    if _PRESENTATION.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(TABLE).lower()
