"""Near-synonyms at query time: the table, where they apply (plain words only: never inside
phrases, exclusions, fields or prefixes), their lower weight, and expand=false as the words typed.
Sentences are our own; outlets are fictional."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import analyzed_terms
from search.engine import Engine
from search.query import And, Node, Not, Or, Phrase, Synonyms, Term, parse
from search.synonyms import read_groups, thesaurus, with_synonyms
from tests.indexer.conftest import write_jsonl

from .conftest import all_ids, build

FILLER = "وأضاف المصدر أن التحقيقات ما زالت جارية لمعرفة ملابسات ما جرى وتحديد المسؤولين عنه."


def article(ident: str, title: str, content: str, day: str = "2021-03-01") -> dict:
    return {"id": ident, "url": f"https://example.org/{ident}", "title": title, "content": content,
            "source": "nashrat-al-janoub", "published": day}


ARTICLES = [
    article("typed", "مقتل جنود على الحدود", f"أعلنت القيادة مقتل جنود في هجوم ليلي على الحدود. {FILLER}"),
    article("martyrs", "استشهاد رجال أمن", f"واستشهد ثلاثة من رجال الأمن بقذائف سقطت على مواقعهم قرب الحدود. {FILLER}"),
    article("perished", "حادث في الجنوب", f"لقي حتفه عسكري وأصيب آخر إثر انفجار على الشريط الحدودي. {FILLER}"),
    article("apart", "رجال الإطفاء", f"قال رجال الإطفاء إن الحريق أُخمد وإن الأمن مستتب على الحدود. {FILLER}"),
    article("phrase", "بيان", f"نفت الوزارة أنباء مقتل جنود في المنطقة وقالت إن الوضع هادئ. {FILLER}"),
    article("fair", "افتتاح معرض الكتاب", f"افتتح معرض الكتاب أبوابه للزوار بمشاركة واسعة من دور النشر. {FILLER}"),
]


def index_of(articles: list[dict], folder: Path) -> Path:
    """A real index of ARTICLES built in FOLDER; its home."""
    write_jsonl(folder / "corpus" / "a.jsonl", articles)
    return build(folder / "corpus", folder / "home")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    with Engine(index_of(ARTICLES, tmp_path_factory.mktemp("synonyms"))) as opened:
        yield opened


def stems(text: str) -> set[str]:
    return {t[1] for t in analyzed_terms(text)}


def strict(q: str) -> set[str]:
    """Brute force: the articles with every word's stem (today's AND)."""
    wanted = [t[1] for t in analyzed_terms(q)]
    return {a["id"] for a in ARTICLES if all(w in stems(a["title"] + "\n" + a["content"]) for w in wanted)}


def ids(engine: Engine, q: str, **params) -> list[str]:
    return all_ids(engine, q=q, entities=False, **params)


# the table -------------------------------------------------------------------------------------
def test_a_table_reads_groups_and_multi_word_members():
    book = read_groups(["# comment", "", "killed\tمقتل\tلقي حتفه", "forces\tجنود\tرجال أمن"])
    assert [g.name for g in book.groups] == ["killed", "forces"]
    assert book.longest == 2
    assert book.keys[tuple(t[1] for t in analyzed_terms("رجال أمن"))] == 1


@pytest.mark.parametrize("lines, message", [
    (["a\tمقتل\tمصرع", "b\tقتلى\tمقتل"], "two synonym groups"),
    (["a\tمقتل"], "at least two members"),
])
def test_a_bad_table_says_what_is_wrong(lines, message):
    with pytest.raises(ValueError, match=message):
        read_groups(lines)


def test_the_shipped_table_has_the_groups_the_analysts_asked_for():
    book = thesaurus()
    members = {m for g in book.groups for m in g.members}
    assert {"مقتل", "استشهاد", "مصرع", "لقي حتفه", "جنود", "عسكريين", "رجال أمن", "قوات"} <= members


# where expansion applies -----------------------------------------------------------------------
def test_a_plain_word_and_a_typed_run_of_a_multi_word_member_are_expanded():
    tree = with_synonyms(parse("مقتل رجال أمن"))
    assert isinstance(tree, And) and len(tree.children) == 2
    killed, forces = tree.children
    assert isinstance(killed, Synonyms) and killed.typed == Term("مقتل") and "لقي حتفه" in killed.shown
    assert isinstance(forces, Synonyms) and forces.typed == And((Term("رجال"), Term("أمن")))
    assert "جنود" in forces.shown


@pytest.mark.parametrize("q", ['"مقتل جنود"', "-مقتل", "title:مقتل", "مقتل*", "place:مقتل"])
def test_operators_are_left_exactly_as_typed(q):
    assert with_synonyms(parse(q)) == parse(q)


def strip(node: Node | None) -> Node | None:
    """The tree without its synonyms: each Synonyms node back to the words typed."""
    if isinstance(node, Synonyms):
        return node.typed if isinstance(node.typed, Term) else None
    if isinstance(node, And):
        out: list[Node] = []
        for child in node.children:
            if isinstance(child, Synonyms) and isinstance(child.typed, And):
                out.extend(child.typed.children)
            else:
                out.append(strip(child))
        return And(tuple(out))
    if isinstance(node, Or):
        return Or(tuple(strip(c) for c in node.children))
    return node


def no_synonyms_under(node: Node | None, inside: bool = False) -> bool:
    if isinstance(node, Synonyms):
        return not inside
    if isinstance(node, Not):
        return no_synonyms_under(node.child, True)
    if isinstance(node, (And, Or)):
        return all(no_synonyms_under(c, inside) for c in node.children)
    return True


WORDS = ["مقتل", "استشهاد", "جنود", "رجال", "أمن", "الحدود", "قصف", "معرض", "لقي", "حتفه", "غارات", "اليمن"]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: "-" + w),
    st.sampled_from(WORDS).map(lambda w: "title:" + w),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.just("OR"), st.just("("), st.just(")"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8))
def test_expansion_only_adds_alternatives_to_plain_words(pieces):
    tree = parse(" ".join(pieces))
    expanded = with_synonyms(tree)
    assert strip(expanded) == tree
    assert no_synonyms_under(expanded)


# on an index -----------------------------------------------------------------------------------
def test_equivalents_find_the_reports_that_word_it_otherwise_and_typed_words_rank_first(engine, monkeypatch):
    monkeypatch.setattr("search.engine.RELAX_BELOW", 0)  # the AND of the words or their equivalents only
    result = engine.search({"q": "مقتل جنود على الحدود", "entities": False})
    found = [h["id"] for h in result["hits"]]
    assert not result["relaxed"]
    assert found[0] == "typed"
    assert {"martyrs", "perished"} <= set(found)  # استشهد/رجال الأمن; لقي حتفه/عسكري/الشريط الحدودي
    assert "fair" not in found


def test_expand_false_is_the_strict_and_of_the_words_typed(engine):
    for q in ("مقتل جنود على الحدود", "مقتل جنود", "الحدود", "مقتل"):
        assert set(ids(engine, q, expand=False)) == strict(q), q


def test_a_multi_word_equivalent_matches_only_as_a_phrase(engine):
    found = set(ids(engine, "جنود"))
    assert "martyrs" in found  # رجال الأمن, side by side
    assert "apart" not in found  # رجال … الأمن, apart


def test_a_quoted_phrase_is_not_widened(engine):
    result = engine.search({"q": '"مقتل جنود"', "entities": False, "per_page": 100})
    assert {h["id"] for h in result["hits"]} == {"typed", "phrase"}
    assert result["expansions"] == []


def test_an_excluded_word_excludes_only_itself(engine):
    found = set(ids(engine, "الحدود -مقتل"))
    assert "typed" not in found
    assert "martyrs" in found  # says استشهاد, a synonym of the excluded word: not excluded


def test_the_result_lists_the_expansions(engine):
    result = engine.search({"q": "مقتل جنود", "entities": False})
    by_word = {e["text"]: e for e in result["expansions"]}
    assert set(by_word) == {"مقتل", "جنود"}
    assert "لقي حتفه" in by_word["مقتل"]["equivalents"] and "مقتل" not in by_word["مقتل"]["equivalents"]
    assert by_word["جنود"]["group"] == "forces"
    assert engine.search({"q": "مقتل جنود", "expand": False})["expansions"] == []


def test_the_cli_shows_the_expansions_and_no_expand_turns_them_off(engine):
    import json

    from click.testing import CliRunner

    from marsad.cli import main

    runner = CliRunner()
    base = ["search", "مقتل جنود على الحدود", "--index", str(engine.home), "--no-entities"]
    text = runner.invoke(main, base)
    assert text.exit_code == 0, text.output
    assert "also searched (--no-expand to turn off): مقتل → استشهاد" in text.output
    off = runner.invoke(main, [*base, "--no-expand", "--json"])
    data = json.loads(off.output)
    assert data["expansions"] == [] and data["relaxed"] is False and data["query"]["expand"] is False
    assert {h["id"] for h in data["hits"]} == strict("مقتل جنود على الحدود")
