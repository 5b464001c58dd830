"""Third-session rules, from the mistakes on the tuned, blind and blind2 parts: what a report
mentions without reporting it (an earlier event the news is dated by, a whole war's toll, who a
group is, a soldier's death announced with no attack told), and figures written as a list of
names or behind `تعرض ... للإصابة`. Every sentence here is our own."""

from __future__ import annotations

import datetime as dt

import pytest

PUBLISHED = dt.date(2015, 7, 24)


def subtypes(extraction: dict) -> list[str]:
    return sorted({e["subtype"] for e in extraction["events"]})


@pytest.mark.parametrize("opener", ["ويأتي القصف بعد", "ويأتي ذلك غداة", "ويأتي ذلك في أعقاب"])
def test_the_earlier_event_the_news_comes_after_is_no_event(extractor, opener: str) -> None:
    text = ("قصفت مدفعية الجيش مواقع للمسلحين قرب البلدة الحدودية أمس ما أدى إلى مقتل مسلح واحد. "
            f"{opener} هجوم انتحاري على مركز للشرطة في المدينة أودى بحياة 25 شخصا.")
    extraction = extractor.extract("الجيش يقصف مواقع المسلحين", text, PUBLISHED)
    assert subtypes(extraction) == ["shelling_artillery_missile_attack"]
    assert extraction["killed"] == 1


def test_news_that_comes_amid_other_news_keeps_its_own_toll(extractor) -> None:
    """Only `يأتي ... بعد` (or `عقب`, `غداة`...) dates the news by an earlier event; `ويأتي ذلك في
    الوقت الذي` tells simultaneous news, which the sentence's own figures still belong to."""
    text = "قتل ثلاثة جنود في انفجار عبوة ناسفة على طريق البلدة أمس، ويأتي ذلك في الوقت الذي تتواصل فيه المفاوضات."
    extraction = extractor.extract("انفجار عبوة", text, PUBLISHED)
    assert subtypes(extraction) == ["remote_explosive_landmine_ied"] and extraction["killed"] == 3


@pytest.mark.parametrize("sentence", [
    "وقالت وزارة الصحة في القطاع إن الحرب خلفت 2200 قتيل وأكثر من عشرة آلاف جريح، بينما قتل 70 شخصا في الجانب الآخر جراء الصواريخ.",
    "وأضاف التقرير أن النزاع المسلح في البلاد أسفر عن مقتل 4000 شخص بينهم مئات الأطفال في قصف على الأحياء.",
])
def test_a_war_s_cumulative_toll_is_no_shelling_event(extractor, sentence: str) -> None:
    text = "دخلت الهدنة يومها الثالث وبدأ السكان العودة إلى منازلهم. " + sentence
    extraction = extractor.extract("هدنة في القطاع", text, PUBLISHED)
    assert not {"shelling_artillery_missile_attack", "air_drone_strike"} & set(subtypes(extraction))
    assert extraction["killed"] is None and extraction["injured"] is None


def test_a_battle_s_toll_told_with_the_same_verb_stays(extractor) -> None:
    text = "اندلعت معارك عنيفة في محيط المدينة أمس، وأسفرت المعارك عن مقتل 12 مسلحا وجرح خمسة جنود."
    extraction = extractor.extract("معارك", text, PUBLISHED)
    assert "armed_clash" in subtypes(extraction)
    assert (extraction["killed"], extraction["injured"]) == (12, 5)


def test_who_a_group_is_is_no_territory_event(extractor) -> None:
    text = ("قتل خمسة جنود في هجوم على نقطة تفتيش في المدينة اليوم. ورجح مسؤولون أن يكون الهجوم من تنفيذ "
            "التنظيم الذي سيطر على مناطق واسعة في البلدين.")
    extraction = extractor.extract("هجوم على نقطة تفتيش", text, PUBLISHED)
    assert "non_state_actor_overtakes_territory" not in subtypes(extraction)


def test_a_town_taken_is_still_a_territory_event(extractor) -> None:
    text = "سيطر مسلحو التنظيم اليوم على بلدة صغيرة في ريف المحافظة بعد انسحاب القوات منها."
    assert "non_state_actor_overtakes_territory" in subtypes(extractor.extract("سيطرة على بلدة", text, PUBLISHED))


@pytest.mark.parametrize("title, text", [
    ("استشهاد 4 من جنود القوة المشاركة في عمليات التحالف",
     "أعلنت القيادة العامة للقوات المسلحة استشهاد أربعة من جنودها المشاركين في عمليات التحالف، وأكدت أنهم أدوا واجبهم."),
    ("توجيه بمعاملة الشهداء",
     "وجه وزير الدفاع بمعاملة الشهداء العريف أول سالم أحمد من القوة المشاركة في عمليات التحالف معاملة شهداء الجيش."),
])
def test_a_soldier_s_death_announced_with_no_attack_told_is_no_event(extractor, title: str, text: str) -> None:
    extraction = extractor.extract(title, text, PUBLISHED)
    assert extraction["events"] == [] and extraction["killed"] is None


def test_people_killed_by_armed_men_with_no_attack_word_still_make_an_event(extractor) -> None:
    extraction = extractor.extract("مقتل 7 من عناصر التنظيم", "قتل 7 عناصر من تنظيم داعش في محافظة الأنبار اليوم.",
                                   PUBLISHED)
    assert extraction["events"] and extraction["killed"] == 7


def test_casualties_named_one_by_one_with_their_ranks_are_counted(extractor) -> None:
    text = ("تعرض مركز حدودي صباح اليوم لقذائف كثيفة من خارج الحدود. وقد نتج عن ذلك استشهاد الرقيب خالد "
            "سعيد العتيبي، والجندي أول فهد علي الشهري، والعريف ماجد حسن القحطاني رحمهم الله، كما تعرض (5) خمسة "
            "من رجال حرس الحدود للإصابة ونقلوا إلى المستشفى.")
    extraction = extractor.extract("قذائف على مركز حدودي", text, PUBLISHED)
    assert subtypes(extraction) == ["shelling_artillery_missile_attack"]
    assert (extraction["killed"], extraction["injured"]) == (3, 5)


def test_a_surname_is_no_period(extractor) -> None:
    """`الشهري` (a surname) shares its stem with `شهريا` (monthly): only the exact word marks a statistic."""
    text = "قتل الجندي سعد الشهري في سقوط قذيفة هاون أطلقت من خارج الحدود على موقع عسكري اليوم."
    extraction = extractor.extract("سقوط قذيفة", text, PUBLISHED)
    assert subtypes(extraction) == ["shelling_artillery_missile_attack"] and extraction["killed"] == 1


def test_one_named_casualty_is_one(extractor) -> None:
    text = ("سقط مقذوف عسكري من داخل الحدود على مركز للحرس فجر اليوم، مما نتج عنه استشهاد الجندي محمد صالح "
            "الغامدي، ونقل إلى المستشفى.")
    assert extractor.extract("سقوط مقذوف", text, PUBLISHED)["killed"] == 1


@pytest.mark.parametrize("title, text", [
    ("رابطة الأدباء تستنكر تفجير المسجد", "استنكر رئيس الرابطة وأعضاؤها حادثة تفجير المسجد في المدينة، وقدموا التعازي لذوي الضحايا."),
    ("بيان", "وقال المفتي إن تفجير مسجد الحي عمل إجرامي لا يقره دين."),
    ("زيارة", "زار المحافظ رجال الأمن الذين أصيبوا في التفجير وتمنى لهم الشفاء."),
])
def test_an_event_only_named_is_no_event(extractor, title: str, text: str) -> None:
    assert extractor.extract(title, text, PUBLISHED)["events"] == []


def test_a_condemnation_that_tells_the_toll_is_an_event(extractor) -> None:
    text = "أدان الوزير التفجير الذي استهدف مسجدا في المدينة أمس وأدى إلى مقتل 9 من المصلين وإصابة 12 آخرين."
    extraction = extractor.extract("إدانة التفجير", text, PUBLISHED)
    assert subtypes(extraction) == ["remote_explosive_landmine_ied"]
    assert (extraction["killed"], extraction["injured"]) == (9, 12)


def test_a_named_bombing_still_gives_its_kind_to_the_attack_told_next(extractor) -> None:
    """`يستنكر تفجير ...` in the headline tells no event, but the body's `الهجوم` is that bombing."""
    text = "أعرب المجلس عن استنكاره للهجوم الذي استهدف مسجدا في المدينة وأسفر عن سقوط ضحايا من المصلين."
    extraction = extractor.extract("المجلس يستنكر التفجير الإرهابي في المسجد", text, PUBLISHED)
    assert subtypes(extraction) == ["remote_explosive_landmine_ied"]


def test_a_bomb_that_goes_off_is_no_hand_grenade(extractor) -> None:
    extraction = extractor.extract("انفجار قنبلة", "أصيب شرطي بانفجار قنبلة في إحدى القرى مساء أمس.", PUBLISHED)
    assert subtypes(extraction) == ["remote_explosive_landmine_ied"] and extraction["injured"] == 1


def test_a_hand_grenade_stays_a_grenade(extractor) -> None:
    text = "ألقى مجهولون قنبلة يدوية على دورية للشرطة في المدينة ما أدى إلى إصابة شرطيين."
    assert "grenade" in subtypes(extractor.extract("قنبلة يدوية", text, PUBLISHED))


def test_the_bombed_mosque_of_a_suicide_attack_is_no_property_destruction(extractor) -> None:
    text = ("نشر أنصار التنظيم صورة قالوا إنها للانتحاري الذي نفذ الهجوم داخل المسجد في المدينة أمس.")
    extraction = extractor.extract("التنظيم ينشر صورة منفذ تفجير المسجد", text, PUBLISHED)
    assert subtypes(extraction) == ["suicide_bomb"]


def test_a_launch_site_an_air_strike_hit_is_no_shelling(extractor) -> None:
    text = ("وقال البيان إن أربع غارات قرب المدينة دمرت مبنى وموقع إطلاق قذائف الهاون وعربة مدرعة تابعة "
            "للتنظيم أمس.")
    assert subtypes(extractor.extract("غارات", text, PUBLISHED)) == ["air_drone_strike"]


def test_ordnance_left_behind_that_goes_off_is_an_explosive_not_shelling(extractor) -> None:
    text = "قتل طفلان وأصيب ثلاثة آخرون في انفجار قذيفة من مخلفات الحرب أثناء لعبهم قرب منزلهم في البلدة."
    extraction = extractor.extract("انفجار قذيفة من مخلفات الحرب", text, PUBLISHED)
    assert subtypes(extraction) == ["remote_explosive_landmine_ied"]
    assert (extraction["killed"], extraction["injured"]) == (2, 3)


def test_the_blasts_heard_during_air_strikes_are_the_strikes(extractor) -> None:
    text = "شنت طائرات التحالف ست غارات على معسكر قرب العاصمة الليلة الماضية، وسمع دوي انفجارات عنيفة في المنطقة."
    assert subtypes(extractor.extract("غارات على معسكر", text, PUBLISHED)) == ["air_drone_strike"]


def test_a_car_bomb_beside_an_air_strike_stays(extractor) -> None:
    text = "قتل خمسة أشخاص في انفجار سيارة مفخخة في السوق، فيما شنت طائرات حربية غارات على مواقع المسلحين."
    assert subtypes(extractor.extract("انفجار وغارات", text, PUBLISHED)) == [
        "air_drone_strike", "remote_explosive_landmine_ied"]


def test_a_bombing_judged_a_crime_with_nothing_told_is_no_event(extractor) -> None:
    text = "وقال الشيخ إن التفجير الإرهابي في مسجد الحي عمل إجرامي جبان لا يمت للدين بصلة."
    assert extractor.extract("تصريح", text, PUBLISHED)["events"] == []


@pytest.mark.parametrize("text", [
    "وقال المحافظ إنه لم يحدث تبادل لإطلاق النار مع المهاجمين في القرية.",
    "وأكد المتحدث عدم وقوع اشتباكات في المدينة خلال الليلة الماضية.",
])
def test_what_did_not_happen_is_no_event(extractor, text: str) -> None:
    assert extractor.extract("تصريح", text, PUBLISHED)["events"] == []


def test_a_sentence_opening_on_also_adds_its_toll(extractor) -> None:
    """`كما أفاد المرصد عن مقتل تسعة ...` tells more dead of the same fighting: they add up."""
    text = ("قتل 20 مسلحا من المعارضة في هجوم فاشل على قاعدة عسكرية في محافظة حلب. كما أفاد المرصد عن مقتل "
            "سبعة من قوات النظام في الاشتباكات نفسها.")
    assert extractor.extract("هجوم فاشل", text, PUBLISHED)["killed"] == 27


def test_another_one_hurt_is_one(extractor) -> None:
    text = "قتل شرطي تركي وأصيب آخر بالرصاص اليوم في هجوم نفذه مسلحون في أحد أحياء المدينة."
    extraction = extractor.extract("مقتل شرطي", text, PUBLISHED)
    assert (extraction["killed"], extraction["injured"]) == (1, 1)


def test_others_hurt_stay_vague(extractor) -> None:
    text = "قتل شرطي وأصيب آخرون بالرصاص اليوم في هجوم نفذه مسلحون في أحد أحياء المدينة."
    extraction = extractor.extract("مقتل شرطي", text, PUBLISHED)
    assert (extraction["killed"], extraction["injured"]) == (1, None)


def test_deaths_over_the_last_week_are_a_statistic(extractor) -> None:
    text = ("قتل شاب برصاص الجنود عند حاجز قرب القرية اليوم. وكانت القوات قد قتلت ثلاثة فلسطينيين في القرى "
            "المجاورة في الأسبوع الأخير في مداهمات قالت إنها استهدفت إحباط هجمات.")
    extraction = extractor.extract("مقتل شاب", text, PUBLISHED)
    assert extraction["killed"] == 1
    assert not {"arrests", "disrupted_weapons_use"} & set(subtypes(extraction))


def test_storming_a_checkpoint_is_a_clash_not_a_takeover(extractor) -> None:
    """ACLED's territory events need control taken; `اقتحم` (stormed) says an attack, not that."""
    text = "قتل سبعة جنود اليوم عندما اقتحم مسلحون من التنظيم نقطة تفتيش على الطريق الساحلي غرب المدينة."
    found = subtypes(extractor.extract("مقتل سبعة جنود", text, PUBLISHED))
    assert "non_state_actor_overtakes_territory" not in found and "armed_clash" in found


def test_soldiers_killing_a_palestinian_is_an_attack_on_a_civilian(extractor) -> None:
    extraction = extractor.extract("جنود يقتلون فلسطينيا بالرصاص قرب السياج",
                                   "قالت مصادر طبية إن فلسطينيا قتل برصاص الجنود قرب السياج الحدودي اليوم.", PUBLISHED)
    assert subtypes(extraction) == ["attack"] and extraction["killed"] == 1


def test_the_suicide_bomber_of_the_earlier_attack_does_not_make_today_s_blast_one(extractor) -> None:
    text = ("قتل عشرة أشخاص على الأقل في انفجار في سوق مزدحم بالمدينة اليوم، ويأتي بعد أسبوع من تفجير انتحاري "
            "قتل أربعة من رجال الشرطة عند نقطة تفتيش.")
    extraction = extractor.extract("انفجار في سوق", text, PUBLISHED)
    assert subtypes(extraction) == ["remote_explosive_landmine_ied"] and extraction["killed"] == 10


def test_comes_after_reaches_past_a_demonstrative(extractor) -> None:
    text = ("قصفت دبابات الجيش مواقع للتنظيم عبر الحدود اليوم بعد مقتل جندي بنيران أطلقت منها. ويأتي تبادل "
            "إطلاق النار هذا بعد ثلاثة أيام من هجوم انتحاري على مركز ثقافي.")
    found = subtypes(extractor.extract("الجيش يقصف مواقع التنظيم", text, PUBLISHED))
    assert "suicide_bomb" not in found


def test_aircraft_that_destroy_something_beside_a_battle_are_a_strike(extractor) -> None:
    text = ("تدور اشتباكات عنيفة بين القوات والمسلحين في محيط المعسكر، ودمر طيران التحالف دبابتين ومركبات "
            "عسكرية في الجهة الجنوبية للقاعدة.")
    assert subtypes(extractor.extract("اشتباكات", text, PUBLISHED)) == ["air_drone_strike", "armed_clash"]


def test_a_battle_fought_with_aircraft_is_one_battle(extractor) -> None:
    text = "اندلعت معارك عنيفة في محيط البلدة استخدمت فيها طائرات حربية وقتل فيها 12 مسلحا."
    assert subtypes(extractor.extract("معارك", text, PUBLISHED)) == ["armed_clash"]


def test_a_trial_of_bombers_reports_no_event(extractor) -> None:
    text = ("بدأت محكمة الجنايات اليوم محاكمة 20 متهما في تفجير مسجد الحي. وكانت الأجهزة الأمنية قد ألقت القبض "
            "على السائق الذي أوصل\nالانتحاري الذي فجر نفسه داخل المسجد خلال صلاة الجمعة.")
    assert extractor.extract("البدء في محاكمة المتهمين بتفجير المسجد", text, PUBLISHED)["events"] == []


def test_an_attack_on_a_courthouse_is_still_an_event(extractor) -> None:
    text = "قتل ثلاثة أشخاص في انفجار سيارة مفخخة أمام مبنى المحكمة في المدينة اليوم."
    assert subtypes(extractor.extract("مقتل 3 في تفجير أمام محكمة", text, PUBLISHED)) == ["remote_explosive_landmine_ied"]


def test_in_addition_to_adds_people(extractor) -> None:
    text = ("قال المتحدث إن التفجير الذي وقع في المسجد أسفر عن مقتل عشرة من رجال الأمن إضافة إلى ثلاثة من "
            "العاملين وإصابة تسعة آخرين.")
    extraction = extractor.extract("تفجير مسجد", text, PUBLISHED)
    assert (extraction["killed"], extraction["injured"]) == (13, 9)


def test_one_figure_read_by_two_casualty_words_counts_once(extractor) -> None:
    text = "لقي 6 أشخاص مصرعهم بينما قتل شخصان آخران في انفجار عبوة ناسفة قرب سوق شعبي في المدينة اليوم."
    assert extractor.extract("انفجار عبوة", text, PUBLISHED)["killed"] == 8


def test_a_lead_summing_security_incidents_is_the_total(extractor) -> None:
    """`حوادث أمنية` are attacks, not road accidents; the lead that sums them is the article's total."""
    text = ("لقي 6 أشخاص مصرعهم وأصيب 13 آخرون بجروح فيما عثر على جثة رجل مجهول في حوادث أمنية منفصلة "
            "في العاصمة اليوم. وأفاد مصدر أمني "
            "أن شخصين قتلا وأصيب سبعة آخرون في انفجار عبوة ناسفة قرب محال تجارية. ولقي مدرس مصرعه بنيران "
            "مسلحين مجهولين في حي جنوبي.")
    extraction = extractor.extract("مصرع وإصابة 19 في أحداث منفصلة", text, PUBLISHED)
    assert (extraction["killed"], extraction["injured"]) == (7, 13)
    assert "remote_explosive_landmine_ied" in subtypes(extraction)


def test_an_officer_s_title_names_no_weapon_fired(extractor) -> None:
    text = ("زار قائد المنطقة المصابين في المستشفى، يرافقه قائد مجموعة الدفاع الجوي اللواء سعد الشهري وقائد "
            "معهد سلاح المدفعية اللواء محمد الغامدي.")
    assert "shelling_artillery_missile_attack" not in subtypes(extractor.extract("زيارة", text, PUBLISHED))


def test_two_others_hurt_are_two(extractor) -> None:
    text = "قالت مصادر أمنية إن جنديين قتلا وجرح آخران عندما فجر مسلحون لغما أثناء مرور قافلة عسكرية اليوم."
    extraction = extractor.extract("مقتل جنديين بلغم", text, PUBLISHED)
    assert (extraction["killed"], extraction["injured"]) == (2, 2)
