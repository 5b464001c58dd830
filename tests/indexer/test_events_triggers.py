"""Each trigger family, through the real extractor, on sentences we wrote: the sub-event type,
the figures, the place and the day. Morphology (clitics, plurals, verbs) goes through the analyzer."""

from __future__ import annotations

import datetime as dt

import pytest

PUBLISHED = dt.date(2015, 7, 24)  # a Friday


def events(extractor, text: str, title: str = "") -> list[dict]:
    return extractor.extract(title, text, PUBLISHED)["events"]


def only(extractor, text: str) -> dict:
    found = events(extractor, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, subtype", [
    ("شنت طائرات التحالف غارات جوية على مواقع المسلحين في صنعاء.", "air_drone_strike"),
    ("استهدفت طائرة مسيرة سيارة تقل مسلحين قرب مأرب.", "air_drone_strike"),
    ("وبالغارات الجوية دمرت المقاتلات مخزناً للذخيرة في تعز.", "air_drone_strike"),
    ("ألقت مروحيات النظام براميل متفجرة على أحياء حلب.", "air_drone_strike"),
    ("تعرضت بلدة الطوال لقصف مدفعي من داخل الأراضي اليمنية.", "shelling_artillery_missile_attack"),
    ("سقطت قذائف هاون على حي سكني في دمشق.", "shelling_artillery_missile_attack"),
    ("اندلعت اشتباكات عنيفة بين الجيش والمسلحين في بنغازي.", "armed_clash"),
    ("انفجرت سيارة مفخخة قرب نقطة تفتيش في بغداد.", "remote_explosive_landmine_ied"),
    ("انفجرت عبوة ناسفة بدورية للشرطة في ديالى.", "remote_explosive_landmine_ied"),
    ("فجر انتحاري نفسه وسط سوق مزدحم في مايدوغوري.", "suicide_bomb"),
    ("أعلنت الحكومة الإيطالية اختطاف أربعة من مواطنيها قرب مليتة في ليبيا.", "abduction_forced_disappearance"),
    ("اعتقلت قوات الأمن قيادياً في تنظيم داعش في الرمادي.", "arrests"),
    ("نظم مئات الطلاب مظاهرة سلمية أمام مقر الحكومة في صنعاء.", "peaceful_protest"),
    ("فرقت الشرطة بالغاز المسيل للدموع تظاهرة لمئات المحتجين في إسطنبول.", "protest_with_intervention"),
    ("قتل مسلحون مجهولون مدرساً في عملية اغتيال بكركوك.", "attack"),
    ("تمكنت قوات الأمن من تفكيك عبوة ناسفة زرعت على طريق في الرمادي.", "disrupted_weapons_use"),
    ("اعترضت الدفاعات الجوية صاروخاً باليستياً أطلق نحو جازان.", "disrupted_weapons_use"),
    ("استولى مسلحو التنظيم على مدينة الرمادي بعد معارك عنيفة.", "non_state_actor_overtakes_territory"),
])
def test_each_family_gives_its_sub_event_type(extractor, text: str, subtype: str) -> None:
    found = {e["subtype"] for e in events(extractor, text)}
    assert subtype in found


def test_the_type_is_the_sub_event_types_parent(extractor) -> None:
    event = only(extractor, "شنت طائرات التحالف غارات جوية على مواقع المسلحين في صنعاء.")
    assert event["type"] == "explosions_remote_violence"
    assert event["label_en"] == "Air/drone strike" and event["label_ar"]


def test_figures_place_and_day_of_one_event(extractor) -> None:
    event = only(extractor, "قتل خمسة جنود وأصيب ثلاثة آخرون أمس في انفجار عبوة ناسفة بمحافظة ديالى.")
    assert event["subtype"] == "remote_explosive_landmine_ied"
    assert (event["killed"], event["injured"]) == (5, 3)
    assert event["date"] == "2015-07-23"
    assert any(p.startswith("iq") for p in event["places"])


@pytest.mark.parametrize("text, killed, injured", [
    ("أسفرت الغارة عن مقتل جنديين وإصابة شرطيين.", 2, 2),
    ("سقط 15 قتيلا و20 جريحا في قصف مدفعي على البلدة.", 15, 20),
    ("أسفر القصف عن سقوط قتيلين وثلاثة جرحى.", 2, 3),
    ("لقي خمسة عشر شخصا مصرعهم في غارة جوية على السوق.", 15, None),
    ("أسفر الهجوم بسيارة مفخخة عن مقتل ما لا يقل عن ١٢ شخصا.", 12, None),
    ("أدى انفجار العبوة إلى مقتل جندي وإصابة آخرين.", 1, None),
])
def test_figures_in_words_digits_and_duals(extractor, text: str, killed, injured) -> None:
    event = only(extractor, text)
    assert (event["killed"], event["injured"]) == (killed, injured)


def test_vague_figures_are_kept_vague_with_their_lower_bound(extractor) -> None:
    event = only(extractor, "قتل عشرات المدنيين في غارات جوية على الحي.")
    assert event["killed"] is None and event["killed_min"] == 10


def test_a_figure_repeated_in_the_headline_counts_once(extractor) -> None:
    title = "مقتل 7 جنود في اشتباكات قرب أجدابيا"
    text = "قتل سبعة جنود ليبيين اليوم في اشتباكات مع مسلحين قرب أجدابيا."
    extraction = extractor.extract(title, text, PUBLISHED)
    assert extraction["killed"] == 7


def test_incidents_in_different_places_add_up(extractor) -> None:
    text = ("قتل ثلاثة جنود في اشتباكات بمدينة تعز. "
            "وفي الحديدة قتل مسلحان في اشتباكات مع المقاومة الشعبية.")
    assert extractor.extract("", text, PUBLISHED)["killed"] == 5


def test_a_sentence_with_no_date_takes_the_last_day_written_before_it(extractor) -> None:
    text = "شنت طائرات التحالف ليل الأربعاء غارات على صنعاء. وأسفرت الغارات عن تدمير مخزن للأسلحة."
    days = {e["date"] for e in events(extractor, text)}
    assert days == {"2015-07-22"}


def test_the_verb_of_shelling_is_a_trigger_and_aircraft_make_it_a_strike(extractor) -> None:
    """`قصفت` does not stem to `قصف` (the analyzer keeps a verb's ت), so the verb forms are listed."""
    events = extractor.extract("خبر", "وقالت مصادر إن طائرات قصفت أمس مواقع قرب البلدة، كما قصفت المدفعية قرية مجاورة.",
                               dt.date(2023, 3, 25))["events"]
    assert {e["subtype"] for e in events} >= {"air_drone_strike", "shelling_artillery_missile_attack"}
