"""The relaxed query: when the AND of three or more plain words finds fewer than a page, reports
with most of the words, ranked by how many they have; operators stay required exactly as typed.
Sentences are our own; outlets are fictional."""

from __future__ import annotations

import pytest

from indexer.analysis import analyzed_terms
from search.engine import Engine
from search.query import parse
from search.relax import clauses, minimum_words
from .conftest import all_ids
from .test_synonyms import index_of

FILLER = "وتابع المراسل أن الأهالي تجمعوا في الساحة الرئيسية بانتظار ما ستسفر عنه الساعات المقبلة."


def article(ident: str, content: str, day: str = "2022-05-01") -> dict:
    return {"id": ident, "url": f"https://example.org/{ident}", "title": "نشرة الظهيرة",
            "content": f"{content} {FILLER}", "source": "sada-al-wadi", "published": day}


ARTICLES = [
    article("four", "انقطع الماء عن الحي الشرقي وتعطلت المضخة قرب السوق القديم"),
    article("three-a", "انقطع الماء عن الحي الغربي منذ أمس بسبب عطل في المضخة"),
    article("two-b", "تعطلت المضخة في الحي الشمالي وطالب السكان بإصلاحها قرب السوق القديم"),
    article("three-x", "انقطع الماء وتعطلت المضخة في الحي الجنوبي بعد الحريق"),
    article("two", "انقطع الماء ساعات ثم عاد إلى المنازل"),
    article("one", "افتتح السوق القديم بعد ترميمه"),
]
WORDS = "انقطع الماء المضخة السوق"  # four words; only one report has them all


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    with Engine(index_of(ARTICLES, tmp_path_factory.mktemp("relax"))) as opened:
        yield opened


def has(ident: str, word: str) -> bool:
    text = next(a for a in ARTICLES if a["id"] == ident)
    (_, stem, _, _), = analyzed_terms(word)
    return stem in {t[1] for t in analyzed_terms(text["title"] + "\n" + text["content"])}


def words_in(ident: str, q: str) -> int:
    return sum(has(ident, w) for w in q.split())


def search(engine: Engine, q: str, **params) -> dict:
    return engine.search({"q": q, "entities": False, "per_page": 100, **params})


# the rule --------------------------------------------------------------------------------------
@pytest.mark.parametrize("n, minimum", [(3, 2), (4, 3), (5, 4), (6, 4), (8, 6)])
def test_two_thirds_of_the_words_rounded_up(n, minimum):
    assert minimum_words(n) == minimum


@pytest.mark.parametrize("q, counted, required", [
    ("مقتل جنود على الحدود", 3, 0),  # a function word is neither counted nor required
    ("مقتل جنود في الحدود بعد", 3, 0),
    ('مقتل جنود الحدود "حرس الحدود" -تركيا', 3, 2),
    ("مقتل جنود الحدود title:نجران place:sa السعودي*", 3, 3),
    ("مقتل جنود الحدود (نجران OR جازان)", 3, 1),
])
def test_only_plain_words_are_counted_operators_stay_required(q, counted, required):
    parts = clauses(parse(q))
    assert (len(parts.counted), len(parts.required)) == (counted, required)


@pytest.mark.parametrize("q", ["مقتل جنود", '"مقتل جنود على الحدود"', "مقتل OR جنود OR الحدود", "مقتل جنود -الحدود"])
def test_fewer_than_three_plain_words_or_no_and_are_never_relaxed(q):
    assert clauses(parse(q)) is None


# on an index -----------------------------------------------------------------------------------
def test_few_strict_hits_relax_to_most_words_ranked_by_how_many(engine):
    result = search(engine, WORDS)
    assert result["relaxed"] is True
    assert result["relaxation"] == {"min_words": 3, "words": 4, "strict_total": 1}
    found = [h["id"] for h in result["hits"]]
    assert found[0] == "four"
    assert set(found) == {i["id"] for i in ARTICLES if words_in(i["id"], WORDS) >= 3}
    counts = [h["words_matched"] for h in result["hits"]]
    assert counts == sorted(counts, reverse=True) and counts[0] == 4
    assert all(h["words_matched"] == words_in(h["id"], WORDS) for h in result["hits"])
    assert result["total"] == len(found) and sum(f["count"] for f in result["facets"]["source"]) == len(found)


def test_an_excluded_word_stays_excluded_when_relaxed(engine):
    result = search(engine, WORDS + " -الحريق")
    assert result["relaxed"] is True
    assert "three-x" not in {h["id"] for h in result["hits"]}


def test_a_quoted_phrase_stays_required_when_relaxed(engine):
    result = search(engine, 'الماء المضخة السوق "الحي الغربي"')
    assert result["relaxed"] is True
    assert {h["id"] for h in result["hits"]} == {"three-a"}


def test_expand_false_and_other_sorts_give_the_strict_and(engine):
    strict = {i["id"] for i in ARTICLES if words_in(i["id"], WORDS) == 4}
    for params in ({"expand": False}, {"sort": "newest"}):
        result = search(engine, WORDS, **params)
        assert result["relaxed"] is False and result["relaxation"] is None
        assert set(all_ids(engine, q=WORDS, entities=False, **params)) == strict
        assert all("words_matched" not in h for h in result["hits"])


def test_enough_strict_hits_are_not_relaxed(engine, monkeypatch):
    monkeypatch.setattr("search.engine.RELAX_BELOW", 1)
    result = search(engine, WORDS)
    assert result["relaxed"] is False and result["total"] == 1


def test_two_words_are_never_relaxed(engine):
    result = search(engine, "المضخة الحريق")
    assert result["relaxed"] is False
    assert {h["id"] for h in result["hits"]} == {"three-x"}
