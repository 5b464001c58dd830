"""Which number belongs to which event and how an article's totals add up: separate incidents
add, a headline told again in the body is one incident, the attacker's body is no victim."""

from __future__ import annotations

import datetime as dt

PUBLISHED = dt.date(2015, 8, 9)


def totals(extraction: dict) -> tuple[int | None, int | None]:
    return extraction["killed"], extraction["injured"]


def test_another_incident_in_the_same_province_adds_up(extractor) -> None:
    text = ("لقي 24 مسلحا مصرعهم وأصيب 42 آخرون في معارك عنيفة مع المقاومة في محافظة تعز. "
            "من جهة أخرى قتل مسلحان وأصيب أربعة آخرون في هجوم شنته المقاومة على تجمع للمسلحين في محافظة تعز.")
    assert totals(extractor.extract("معارك في تعز", text, PUBLISHED)) == (26, 46)


def test_the_same_incident_told_twice_counts_once(extractor) -> None:
    text = ("قتل 24 مسلحا في معارك عنيفة مع المقاومة في محافظة تعز أمس. "
            "وقالت مصادر محلية إن المعارك في محافظة تعز أسفرت عن مقتل 24 مسلحا.")
    assert totals(extractor.extract("معارك في تعز", text, PUBLISHED))[0] == 24


def test_a_headline_told_again_in_the_body_is_one_incident_among_others(extractor) -> None:
    text = ("أعلنت الشرطة صد هجوم شنه مسلحون على حاجز شرق المدينة وقتل 12 منهم. "
            "من جهة أخرى أعلنت خلية الإعلام الحربي مقتل عشرة من المسلحين بضربة جوية استهدفت مقرا لهم غرب المدينة.")
    extraction = extractor.extract("صد هجوم مسلح وقتل 12 من عناصره", text, PUBLISHED)
    assert totals(extraction)[0] == 22


def test_the_suicide_bomber_s_body_is_no_victim(extractor) -> None:
    text = ("فجر انتحاري نفسه في سوق مكتظة بالمدينة ما أسفر عن مقتل ستة أشخاص وإصابة 11 آخرين. "
            "وقال شاهد إنه رأى جثة المفجر قرب مدخل السوق.")
    assert totals(extractor.extract("انتحاري يقتل ستة في سوق", text, PUBLISHED)) == (6, 11)


def test_people_then_whose_they_are_before_the_verb(extractor) -> None:
    text = "وأوضحت القيادة أن سبعة عناصر من تنظيم داعش قتلوا وجرح أربعة منهم في مناطق غرب الأنبار اليوم."
    assert totals(extractor.extract("عمليات الأنبار", text, PUBLISHED)) == (7, 4)


def test_a_group_s_fighter_by_its_nisba_counts_in_a_figure(extractor) -> None:
    text = "وأعلنت قيادة العمليات مقتل 17 داعشيا في عمليات عسكرية شرق المدينة."
    assert totals(extractor.extract("عمليات", text, PUBLISHED))[0] == 17


def test_nationalities_joined_after_a_casualty_word_are_people(extractor) -> None:
    extraction = extractor.extract("سقوط مقذوف يسفر عن إصابة باكستاني وهندي", "سقط مقذوف عسكري على حي سكني.", PUBLISHED)
    assert totals(extraction) == (None, 2)



def test_a_follow_up_sentence_with_its_own_toll_is_another_incident(extractor) -> None:
    """`وفي سياق متصل ... مقتل 17` after an air strike that killed 49: 66, not 49; `في بيان منفصل`
    (a separate statement) does not make it a lead that sums the story."""
    text = ("أعلنت خلية الإعلام الحربي مقتل 49 مسلحا من تنظيم داعش بقصف جوي استهدف أوكارهم شمال سامراء. "
            "وفي سياق متصل أعلنت قيادة العمليات في بيان منفصل، عن مقتل 17 داعشيا ضمن عمليات شرق الفلوجة.")
    assert totals(extractor.extract("عمليات في العراق", text, PUBLISHED))[0] == 66


def test_an_untyped_toll_elsewhere_is_not_merged_with_an_equal_one(extractor) -> None:
    """Two soldiers killed by a car bomb in one city and two policemen killed in another: 4."""
    text = ("قتل جنديان في انفجار سيارة مفخخة استهدف قافلة عسكرية في مدينة ديار بكر مساء السبت. "
            "وفتحت السلطات تحقيقا في الحادث. "
            "وتبنت الحركة الانفصالية الأربعاء قتل شرطيين في مدينة جيلان بينار.")
    assert totals(extractor.extract("تفجير", text, dt.date(2015, 7, 27)))[0] == 4


def test_a_plural_that_one_of_two_follows_is_a_dual(extractor) -> None:
    text = "سقطت مقذوفات على الحي مما نتج عنه إصابة مقيمين أحدهما من الجنسية اليمنية."
    assert totals(extractor.extract("مقذوفات", text, PUBLISHED))[1] == 2


def test_a_toll_beside_an_arrest_belongs_to_the_strike_told_with_it(extractor) -> None:
    """ACLED codes no fatalities on strategic developments or peaceful protests: a toll nearest
    an arrest in the sentence of a strike is the strike's."""
    events = extractor.extract("تعز", "قصفت طائرات التحالف مقرات للمسلحين في مدينة تعز أمس، واعتقلت القوات "
                               "عشرة مسلحين بعد مقتل خمسة منهم.", dt.date(2015, 8, 2))["events"]
    figures = {e["subtype"]: e["killed"] for e in events}
    assert figures == {"air_drone_strike": 5, "arrests": None}
