"""Fighting an article mentions but does not report: a war's toll, a front that 'witnesses
clashes', a call to stop the fighting, a campaign 'since' it began, an event named again. The
reported event beside it stays."""

from __future__ import annotations

import datetime as dt

import pytest

PUBLISHED = dt.date(2015, 8, 2)


def subtypes(extraction: dict) -> list[str]:
    return sorted({e["subtype"] for e in extraction["events"]})


@pytest.mark.parametrize("title, text", [
    ("بعثة أممية قلقة", "أبدت البعثة الأممية قلقها إزاء تجدد الاشتباكات في جنوب البلاد، ودعت الأطراف إلى ضبط النفس."),
    ("بيان", "عبرت المنظمة عن قلق بالغ حيال المعارك بين الفصائل المسلحة."),
    ("حزب المعارضة", "قال رئيس الحزب إن اجتماعه سيبحث سبل وقف الاشتباكات بين الجيش والمسلحين."),
    ("المدينة", "وما زالت المدينة تشهد اشتباكات متقطعة بين القوات والمسلحين في عدد من محاورها."),
    ("مقال", "يرى الكاتب أن الجيش لا يريد المواجهة مع التنظيم ويخشى فتح جبهة صراع جديدة."),
])
def test_talk_about_fighting_is_no_battle(extractor, title: str, text: str) -> None:
    assert extractor.extract(title, text, PUBLISHED)["events"] == []


def test_a_battle_with_no_place_day_or_figure_is_not_reported() -> None:
    """`القتال مستمر`, `مواجهة التحديات`: a battle word needs a place, a day or a figure of its own."""
    from indexer.entities.extract import get_extractor

    extraction = get_extractor().extract(
        "تقرير", "وقال المتحدث إن القتال مستمر مع الجماعات الإرهابية وإن القوات جاهزة.", PUBLISHED)
    assert extraction["events"] == []


@pytest.mark.parametrize("text", [
    "سيطرت قوات الجيش اليوم على البلدة بعد معارك عنيفة مع المسلحين.",
    "اندلعت اشتباكات بين القوات والمسلحين في مدينة تعز.",
    "قتل ثلاثة مسلحين في اشتباكات مع الشرطة.",
    "وسجلت مواجهات مسلحة بين المتمردين وقوات الأمن في محافظة نائية.",
])
def test_a_battle_with_a_place_day_or_figure_stays(extractor, text: str) -> None:
    assert "battles" in {e["type"] for e in extractor.extract("خبر", text, PUBLISHED)["events"]}


def test_a_war_s_toll_beside_the_event_counts_only_the_event(extractor) -> None:
    text = ("قتل جنديان في هجوم بقذائف الهاون على موقع للجيش في البلدة أمس. "
            "ويأتي القصف في ظل الحرب التي أودت بحياة أكثر من 200 ألف شخص منذ أربعة أعوام.")
    extraction = extractor.extract("هجوم على موقع", text, PUBLISHED)
    assert extraction["killed"] == 2
    assert [e["killed"] for e in extraction["events"]] == [2]


def test_the_toll_of_a_war_alone_is_no_event(extractor) -> None:
    text = "وتجازف المواجهات بعرقلة جهود إنهاء النزاع الذي أسفر عن مقتل 40 ألف شخص في البلاد."
    extraction = extractor.extract("تحليل", text, PUBLISHED)
    assert extraction["events"] == [] and extraction["killed"] is None


def test_what_happened_since_a_campaign_began_is_no_event(extractor) -> None:
    text = "وصعد المسلحون هجماتهم منذ أن بدأت الطائرات غاراتها على معسكراتهم في الجبال."
    assert extractor.extract("تحليل", text, PUBLISHED)["events"] == []


def test_the_attack_named_again_is_one_event_not_two(extractor) -> None:
    text = ("قتل أربعة جنود في انفجار عبوة ناسفة استهدفت دوريتهم في مدينة العريش اليوم. "
            "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.")
    events = extractor.extract("انفجار عبوة", text, PUBLISHED)["events"]
    assert [(e["subtype"], e["killed"]) for e in events] == [("remote_explosive_landmine_ied", 4)]


def test_a_recap_of_an_official_statement_is_reported_news(extractor) -> None:
    """`وكان ... قد` and `كان المتحدث صرح بأن` tell the news again; a bare `وكان` tells history."""
    recap = ("أدان المجلس الهجوم على المعسكر. كان متحدث باسم الجيش صرح أمس بأن مسلحين أطلقوا صاروخين "
             "على ثكنة في قرية شمالية ما أسفر عن مقتل 13 جنديا وإصابة 3 آخرين.")
    extraction = extractor.extract("إدانة", recap, PUBLISHED)
    assert (extraction["killed"], extraction["injured"]) == (13, 3)
    history = ("أدان المجلس الهجوم على المعسكر. وكانت الجماعة أطلقت صاروخين على ثكنة في قرية شمالية "
               "ما أسفر عن مقتل 13 جنديا.")
    assert extractor.extract("إدانة", history, PUBLISHED)["killed"] is None
