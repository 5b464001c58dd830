"""Tokenization of Arabic news text.

Arabic runs keep their diacritics and tatweel (normalization removes them later) so offsets
always slice the original text. Hyphens and script changes split tokens, so that `إف-15`,
`إف 15` and `اف15` all give the same two tokens and a phrase finds each of them.
"""

from __future__ import annotations

import re
from typing import Iterator

ARABIC_LETTERS = (
    "\u0621-\u065f\u0670-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    "\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc"
)
DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
LATIN = "a-zA-Z\u00c0-\u024f"

TOKEN_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'”“»«()\[\]]+"
    rf"|[{DIGITS}]+(?:[.,\u066b\u066c][{DIGITS}]+)+"
    rf"|[{ARABIC_LETTERS}]+"
    rf"|[{LATIN}]+"
    rf"|[{DIGITS}]+"
)


def tokenize(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (surface, start, end) for every candidate token of TEXT."""
    for m in TOKEN_RE.finditer(text):
        yield m.group(), m.start(), m.end()


def split_surface(text: str) -> list[tuple[str, int, int]]:
    """The same as tokenize() but as a list: the hot path of indexing wants one C-level pass."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
