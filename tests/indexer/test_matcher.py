"""The name matcher: token boundaries, clitics, the article, longest match, plurals, adjectives, cues."""

from __future__ import annotations

import pytest

from indexer.entities.matcher import Matcher, Target, nisba_forms
from indexer.entities.tokens import clitic_heads, scan

DEIR = Target("place", "sy-deir-ez-zor")
DAMASCUS = Target("place", "sy-damascus")
HASAKAH = Target("place", "sy-hasakah")
LEBANON = Target("place", "lb")
US = Target("place", "us", adjective=True)
CANADA = Target("place", "ca", adjective=True)
ADEN = Target("place", "ye-aden", needs_cue=True)
TYRE = Target("place", "lb-tyre", needs_cue=True, cues=frozenset({"في"}))
US_DOD = Target("actor", "us-dod")
US_ARMY = Target("actor", "us-armed-forces")
IRGC = Target("actor", "irgc")
HOUTHIS = Target("actor", "houthis")
QAEDA = Target("actor", "al-qaeda")
HAMAS = Target("actor", "hamas")
GREEN = Target("place", "sy-green-village")

FORMS = [
    ("دير الزور", DEIR), ("دمشق", DAMASCUS), ("الحسكة", HASAKAH), ("لبنان", LEBANON),
    ("الأمريكي", US), ("الكندي", CANADA), ("عدن", ADEN), ("صور", TYRE),
    ("وزارة الدفاع الأمريكية", US_DOD), ("الجيش الأمريكي", US_ARMY),
    ("الحرس الثوري", IRGC), ("الحرس الثوري الإيراني", IRGC), ("الحوثيون", HOUTHIS),
    ("القاعدة", QAEDA), ("حماس", HAMAS), ("القاعدة الخضراء", GREEN),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(FORMS)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(t.id, m.mention) for m in matcher.find(text, scan(text)) for t in m.targets]


def ids(matcher: Matcher, text: str) -> list[str]:
    return [i for i, _ in found(matcher, text)]


@pytest.mark.parametrize("text, mention", [
    ("قصف بدير الزور أمس", "دير الزور"),
    ("وصل ولدمشق وفد", "دمشق"),
    ("توجه للحسكة", "الحسكة"),
    ("وبالحسكة اشتباكات", "الحسكة"),
    ("فالحسكة هادئة", "الحسكة"),
])
def test_proclitics_on_the_first_token_are_stripped_from_match_and_mention(matcher, text, mention):
    assert found(matcher, text)[0][1] == mention


def test_a_word_that_starts_with_a_clitic_letter_is_kept_whole(matcher):
    assert ids(matcher, "زار لبنان وولبنان") == ["lb"]
    assert found(matcher, "عاد إلى لبنان")[0][1] == "لبنان"


def test_names_match_whole_tokens_only(matcher):
    assert ids(matcher, "الديرالزوري دمشقي") == []
    assert ids(matcher, "الزور وحده ليس اسما") == []


def test_longest_match_wins(matcher):
    assert ids(matcher, "أعلنت وزارة الدفاع الأمريكية") == ["us-dod"]
    assert ids(matcher, "عناصر الحرس الثوري الإيراني") == ["irgc"]
    assert found(matcher, "عناصر الحرس الثوري الإيراني")[0][1] == "الحرس الثوري الإيراني"
    assert ids(matcher, "استهدفت القاعدة الخضراء") == ["sy-green-village"]


def test_quotes_and_tatweel_between_clitic_and_name(matcher):
    text = "طائرة تتبع لـ”الحرس الثوري” في المنطقة"
    assert found(matcher, text) == [("irgc", "الحرس الثوري")]


def test_variant_spellings_the_analyzer_folds_still_match(matcher):
    assert ids(matcher, "رد الجيش الأميركي") == ["us-armed-forces"]
    assert ids(matcher, "أعلنت وزارة الدفاع الأميركية") == ["us-dod"]


def test_the_article_is_part_of_a_name(matcher):
    assert ids(matcher, "قاعدة عسكرية") == []
    assert ids(matcher, "عناصر من القاعدة") == ["al-qaeda"]
    assert found(matcher, "مقاتلين تابعين للقاعدة") == [("al-qaeda", "القاعدة")]
    assert ids(matcher, "ساد الحماس وقالت حماس") == ["hamas"]


def test_nisba_plurals_match_in_both_cases(matcher):
    assert found(matcher, "قصف مواقع والحوثيين") == [("houthis", "الحوثيين")]
    assert ids(matcher, "قال الحوثيون") == ["houthis"]


def test_nisba_adjectives_in_every_gender_and_number(matcher):
    text = "القواعد الأمريكية وجندي أمريكي والجنود الأميركيين والمستشارون الأمريكيون"
    assert ids(matcher, text) == ["us"] * 4
    assert ids(matcher, "في أوتاوا الكندية ورئيس الوزراء الكندي") == ["ca", "ca"]
    assert "امريكيه" in nisba_forms("الأمريكي") and "الامريكيين" in nisba_forms("الأمريكي")


def test_an_adjective_inside_an_actor_name_is_reported_as_inside(matcher):
    [match] = matcher.find("رد الجيش الأمريكي", scan("رد الجيش الأمريكي"))
    assert [t.id for t in match.targets] == ["us-armed-forces"]
    assert [(t.id, s) for t, s in match.inside] == [("us", "الأمريكي")]


def test_common_word_names_need_a_cue(matcher):
    def cued(text):
        return [m.cued for m in matcher.find(text, scan(text))]

    assert cued("وصل إلى مدينة عدن") == [True]
    assert cued("اشتباكات في محافظة عدن") == [True]
    assert cued("وصل ولمدينة عدن") == [True]
    assert cued("عدن") == [False]
    assert cued("نشرت الصحيفة صور الضحايا") == [False]
    assert cued("غارة في صور") == [True]  # the entry's own cue


def test_clitic_heads_keep_short_words_whole():
    assert clitic_heads("بها") == [("بها", 0, False)]
    assert ("دير", 1, False) in clitic_heads("بدير")
    assert ("الحسكه", 1, True) in clitic_heads("للحسكه")
    assert ("دمشق", 2, False) in clitic_heads("ولدمشق")


def test_mentions_keep_the_text_as_written(matcher):
    assert found(matcher, "في دير   الزور") == [("sy-deir-ez-zor", "دير   الزور")]
    assert found(matcher, "بِدَيْرِ الزُّور") == [("sy-deir-ez-zor", "دَيْرِ الزُّور")]
