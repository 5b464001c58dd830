"""The reader side of an index home: missing, broken and outdated indexes; stats; decoded postings
equal to Whoosh's own matchers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.analysis import ANALYZER_VERSION
from search.engine import Engine
from search.index import IndexNotFound, RebuildNeeded, has_index, index_stats, locate
from tests.indexer.conftest import write_tiny_corpus

from .conftest import build


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index")
    return build(write_tiny_corpus(folder / "corpus"), folder / "home")


@pytest.fixture(scope="module")
def two_segment_engine(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path):
    from indexer.build import build_index

    home = tmp_path_factory.mktemp("two-segments")
    build_index([corpus_dir], home, workers=2, quarantine=None, progress=False)
    with Engine(home) as engine:
        yield engine


def copy_home(home: Path, target: Path) -> Path:
    shutil.copytree(home, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def test_a_missing_index(tmp_path: Path):
    assert has_index(tmp_path / "nothing") is False
    assert has_index(tmp_path) is False
    with pytest.raises(IndexNotFound, match="marsad index build"):
        index_stats(tmp_path)
    with Engine(tmp_path) as engine, pytest.raises(IndexNotFound):
        engine.search({"q": "x"})


def test_a_current_naming_a_missing_generation_is_reported_by_name(tmp_path: Path):
    (tmp_path / "CURRENT").write_text("gen-000042\n")
    with pytest.raises(IndexNotFound, match="gen-000042"):
        has_index(tmp_path)


def test_a_broken_current_falls_back_to_the_newest_complete_generation(home: Path, tmp_path: Path):
    copy = copy_home(home, tmp_path / "copy")
    (copy / "CURRENT").write_text("gen-000042\n")
    assert has_index(copy) and locate(copy).folder.name == "gen-000001"
    with Engine(copy) as engine:
        assert engine.search({"q": ""})["total"] == 24


def test_an_index_of_another_analyzer_version_needs_a_rebuild(home: Path, tmp_path: Path):
    copy = copy_home(home, tmp_path / "old")
    marker_path = copy / "gen-000001" / "marsad.json"
    marker = json.loads(marker_path.read_text())
    marker["analyzer_version"] = "0"
    marker_path.write_text(json.dumps(marker))
    for call in (lambda: has_index(copy), lambda: index_stats(copy), lambda: Engine(copy).search({"q": "x"})):
        with pytest.raises(RebuildNeeded) as caught:
            call()
        message = str(caught.value)
        assert "rebuild needed" in message and ANALYZER_VERSION in message and "0" in message


def test_stats_follow_the_contract(home: Path):
    stats = index_stats(home)
    assert set(stats) == {"documents", "sources", "published_min", "published_max", "places", "actors",
                          "built_at", "generation", "unknown_sources"}  # the contract's keys, extended
    assert stats["documents"] == 24 and stats["sources"] == 3 and stats["generation"] == 1
    with Engine(home) as engine:
        assert engine.stats() == stats


def test_decoded_postings_equal_whoosh_matchers(engine):
    from indexer.analysis import analyzed_terms

    with engine.lease() as gen:
        reader = gen.reader
        for word in ("سوريا", "داعش", "في", "الأمم", "غارات"):
            (exact, stem, _, _), = analyzed_terms(word)
            for view, term in (("body_exact", exact), ("body_stem", stem), ("title_exact", exact)):
                ids, weights = gen.postings.lookup(view, term)
                if (view, term.encode()) not in reader:
                    assert not len(ids)
                    continue
                matcher = reader.postings(view, term)
                expected = []
                while matcher.is_active():
                    expected.append((matcher.id(), matcher.weight()))
                    matcher.next()
                assert [(int(i), float(w)) for i, w in zip(ids, weights)] == expected, (view, word)
                positions = gen.postings.positions(view, term, ids[:5]) if view.endswith("exact") else {}
                for doc, where in positions.items():
                    m = reader.postings(view, term)
                    m.skip_to(doc)
                    assert m.value_as("positions") == where


def test_articles_by_id_and_related_reports(engine, stored):
    doc = next(d for d in stored if len(d.mentioned) >= 2)
    article = engine.article(doc.id)
    assert article["id"] == doc.id and article["content"] == doc.content
    assert {p["id"] for p in article["places"]} == set(doc.mentioned)
    assert all({"id", "name_ar", "name_en", "kind", "lat", "lon", "parents", "mentions"} <= set(p)
               for p in article["places"])
    assert all({"date", "text", "kind"} == set(d) for d in article["dates"])
    related = article["related"]
    assert related and doc.id not in {r["id"] for r in related}
    for item in related:
        other = next(d for d in stored if d.id == item["id"])
        assert other.mentioned & doc.mentioned or other.actors & doc.actors
    for missing in ("no-such-id", "../../etc/passwd", "", "\udcff", "x" * 5000):
        assert engine.article(missing) is None


def test_position_keys_equal_whooshs_positions(two_segment_engine):
    from search.postings import POSITION_BITS

    with two_segment_engine.lease() as gen:
        reader = gen.reader
        for view in ("body_exact", "title_exact"):
            terms = [t.decode() if isinstance(t, bytes) else t for t in reader.lexicon(view)][::37][:25]
            for term in terms:
                expected = []
                matcher = reader.postings(view, term)
                while matcher.is_active():
                    expected.extend((matcher.id() << POSITION_BITS) | p for p in matcher.value_as("positions"))
                    matcher.next()
                assert gen.postings.position_keys(view, term).tolist() == expected, (view, term)


def test_a_word_asked_for_again_is_decoded_whole(engine):
    with engine.lease() as gen:
        postings = gen.postings
        term = "zz-never-asked"
        assert [postings.asked_again("body_exact", term) for _ in range(4)] == [False, False, True, True]
        limit, postings.cache_limit = postings.cache_limit, 0
        try:
            assert not postings.asked_again("body_exact", "zz-other")  # with caching off, never
        finally:
            postings.cache_limit = limit


def test_positions_read_in_part_or_whole_give_the_same_results(two_segment_engine, monkeypatch):
    import search.evaluate

    monkeypatch.setattr(search.evaluate, "FEW_CANDIDATES", 0)  # always the partial read at first
    queries = ['"الأمم المتحدة"', "وزير الخارجية", '"مجلس الأمن"']
    with two_segment_engine.lease() as gen:
        gen.postings._keys.clear()
        gen.postings._keys_cached = 0
        gen.postings._asked.clear()
        gen.cache.clear()
    results = [[two_segment_engine.search({"q": q, "per_page": 50, "entities": False}) for q in queries]
               for _ in range(4)]
    assert all(round_ == results[0] for round_ in results[1:])
    assert any(r["total"] for r in results[0])
    with two_segment_engine.lease() as gen:
        assert not gen.postings.has_keys("body_exact", "وزير")  # proximity reads only its pool's blocks, every time
