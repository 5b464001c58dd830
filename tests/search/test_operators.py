"""Each query operator on a real index of corpus/, checked against a brute-force reading of the
stored documents through the shared analyzer (a word matches a document when some token of
its title or text has the word's stem; a phrase when the exact terms follow each other)."""

from __future__ import annotations

import pytest

from indexer.analysis import analyzed_terms
from indexer.analysis import normalize

from .conftest import StoredDoc, all_ids


def stems(doc: StoredDoc, title_only: bool = False) -> set[str]:
    text = doc.title if title_only else f"{doc.title}\n{doc.content}"
    return {t[1] for t in analyzed_terms(text)}


def has_word(doc: StoredDoc, word: str, title_only: bool = False) -> bool:
    (_, stem, _, _), = analyzed_terms(word)
    return stem in stems(doc, title_only)


def has_phrase(doc: StoredDoc, words: str) -> bool:
    wanted = [t[0] for t in analyzed_terms(words)]
    for text in (doc.title, doc.content):
        exact = [t[0] for t in analyzed_terms(text)]
        if any(exact[i:i + len(wanted)] == wanted for i in range(len(exact) - len(wanted) + 1)):
            return True
    return False


def found(engine, q: str, **params) -> set[str]:
    return set(all_ids(engine, q=q, entities=False, **params))


def brute(stored: list[StoredDoc], test) -> set[str]:
    return {d.id for d in stored if test(d)}


WORDS = ["سوريا", "العراق", "داعش", "غزة", "الحوثيين", "غارات", "النفط"]


@pytest.mark.parametrize("word", WORDS)
def test_a_word_finds_exactly_the_documents_with_its_stem(engine, stored, word):
    expected = brute(stored, lambda d: has_word(d, word))
    assert expected, word
    assert found(engine, word) == expected


def test_words_are_anded(engine, stored):
    assert found(engine, "سوريا داعش") == brute(stored, lambda d: has_word(d, "سوريا") and has_word(d, "داعش"))


@pytest.mark.parametrize("operator", ["OR", "أو"])
def test_or_in_both_languages(engine, stored, operator):
    expected = brute(stored, lambda d: has_word(d, "غزة") or has_word(d, "الحوثيين"))
    assert found(engine, f"غزة {operator} الحوثيين") == expected


def test_minus_excludes(engine, stored):
    expected = brute(stored, lambda d: has_word(d, "سوريا") and not has_word(d, "داعش"))
    assert expected
    assert found(engine, "سوريا -داعش") == expected
    assert found(engine, "سوريا NOT داعش") == expected
    alone = found(engine, "-داعش")
    assert alone == brute(stored, lambda d: not has_word(d, "داعش"))


def test_parentheses(engine, stored):
    expected = brute(stored, lambda d: (has_word(d, "غزة") or has_word(d, "العراق")) and has_word(d, "غارات"))
    assert found(engine, "(غزة OR العراق) غارات") == expected
    assert found(engine, "غارات (غزة أو العراق)") == expected


@pytest.mark.parametrize("phrase", ["دير الزور", "الأمم المتحدة", "وقف إطلاق النار"])
def test_phrases_match_the_exact_words_in_order(engine, stored, phrase):
    expected = brute(stored, lambda d: has_phrase(d, phrase))
    assert expected, phrase
    assert found(engine, f'"{phrase}"') == expected


def test_quotes_make_a_single_word_exact(engine, stored):
    exact = found(engine, '"المفاوضات"')
    assert exact == brute(stored, lambda d: "المفاوضات" in {t[0] for t in analyzed_terms(f"{d.title}\n{d.content}")})
    assert exact <= found(engine, "المفاوضات")


def test_title_prefix(engine, stored):
    expected = brute(stored, lambda d: has_word(d, "داعش", title_only=True))
    assert expected and expected < found(engine, "داعش")
    assert found(engine, "title:داعش") == expected


def test_source_place_and_actor_prefixes_filter(engine, stored, by_id):
    source = stored[0].source
    assert found(engine, f"source:{source}") == brute(stored, lambda d: d.source == source)
    assert found(engine, f"سوريا source:{source}") == brute(stored, lambda d: d.source == source
                                                               and has_word(d, "سوريا"))
    assert found(engine, "place:sy") == brute(stored, lambda d: "sy" in d.places)
    assert found(engine, "place:سوريا") == found(engine, "place:sy") == found(engine, "place:Syria")
    assert found(engine, "actor:isis") == brute(stored, lambda d: "isis" in d.actors)
    assert found(engine, "actor:داعش") == found(engine, "actor:isis")
    assert found(engine, "-place:sy") == brute(stored, lambda d: "sy" not in d.places)


def test_a_place_prefix_takes_a_name_of_several_words(engine, stored):
    expected = brute(stored, lambda d: "sy-deir-ez-zor" in d.places)
    assert found(engine, "place:دير الزور") == expected
    assert found(engine, "place:Deir ez-Zor") == expected


def test_trailing_star_matches_words_starting_so(engine, stored):
    def starts(doc: StoredDoc, prefix: str) -> bool:
        for exact, _, _, _ in analyzed_terms(f"{doc.title}\n{doc.content}"):
            body = exact[2:] if exact.startswith("ال") else exact
            if exact.startswith(prefix) or body.startswith(prefix):
                return True
        return False

    expected = brute(stored, lambda d: starts(d, "حوث"))
    assert expected
    assert found(engine, "حوث*") == expected


@pytest.mark.parametrize("one, other", [("سوريا", "سورية"), ("الأمريكية", "الأميركية"), ("إيران", "ايران")])
def test_any_spelling_finds_the_others(engine, one, other):
    assert found(engine, one) == found(engine, other)
    assert found(engine, one)


def test_entity_matching_finds_other_names_and_can_be_turned_off(engine, stored, by_id):
    with_entities = set(all_ids(engine, q="تنظيم الدولة"))
    without = found(engine, "تنظيم الدولة")
    isis = brute(stored, lambda d: "isis" in d.actors)
    assert without < with_entities
    assert with_entities == without | isis
    only_alias = [i for i in with_entities - without if "داعش" in normalize(by_id[i].title + by_id[i].content)]
    assert only_alias, "a report that only says داعش is found through the actor"


def test_entity_matching_marks_the_other_names(engine):
    result = engine.search({"q": "تنظيم الدولة", "per_page": 100})
    assert any("<mark>" in h["snippet"] and "داعش" in h["snippet"] for h in result["hits"])


def test_empty_query_browses_newest_first(engine, stored):
    result = engine.search({"q": "", "per_page": 20})
    assert result["total"] == len(stored)
    days = [h["published"] for h in result["hits"]]
    assert days == sorted(days, reverse=True)
    assert all(h["score"] is None for h in result["hits"])


@pytest.mark.parametrize("query", ['"دير الزور', "(حلب OR", "OR", "-", "*", "أو أو", ")(", "\x00\x01",
                                   "ب" * 1000, "title:", '"""', "place:", "((((((((((غزة"])
def test_malformed_queries_never_fail(engine, query):
    result = engine.search({"q": query})
    assert result["total"] >= 0 and isinstance(result["hits"], list)
