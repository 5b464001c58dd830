"""The query language read into a tree: operators, precedence, and leniency with broken input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import MAX_DEPTH, And, Filter, Not, Or, Phrase, Term, parse, positive_leaves


def test_words_are_anded():
    assert parse("دير الزور") == And((Term("دير"), Term("الزور")))


def test_phrases_in_any_quote_style():
    for query in ('"دير الزور"', "«دير الزور»", "“دير الزور”"):
        assert parse(query) == Phrase(("دير", "الزور")), query


def test_or_in_latin_and_arabic_binds_looser_than_and():
    expected = Or((And((Term("قسد"), Term("الرقة"))), Term("داعش")))
    assert parse("قسد الرقة OR داعش") == expected
    assert parse("قسد الرقة أو داعش") == expected
    assert parse("قسد الرقة او داعش") == expected


def test_minus_and_not_exclude():
    assert parse("حلب -دمشق") == And((Term("حلب"), Not(Term("دمشق"))))
    assert parse('حلب -"ريف دمشق"') == And((Term("حلب"), Not(Phrase(("ريف", "دمشق")))))
    assert parse("حلب NOT دمشق") == parse("حلب -دمشق")
    assert parse("إف-15") == Term("إف-15")  # a hyphen inside a word is not an operator


def test_parentheses_group():
    assert parse("(حلب OR إدلب) غارات") == And((Or((Term("حلب"), Term("إدلب"))), Term("غارات")))
    assert parse("-(حلب OR إدلب)") == Not(Or((Term("حلب"), Term("إدلب"))))


def test_field_prefixes():
    assert parse("title:حلب") == Term("حلب", title_only=True)
    assert parse('title:"دير الزور"') == Phrase(("دير", "الزور"), title_only=True)
    assert parse("title:(حلب OR إدلب)") == Or((Term("حلب", True), Term("إدلب", True)))
    assert parse("عنوان:حلب") == parse("title:حلب")
    assert parse("source:al-rasid") == Filter("source", "al-rasid")
    assert parse("place:sy") == Filter("place", "sy")
    assert parse('actor:"قوات سوريا الديمقراطية"') == Filter("actor", "قوات سوريا الديمقراطية")
    assert parse("10:30") == Term("10:30")  # not a field name


def test_multiword_names_after_a_prefix_use_the_known_names():
    names = {("place", "دير الزور")}

    def is_name(kind, value):
        return (kind, value) in names

    assert parse("place:دير الزور غارات", is_name) == And((Filter("place", "دير الزور"), Term("غارات")))
    assert parse("place:دير الزور غارات") == And((Filter("place", "دير"), Term("الزور"), Term("غارات")))


def test_trailing_star_is_a_prefix_of_two_letters_or_more():
    assert parse("سوري*") == Term("سوري", prefix=True)
    assert parse("س*") == Term("س", prefix=False)
    assert parse("*") is None


def test_malformed_input_is_read_leniently():
    assert parse('"دير الزور') == Phrase(("دير", "الزور"))
    assert parse("(حلب OR إدلب") == Or((Term("حلب"), Term("إدلب")))
    assert parse("حلب)") == Term("حلب")
    assert parse("OR حلب OR") == Term("حلب")
    assert parse("- حلب -") == Term("حلب")
    assert parse("حلب\x00\x07دمشق") == And((Term("حلب"), Term("دمشق")))
    assert parse("title: place:") is None
    assert parse("()") is None
    assert parse("") is None and parse("   ") is None


def test_deep_nesting_is_bounded():
    assert parse("(" * 5000 + "حلب" + ")" * 5000) == Term("حلب")
    assert parse("(" * (MAX_DEPTH + 5) + "حلب OR إدلب") == Or((Term("حلب"), Term("إدلب")))


def test_very_long_queries_keep_their_first_words():
    from search.query import MAX_LEAVES

    tree = parse(" ".join(f"كلمة{i}" for i in range(500)))
    assert isinstance(tree, And) and len(tree.children) == MAX_LEAVES
    assert tree.children[0] == Term("كلمة0")


def test_positive_leaves_skip_negations_and_filters():
    leaves = positive_leaves(parse('حلب -دمشق "ريف إدلب" place:sy'))
    assert leaves == [Term("حلب"), Phrase(("ريف", "إدلب"))]


QUERY_ALPHABET = st.sampled_from(list('حلبدمشق سوريا"()«»-*:ORأو \x00\t\u200f\u064eaZ19') + ["title:", "place:", "OR", "أو"])


@given(st.lists(QUERY_ALPHABET, max_size=60).map("".join) | st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_parsing_never_fails(query):
    tree = parse(query)
    for leaf in positive_leaves(tree):
        if isinstance(leaf, Term):
            assert leaf.text and "\x00" not in leaf.text and not leaf.text.endswith("*")
        elif isinstance(leaf, Phrase):
            assert leaf.words
