"""marsad.json's figures after an update that deletes documents at either end of the date range:
published_min/max are those of live documents only (checked against every live document)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from indexer.build import build_index, update_index
from indexer import generations as gens
from indexer.stats import index_figures
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import NO_MERGE
from tests.indexer.conftest import make_article, write_jsonl


def marker(home: Path) -> dict:
    return json.loads((gens.live_generation(home) / "marsad.json").read_text(encoding="utf-8"))


def test_published_range_skips_deleted_documents_at_both_ends(tmp_path: Path) -> None:
    articles = [make_article(i, published=f"2021-03-{1 + i:02d}") for i in range(12)]
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "a.jsonl", articles)], home, workers=1)
    assert (marker(home)["published_min"], marker(home)["published_max"]) == ("2021-03-01", "2021-03-12")
    copy = tmp_path / "copy"
    shutil.copytree(gens.live_generation(home), copy)
    writer = FileStorage(str(copy)).open_index("MAIN").writer()
    for i in (0, 1, 10, 11):
        writer.delete_by_term("id", articles[i]["id"])
    writer.commit(mergetype=NO_MERGE)
    with FileStorage(str(copy)).open_index("MAIN").reader() as reader:
        figures = index_figures(reader)
        live = sorted(stored["published"] for _, stored in reader.iter_docs())
    assert (figures["published_min"], figures["published_max"]) == ("2021-03-03", "2021-03-10") == (live[0], live[-1])
    assert figures["documents"] == 8


def test_an_update_that_replaces_the_earliest_copy_moves_the_range(tmp_path: Path) -> None:
    articles = [make_article(i, published=f"2022-01-{5 + i:02d}") for i in range(3)]
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "a.jsonl", articles)], home, workers=1)
    later = [dict(articles[0], published="2022-01-06", content=articles[0]["content"] + " تحديث")]
    update_index([write_jsonl(tmp_path / "b.jsonl", later)], home)
    assert (marker(home)["published_min"], marker(home)["published_max"]) == ("2022-01-06", "2022-01-07")
