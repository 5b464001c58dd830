"""Snippets and titles: escaped text with <mark> and nothing else, matches in any spelling, the
best passage; and match_spans() as the article page uses it."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engine import Engine
from search.highlight import match_spans, snippet, token_matches
from search.evaluate import highlights
from search.query import parse
from tests.indexer.conftest import make_article, write_jsonl

from .conftest import build

MARK = re.compile(r"</?mark>")
HOSTILE_TITLE = 'هجوم <script>alert("x")</script> على "المطار" & <img src=x onerror=alert(1)>'
HOSTILE_BODY = ("قالت مصادر إن <b>غارات</b> استهدفت مطار المدينة فجراً، وإن الدفاعات الجوية تصدت لصواريخ "
                "أطلقت نحو القاعدة <iframe src=//evil></iframe> وأضافت أن المطار أغلق أمام الرحلات.")


def only_marks(markup: str) -> bool:
    return "<" not in MARK.sub("", markup) and ">" not in MARK.sub("", markup)


def plain(markup: str) -> str:
    return html.unescape(MARK.sub("", markup))


@pytest.fixture(scope="module")
def hostile_engine(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    articles = [make_article(i) for i in range(6)]
    articles.append(make_article(6, id="hostile", title=HOSTILE_TITLE, content=HOSTILE_BODY))
    write_jsonl(folder / "corpus" / "a.jsonl", articles)
    with Engine(build(folder / "corpus", folder / "home")) as engine:
        yield engine


def test_markup_in_documents_is_escaped(hostile_engine):
    for q in ("المطار", "script", "img", "غارات", '"<b>"', "<iframe"):
        result = hostile_engine.search({"q": q})
        for hit in result["hits"]:
            assert only_marks(hit["snippet"]) and only_marks(hit["title_html"]), (q, hit)
            assert plain(hit["title_html"]) == " ".join(hit["title"].split())
    hit = hostile_engine.search({"q": "المطار"})["hits"][0]
    assert "&lt;script&gt;" in hit["title_html"] and "<mark>المطار</mark>" in hit["title_html"].replace("&quot;", '"')


PIECES = list('<>&"\'/=المطارغاتscriptimg ()-*') + ["<script>", "</mark>", "<mark>", "&amp;", "المطار", "غارات"]


@given(q=st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_snippets_never_contain_unescaped_input(hostile_engine, q):
    result = hostile_engine.search({"q": q})
    for hit in result["hits"]:
        assert only_marks(hit["snippet"]) and only_marks(hit["title_html"])
        for tag in re.findall(r"<mark>(.*?)</mark>", hit["snippet"]):
            assert "<" not in tag and tag.strip()


def test_matches_in_any_spelling_are_marked(engine):
    result = engine.search({"q": "سورية", "per_page": 50})
    marked = {m for h in result["hits"] for m in re.findall(r"<mark>(.*?)</mark>", h["snippet"] + h["title_html"])}
    assert "سوريا" in marked or any("سوريا" in m for m in marked)


def test_the_snippet_is_the_best_passage():
    text = ("بداية طويلة لا علاقة لها بالموضوع " * 20 + "هنا ذكر حلب وحدها. " + "حشو " * 40
            + "وهنا حلب ودمشق معاً في جملة واحدة. " + "خاتمة " * 30)
    marks = highlights(parse("حلب دمشق"))
    out = snippet(text, token_matches(text, marks))
    assert "<mark>حلب</mark>" in out and "<mark>ودمشق</mark>" in out
    assert out.startswith("… ") and out.endswith(" …")
    assert len(plain(out)) <= 320


def test_a_snippet_without_matches_is_the_opening():
    text = "الفقرة الأولى من التقرير. " * 30
    out = snippet(text, [])
    assert out.startswith("الفقرة الأولى") and out.endswith("…")


def test_match_spans_for_the_article_page():
    text = "قصفت الطائرات مواقع في دير الزور وبدير الزور، ولم تقترب من الزوراء."
    spans = match_spans(text, '"دير الزور"')
    assert [text[a:b] for a, b in spans] == ["دير", "الزور", "وبدير", "الزور"]
    assert match_spans(text, "-دير") == []
    assert [text[a:b] for a, b in match_spans(text, "الزو*")] == ["الزور", "الزور", "الزوراء"]
    assert match_spans(text, "") == []
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))


def test_hit_titles_and_fields_follow_the_contract(engine):
    hit = engine.search({"q": "داعش"})["hits"][0]
    assert set(hit) >= {"id", "url", "title", "title_html", "source", "published", "score", "snippet", "places",
                        "actors", "event_dates"}
    assert "<mark>" in hit["title_html"] + hit["snippet"]
    assert all(set(p) == {"id", "name_ar", "name_en"} for p in hit["places"])
    assert all(set(a) == {"id", "name_ar", "name_en", "type"} for a in hit["actors"])
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in hit["event_dates"])


WORDS = ["سوريا", "لسوريا", "السورية", "سورية", "عبدالله", "عبد الله", "وبالمطار", "المطار", "الحَرَس", "الحـرس",
         "لـ", "و", "ﻻ", "ﷲ", "F-15", "إف-15", "3.5", "٣٫٥", "https://example.org/سوريا", "a@b.co", "Damascus",
         "دمشق،", "«حلب»", "حلب", "غارات", "الغارات", "\u200c", "ألمانيا", "الى", "إلى", "مطار*"]
SEPARATORS = [" ", "  ", "\n", "،", ".", "-", "\"", "(", ")", "", "…"]


def reference_matches(text: str, marks) -> list[tuple[int, int, str]]:
    from indexer.analysis import analyzed_terms

    return [(s, e, exact) for exact, stem, s, e in analyzed_terms(text) if marks.matches(exact, stem)]


text_pieces = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda pairs: "".join(w + sep for w, sep in pairs))


@given(texts=st.lists(st.one_of(text_pieces, st.text(alphabet=st.sampled_from(sorted(set("".join(WORDS + SEPARATORS)))),
                                                     max_size=60)), min_size=1, max_size=4),
       query=st.lists(st.sampled_from(WORDS[:20] + ["مطار*", "سوري*", '"عبد الله"']), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_token_matches_equal_testing_every_analyzed_token(texts, query):
    """The fast path (split, judge each surface once per query, running offsets) marks exactly what
    testing every token of the analyzer's output marks, also for texts judged after others."""
    marks = highlights(parse(" ".join(query)))
    for text in texts + texts[::-1]:  # the second time round, every surface is already known
        assert token_matches(text, marks) == reference_matches(text, marks)


def test_the_surface_table_starts_afresh_past_its_limit():
    from search.highlight import Surfaces

    table = Surfaces(limit=3)
    assert [t[0] for t in table.terms_of(["حلب", "ودمشق", "وحمص", "وحماة"])] == ["حلب", "دمشق", "حمص", "حماه"]
    first = table.terms
    assert set(first) == {"حلب", "ودمشق", "وحمص", "وحماة"}
    assert [t[0] for t in table.terms_of(["في", "حلب"])] == ["في", "حلب"]
    assert table.terms is not first and set(table.terms) == {"في"}  # حلب was answered by the old one
    second = table.terms
    assert [t[0] for t in table.terms_of(["حلب"])] == ["حلب"]
    assert table.terms is second and set(second) == {"في", "حلب"}


FUNCTION_TEXT = ("قتل ثلاثة جنود على الحدود في هجوم من مسلحين، وقال علي إن الهجوم وقع على مقربة من المعبر. "
                 "وانتشر جنود على الحدود بعد ذلك.")


def marked_words(text: str, query: str) -> list[str]:
    return [text[a:b] for a, b in match_spans(text, query)]


def test_function_words_of_the_query_are_not_marked():
    assert marked_words(FUNCTION_TEXT, "مقتل جنود على الحدود") == ["جنود", "الحدود", "جنود", "الحدود"]
    assert marked_words(FUNCTION_TEXT, "هجوم من مسلحين") == ["هجوم", "مسلحين", "الهجوم"]
    assert "في" not in marked_words(FUNCTION_TEXT, "في المعبر")


def test_a_query_of_function_words_only_marks_them():
    assert marked_words(FUNCTION_TEXT, "من") == ["من", "من"]
    assert marked_words(FUNCTION_TEXT, "على OR في") == ["على", "في", "علي", "على", "على"]


def test_a_phrase_marks_its_function_words_only_where_the_phrase_occurs():
    spans = match_spans(FUNCTION_TEXT, '"جنود على الحدود"')
    assert [FUNCTION_TEXT[a:b] for a, b in spans] == ["جنود", "على", "الحدود"] * 2
    second = FUNCTION_TEXT.index("على مقربة")
    assert all(not (a <= second < b) for a, b in spans), "the على outside the phrase stays plain"


def test_the_name_ali_is_a_content_word():
    assert "علي" in marked_words(FUNCTION_TEXT, "علي الهجوم")


def test_hit_snippets_mark_the_content_words_not_the_prepositions(engine):
    result = engine.search({"q": "غارات على دير الزور"})
    assert result["hits"]
    for hit in result["hits"]:
        marks = re.findall(r"<mark>(.*?)</mark>", hit["snippet"] + hit["title_html"])
        assert marks and "على" not in marks and "علي" not in marks, hit["snippet"]
