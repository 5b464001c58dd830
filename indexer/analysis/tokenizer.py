"""Tokenization of Arabic news text: one regex, one C-level pass.

Tokens are maximal runs of one kind, so offsets always slice the original text:
- URLs and e-mail addresses stay whole (trailing sentence punctuation, Arabic `،؛؟` too, is
  left out);
- numbers keep their decimal and thousands separators (`3.5`, `1,200`, `٣٫٥`);
- an Arabic run keeps its harakat, tatweel and zero-width joiners (normalization removes them),
  so `الحـرس` and `الحَرَس` are one token;
- an e-mail address is only tried where a run of its characters starts, so a megabyte of
  `a.a.a.…` or `1-1-1-…` stays linear (trying it at every position was quadratic);
- anything else splits: quotes, hyphens and script changes. `لـ"الحرس` gives `لـ` (a lone
  clitic, dropped by the pipeline) and `الحرس`; `إف-15`, `إف 15`, `اف15` and `F-15` all give
  the same two tokens, so a phrase finds each spelling; `الجمعة-السبت` gives two days.
"""

from __future__ import annotations

import re
from typing import Iterator

# Letters, marks and presentation forms; not the symbols of those blocks that NFKC leaves as
# symbols (the honorific and basmala ligatures ﷽ ﷺ-like U+FD40–FD4F, FDCF, FDFD–FDFF, the
# dot/ring symbols U+FBB2–FBC2, U+08E2), which would be tokens without a letter.
ARABIC_LETTERS = (
    "\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06dc\u06df-\u06e8\u06ea-\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08e1\u08e3-\u08ff\ufb50-\ufbb1\ufbd3-\ufd3d"
    "\ufd50-\ufd8f\ufd92-\ufdc7\ufdf0-\ufdfc\ufe70-\ufe74\ufe76-\ufefc"
    "\u200c\u200d"
)
DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
LATIN = "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a"
LATIN_MARKS = "\u0300-\u036f"  # combining accents: part of a Latin word, never a token alone
URL_END = r"[.,;:!?'\"”“’»)\]}>،؛؟…]"

TOKEN_RE = re.compile(
    rf"(?:https?://|www\.)[^\s<>\"'”“’«»()\[\]{{}}]+(?<!{URL_END})"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    rf"|[{DIGITS}]+(?:[.,\u066b\u066c][{DIGITS}]+)+"
    rf"|[{ARABIC_LETTERS}]+"
    rf"|[{LATIN}][{LATIN}{LATIN_MARKS}]*"
    rf"|[{DIGITS}]+"
)


def tokenize(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (surface, start, end) for every candidate token of TEXT."""
    for m in TOKEN_RE.finditer(text):
        yield m.group(), m.start(), m.end()


def split_surface(text: str) -> list[tuple[str, int, int]]:
    """The same as tokenize() but as a list: the hot path of indexing wants one C-level pass."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
