"""Where an event happened: a capital that answers, accuses or warns stands for its government
(`وردّت واشنطن بغارات`), so it is no location of the strike; a capital that is struck still is."""

from __future__ import annotations

import datetime as dt

import pytest

PUBLISHED = dt.date(2023, 3, 25)


def places_by_sentence(extraction: dict) -> dict[str, list[str]]:
    return {e["text"].split()[0]: e["places"] for e in extraction["events"]}


@pytest.mark.parametrize("text, first_word, place", [
    ("وردّت واشنطن بغارات جوية استهدفت منشآت في دير الزور.", "وردّت", "sy-deir-ez-zor"),
    ("واتهمت طهران التحالف بقصف مواقع في البوكمال.", "واتهمت", "sy-al-bukamal"),
    ("وقالت موسكو إن طائراتها شنت غارات على مواقع في إدلب.", "وقالت", "sy-idlib"),
])
def test_a_capital_as_the_subject_of_a_government_verb_is_not_the_place(extractor, text, first_word, place):
    found = places_by_sentence(extractor.extract("تصعيد", text, PUBLISHED))
    assert place in found[first_word]
    assert not {"us-washington", "ir-tehran", "ru-moscow"} & set(found[first_word])


def test_a_struck_capital_stays_the_place(extractor):
    found = places_by_sentence(extractor.extract(
        "غارات", "وشنت طائرات حربية غارات على مواقع في طهران فجر اليوم.", PUBLISHED))
    assert found["وشنت"] == ["ir-tehran"]
