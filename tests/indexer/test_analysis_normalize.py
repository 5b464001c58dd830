"""Character normalization: every letter rule of issue 2, and idempotence.

A reader types `الامم المتحده` and expects `الأُمَمُ المتّحدة`; these tests pin each fold
one by one, so a regression names the rule it broke.
"""

from __future__ import annotations

import unicodedata

import pyarabic.araby as araby
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indexer.analysis import normalize
from indexer.analysis.normalize import fold_alef, fold_marks

HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

# Text made of what Arabic news really contains, so hypothesis explores the rules rather than
# random planes of Unicode (a second strategy covers arbitrary text).
ARABIC_ALPHABET = (
    "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي" + HARAKAT + "\u0670\u0640ٱکیڪگپچژڤ"
    + ARABIC_INDIC + PERSIAN_DIGITS + "ﻻﻷﷲ" + "0123456789 .,،؛؟!-«»\"'”“″" + "abcXYZÉß"
    + "\u0653\u0654\u0655\u200c\u200d"
)
arabic_text = st.text(alphabet=ARABIC_ALPHABET, max_size=80)


@pytest.mark.parametrize(
    ("raw", "expected", "rule"),
    [
        ("أحمد", "احمد", "hamza above alef"),
        ("إسرائيل", "اسرائيل", "hamza below alef"),
        ("آلاف", "الاف", "madda alef"),
        ("ٱلله", "الله", "wasla alef"),
        ("مستشفى", "مستشفي", "final alef maksura"),
        ("على", "علي", "alef maksura in a short word"),
        ("مدينة", "مدينه", "ta marbuta"),
        ("کرمانشاه", "كرمانشاه", "Persian keheh"),
        ("ایران", "ايران", "Farsi yeh"),
        ("ڪراچي", "كراجي", "swash kaf (and tcheh)"),
        ("گرگان", "كركان", "gaf"),
        ("٢٠١٥", "2015", "Arabic-Indic digits"),
        ("۱۳۹۴", "1394", "Persian digits"),
        ("الحَرَسُ", "الحرس", "harakat"),
        ("مُحَمَّدٌ", "محمد", "shadda and tanween"),
        ("الحـــرس", "الحرس", "tatweel"),
        ("هٰذا", "هذا", "superscript alef"),
        ("ﻻ", "لا", "lam-alef presentation form (NFKC)"),
        ("ﷲ", "الله", "Allah ligature (NFKC)"),
        ("F-16 ISIS", "f-16 isis", "Latin case folding"),
        ("Straße", "strasse", "Latin full case folding"),
    ],
)
def test_each_letter_rule_maps_as_stated(raw: str, expected: str, rule: str) -> None:
    assert normalize(raw) == expected, rule


def test_alef_maksura_folds_everywhere_not_only_at_the_end() -> None:
    # A medial ى is a typing error for ي; folding it everywhere keeps normalize() idempotent
    # and one table pass.
    assert normalize("مستشفىات") == normalize("مستشفيات")


def test_combining_hamza_composes_like_the_precomposed_letter() -> None:
    assert normalize("ا\u0654حمد") == normalize("أحمد") == "احمد"
    assert normalize("ا\u0653لاف") == normalize("آلاف")


def test_digit_separators_become_ascii() -> None:
    assert normalize("٣٫٥") == "3.5"
    assert normalize("١٬٢٠٠") == "1,200"


def test_invisible_format_characters_are_dropped() -> None:
    assert normalize("الحر\u200cس\u200f") == "الحرس"


def test_fold_marks_keeps_hamza_alef_and_fold_alef_finishes() -> None:
    # Word analysis needs to know that أ in ألمانيا is not the article's bare alef.
    assert fold_marks("أَلمانيا") == "ألمانيا"
    assert fold_alef(fold_marks("أَلمانيا")) == normalize("أَلمانيا") == "المانيا"


@settings(max_examples=400)
@given(arabic_text)
@example("ﻷ")
@example("ى\u0654")
@example("ﷺ")
def test_normalization_is_idempotent_on_arabic_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_normalization_is_idempotent_on_any_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(arabic_text)
def test_no_folded_character_survives_normalization(text: str) -> None:
    out = normalize(text)
    survivors = set(out) & set("أإآٱىةکیڪگ\u0640\u0670" + HARAKAT + ARABIC_INDIC + PERSIAN_DIGITS)
    assert not survivors
    assert not any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in out)
    assert out == out.casefold()


@settings(max_examples=200)
@given(arabic_text)
def test_fold_marks_then_fold_alef_is_normalize(text: str) -> None:
    assert fold_alef(fold_marks(text)) == normalize(text)


def test_pyarabic_defaults_would_be_wrong_for_retrieval() -> None:
    """Why normalize() is ours: pyarabic's hamza folding turns أ into ء and its alef folding
    turns ى into ا, so `على` (on) would meet `علا` (rose)."""
    assert araby.normalize_hamza("أحمد") != normalize("أحمد")
    assert araby.normalize_alef("على") == "علا" and normalize("على") == "علي"
    assert unicodedata.normalize("NFKC", "ﻻ") == normalize("ﻻ")


def test_pyarabic_character_tables_agree_with_our_rules() -> None:
    """pyarabic's inventories are right and independent of our table: every mark it lists is
    removed, every alef seat but ى becomes ا, every lam-alef ligature becomes لا."""
    for mark in araby.TASHKEEL + (araby.TATWEEL, araby.SHADDA):
        assert normalize("ب" + mark) == "ب", hex(ord(mark))
    for alef in araby.ALEFAT:
        expected = {"ى": "ي", "\u0670": ""}.get(alef, "ا")
        assert normalize(alef) == expected, hex(ord(alef))
    for ligature in araby.LIGUATURES:
        assert normalize(ligature) == "لا", hex(ord(ligature))
    for plain, pyarabic_way in (("مدينة", araby.normalize_teh("مدينة")), ("الحَرَس", araby.strip_tashkeel("الحَرَس"))):
        assert normalize(plain) == pyarabic_way
