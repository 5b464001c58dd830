"""Stories in search: hits carry their story, collapse=story gives one hit per story (checked
against the uncollapsed ranking, also for random story assignments), the story filter, the
article's story, and generations without (or with a damaged) stories.tsv. Real indexes of
corpus/ built in tmp, with hand-written stories.tsv files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engine import Engine
from search.params import SearchParamsError
from search.stories import STORIES_FILE, Stories, StringTable, align, as_array, assign_keys, read_lines

from ..story_homes import FUNERAL, PRISON, UNLISTED, generation_folder, hand_written_home, story_of
from .conftest import StoredDoc, all_ids, stored_documents


@pytest.fixture(scope="module")
def story_home(tmp_path_factory: pytest.TempPathFactory, corpus_home: Path) -> Path:
    return hand_written_home(corpus_home, tmp_path_factory.mktemp("stories") / "home")


@pytest.fixture(scope="module")
def stories_engine(story_home: Path) -> Iterator[Engine]:
    with Engine(story_home) as opened:
        yield opened


@pytest.fixture(scope="module")
def docs(story_home: Path) -> list[StoredDoc]:
    return stored_documents(story_home)


def test_every_hit_carries_its_story_and_size(stories_engine: Engine, docs: list[StoredDoc]) -> None:
    result = stories_engine.search({"q": "", "per_page": 100, "page": 1})
    hits = result["hits"] + stories_engine.search({"q": "", "per_page": 100, "page": 2})["hits"]
    assert len(hits) == len(docs)
    for hit in hits:
        expected = story_of(hit["id"])
        size = 3 if expected == "story-funeral" else 2 if expected == "story-prison" else 1
        assert hit["story"]["id"] == expected and hit["story"]["size"] == size, hit["id"]
        assert hit["source"] in hit["story"]["sources"]
    funeral = next(h for h in hits if h["id"] == FUNERAL[0])
    assert set(funeral["story"]["sources"]) == {"wadi-news", "al-manara", "al-shurfa"}
    assert funeral["story"]["sources"][-1] == "al-shurfa"  # the only one published a day later


def test_collapse_gives_one_hit_per_story_and_counts_both(stories_engine: Engine) -> None:
    plain = stories_engine.search({"q": "صنعاء", "per_page": 100})
    collapsed = stories_engine.search({"q": "صنعاء", "per_page": 100, "collapse": "story"})
    assert collapsed["total"] == plain["total"]
    assert "total_stories" not in plain
    assert collapsed["total_stories"] == len({h["story"]["id"] for h in plain["hits"]}) == plain["total"] - 2
    assert len(collapsed["hits"]) == collapsed["total_stories"]
    assert sum(h["story"]["id"] == "story-funeral" for h in collapsed["hits"]) == 1
    assert collapsed["facets"] == plain["facets"]  # facets count reports, not stories


def test_collapsed_hit_is_the_best_ranked_member(stories_engine: Engine) -> None:
    for q in ("صنعاء", "وزارة الصحة في صنعاء", "الحوثيين"):
        ranked = all_ids(stories_engine, q=q)
        best = next(i for i in ranked if i in FUNERAL)
        hits = all_ids(stories_engine, q=q, collapse="story")
        assert best in hits and not (set(FUNERAL) - {best}) & set(hits)
        assert hits.index(best) == len({story_of(i) for i in ranked[:ranked.index(best)]})


def test_story_filter_lists_the_story(stories_engine: Engine) -> None:
    assert sorted(all_ids(stories_engine, q="", story="story-funeral")) == sorted(FUNERAL)
    assert sorted(all_ids(stories_engine, q="", story="story-prison", sort="oldest")) == sorted(PRISON)
    assert all_ids(stories_engine, q="الحسكة", story="story-funeral") == []
    assert all_ids(stories_engine, q="", story=UNLISTED) == [UNLISTED]  # an unlisted article is its own story
    one = stories_engine.search({"q": "", "story": "story-funeral", "collapse": "story"})
    assert one["total"] == 3 and one["total_stories"] == 1 and len(one["hits"]) == 1
    facets = stories_engine.search({"q": "", "story": "story-funeral"})["facets"]["source"]
    assert {f["value"]: f["count"] for f in facets if f["count"]} == {"wadi-news": 1, "al-manara": 1, "al-shurfa": 1}


@pytest.mark.parametrize("story", ["no-such-story", FUNERAL[0], "s-", "not-in-this-index"])
def test_unknown_story_is_a_parameter_error(stories_engine: Engine, story: str) -> None:
    with pytest.raises(SearchParamsError) as error:
        stories_engine.search({"q": "", "story": story})
    assert list(error.value.errors) == ["story"]


@pytest.mark.parametrize("params", [{"collapse": "stories"}, {"collapse": "1"}, {"story": "x" * 513}])
def test_bad_story_parameters(stories_engine: Engine, params: dict[str, Any]) -> None:
    with pytest.raises(SearchParamsError) as error:
        stories_engine.search({"q": "", **params})
    assert set(error.value.errors) == set(params)


def test_article_lists_its_story_earliest_first(stories_engine: Engine) -> None:
    article = stories_engine.article(FUNERAL[2])
    story = article["story"]
    assert story["id"] == "story-funeral" and story["size"] == 3
    assert [a["id"] for a in story["articles"]] == sorted(FUNERAL[:2]) + [FUNERAL[2]]
    assert [a["published"][:10] for a in story["articles"]] == ["2016-10-09", "2016-10-09", "2016-10-10"]
    alone = stories_engine.article(UNLISTED)["story"]
    assert alone["id"] == UNLISTED and alone["size"] == 1 and [a["id"] for a in alone["articles"]] == [UNLISTED]


@pytest.mark.parametrize("damage", ["missing", "unreadable"])
def test_a_generation_without_stories_file_has_one_story_per_article(tmp_path: Path, corpus_home: Path,
                                                                     damage: str) -> None:
    home = tmp_path / "home"
    shutil.copytree(corpus_home, home, symlinks=True)
    (generation_folder(home) / STORIES_FILE).unlink()
    if damage == "unreadable":
        (generation_folder(home) / STORIES_FILE).mkdir()
    with Engine(home) as engine:
        result = engine.search({"q": "صنعاء", "per_page": 100, "collapse": "story"})
        assert result["total_stories"] == result["total"] == len(result["hits"])
        assert all(h["story"] == {"id": h["id"], "size": 1, "sources": [h["source"]]} for h in result["hits"])
        assert all_ids(engine, q="", story=FUNERAL[0]) == [FUNERAL[0]]


def test_string_table_finds_what_it_holds() -> None:
    values = sorted({"b", "a", "عرب", "z" * 40, "a1"})
    table = StringTable([v.encode() for v in values])
    assert [table[i] for i in range(len(table))] == values
    assert all(table.find(v) == i for i, v in enumerate(values))
    assert table.find("missing") is None and table.find("") is None


@pytest.mark.parametrize("long_ids", [False, True])
def test_stories_file_is_read_whatever_its_line_ends_and_damage(tmp_path: Path, long_ids: bool) -> None:
    tail = "x" * 100 if long_ids else ""  # long ids take the object-array path
    good = [(f"a{i}{tail}", f"s{i % 3}{tail}") for i in range(6)]
    path = tmp_path / STORIES_FILE
    path.write_bytes("\r\n".join(f"{a}\t{s}" for a, s in good).encode() + b"\r\n")
    articles, stories = read_lines(path)
    assert [a.decode() for a in articles.tolist()] == [a for a, _ in good]
    assert [s.decode() for s in stories.tolist()] == [s for _, s in good]
    path.write_bytes(b"\n".join([b"a0\ts0", b"no tab", b"\ts1", b"a1\t", b"a2\ts2\textra", b"a3\ts3", b""]))
    articles, stories = read_lines(path)
    assert articles.tolist() == [b"a0", b"a3"] and stories.tolist() == [b"s0", b"s3"]


def test_align_finds_each_article_document() -> None:
    terms = as_array([b"b", b"a", b"ccc", b"d" * 80])  # mixed widths, one too long for fixed width
    docs = np.array([5, 7, 9, 11])
    assert align(as_array([b"a", b"zz", b"ccc"]), terms[:3], docs[:3]).tolist() == [7, -1, 9]
    assert align(as_array([b"d" * 80, b"b"]), terms, docs).tolist() == [11, 5]
    key, names = assign_keys(np.array([2, -1, 0]), as_array([b"s", b"t", b"s"]), 4)
    assert names == [b"s"] and key.tolist() == [0, 1, 0, 2]


# collapse against brute force, for random story assignments ------------------------------------
QUERIES = [{"q": ""}, {"q": "صنعاء"}, {"q": "الحوثيين OR داعش"}, {"q": "", "sort": "oldest"},
           {"q": "غارات", "sort": "newest"}, {"q": "قتلى", "source": ["wadi-news", "al-rasid"]}]


def brute_force(ranked: list[str], story: dict[str, int]) -> list[str]:
    """The first report of each story in the uncollapsed ranking."""
    seen: set[int] = set()
    out = []
    for doc_id in ranked:
        if story[doc_id] not in seen:
            seen.add(story[doc_id])
            out.append(doc_id)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), stories=st.integers(1, 40), per_page=st.sampled_from([1, 3, 7, 10, 100]))
def test_collapse_matches_brute_force(stories_engine: Engine, data: st.DataObject, stories: int, per_page: int) -> None:
    with stories_engine.lease() as gen:
        saved = gen.stories
        size = gen.size
        choice = data.draw(st.lists(st.integers(0, stories), min_size=size, max_size=size))
        docnums = np.arange(size, dtype=np.int64)
        key, names = assign_keys(docnums, [f"r{c}".encode() for c in choice], size)
        gen.stories = Stories(key, names, gen.columns.live)
        story = {gen.stored(d)["id"]: int(key[d]) for d in range(size) if gen.columns.live[d]}
        try:
            params = data.draw(st.sampled_from(QUERIES))
            ranked = all_ids(stories_engine, **params)
            expected = brute_force(ranked, story)
            pages: list[str] = []
            page = 1
            while True:
                result = stories_engine.search({**params, "collapse": "story", "per_page": per_page, "page": page})
                assert result["total"] == len(ranked)
                assert result["total_stories"] == len(expected)
                pages.extend(h["id"] for h in result["hits"])
                assert all(h["story"]["id"] == f"r{choice[gen.docnum(h['id'])]}" for h in result["hits"])
                if not result["hits"] or len(pages) >= len(expected):
                    break
                page += 1
            assert pages == expected
        finally:
            gen.stories = saved


def test_cli_story_and_collapse(story_home: Path) -> None:
    import json

    from click.testing import CliRunner

    from marsad.cli import main

    runner = CliRunner()
    listed = runner.invoke(main, ["search", "", "--index", str(story_home), "--story", "story-funeral", "--json"])
    assert listed.exit_code == 0, listed.output
    assert sorted(h["id"] for h in json.loads(listed.output)["hits"]) == sorted(FUNERAL)
    collapsed = runner.invoke(main, ["search", "صنعاء", "--index", str(story_home), "--collapse", "story", "--json",
                                     "--per-page", "100"])
    data = json.loads(collapsed.output)
    assert data["total_stories"] == len(data["hits"]) == data["total"] - 2
    text = runner.invoke(main, ["search", "صنعاء", "--index", str(story_home), "--collapse", "story", "--per-page", "100"])
    assert text.exit_code == 0 and f"{data['total']} results in {data['total_stories']} stories" in text.output
    assert "story=story-funeral: 3 reports, also in" in text.output
    for args in (["--story", "nope"], ["--collapse", "all"]):
        bad = runner.invoke(main, ["search", "", "--index", str(story_home), *args])
        assert bad.exit_code == 2 and "Traceback" not in bad.output and len(bad.output.strip().splitlines()) == 1
