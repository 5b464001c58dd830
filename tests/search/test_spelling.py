""""Did you mean" over a generation's in-memory terms: the frequent-terms table equals Whoosh's own
counts on a two-segment index, the fast path answers exactly as a lookup of every candidate
would, and answers are remembered per generation without changing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.analysis import analyzed_terms
from search.engine import Engine
from search.spelling import FLOOR, LRU, correct_word, edits, spellings, suggest_query
from tests.indexer.conftest import write_jsonl

from .conftest import StoredDoc, build


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path):
    from indexer.build import build_index

    home = tmp_path_factory.mktemp("two-segments")
    build_index([corpus_dir], home, workers=2, quarantine=None, progress=False)
    with Engine(home) as engine:
        with engine.lease() as gen:
            assert len(gen.postings.leaves) == 2
        yield engine


def test_frequent_terms_are_whooshs_counts_summed_over_segments(two_segments):
    with two_segments.lease() as gen:
        reader = gen.reader
        counts = {text.decode("utf-8") if isinstance(text, bytes) else text: reader.doc_frequency("body_exact", text)
                  for text in reader.lexicon("body_exact")}
        frequent = gen.postings.frequent_terms("body_exact", FLOOR)
        assert frequent == {term: n for term, n in counts.items() if n >= FLOOR}
        assert len(frequent) > 100  # the test corpus has enough repeated words to mean something
        assert gen.postings.frequent_terms("no_such_field", 1) == {}
        assert gen.postings.frequent_terms("body_exact", 10 ** 9) == {}
        everything = gen.postings.frequent_terms("body_exact", 1)
        assert everything == counts


def vocabulary(stored: list[StoredDoc]) -> list[str]:
    words = set()
    for doc in stored[:40]:
        words.update(doc.content[s:e] for _, _, s, e in analyzed_terms(doc.content) if e - s >= 4)
    return sorted(words)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_frequent_table_answers_as_looking_up_every_candidate(engine, stored, data):
    word = data.draw(st.sampled_from(vocabulary(stored)))
    typo = data.draw(st.sampled_from(sorted(edits(word)) + [word]))
    with engine.lease() as gen:
        postings = gen.postings

        def doc_frequency(term: str) -> int:
            return postings.doc_frequency("body_exact", term)

        assert correct_word(typo, doc_frequency, gen.speller.frequent) == correct_word(typo, doc_frequency)


def test_a_typo_of_a_common_word_is_corrected_and_remembered(engine, stored):
    with engine.lease() as gen:
        word = max(gen.speller.frequent, key=lambda term: (gen.speller.frequent[term], term))
        typo = word[:2] + word[3:] if len(word) > 4 else word + word[-1]
        first = gen.speller.correct(typo)
        assert first is not None and first != typo
        assert typo in gen.speller.words._items
        assert gen.speller.correct(typo) == first
        assert gen.speller.suggest(f"{typo} OR -{typo}") == f"{first} OR -{typo}"


def test_the_engine_remembers_a_suggestion_per_generation(engine):
    q = "سرويا غارات"
    first = engine.search({"q": q})
    with engine.lease() as gen:
        assert (q, True, True) in gen.suggestions._items  # query, entities, expand
    again = engine.search({"q": q})
    assert first["suggestion"] == again["suggestion"]
    assert first["suggestion"] and first["suggestion"].startswith("سوريا")
    assert engine.search({"q": first["suggestion"]})["total"] > first["total"]


def test_no_word_to_correct_gives_no_suggestion():
    assert suggest_query("title:x place:y a* OR", lambda word: "never") is None
    assert suggest_query("", lambda word: "never") is None


def test_lru_keeps_the_most_recent():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b", None) is None and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2
    off: LRU[str, int] = LRU(0)
    off.put("a", 1)
    assert off.get("a", None) is None


@pytest.fixture(scope="module")
def two_spellings(tmp_path_factory: pytest.TempPathFactory):
    """فاصو is one letter from فاسو (8 reports, all naming بوركينا) and from فاصل (20 reports)."""
    folder = tmp_path_factory.mktemp("two-spellings")
    articles = [{"id": f"faso-{i}", "url": f"https://example.org/faso-{i}", "title": "تقرير من غرب أفريقيا",
                 "content": f"زار الوفد بوركينا فاسو في جولته الإقليمية رقم {i}.", "source": "wakalat-al-rasd",
                 "published": f"2020-01-{1 + i:02d}"} for i in range(8)]
    articles += [{"id": f"fasil-{i}", "url": f"https://example.org/fasil-{i}", "title": "مباراة",
                  "content": f"كان الهدف فاصل في المباراة رقم {i} بين الفريقين.", "source": "wakalat-al-rasd",
                  "published": f"2020-02-{1 + i:02d}"} for i in range(20)]
    write_jsonl(folder / "corpus" / "a.jsonl", articles)
    with Engine(build(folder / "corpus", folder / "home")) as engine:
        yield engine


def test_the_other_words_of_the_query_choose_between_spellings(two_spellings):
    with two_spellings.lease() as gen:
        options = [c for c, _ in gen.speller.spellings("فاصو")]
        assert options[:2] == ["فاصل", "فاسو"]  # by documents alone, فاصل first
        assert gen.speller.suggest("فاصو") == "فاصل"
        assert gen.speller.suggest("بوركينا فاصو") == "بوركينا فاسو"
        assert gen.speller.suggest("فاصو بوركينا") == "فاسو بوركينا"
        assert gen.speller.suggest("فاصو المباراة") == "فاصل المباراة"
    result = two_spellings.search({"q": "بوركينا فاصو"})
    assert result["total"] == 0 and result["suggestion"] == "بوركينا فاسو"


def test_spellings_rank_by_documents_and_hold_one_term_each(engine):
    with engine.lease() as gen:
        postings = gen.postings

        def doc_frequency(term: str) -> int:
            return postings.doc_frequency("body_exact", term)

        word = max(gen.speller.frequent, key=lambda term: (gen.speller.frequent[term], term))
        typo = word[:2] + word[3:] if len(word) > 4 else word + word[-1]
        found = spellings(typo, doc_frequency)
        assert found and found[0][0] == correct_word(typo, doc_frequency)
        counts = [doc_frequency(exact) for _, exact in found]
        assert counts == sorted(counts, reverse=True)
        assert len({exact for _, exact in found}) == len(found)
