"""The proximity bonus and phrases read positions block by block: on an index whose common words
span several posting blocks in two segments, the positions read for a few documents equal
Whoosh's own, the bonus equals the one computed from whole position lists, a report with the
query's words side by side still ranks above the reports with them apart, and the bonus never
decodes a word's whole position list."""

from __future__ import annotations


import numpy as np
import pytest

from indexer.analysis import analyzed_terms
from search.engine import Engine
from search.evaluate import POOL, EXACT_VIEWS, Evaluator, proximity_bonus
from search.postings import POSITION_BITS
from tests.indexer.conftest import write_jsonl

FILLER = "وأضاف المتحدث أن الاجتماع المقبل سيعقد بعد أسبوعين لمتابعة ما تم الاتفاق عليه بين الطرفين."
MINISTER = 320  # reports with the first word only: more than two 128-posting blocks in each segment
APART = 40  # with both words apart: newer and shorter than the side-by-side ones, so first without the bonus
TOGETHER = (7, 150, 290)  # where the side-by-side reports stand among the others: first, second, third block


def article(ident: str, content: str, day: str) -> dict:
    return {"id": ident, "url": f"https://example.org/{ident}", "title": "تقرير", "content": content,
            "source": "wakalat-al-rasd", "published": day}


@pytest.fixture(scope="module")
def near(tmp_path_factory: pytest.TempPathFactory):
    from indexer.build import build_index

    folder = tmp_path_factory.mktemp("proximity")
    articles = []
    for i in range(MINISTER):
        if i in TOGETHER:
            articles.append(article(f"together-{i}", f"قال وزير الخارجية إن اللقاء كان مثمرا {i}. {FILLER} {FILLER}",
                                    "2017-01-01"))
        if i % 8 == 0:
            articles.append(article(f"apart-{i}", f"التقى وزير الدفاع بنظيره ثم أصدرت الخارجية بيانا {i}. {FILLER}",
                                    "2017-06-01"))
        articles.append(article(f"minister-{i}", f"التقى وزير الدفاع بنظيره في العاصمة {i}. {FILLER}", "2017-03-01"))
    articles.append(article("rare", "وصل وفد نادرالاسم إلى المدينة أمس.", "2017-02-01"))
    write_jsonl(folder / "corpus" / "a.jsonl", articles[::2])
    write_jsonl(folder / "corpus" / "b.jsonl", articles[1::2])
    build_index([folder / "corpus"], folder / "home", workers=2, quarantine=None, progress=False)
    with Engine(folder / "home") as engine:
        yield engine


def exact(word: str) -> str:
    (term, _, _, _), = analyzed_terms(word)
    return term


def test_the_index_has_several_segments_and_blocks(near):
    with near.lease() as gen:
        blocks = gen.postings.directory("body_exact", exact("وزير"))
        segments = [leaf.offset for leaf in blocks.leaves]
        assert len(set(segments)) == 2 and len(segments) >= 3  # 323 postings: one segment has more than 128
        assert list(blocks.max_ids) == sorted(blocks.max_ids) and not blocks.inlined
        rare = gen.postings.directory("body_exact", exact("نادرالاسم"))
        assert len(rare) == 1


def test_postings_inlined_in_a_terms_record_are_read_as_one_block(near):
    """Whoosh can keep a short list in its terms record instead of the postings file (our
    writers' limit never does it, older or other writers may)."""
    from whoosh.codec.whoosh3 import W3TermInfo

    from search.postings import block_directory, block_keys, decode

    with near.lease() as gen:
        leaf = gen.postings.leaves[-1]
        term = exact("المتحدث")
        ids, weights, values = decode(leaf, leaf.terminfo("body_exact", term.encode()), values=True)
        inlined = W3TermInfo()
        inlined.set_inlined((ids - leaf.offset).tolist(), weights.tolist(), values)
        assert inlined.is_inlined()
        blocks = block_directory([(leaf, inlined)])
        assert len(blocks) == 1 and blocks.max_ids[0] == ids[-1]
        every = gen.postings.position_keys("body_exact", term)
        assert block_keys(blocks, 0).tolist() == every[(every >> POSITION_BITS) >= leaf.offset].tolist()


@pytest.mark.parametrize("caching", ["blocks read once", "blocks kept", "caching off"])
def test_positions_of_a_few_documents_equal_whooshs(near, caching):
    with near.lease() as gen:
        reader, postings = gen.reader, gen.postings
        postings._decoded_blocks.clear()
        postings._asked.clear()
        limit = postings.cache_limit
        if caching == "caching off":
            postings.cache_limit = 0
        try:
            for word in ("وزير", "الخارجية", "نادرالاسم", "المتحدث"):
                term = exact(word)
                ids = postings.ids("body_exact", term)
                wanted = np.unique(ids[[0, len(ids) // 3, len(ids) // 2, -1]])
                if caching == "blocks kept":
                    postings.positions("body_exact", term, wanted)
                found = postings.positions("body_exact", term, wanted)
                assert sorted(found) == wanted.tolist()
                for doc, where in found.items():
                    matcher = reader.postings("body_exact", term)
                    matcher.skip_to(doc)
                    assert matcher.id() == doc and matcher.value_as("positions") == where
                assert postings.positions("body_exact", term, np.array([], dtype=np.int64)) == {}
                beyond = np.arange(ids[-1] + 1, gen.columns.size)  # after the word's last document
                assert postings.positions("body_exact", term, beyond) == {}
        finally:
            postings.cache_limit = limit
        assert bool(postings._decoded_blocks.entries) == (caching == "blocks kept")  # whole once asked twice


def test_a_report_with_the_words_side_by_side_ranks_above_those_with_them_apart(near):
    result = near.search({"q": "وزير الخارجية", "per_page": 10, "entities": False})
    assert result["total"] == APART + len(TOGETHER) < POOL
    assert {h["id"] for h in result["hits"][:3]} == {f"together-{i}" for i in TOGETHER}
    assert all(h["id"].startswith("apart") for h in result["hits"][3:])


def whole_list_bonus(evaluator: Evaluator, pairs: list[tuple[str, str]], pool: np.ndarray) -> np.ndarray:
    """The bonus as it was first written: from every position of both words."""
    from search.evaluate import PAIR_BOOST, WEIGHTS

    bonus = np.zeros(len(pool), dtype=np.float32)
    for first, second in pairs:
        for view in EXACT_VIEWS:
            keys = evaluator.postings.position_keys(view, first)
            following = set((evaluator.postings.position_keys(view, second) - 1).tolist())
            docs = sorted({k >> POSITION_BITS for k in keys.tolist() if k in following} & set(pool.tolist()))
            if docs:
                weight = (evaluator.idf(evaluator.postings.doc_frequency(view, first))
                          + evaluator.idf(evaluator.postings.doc_frequency(view, second))) / 2
                bonus[np.searchsorted(pool, docs)] += PAIR_BOOST * WEIGHTS[view] * weight
    return bonus


def test_the_bonus_equals_the_one_from_whole_position_lists_and_decodes_none(near):
    pairs = [(exact("وزير"), exact("الخارجية")), (exact("الخارجية"), exact("بيانا"))]
    with near.lease() as gen:
        postings = gen.postings
        evaluator = Evaluator(gen, lambda kind, value: None)
        size = gen.columns.size
        for ids_at_hand in (False, True):  # the words' doc ids cached by the search's scoring, or not
            for pool in (np.arange(0, size, 3)[:POOL], np.arange(size // 2, size)[:POOL], np.arange(size)):
                postings._keys.clear()
                postings._cache.clear()
                if ids_at_hand:
                    for view in EXACT_VIEWS:
                        for word in {w for pair in pairs for w in pair}:
                            postings.ids(view, word)
                assert (postings.cached_ids("body_exact", pairs[0][0]) is not None) == ids_at_hand
                bonus = proximity_bonus(evaluator, pairs, pool)
                assert not postings._keys.entries  # no whole position list was decoded for it
                assert (bonus > 0).any()
                np.testing.assert_allclose(bonus, whole_list_bonus(evaluator, pairs, pool))


def test_searches_that_ask_again_never_decode_whole_lists_for_the_bonus(near):
    with near.lease() as gen:
        gen.postings._keys.clear()
        gen.postings._asked.clear()
    for _ in range(4):
        near.search({"q": "وزير الخارجية", "entities": False})
    with near.lease() as gen:
        assert not gen.postings.has_keys("body_exact", exact("وزير"))
        assert gen.postings.directory("body_exact", exact("وزير"))  # its block directory is what is kept


@pytest.mark.parametrize("few", [0, 64, 10**9])
def test_a_phrase_finds_the_same_reports_whether_positions_are_read_in_part_or_whole(near, monkeypatch, few):
    import search.evaluate

    monkeypatch.setattr(search.evaluate, "FEW_CANDIDATES", few)
    with near.lease() as gen:
        gen.postings._keys.clear()
        gen.postings._asked.clear()
        gen.cache.clear()
    found = {h["id"] for h in near.search({"q": '"وزير الخارجية"', "per_page": 50, "entities": False})["hits"]}
    assert found == {f"together-{i}" for i in TOGETHER}
    apart = near.search({"q": '"الخارجية بيانا"', "per_page": 50, "entities": False})
    assert apart["total"] == APART
