"""actor1/actor2 of an event: filled only where its sentence makes the roles plain (our own
sentences; actors as the gazetteer names them)."""

from __future__ import annotations

import datetime as dt

import pytest

PUBLISHED = dt.date(2015, 8, 2)


def roles_of(extractor, text: str) -> list[tuple[str, str]]:
    return [(e["actor1"], e["actor2"]) for e in extractor.extract("خبر", text, PUBLISHED)["events"]]


@pytest.mark.parametrize("text, expected", [
    ("شنت طائرات التحالف العربي غارات على مواقع لميليشيا الحوثي في صنعاء أمس.", ("saudi-coalition", "houthis")),
    ("قتل ثمانية أشخاص بقصف لميليشيا الحوثي على حي سكني في عدن.", ("houthis", "")),
    ("وكان الحوثيون قد خطفوا مسؤولا حكوميا في صنعاء أمس.", ("houthis", "")),
    ("سيطر مسلحو تنظيم داعش على بلدة في ريف حلب اليوم.", ("isis", "")),
    ("قتل عشرة مدنيين في غارة جوية نفذتها طائرات التحالف الدولي على قرية قرب الرقة.", ("global-coalition", "")),
])
def test_the_doer_named_by_the_sentence_is_actor1(extractor, text: str, expected: tuple[str, str]) -> None:
    assert expected in roles_of(extractor, text)


@pytest.mark.parametrize("text", [
    "قال الجيش إن غارات استهدفت مواقع لتنظيم داعش قرب الموصل أمس.",  # who struck is not said
    "وأعلن مسؤول أن قائدا في الحرس الثوري قتل في الغارة على دمشق أمس.",  # `قُتل`: the victim
    "وأثبتت الوحدات الكردية التي طردت تنظيم داعش من البلدة أنها الأقوى، بعد معارك في ريف حلب أمس.",
    "واستعاد المقاتلون نقاطا كانت قوات النظام سيطرت عليها في ريف حماة أمس.",
])
def test_no_role_is_guessed(extractor, text: str) -> None:
    for actor1, _ in roles_of(extractor, text):
        assert actor1 not in ("isis", "irgc", "syrian-army")


def test_a_target_needs_a_doer(extractor) -> None:
    for actor1, actor2 in roles_of(extractor, "وأسفرت الغارات على مواقع لميليشيا الحوثي عن مقتل خمسة في صعدة."):
        assert not actor2 or actor1 and actor1 != actor2
