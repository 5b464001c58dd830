"""The build: SegmentBuilder against Whoosh's stock writer, workers, summaries and progress output.

The writer test is the safety net for indexer/writer.py, which replaces Whoosh's own
SegmentWriter for speed: the same documents written both ways must give byte-identical
segment files (postings, term table, lengths, stored fields, columns), so search/ can rely on
ordinary Whoosh semantics.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, open_dir

from indexer.build import build_index
from indexer.documents import document_fields
from indexer.entities.extract import get_extractor
from indexer.schema import build_schema
from indexer.validation import ArticleSchema
from indexer import writer as writer_module
from indexer.writer import Prepared, SegmentBuilder

from .conftest import live_folder, make_article, marsad, search_ids, write_jsonl

TEXT_SOURCES = {"title_exact": "title", "title_stem": "title", "body_exact": "content", "body_stem": "content"}


def edge_articles() -> list[dict[str, Any]]:
    """Ordinary articles plus the shapes that take other paths through the writer: a word
    more than 1,024 times (frequency bytes), single occurrences past position 4,096 (position
    cache), an empty title, terms shared by more than one 128-posting block."""
    articles = [make_article(i) for i in range(300)]
    filler = " ".join(["تقرير"] * 1100 + [f"كلمة{n}" for n in range(3000)] + ["خاتمة", "نادرة"])
    articles.append(make_article(300, content=filler, title=""))
    articles.append(make_article(301, content="سطر واحد قصير"))
    return articles


def prepared_documents(records: list[dict[str, Any]]) -> tuple[Any, list[Any], list[dict[str, Any]]]:
    schema = build_schema()
    extractor = get_extractor()
    articles = [ArticleSchema().load(r) for r in records]
    docs = []
    for n, article in enumerate(articles):
        fields = document_fields(article, extractor, schema)
        if n % 7 == 0:  # entity fields through field.index(), whatever the gazetteer finds today
            fields.update(places="sy,sy-dz", place_mentions="sy-dz", actors="actor-a,actor-b",
                          event_dates="2020-01-02")
            fields.pop("_stored_places", None)
            for name in ("place_mentions", "actors", "event_dates"):
                fields.pop(f"_stored_{name}", None)
        docs.append(fields)
    return schema, articles, docs


def stock_document(article: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """The same document for Whoosh's writer: raw text for the text views (its analyzer runs)."""
    out = {}
    for name, value in fields.items():
        if name in TEXT_SOURCES:
            out[name] = getattr(article, TEXT_SOURCES[name])
        elif isinstance(value, Prepared):
            out[name] = ""
        else:
            out[name] = value
    return out


def segment_files(folder: Path) -> dict[str, bytes]:
    storage = FileStorage(str(folder))
    segments = open_dir(str(folder), indexname="MAIN")._segments()
    assert len(segments) == 1
    segment = segments[0]
    prefix = segment.segment_id()
    compound = segment.open_compound_file(storage)
    return {name[len(prefix):]: compound.open_file(name).read() for name in compound.list()}


def reader_view(folder: Path) -> dict[str, Any]:
    ix = open_dir(str(folder), indexname="MAIN")
    with ix.reader() as reader:
        postings = {}
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            postings[(fieldname, btext)] = list(_items(matcher))
        lengths = {name: [reader.doc_field_length(d, name, 0) for d in range(reader.doc_count_all())]
                   for name in ("title_exact", "title_stem", "body_exact", "body_stem")}
        return {"stored": list(reader.all_stored_fields()), "postings": postings, "lengths": lengths,
                "days": list(reader.column_reader("published_day"))}


def _items(matcher: Any) -> Any:
    while matcher.is_active():
        yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


@pytest.mark.parametrize("chunk", [None, 97])
def test_segment_builder_writes_what_whooshs_stock_writer_writes(tmp_path: Path, chunk: int | None,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    if chunk:  # the field's postings converted a few terms at a time: boundaries everywhere
        monkeypatch.setattr(writer_module, "CHUNK_POSTINGS", chunk)
    schema, articles, docs = prepared_documents(edge_articles())
    ours, stock = tmp_path / "ours", tmp_path / "stock"

    storage = FileStorage(str(ours)).create()
    storage.create_index(schema, indexname="MAIN")
    builder = SegmentBuilder(storage, schema, "MAIN")
    for fields in docs:
        builder.add(**fields)
    TOC(schema, [builder.finish()], 1).write(storage, "MAIN")

    ix = FileStorage(str(stock)).create().create_index(schema, indexname="MAIN")
    writer = ix.writer()
    for article, fields in zip(articles, docs):
        writer.add_document(**stock_document(article, fields))
    writer.commit(merge=False)

    mine, theirs = reader_view(ours), reader_view(stock)
    assert mine["stored"] == theirs["stored"]
    assert mine["lengths"] == theirs["lengths"]
    assert mine["days"] == theirs["days"]
    assert mine["postings"].keys() == theirs["postings"].keys()
    for key, value in theirs["postings"].items():
        assert mine["postings"][key] == value, key
    assert ("body_exact", "تقرير".encode()) in mine["postings"]
    assert max(len(v) for v in mine["postings"].values()) > 128  # several blocks per term

    our_files, stock_files = segment_files(ours), segment_files(stock)
    assert our_files.keys() == stock_files.keys()
    for name in stock_files:
        assert our_files[name] == stock_files[name], f"{name} differs"


def test_missing_optional_fields_are_stored_empty_and_not_indexed(tmp_path: Path) -> None:
    record = {"content": "نص مقال بلا عنوان ولا رابط ولا مصدر ولا تاريخ."}
    home = tmp_path / "home"
    write_jsonl(tmp_path / "in.jsonl", [record, make_article(1)])
    build_index([tmp_path / "in.jsonl"], home, workers=1)
    ix = open_dir(str(live_folder(home)), indexname="MAIN")
    with ix.reader() as reader:
        stored = sorted(reader.all_stored_fields(), key=lambda d: d["url"])
        assert stored[0]["url"] == stored[0]["source"] == stored[0]["published"] == stored[0]["title"] == ""
        assert set(stored[0]) == set(stored[1])  # every document has the same stored keys
        for fieldname in ("url", "source", "published"):
            assert b"" not in set(reader.lexicon(fieldname))


def test_two_workers_index_the_same_documents_as_one(tmp_path: Path, tiny_corpus: Path) -> None:
    write_jsonl(tiny_corpus / "more.jsonl", [make_article(i) for i in range(100, 400)])
    one = build_index([tiny_corpus], tmp_path / "one", workers=1)
    two = build_index([tiny_corpus], tmp_path / "two", workers=2, limitmb=0.05)
    assert one["documents"] == two["documents"] == 324
    assert json.loads((live_folder(tmp_path / "two") / "marsad.json").read_text())["segments"] > 2
    for field, text in (("body_exact", "حلب"), ("body_stem", "اشتباكات"), ("source", "sahifat-al-mizan"),
                        ("title_exact", '"تقرير رقم"')):
        found = search_ids(tmp_path / "one", field, text)
        assert found and found == search_ids(tmp_path / "two", field, text)


def test_build_summary_and_marker(tmp_path: Path, tiny_corpus: Path) -> None:
    summary = build_index([tiny_corpus], tmp_path / "home", workers=1)
    assert summary["documents"] == 24 and summary["generation"] == 1
    assert summary["quarantined"] == 0 and summary["duplicates"] == 0
    assert summary["seconds"] > 0 and summary["docs_per_s"] > 0
    marker = json.loads((live_folder(tmp_path / "home") / "marsad.json").read_text())
    assert marker["documents"] == 24
    assert marker["published_min"] == "2020-01-01" and marker["published_max"] == "2020-12-24"
    assert marker["sources"] == 3


def test_build_with_nothing_valid_fails_and_keeps_the_live_index(tmp_path: Path, built_index: Path) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"title": "بلا نص"}, "{oops"])
    before = (built_index / "CURRENT").read_text()
    result = marsad("index", "build", str(bad), "--index", str(built_index))
    assert result.returncode != 0
    assert "no valid articles" in result.stderr and "Traceback" not in result.stderr
    assert (built_index / "CURRENT").read_text() == before
    assert sorted(p.name for p in built_index.iterdir() if p.name.startswith(("gen-", ".build"))) == ["gen-000001"]


# the command line: --json, one summary line, a progress bar on a terminal -----------------------

def test_cli_json_summary(tmp_path: Path, tiny_corpus: Path) -> None:
    result = marsad("index", "build", str(tiny_corpus), "--index", str(tmp_path / "home"), "--workers", "2",
                    "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {"documents", "quarantined", "duplicates", "seconds", "docs_per_s", "generation"} <= set(summary)
    assert summary["documents"] == 24 and summary["generation"] == 1 and summary["workers"] == 2
    assert result.stderr == ""


def test_cli_without_terminal_prints_one_summary_line(tmp_path: Path, tiny_corpus: Path) -> None:
    result = marsad("index", "build", str(tiny_corpus), "--index", str(tmp_path / "home"), "--workers", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "documents=24" in lines[0] and "generation=1" in lines[0]
    assert result.stderr == ""  # no progress bar in a log file


def test_cli_on_a_terminal_shows_a_progress_bar(tmp_path: Path, tiny_corpus: Path) -> None:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "index", "build", str(tiny_corpus), "--index",
         str(tmp_path / "home"), "--workers", "1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=secondary, env=cli_env())
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.communicate(timeout=60)[0].decode()
    os.close(primary)
    assert process.returncode == 0
    terminal = seen.decode("utf-8", "replace")
    assert "articles" in terminal and "24" in terminal  # tqdm's counter
    assert "documents=24" in stdout


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2]) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_an_index_home_inside_the_corpus_folder_is_not_read_back(tmp_path: Path, tiny_corpus: Path) -> None:
    home = tiny_corpus / "var" / "index"
    first = build_index([tiny_corpus], home, workers=1)
    second = build_index([tiny_corpus], home, workers=1)  # marsad.json, entities.json, quarantine.jsonl inside
    assert first["documents"] == second["documents"] == 24
    assert second["quarantined"] == 0
