"""Casualty figures: digits of both kinds, number words (compound ones too), qualifiers, vague
amounts kept vague with their lower bound, and nonsense that must give nothing, never raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.entities.tokens import scan
from indexer.events.extract import tokens_of
from indexer.events.numbers import MAX_FIGURE, figure_at

UNITS = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
TEENS = {11: "أحد عشر", 12: "اثنا عشر"}
TENS = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
HUNDREDS = ["", "مائة", "مائتان", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة", "ثمانمائة", "تسعمائة"]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def keys(text: str) -> list[tuple[str, bool]]:
    """The (key, joined by و) pairs the event extractor hands the parser."""
    return [(t.key, t.conj) for t in tokens_of(text, scan(text))]


def parse(text: str):
    return figure_at(keys(text), 0)


def in_words(n: int) -> str:
    """Arabic words for 1..999 in the order newspapers write them (units before tens)."""
    hundreds, rest = divmod(n, 100)
    parts = [HUNDREDS[hundreds]] if hundreds else []
    if rest in TEENS:
        parts.append(TEENS[rest])
    elif 13 <= rest <= 19:
        parts.append(f"{UNITS[rest - 10]} عشر")
    elif rest:
        tens, unit = divmod(rest, 10)
        small = [w for w in (UNITS[unit] if unit else "", TENS[tens] if tens else "") if w]
        parts.append(" و".join(small))
    return " و".join(parts)


@pytest.mark.parametrize("text, value", [
    ("15 شخصا", 15), ("١٥ شخصا", 15), ("1,200 شخص", 1200), ("خمسة عشر جنديا", 15), ("ثلاثة", 3),
    ("خمسة وعشرين", 25), ("مائة وخمسين", 150), ("ثلاث مائة", 300), ("ثلاثة آلاف", 3000),
    ("إحدى عشرة", 11), ("مائتين", 200),
])
def test_exact_figures(text: str, value: int) -> None:
    figure = parse(text)
    assert figure is not None and figure.value == value and figure.at_least == value


@pytest.mark.parametrize("text, qualifier, value", [
    ("نحو 20 شخصا", "about", 20), ("أكثر من عشرة", "more_than", 10), ("ما لا يقل عن ثلاثة", "at_least", 3),
    ("3 على الأقل", "at_least", 3), ("قرابة مئة", "about", 100),
])
def test_qualifiers_keep_the_stated_figure(text: str, qualifier: str, value: int) -> None:
    figure = parse(text)
    assert (figure.value, figure.qualifier) == (value, qualifier)


@pytest.mark.parametrize("text, lower_bound", [("عشرات", 10), ("مئات", 100), ("آلاف", 1000), ("العديد", 2)])
def test_vague_amounts_stay_vague_with_a_lower_bound(text: str, lower_bound: int) -> None:
    figure = parse(text)
    assert figure.value is None and figure.at_least == lower_bound


@pytest.mark.parametrize("text", [
    "99999999999999999999999999999 شخص", "3 و5", "2 أيام", "يوم", "", "؟!", "عشر دقائق",
])
def test_no_casualty_figure(text: str) -> None:
    figure = parse(text)
    assert figure is None or figure.value == 3  # `3 و5`: digits are two figures, the first is 3


@given(st.integers(min_value=1, max_value=MAX_FIGURE))
def test_digits_of_both_kinds_read_back(n: int) -> None:
    assert parse(f"{n} شخصا").value == n
    assert parse(f"{str(n).translate(INDIC)} شخصا").value == n


@given(st.integers(min_value=1, max_value=999))
def test_number_words_read_back(n: int) -> None:
    assert parse(in_words(n) + " شخصا").value == n


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["و", "خمسة", "عشر", "مائة", "آلاف", "نحو", "أكثر", "من", "9" * 30, "١٥",
                                 "عشرات", "ألف", "قتيلا", "على", "الأقل", "،", "-", "0"]), max_size=12))
def test_any_sequence_of_number_words_gives_a_sane_figure_or_none(words: list[str]) -> None:
    figure = parse(" ".join(words))
    if figure is not None:
        assert 0 < figure.at_least <= MAX_FIGURE
        assert figure.value is None or figure.value == figure.at_least
