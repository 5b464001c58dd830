"""Casualty figures written in words or digits: `15`, `١٥`, `خمسة عشر`, `مائة وخمسين`, `عشرات`.

A figure is exact (`value`) or vague (`at_least`: `عشرات` is at least 10, never an invented 20).
Qualifiers (`نحو`, `أكثر من`, `ما لا يقل عن`, `على الأقل`) are kept beside the stated value, which
is what we report: "more than 10" reports 10 with qualifier more_than, as ACLED codes the stated
figure. Figures above MAX_FIGURE are no casualty counts (phone numbers, budgets) and give nothing.

Input is the token list as (key, conj) pairs: KEY the analyzer's exact form with clitics split
(`وخمسة` → `خمسه`), CONJ whether a `و` joined it to the word before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from .lexicon import exact_key, lexicon

MAX_FIGURE = 1_000_000
DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
TEEN = frozenset({"عشر", "عشره"})

Key = tuple[str, bool]


@dataclass(frozen=True, slots=True)
class Figure:
    value: int | None  # an exact figure, or None when only a lower bound is stated
    at_least: int  # the lower bound (equal to value when exact)
    qualifier: str | None  # about, more_than, at_least, less_than
    start: int  # token index of the figure's first word (qualifier included)
    end: int  # token index after its last word


def key_of(word: str) -> str:
    return exact_key(word)


@lru_cache(maxsize=1)
def tables() -> dict[str, dict]:
    """The number words of the lexicon as analyzer keys (built once)."""
    raw = lexicon()["numbers"]
    out: dict[str, dict] = {}
    for name in ("units", "tens", "hundreds", "thousands", "vague"):
        out[name] = {key_of(k): v for k, v in raw[name].items()}
    out["qualifiers"] = {tuple(key_of(w) for w in k.split()): v for k, v in raw["qualifiers"].items()}
    out["not_people"] = {key_of(w) for w in raw["not_people"]}
    return out


def digits_value(key: str) -> int | None:
    if not DIGITS.match(key):
        return None
    return int(key.replace(",", ""))


def is_number_word(key: str) -> bool:
    t = tables()
    return any(key in t[name] for name in ("units", "tens", "hundreds", "thousands")) or digits_value(key) is not None


def qualifier_at(keys: Sequence[Key], i: int) -> tuple[str | None, int]:
    """(qualifier, index after it) for a qualifier phrase starting at I, else (None, I)."""
    for phrase, name in tables()["qualifiers"].items():
        n = len(phrase)
        if tuple(k for k, _ in keys[i:i + n]) == phrase:
            return name, i + n
    return None, i


def part_at(keys: Sequence[Key], j: int) -> tuple[int | None, int]:
    """One additive part: `15`, `3 آلاف`, `خمسة عشر`, `ثلاث مائة`, `عشرين`, `مائتين`, `ألف`."""
    t = tables()
    key = keys[j][0]
    follower = keys[j + 1][0] if j + 1 < len(keys) and not keys[j + 1][1] else None
    number = digits_value(key)
    if number is None:
        number = t["units"].get(key)
        if number is not None and number < 10 and follower in TEEN:
            return number + 10, j + 2
        if number is not None and t["hundreds"].get(follower) == 100:
            return number * 100, j + 2
    if number is None:
        number = t["tens"].get(key) or t["hundreds"].get(key)
    if number is None:
        if key == "الاف":
            return None, j  # `آلاف` alone is vague
        return t["thousands"].get(key), j + 1
    if follower in t["thousands"]:
        return number * 1000, j + 2
    return number, j + 1


def joins(previous: int, part: int) -> bool:
    """`خمسة وعشرين` (a unit, then tens), `مائة وخمسين` (larger, then smaller); not `ثلاثة وخمسة`."""
    if previous < 10:
        return 20 <= part < 100
    return part < previous


def unglued(keys: Sequence[Key]) -> list[Key]:
    """`وتسعون` left whole by the analyzer is `و` + `تسعون`."""
    out = []
    for key, conj in keys:
        if key[:1] == "و" and is_number_word(key[1:]):
            key, conj = key[1:], True
        out.append((key, conj))
    return out


def words_value(keys: Sequence[Key], i: int) -> tuple[int | None, int]:
    """(value, index after) of a number in words or digits starting at I: parts joined by `و`."""
    keys = unglued(keys[i:i + 12])
    value, end = _words_value(keys, 0)
    return value, i + end


def _words_value(keys: Sequence[Key], i: int) -> tuple[int | None, int]:
    total = 0
    j = i
    previous = None
    while j < len(keys) and (j == i or keys[j][1]):
        if previous is not None and (digits_value(keys[j][0]) is not None or digits_value(keys[i][0]) is not None):
            break  # `3 و5`: digits are written whole, so two are two figures
        part, after = part_at(keys, j)
        if part is None or (previous is not None and not joins(previous, part)):
            break
        total += part
        previous = part
        j = after
        if total > MAX_FIGURE:
            return None, j
    if j == i:
        return None, i
    return total, j


def figure_at(keys: Sequence[Key], i: int) -> Figure | None:
    """The figure starting at I (a qualifier, then digits or number words, or a vague word)."""
    qualifier, j = qualifier_at(keys, i)
    if j >= len(keys):
        return None
    value, end = words_value(keys, j)
    if value is not None:
        if value <= 0 or value > MAX_FIGURE:
            return None
        if end < len(keys) and keys[end][0] in tables()["not_people"]:
            return None
        trailing, after = qualifier_at(keys, end)
        if trailing == "at_least":
            qualifier, end = trailing, after
        return Figure(value, value, qualifier, i, end)
    if end > j:  # digits beyond MAX_FIGURE: consumed, no figure
        return None
    vague = tables()["vague"].get(keys[j][0])
    if vague is not None:
        return Figure(None, vague, qualifier, i, j + 1)
    return None


def figure_ending_at(keys: Sequence[Key], end: int) -> Figure | None:
    """The figure whose last word is at END - 1 (`خمسة عشر قتيلا`: the words before the noun)."""
    start = end - 1
    if start < 0:
        return None
    while start > 0 and is_number_word(keys[start - 1][0]) and (keys[start][1] or keys[start][0] in TEEN
                                                                or keys[start][0] in tables()["thousands"]
                                                                or keys[start][0] in tables()["hundreds"]):
        start -= 1
    for back in (3, 2, 1):  # a qualifier before it: `نحو`, `أكثر من`, `ما لا يقل عن`
        if start - back >= 0:
            name, after = qualifier_at(keys, start - back)
            if name and after == start:
                start -= back
                break
    found = figure_at(keys, start)
    if found is not None and found.end >= end:
        return found
    return None


def count_or_none(value: Any) -> int | None:
    """A stated figure of an extraction as an int; None for not stated (or anything that is no count)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
