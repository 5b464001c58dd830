"""The analyzer inside a real Whoosh index (built in a tmp folder): phrases in the exact view,
recall in the stem view, the same pipeline at query time, and highlights on the original text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.highlight import HtmlFormatter
from whoosh.qparser import QueryParser

from indexer.analysis import MarsadAnalyzer, analyze, exact_analyzer, stem_analyzer

DOCS = {
    "raid": "قصفت طائرات مسيرة تتبع لـ”الحرس الثوري” قاعدة بدير الزور ليلة الجمعة-السبت.",
    "port": "قالت مصادر إن مليشياتها انسحبت من أطراف الحديدة بعد اشتباكات.",
    "iron": "ارتفع سعر الحديد في الأسواق المحلية هذا الأسبوع.",
    "visit": "زار وفد أمريكي ألمانيا لبحث المساعدات.",
    "visit2": "وصل مسؤول أميركي إلى المانيا أمس.",
    "jet": "أسقطت الدفاعات طائرة من طراز F-16 قرب الحدود.",
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> index.Index:
    folder: Path = tmp_path_factory.mktemp("analysis-ix")
    schema = Schema(id=ID(stored=True, unique=True), content=STORED(),
                    body_exact=TEXT(analyzer=exact_analyzer(), phrase=True),
                    body_stem=TEXT(analyzer=stem_analyzer(), phrase=False))
    created = index.create_in(str(folder), schema)
    with created.writer() as writer:
        for key, text in DOCS.items():
            writer.add_document(id=key, content=text, body_exact=text, body_stem=text)
    return index.open_dir(str(folder))  # the analyzers come back from the pickled schema


def found(ix: index.Index, field: str, query: str) -> set[str]:
    parsed = QueryParser(field, ix.schema).parse(query)
    with ix.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(parsed, limit=None)}


def test_the_schema_keeps_our_analyzers_after_reopening(ix: index.Index) -> None:
    assert ix.schema["body_exact"].analyzer == MarsadAnalyzer("exact")
    assert ix.schema["body_stem"].analyzer == MarsadAnalyzer("stem")


def test_a_phrase_finds_a_name_with_a_glued_preposition(ix: index.Index) -> None:
    assert found(ix, "body_exact", '"دير الزور"') == {"raid"}
    assert found(ix, "body_exact", '"الحرس الثوري"') == {"raid"}


def test_the_stem_view_finds_other_inflections_and_spellings(ix: index.Index) -> None:
    assert found(ix, "body_stem", "الميليشيات") == {"port"}
    assert found(ix, "body_stem", "الأميركية") == {"visit", "visit2"}
    assert found(ix, "body_exact", "ألمانيا") == {"visit", "visit2"}


def test_a_place_is_not_found_by_a_word_its_stem_would_collide_with(ix: index.Index) -> None:
    assert found(ix, "body_stem", "الحديدة") == {"port"}
    assert found(ix, "body_stem", "الحديد") == {"iron"}


def test_every_spelling_of_a_jet_finds_it(ix: index.Index) -> None:
    for query in ('"إف-16"', '"اف16"', '"F-16"', '"إف 16"'):
        assert found(ix, "body_exact", query) == {"jet"}, query


def test_token_offsets_through_whoosh_match_the_pipeline() -> None:
    text = DOCS["raid"]
    spans = [(t.text, t.startchar, t.endchar) for t in exact_analyzer()(text, positions=True, chars=True)]
    assert spans == [(t.norm, t.start, t.end) for t in analyze(text)]


def test_highlights_land_on_the_original_surface(ix: index.Index) -> None:
    parsed = QueryParser("body_exact", ix.schema).parse('"دير الزور"')
    with ix.searcher() as searcher:
        hit = searcher.search(parsed)[0]
        hit.results.formatter = HtmlFormatter(tagname="mark", classname="m", termclass="t")
        snippet = hit.highlights("body_exact", text=hit["content"])
    marked = re.findall(r"<mark[^>]*>([^<]*)</mark>", snippet)
    assert marked == ["بدير", "الزور"]


def test_a_query_of_noise_parses_to_nothing_found(ix: index.Index) -> None:
    assert found(ix, "body_exact", "لـ «»") == set()
