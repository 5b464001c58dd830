"""Ranking on small purpose-built corpora: the exact spelling over a relative, a title over a body,
words side by side over scattered ones, recency on ties; "did you mean"; name suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.engine import Engine
from tests.indexer.conftest import write_jsonl

from .conftest import build

FILLER = "وأضاف المتحدث أن الاجتماع المقبل سيعقد بعد أسبوعين لمتابعة ما تم الاتفاق عليه بين الطرفين."


def article(ident: str, title: str, content: str, day: str) -> dict:
    return {"id": ident, "url": f"https://example.org/{ident}", "title": title, "content": content,
            "source": "wakalat-al-rasd", "published": day}


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("ranking")
    articles = [
        article("exact-old", "لقاء في العاصمة", f"انطلقت المفاوضات صباح اليوم بحضور الوسطاء. {FILLER}", "2020-01-01"),
        article("stem-new", "لقاء في العاصمة", f"انطلقت مفاوضاتهم صباح اليوم بحضور الوسطاء. {FILLER}", "2020-06-01"),
        article("title-old", "المفاوضات تتعثر", f"انطلق الاجتماع صباح اليوم بحضور الوسطاء ثم المفاوضات. {FILLER}",
                "2019-01-01"),
        article("twin-old", "بيان رسمي", f"أعلنت الهيئة نتائج الحصاد الزراعي لهذا العام. {FILLER}", "2018-01-01"),
        article("twin-new", "بيان رسمي", f"أعلنت الهيئة نتائج الحصاد الزراعي لهذا العام. {FILLER}", "2018-05-01"),
        article("together", "تقرير", f"قال وزير الخارجية إن اللقاء كان مثمراً. {FILLER}", "2017-01-01"),
        article("apart", "تقرير", f"قال الوزير إن اللقاء كان مثمراً، وعلّقت الخارجية لاحقاً. {FILLER}", "2017-06-01"),
    ]
    articles += [article(f"kharif-{i}", "موسم الخريف", f"أمطار الخريف غزيرة هذا العام في الجنوب {i}. {FILLER}",
                         f"2016-0{1 + i % 9}-01") for i in range(12)]
    write_jsonl(folder / "corpus" / "a.jsonl", articles)
    with Engine(build(folder / "corpus", folder / "home")) as engine:
        yield engine


def ids(engine: Engine, q: str) -> list[str]:
    return [h["id"] for h in engine.search({"q": q, "per_page": 50})["hits"]]


def test_the_exact_spelling_ranks_above_a_relative(ranked):
    order = ids(ranked, "المفاوضات")
    assert order.index("exact-old") < order.index("stem-new")
    assert set(order) >= {"exact-old", "stem-new", "title-old"}


def test_a_title_match_ranks_first(ranked):
    assert ids(ranked, "المفاوضات")[0] == "title-old"


def test_ties_are_broken_by_recency(ranked):
    assert ids(ranked, "الحصاد الزراعي")[:2] == ["twin-new", "twin-old"]


def test_words_side_by_side_rank_above_scattered_words(ranked):
    order = ids(ranked, "وزير الخارجية")
    assert order[:2] == ["together", "apart"]


def test_newest_and_oldest_sorts(ranked):
    newest = ranked.search({"q": "الخريف", "sort": "newest", "per_page": 50})["hits"]
    assert [h["published"] for h in newest] == sorted((h["published"] for h in newest), reverse=True)
    oldest = ranked.search({"q": "الخريف", "sort": "oldest", "per_page": 50})["hits"]
    assert [h["published"] for h in oldest] == sorted(h["published"] for h in oldest)


def test_did_you_mean_offers_the_better_known_spelling(ranked):
    result = ranked.search({"q": "الخرف"})
    assert result["total"] == 0 and result["suggestion"] == "الخريف"
    assert ranked.search({"q": "الخريف"})["suggestion"] is None
    assert ranked.search({"q": "كلمةلاتوجدابدا"})["suggestion"] is None


def test_name_suggestions_in_arabic_and_english(engine):
    arabic = engine.suggest("دير", None, 10)
    assert arabic and any(item["name_ar"].startswith("دير") for item in arabic)
    english = engine.suggest("deir", "place", 10)
    assert english and all(item["kind"] == "place" for item in english)
    assert any(item["id"] == "sy-deir-ez-zor" for item in english)
    actors = engine.suggest("قسد", "actor", 5)
    assert actors and actors[0]["id"] == "sdf" and actors[0]["type"] == "armed_group"
    assert engine.suggest("zzzzqqq", None, 5) == []
    assert len(engine.suggest("ا", None, 3)) <= 3


def test_cli_search_and_stats(corpus_home: Path):
    import json

    from click.testing import CliRunner

    from marsad.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["search", "داعش", "--index", str(corpus_home), "--json", "--per-page", "3"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["total"] > 0 and len(data["hits"]) == 3 and data["query"]["q"] == "داعش"
    text = runner.invoke(main, ["search", "", "--index", str(corpus_home), "--place", "دير الزور"])
    assert text.exit_code == 0 and "results (page 1)" in text.output
    bad = runner.invoke(main, ["search", "x", "--index", str(corpus_home), "--place", "دير الزوور"])
    assert bad.exit_code == 2 and "دير الزور" in bad.output and "Traceback" not in bad.output
    stats = runner.invoke(main, ["index", "stats", "--index", str(corpus_home), "--json"])
    assert stats.exit_code == 0 and json.loads(stats.output)["documents"] > 0
    missing = runner.invoke(main, ["search", "x", "--index", str(corpus_home / "nowhere")])
    assert missing.exit_code == 2 and "no index" in missing.output


def test_iraq_with_its_article_finds_iraq_without_it_and_back(tmp_path: Path) -> None:
    articles = [
        article("definite", "تقرير", f"زار الوفد العراق الأسبوع الماضي. {FILLER}", "2021-01-01"),
        article("bare", "تقرير", f"تحدث الكاتب عن عراق ما بعد الحرب. {FILLER}", "2021-02-01"),
        article("ancient", "تقرير", f"تحدث الكاتب عن عراقة المدينة القديمة. {FILLER}", "2021-03-01"),
    ]
    write_jsonl(tmp_path / "corpus" / "a.jsonl", articles)
    with Engine(build(tmp_path / "corpus", tmp_path / "home")) as engine:
        for query in ("العراق", "عراق", "بالعراق"):
            found = {h["id"] for h in engine.search({"q": query, "entities": False})["hits"]}
            assert found == {"definite", "bare"}, query
