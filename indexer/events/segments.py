"""Sentences of an article with their offsets: the unit an event's `text` quotes.

A sentence ends at `.`, `!`, `?`, `؟`, `؛` or a line break; a full stop between digits (`3.5`)
or after a single letter (`م.`, `د.`) does not end one.
"""

from __future__ import annotations

import re

BOUNDARY = re.compile(r"(?<!\d)\.(?!\d)|(?<=\d)\.(?!\d)|(?<!\d)\.(?=\d)|[!?؟؛\n]+")
ABBREVIATION = re.compile(r"(?:^|\s)\S\s*$")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of TEXT, stripped of surrounding blanks."""
    out: list[tuple[int, int]] = []
    start = 0
    for boundary in BOUNDARY.finditer(text):
        if boundary.group() == "." and ABBREVIATION.search(text, max(start, boundary.start() - 3), boundary.start()):
            continue
        _append(text, start, boundary.end(), out)
        start = boundary.end()
    _append(text, start, len(text), out)
    return out


def _append(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
