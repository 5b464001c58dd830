"""Names whose meaning depends on the words around them, the outlet and the day (issue 15).

Our own sentences. The outlets are SaudiNewsNet's ids (sources.jsonl gives their country) and
one of our fictional outlets with no country.
"""

from __future__ import annotations

import datetime as dt

import pytest

SAUDI = "okaz"
FICTIONAL = "al-manara"
SUMMER_2015 = dt.date(2015, 8, 2)


def ids(extractor, text: str, source: str | None = SAUDI, day: dt.date | None = SUMMER_2015) -> tuple[list, list]:
    result = extractor.extract("", text, day, source)
    return [p["id"] for p in result["places"]], [a["id"] for a in result["actors"]]


# context aliases: `أمانة العاصمة`, `محافظة العاصمة` --------------------------------------------
@pytest.mark.parametrize("text, source, present, absent", [
    ("دشنت أمانة العاصمة المقدسة مشروعا لتصريف مياه الأمطار في أحياء مكة", SAUDI, {"sa-mecca"}, {"ye-sanaa"}),
    ("أعلنت أمانة العاصمة عن خطة لتنظيف الشوارع قبل موسم العمرة", SAUDI, set(), {"ye-sanaa"}),
    # naming Yemen in passing does not turn a Saudi municipality into Sanaa's
    ("أعلنت أمانة العاصمة عن خطة لتنظيف الشوارع، فيما وصلت مساعدات إلى اليمن", SAUDI, {"ye"}, {"ye-sanaa"}),
    # a Yemeni town named for sure, or Sanaa itself, does
    ("قصفت الطائرات مواقع في أمانة العاصمة ومحافظة مأرب", SAUDI, {"ye-sanaa", "ye-marib"}, set()),
    ("قالت السلطات في أمانة العاصمة صنعاء إن الكهرباء انقطعت", SAUDI, {"ye-sanaa"}, set()),
    # from an outlet of unknown country, the country named is enough
    ("أعلنت أمانة العاصمة في اليمن عن حظر تجول", FICTIONAL, {"ye-sanaa"}, set()),
    # one name, three capital governorates: the article's other places say which
    ("أعلنت شرطة محافظة العاصمة في المنامة القبض على مشتبه بهم", SAUDI, {"bh-capital-governorate"},
     {"jo-amman-governorate", "kw-capital-governorate"}),
    ("افتتحت محافظة العاصمة مركزا صحيا قرب الفروانية في الكويت", SAUDI, {"kw-capital-governorate"},
     {"bh-capital-governorate", "jo-amman-governorate"}),
    ("افتتحت محافظة العاصمة مركزا صحيا", SAUDI, set(),
     {"bh-capital-governorate", "jo-amman-governorate", "kw-capital-governorate"}),
])
def test_context_aliases_need_their_country(extractor, text, source, present, absent):
    places, _ = ids(extractor, text, source)
    assert present <= set(places) and not absent & set(places)


# rivals: a name of its own, the article's places, the outlet's country -------------------------
@pytest.mark.parametrize("text, expected, wrong", [
    ("استقبل مطار الجوف أول رحلة دولية قادمة من القاهرة", "sa-al-jawf", "ye-al-jawf"),
    ("شنت الطائرات غارات على معسكرات الحوثيين في محافظتي عمران والجوف", "ye-al-jawf", "sa-al-jawf"),
    ("زار الأمير منطقة الجوف، وتفقد مشاريع الجوف الزراعية", "sa-al-jawf", "ye-al-jawf"),
    ("قصف الجيش مواقع جنوب رفح والشيخ زويد في شمال سيناء", "eg-rafah", "ps-rafah"),
])
def test_a_shared_name_goes_to_the_place_the_article_is_about(extractor, text, expected, wrong):
    places, _ = ids(extractor, text)
    assert expected in places and wrong not in places


# dated titles ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, day, source, expected", [
    ("قال ولي العهد إن الأمن أولوية", dt.date(2015, 8, 2), SAUDI, ["mohammed-bin-nayef"]),
    ("قال ولي العهد إن الأمن أولوية", dt.date(2015, 3, 1), SAUDI, ["muqrin-bin-abdulaziz"]),
    ("قال ولي العهد إن الأمن أولوية", dt.date(2019, 5, 1), SAUDI, ["mohammed-bin-salman"]),
    ("قال ولي العهد إن الأمن أولوية", dt.date(2013, 5, 1), SAUDI, ["king-salman"]),
    ("رعى ولي ولي العهد حفل التخريج", dt.date(2015, 8, 2), SAUDI, ["mohammed-bin-salman"]),
    ("التقى وزير الدفاع قادة الوحدات", dt.date(2015, 8, 2), SAUDI, ["mohammed-bin-salman"]),
    ("التقى وزير الدفاع قادة الوحدات", dt.date(2014, 8, 2), SAUDI, ["king-salman"]),
    ("وجه خادم الحرمين الشريفين بصرف المساعدات", dt.date(2015, 8, 2), SAUDI, ["king-salman"]),
    ("وجه خادم الحرمين الشريفين بصرف المساعدات", dt.date(2010, 8, 2), SAUDI, ["abdullah-bin-abdulaziz"]),
    ("انتقد الرئيس الأمريكي الاتفاق", dt.date(2015, 8, 2), SAUDI, ["barack-obama"]),
    ("انتقد الرئيس الأمريكي الاتفاق", dt.date(2023, 8, 2), FICTIONAL, ["joe-biden"]),
    ("انتقد الرئيس الأمريكي الاتفاق", dt.date(2019, 8, 2), FICTIONAL, ["donald-trump"]),
    ("انتقد الرئيس الأمريكي الاتفاق", dt.date(2025, 8, 2), FICTIONAL, ["donald-trump"]),
    # undated: today's holder
    ("انتقد الرئيس الأمريكي الاتفاق", None, FICTIONAL, ["donald-trump"]),
])
def test_a_title_names_its_holder_on_the_article_s_day(extractor, text, day, source, expected):
    _, actors = ids(extractor, text, source, day)
    assert actors == expected


@pytest.mark.parametrize("text, source, absent", [
    # a bare title belongs to its country's press
    ("التقى وزير الدفاع قادة الوحدات", FICTIONAL, "mohammed-bin-salman"),
    ("التقى وزير الدفاع قادة الوحدات", None, "mohammed-bin-salman"),
    # another country's nisba after it
    ("وصل وزير الدفاع البريطاني إلى المنطقة", SAUDI, "mohammed-bin-salman"),
    ("صرح وزير الداخلية الكويتي بأن التحقيق مستمر", SAUDI, "mohammed-bin-nayef"),
    # a former holder
    ("قال الرئيس اليمني السابق إن الحرب ستطول", SAUDI, "abdrabbuh-mansur-hadi"),
])
def test_a_title_that_is_not_the_holder_s(extractor, text, source, absent):
    _, actors = ids(extractor, text, source)
    assert absent not in actors


def test_a_title_before_a_name_lets_the_name_say_who(extractor):
    text = "أطلق خادم الحرمين الشريفين الملك عبدالله بن عبدالعزيز البرنامج قبل سنوات"
    places, actors = ids(extractor, text)
    assert actors == ["abdullah-bin-abdulaziz"]
    places, actors = ids(extractor, "استقبل الملك وزير الدفاع الأمريكي آشتون كارتر في جدة")
    assert actors == ["ashton-carter"] and {"us", "sa-jeddah"} <= set(places)


def test_a_title_with_its_nisba_still_names_the_country(extractor):
    places, actors = ids(extractor, "قال الرئيس الأمريكي في خطاب إن بلاده لن تتراجع")
    assert actors == ["barack-obama"] and places == ["us"]


# outlets and fixed expressions -------------------------------------------------------------------
def test_the_paper_s_own_quoted_name_is_the_paper(extractor):
    places, _ = ids(extractor, '"الرياض" تتقدم بالعزاء إلى أسرة الفقيد', "alriyadh")
    assert "sa-riyadh" not in places
    places, _ = ids(extractor, 'وصل الوفد إلى "الرياض" مساء أمس', "okaz")
    assert "sa-riyadh" in places


@pytest.mark.parametrize("text, absent", [
    ("تنطلق فعاليات سوق عكاظ في الطائف الأسبوع المقبل", "okaz"),
    ("فاز أرسنال على ملعب الإمارات في لندن", "ae"),
    ("أجريت للمريضة عملية قيصرية ناجحة", "tr-kayseri"),
    ("سجل المهاجم والكوت هدفين في المباراة", "iq-kut"),
    ("حذرت منظمة الأغذية والزراعة (الفاو) من نقص الغذاء", "iq-al-faw"),
    ("احتفلت أسرة العامري بزفاف ابنها", "hadi-al-amiri"),
])
def test_words_that_only_look_like_names(extractor, text, absent):
    places, actors = ids(extractor, text)
    assert absent not in places + actors


def test_marsad_extract_reads_the_outlet_of_a_json_article():
    import json

    from indexer.entities.extract import extract_document

    article = {"content": "قال ولي العهد إن المشروع اكتمل", "source": SAUDI, "published": "2015-08-02"}
    assert [a["id"] for a in extract_document(json.dumps(article))["actors"]] == ["mohammed-bin-nayef"]
    plain = extract_document("قال ولي العهد إن المشروع اكتمل", published="2015-08-02")
    assert plain["actors"] == []  # whose crown prince? plain text names no outlet
