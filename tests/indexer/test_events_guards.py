"""What is not an event (accidents, floods, crashes, fires, disease, sport, court executions,
history, statistics over a period, threats) and input that must never break extraction."""

from __future__ import annotations

import datetime as dt
import time

import pytest

PUBLISHED = dt.date(2015, 7, 24)


@pytest.mark.parametrize("title, text", [
    ("مصرع أربعة في حادث مروري", "لقي أربعة أشخاص مصرعهم وأصيب ثلاثة آخرون في حادث تصادم بين شاحنة وسيارة على طريق المزاحمية."),
    ("سيول جازان", "توفي شخصان غرقاً بعد أن جرفت السيول سيارتهما في أحد الأودية، وأنقذت فرق الدفاع المدني خمسة آخرين."),
    ("تحطم طائرة", "قتل 20 شخصا على الأقل عندما تحطمت طائرة ركاب بعد إقلاعها بسبب خلل فني."),
    ("حريق في عمارة", "أصيب 15 شخصاً بحالات اختناق في حريق اندلع في عمارة سكنية بسبب تماس كهربائي."),
    ("كورونا", "سجلت وزارة الصحة وفاة شخصين وإصابة سبعة آخرين بفيروس كورونا خلال الأسبوع."),
    ("إصابة اللاعب", "تعرض مهاجم الفريق لإصابة في الركبة خلال المباراة وسيغيب عن الملعب أسبوعين، بعد هجوم خطير للفريق المنافس."),
    ("تنفيذ حكم", "نفذت وزارة الداخلية حكم القتل قصاصاً في جانٍ أدين بقتل مواطن، بعد صدور حكم المحكمة."),
    ("في ذكرى المجزرة", "أحيا الأهالي الذكرى العشرين للمجزرة التي قتل فيها مئات المدنيين في قصف على البلدة."),
    ("حصيلة شهرية", "قالت البعثة الأممية إن 1332 عراقياً قتلوا في أعمال العنف والهجمات خلال يوليو الماضي."),
    ("إحصائية", "قتل أكثر من 15 ألف شخص في هجمات الجماعة منذ 2009."),
    ("تهديد", "هدد المتحدث بشن غارات جديدة إذا لم تنسحب القوات، وقال إنه مستعد لأي هجوم."),
    ("سوق الأسهم", "شهدت الأسواق معركة حامية بين المضاربين، وتعرضت الأسهم لضربة قوية بعد انفجار فقاعة العقار."),
])
def test_not_conflict_events(extractor, title: str, text: str) -> None:
    extraction = extractor.extract(title, text, PUBLISHED)
    assert extraction["events"] == []
    assert extraction["killed"] is None and extraction["injured"] is None


@pytest.mark.parametrize("text", [
    "قتل 99999999999999999999999999999999999999 شخص في غارة جوية على البلدة.",
    "أسفر القصف عن مقتل -5 أشخاص و0 جرحى.",
    "غارة " * 500,
    "قتل وإصابة " * 300 + "20 شخصا في اشتباكات",
    "شنت الطائرات غارات في 31 فبراير 2015 وفي 45/13/2015 وفي الثلاثين من الشهر الثالث عشر.",
    "؟!،.:" * 500,
    "\u200f\u200e\ufeff" * 100 + "انفجار" + "\u0640" * 50,
], ids=["huge-number", "negative-zero", "500-triggers", "combined-casualties", "impossible-dates", "punctuation",
        "invisible-marks"])
@pytest.mark.parametrize("published", [PUBLISHED, None, dt.date(9999, 12, 31)])
def test_bad_input_never_breaks_extraction(extractor, text: str, published) -> None:
    extraction = extractor.extract("", text, published)
    for event in extraction["events"]:
        for kind in ("killed", "injured"):
            assert event[kind] is None or 0 < event[kind] <= 1_000_000
        assert text[event["start"]:event["end"]] == event["text"]
    assert extraction["killed"] is None or extraction["killed"] <= 1_000_000


def test_ten_thousand_triggers_in_one_text_finish(extractor) -> None:
    started = time.process_time()
    extraction = extractor.extract("", "اشتباكات وغارات وقصف مدفعي. " * 10_000, PUBLISHED)
    assert extraction["events"]
    assert time.process_time() - started < 120  # a guard against a quadratic blow-up, not a benchmark


def test_events_can_be_switched_off_for_the_build_benchmark(monkeypatch) -> None:
    from indexer.entities.actor_book import load_actor_book, load_sources
    from indexer.entities.extract import Extractor, events_enabled
    from indexer.entities.gazetteer import load_gazetteer

    monkeypatch.setenv("MARSAD_EVENTS", "0")
    assert not events_enabled()
    off = Extractor(load_gazetteer(), load_actor_book(), load_sources())
    extraction = off.extract("", "شنت طائرات التحالف غارات جوية على صنعاء.", PUBLISHED)
    assert extraction["events"] == [] and extraction["places"]
    assert off.index_fields(extraction)["events"] == []
    monkeypatch.setenv("MARSAD_EVENTS", "1")
    assert events_enabled()


@pytest.mark.parametrize("text", [
    "ويشكو سكان المدينة منذ أكثر من عام من موجة اغتيالات وتفجيرات لم يعلن أحد مسؤوليته عنها.",
    "وتهدد الاشتباكات جهود إنهاء التمرد المستمر من ثلاثة عقود والذي راح ضحيته نحو 40 ألف شخص.",
])
def test_a_war_or_a_wave_over_years_is_no_event(extractor, text: str) -> None:
    assert extractor.extract("", text, PUBLISHED)["events"] == []
