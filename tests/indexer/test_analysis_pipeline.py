"""The analysis pipeline: tokens, offsets, clitics, stems and spelling variants.

What a reader relies on: a name is found however the news glues, quotes or spells it, and a
hit can be highlighted at the right place in the original text. All Arabic here is our own
wording, except the seed article, which is read from ../shared at run time.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indexer.analysis import analyze, analyze_word, analyzed_terms, fold, light_stem, normalize
from indexer.analysis.lexicon import data_lines

from .test_analysis_normalize import ARABIC_ALPHABET

news_text = st.text(alphabet=ARABIC_ALPHABET + "ـ/:?=&@_%+" + "httpsw", max_size=120)


def norms(text: str) -> list[str]:
    return [t.norm for t in analyze(text)]


def stems(text: str) -> list[str]:
    return [t.stem for t in analyze(text)]


# ---------------------------------------------------------------- properties


def check_tokens(text: str) -> None:
    tokens = analyze(text)
    previous = 0
    for tok in tokens:
        assert 0 <= tok.start < tok.end <= len(text)
        assert text[tok.start:tok.end] == tok.text
        assert tok.start >= previous
        previous = tok.start
        assert tok.norm and tok.stem
        # a letter, or a sign that stands for a word (﷼ is "riyal" under NFKC)
        surface = tok.text + unicodedata.normalize("NFKC", tok.text)
        assert any(ch.isalnum() for ch in surface), f"pure punctuation token {tok.text!r}"
        assert any(ch.isalnum() for ch in tok.norm), f"pure punctuation term {tok.norm!r}"
        assert not re.search(r"\s", tok.norm) and not re.search(r"\s", tok.stem)
        assert normalize(tok.norm) == tok.norm and normalize(tok.stem) == tok.stem


@settings(max_examples=400)
@given(news_text)
@example('لـ"الحرس الثوري" بدير الزور')
@example("ﷺ عبدربه")
@example("بـ\u064e\u0640«")
@example("﷽ ﷼ \ufd40 \ufbb2")
def test_offsets_slice_text_to_the_surface_and_no_token_is_empty_or_punctuation(text: str) -> None:
    check_tokens(text)


@settings(max_examples=200)
@given(st.text(max_size=80))
@example("\u0300")  # a lone combining accent (found by hypothesis) is no token
@example("x \u0301\u0302 café")
def test_token_properties_hold_on_any_text(text: str) -> None:
    check_tokens(text)


@settings(max_examples=200)
@given(news_text)
def test_the_hot_path_and_the_api_agree(text: str) -> None:
    assert [(t.norm, t.stem, t.start, t.end) for t in analyze(text)] == analyzed_terms(text)


@settings(max_examples=200)
@given(news_text)
def test_analysis_is_stable_under_normalizing_the_spelling_of_harakat_and_tatweel(text: str) -> None:
    """Marks on a letter never change what the word means to the index."""
    stripped = re.sub("([\u0621-\u064a])[\u064b-\u0652\u0640\u0670]+", r"\1", text)
    assert norms(stripped) == norms(text)


# ---------------------------------------------------------------- tokenization


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('لـ"الحرس الثوري"', ["الحرس", "الثوري"]),
        ("لـ”الحرس الثوري”", ["الحرس", "الثوري"]),
        ('بـ"إف-15″', ["اف", "15"]),
        ('و"داعش"', ["داعش"]),
        ("و«داعش»", ["داعش"]),
        ("الجمعة-السبت", ["الجمعه", "السبت"]),
        ("بالـ«الميليشيات»", ["الميليشيات"]),
        ("قال CNN إن", ["قال", "cnn", "ان"]),
    ],
)
def test_clitics_tatweel_and_quotes_come_out_clean(text: str, expected: list[str]) -> None:
    assert norms(text) == expected


@pytest.mark.parametrize("spelling", ["إف-15", "إف 15", "اف15", "F-15", "F15", "f 15", "بـ“إف-15”"])
def test_every_spelling_of_a_jet_gives_the_same_two_tokens(spelling: str) -> None:
    assert norms(spelling) == ["اف", "15"]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("راجع https://example.org/a/b?x=1&y=2، ثم", "https://example.org/a/b?x=1&y=2"),
        ("الموقع www.example.com.", "www.example.com"),
        ("(http://example.org/path)", "http://example.org/path"),
        ("راسلونا على news@example.org اليوم", "news@example.org"),
        ("بلغ 3.5 مليون", "3.5"),
        ("نحو 1,200 عائلة", "1,200"),
        ("في عام ٢٠١٥", "٢٠١٥"),
    ],
)
def test_urls_emails_and_numbers_are_kept_whole(text: str, token: str) -> None:
    tokens = analyze(text)
    assert token in [t.text for t in tokens]


def test_decimal_arabic_number_normalizes_to_ascii() -> None:
    assert norms("٣٫٥") == ["3.5"]


def test_a_lone_clitic_left_by_a_quote_is_not_a_token() -> None:
    assert [t.text for t in analyze('لـ "الحرس" و "داعش"')] == ["الحرس", "داعش"]


# ---------------------------------------------------------------- clitics and the article


@pytest.mark.parametrize(
    ("word", "norm"),
    [
        ("بدير", "دير"),
        ("وبالموصل", "الموصل"),
        ("للحرس", "الحرس"),
        ("فالحرس", "الحرس"),
        ("للبنان", "لبنان"),
        ("وزير", "وزير"),
        ("بيان", "بيان"),
        ("فرنسا", "فرنسا"),
        ("بغداد", "بغداد"),
        ("بعدنا", "بعدنا"),
        ("ألمانيا", "المانيا"),
        ("والمانيا", "المانيا"),
    ],
)
def test_proclitics_split_only_when_they_are_particles(word: str, norm: str) -> None:
    assert analyze_word(word)[0] == norm


@pytest.mark.parametrize(
    ("hamza", "bare"),
    [("ألمانيا", "المانيا"), ("إلكترونية", "الكترونية"), ("آلاف", "الاف"), ("ألغام", "الغام")],
)
def test_a_word_starting_with_alef_lam_stems_alike_with_or_without_its_hamza(hamza: str, bare: str) -> None:
    """`المانيا` is `ألمانيا` written without the hamza, not the article + `مانيا`."""
    assert analyze_word(hamza) == analyze_word(bare)


def test_the_article_still_goes_in_the_stem_view() -> None:
    assert stems("الحرس الثوري") == ["حرس", "ثوري"]
    assert stems("الالتزام") == stems("التزام")


# ---------------------------------------------------------------- stemmer


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (["الإيرانية", "إيرانيون", "إيرانيين", "الإيراني"], "ايراني"),
        (["الحكومة", "حكومتها", "حكومات"], "حكوم"),
        (["ميليشيات", "الميليشيا", "ميليشياته", "مليشياتها"], "ميليشي"),
        (["الأمريكية", "الأميركيون", "أمريكيا"], "امريكي"),
    ],
)
def test_inflections_share_one_stem(words: list[str], stem: str) -> None:
    assert {analyze_word(w)[1] for w in words} == {stem}


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("إيران", "إيرانية"),  # the nisba ي stays, so the country is not its adjective
        ("لبنان", "لبن"),  # a listed name is never cut
        ("عدنان", "عدن"),
        ("حلبة", "حلب"),  # no word is cut into a name
        ("عدنا", "عدن"),
        ("صعدة", "صعد"),
        ("الحديدة", "حديد"),
        ("اليمن", "يمن"),  # a definite name keeps its article
        ("الموصل", "موصل"),
    ],
)
def test_names_are_not_joined_with_other_words(word: str, other: str) -> None:
    assert analyze_word(word)[1] != analyze_word(other)[1]


def test_iraq_with_or_without_its_article_is_one_stem_and_no_other_word_joins_it() -> None:
    """`في عراق اليوم` names the country too; `عراقة` ("ancientness") and the nisba stay apart."""
    iraq = {analyze_word(w)[1] for w in ("العراق", "عراق", "بالعراق", "للعراق", "والعراق")}
    assert len(iraq) == 1
    assert analyze_word("عراقة")[1] not in iraq
    assert analyze_word("العراقية")[1] not in iraq


def test_light_stem_agrees_with_the_pipeline() -> None:
    for word in ["الميليشيات", "للحرس", "ألمانيا", "المانيا", "حكومتها", "الأميركية", "اليمن"]:
        assert light_stem(normalize(word)) == analyze_word(word)[1] or light_stem(word) == analyze_word(word)[1]


# ---------------------------------------------------------------- compounds and variants


def test_a_name_written_together_matches_it_written_apart() -> None:
    assert norms("عبدربه منصور") == norms("عبد ربه منصور") == ["عبد", "ربه", "منصور"]
    assert norms("حسن نصرالله") == norms("حسن نصر الله")
    tokens = analyze("قال عبدالله")
    assert [(t.text, t.norm) for t in tokens[1:]] == [("عبد", "عبد"), ("الله", "الله")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أمريكي", "أميركي"),
        ("الأمريكية", "الأميركية"),
        ("سوريا", "سورية"),
        ("ميليشيا", "مليشيا"),
        ("الميليشيات", "المليشيات"),
        ("ترمب", "ترامب"),
        ("البنتاغون", "البنتاجون"),
        ("الكونغرس", "الكونجرس"),
        ("المسؤولين", "المسئولين"),
        ("الديمقراطية", "الديموقراطية"),
        ("نتنياهو", "نتانياهو"),
    ],
)
def test_spelling_variants_fold_together_in_both_views(a: str, b: str) -> None:
    assert analyze_word(a) == analyze_word(b)


def test_syria_folds_only_as_the_bare_country_name() -> None:
    """`السورية` is the adjective "Syrian", never the country `سوريا`."""
    assert analyze_word("سورية")[0] == "سوريا"
    assert analyze_word("السورية")[0] == "السوريه"


def variant_rows() -> list[tuple[int, str, str, bool]]:
    rows = []
    for number, line in data_lines("variants.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        rows.append((number, parts[0], parts[1], len(parts) == 3))
    return rows


def test_the_variant_table_has_at_least_sixty_pairs() -> None:
    assert len(variant_rows()) >= 60


def test_every_variant_pair_folds_its_variant_to_its_canonical_in_text() -> None:
    """Through the whole pipeline, bare and with the article and a clitic: a variant that
    starts with ب/ك/ل/و/ف must not lose that letter to the clitic splitter."""
    for number, variant, canonical, bare in variant_rows():
        v, c = normalize(variant.rstrip("*")), normalize(canonical.rstrip("*"))
        if variant.endswith("*"):
            v, c = v + "ه", c + "ه"  # a word that starts so
        assert fold(v) == fold(c) == c, f"variants.tsv:{number}"
        if v.isascii():
            continue
        forms = [("", "")] if bare else [("", ""), ("ال", "ال"), ("وبال", "ال")]
        if variant.endswith("*") and v[0] in "وفبكلا":
            forms = forms[1:]  # a made-up bare form of a ب/ك… prefix: real ones are tested below
        for lead, article in forms:
            assert analyze_word(lead + v) == analyze_word(lead + c), f"variants.tsv:{number} {lead}"
            assert analyze_word(lead + v)[0] == article + c, f"variants.tsv:{number} {lead}"


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("بشمركة", "بيشمركة"),
        ("بنتاجون", "بنتاغون"),
        ("كونجرس", "كونغرس"),
        ("كتالونيا", "كاتالونيا"),
        ("بالستية", "باليستية"),
        ("كونفيدرالية", "كونفدرالية"),
        ("بنجلاديشية", "بنغلاديشية"),
        ("اليكترونية", "إلكترونية"),
    ],
)
def test_a_variant_starting_with_a_clitic_letter_keeps_it(variant: str, canonical: str) -> None:
    assert analyze_word(variant) == analyze_word(canonical)
    assert analyze_word(variant)[0] == normalize(canonical)


def test_fold_keeps_the_article_and_leaves_other_words_alone() -> None:
    assert fold("الاميركيه") == "الامريكيه"
    assert fold("الحرس") == "الحرس"


# ---------------------------------------------------------------- the seed article


SEED_FORMS = {
    "لـ”الحرس الثوري”": ["الحرس", "الثوري"],
    "“إف-15": ["اف", "15"],
    "“إف 15″": ["اف", "15"],
    "الجمعة-السبت": ["الجمعه", "السبت"],
}


@pytest.mark.shared
def test_the_seed_articles_clitic_and_quote_forms_come_out_clean(seed_text: str) -> None:
    tokens = analyze(seed_text)
    for form, expected in SEED_FORMS.items():
        start = seed_text.find(form)
        assert start >= 0, f"the seed no longer holds {form!r}"
        inside = [t.norm for t in tokens if start <= t.start and t.end <= start + len(form)]
        assert inside == expected, form
    for number in re.findall(r"\d+", seed_text):
        assert number in [t.norm for t in tokens]
    check_tokens(seed_text)


@pytest.mark.shared
def test_every_seed_token_is_a_clean_word(seed_text: str) -> None:
    for tok in analyze(seed_text):
        assert re.fullmatch(r"[\u0621-\u064a0-9a-z.,]+", tok.norm), tok
