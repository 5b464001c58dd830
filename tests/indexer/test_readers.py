"""Readers: every input shape becomes records tagged with their file, member, line and position,
and every unreadable thing becomes a Problem in the same stream instead of an exception."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.readers import Origin, Problem, RawRecord, read_json_text, read_paths
from indexer.validation import validate_record

from .conftest import make_article, write_jsonl, write_markdown


def records(items: list) -> list[RawRecord]:
    return [item for item in items if isinstance(item, RawRecord)]


def problems(items: list) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def test_json_lines_with_lines_numbered_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text("\ufeff" + json.dumps(make_article(0), ensure_ascii=False) + "\n\n   \n"
                    + json.dumps(make_article(1), ensure_ascii=False) + "\n", "utf-8")
    items = list(read_paths([path]))
    assert problems(items) == []
    assert [r.data["id"] for r in items] == ["art-00000", "art-00001"]
    assert [r.origin for r in items] == [Origin(str(path), line=1), Origin(str(path), line=4)]


def test_json_lines_bad_line_costs_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    with open(path, "wb") as handle:
        handle.write(json.dumps(make_article(0)).encode() + b"\n")
        handle.write(b'{"content": "caf\xe9"}\n')  # Latin-1, not UTF-8
        handle.write(b'{"content": "no end\n')
        handle.write(b"[" * 100_000 + b"\n")  # hostile nesting
        handle.write(json.dumps(make_article(1)).encode() + b"\n")
    items = list(read_paths([path]))
    assert [r.data["id"] for r in records(items)] == ["art-00000", "art-00001"]
    found = {p.origin.line: p.reason for p in problems(items)}
    assert set(found) == {2, 3, 4}
    assert "not UTF-8" in found[2] and "invalid JSON" in found[3] and "nested too deeply" in found[4]
    assert records(items)[1].origin.line == 5


def test_json_array_positions_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([make_article(i) for i in range(3)], ensure_ascii=False, indent=2), "utf-8")
    items = list(read_paths([path]))
    assert problems(items) == []
    assert [r.origin.position for r in items] == [0, 1, 2]
    lines = path.read_text("utf-8").split("\n")
    for record in items:  # each element's line is where its object opens
        assert lines[record.origin.line - 1].strip() == "{"
        assert record.data == make_article(record.origin.position)


def test_json_single_object_and_empty_array(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(make_article(7)), "utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text("[ ]", "utf-8")
    items = list(read_paths([one, empty]))
    assert [r.data["id"] for r in items] == ["art-00007"]


def test_truncated_json_array_keeps_the_good_prefix(tmp_path: Path) -> None:
    text = json.dumps([make_article(i) for i in range(5)], ensure_ascii=False, indent=1)
    cut = text.index('"art-00003"')
    path = tmp_path / "cut.json"
    path.write_text(text[:cut], "utf-8")
    items = list(read_paths([path]))
    assert [r.data["id"] for r in records(items)] == ["art-00000", "art-00001", "art-00002"]
    [problem] = problems(items)
    assert problem.origin.position == 3 and "truncated JSON" in problem.reason
    assert problem.origin.line == text[:cut].count("\n") + 1


def test_json_that_is_not_an_array_of_articles(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text('"just a string"', "utf-8")
    [problem] = list(read_paths([path]))
    assert isinstance(problem, Problem) and "expected a JSON array" in problem.reason


def test_bad_encoding_of_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'[\n{"content": "ok"},\n{"content": "caf\xe9"}]')
    [problem] = list(read_paths([path]))
    assert isinstance(problem, Problem)
    assert "not UTF-8" in problem.reason and problem.origin.line == 3


def test_markdown_and_text_articles_with_a_header_block(tmp_path: Path) -> None:
    article = make_article(3)
    md = write_markdown(tmp_path / "feature.md", article)
    txt = tmp_path / "note.txt"
    txt.write_text("---\nheadline: عنوان المذكرة\ndate: 2019-05-04\n# a comment line\nurl: https://example.org/n\n---\n"
                   "\nنص المذكرة في سطرين.\nالسطر الثاني.\n", "utf-8")
    bare = tmp_path / "bare.md"
    bare.write_text("# عنوان من العنوان الرئيسي\n\nنص بلا ترويسة.\n", "utf-8")
    items = {Path(r.origin.file).name: r for r in read_paths([md, txt, bare])}
    assert items["feature.md"].data == {k: article[k] for k in ("title", "source", "url", "published", "author",
                                                                 "content")}
    note = items["note.txt"].data
    assert note["title"] == "عنوان المذكرة" and note["published"] == "2019-05-04"  # aliases
    assert note["content"] == "نص المذكرة في سطرين.\nالسطر الثاني."
    assert items["note.txt"].field_lines["published"] == 3 and items["note.txt"].field_lines["content"] == 8
    assert items["bare.md"].data == {"title": "عنوان من العنوان الرئيسي", "content": "نص بلا ترويسة."}


def test_broken_header_blocks(tmp_path: Path) -> None:
    unclosed = tmp_path / "a.md"
    unclosed.write_text("---\ntitle: بلا نهاية\n\nنص\n", "utf-8")
    no_colon = tmp_path / "b.md"
    no_colon.write_text("---\ntitle: عنوان\nسطر بلا مفتاح\n---\nنص\n", "utf-8")
    found = {Path(p.origin.file).name: p for p in read_paths([unclosed, no_colon])}
    assert "not closed" in found["a.md"].reason and found["a.md"].origin.line == 1
    assert "key: value" in found["b.md"].reason and found["b.md"].origin.line == 3


def test_bad_date_in_a_header_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dated.md"
    path.write_text("---\ntitle: عنوان\nsource: مصدر\npublished: قبل أسبوع\n---\nنص المقال.\n", "utf-8")
    [record] = list(read_paths([path]))
    problem = validate_record(record)
    assert isinstance(problem, Problem)
    assert problem.field == "published" and problem.origin.line == 4


def test_folders_are_read_recursively_in_a_stable_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write_jsonl(root / "b.jsonl", [make_article(1)])
    write_jsonl(root / "a" / "deep" / "c.jsonl", [make_article(2)])
    write_markdown(root / "a" / "x.md", make_article(3))
    (root / "README.md").write_text("# not an article\n", "utf-8")
    (root / "notes.csv").write_text("a,b\n", "utf-8")
    write_jsonl(root / ".hidden" / "h.jsonl", [make_article(4)])
    write_jsonl(root / "._mac.jsonl", [make_article(5)])
    items = list(read_paths([root]))
    assert problems(items) == []
    names = [Path(r.origin.file).relative_to(root).as_posix() for r in items]
    assert names == ["a/deep/c.jsonl", "a/x.md", "b.jsonl"]


def test_unsupported_or_missing_paths_named_explicitly(tmp_path: Path) -> None:
    csv = tmp_path / "data.csv"
    csv.write_text("a,b\n", "utf-8")
    found = list(read_paths([csv, tmp_path / "nowhere.jsonl"]))
    assert "unsupported file type '.csv'" in found[0].reason
    assert found[1].reason == "no such file or folder"


def test_zip_of_json_lines_json_and_markdown(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("z/wire.jsonl", "\n".join(json.dumps(make_article(i)) for i in range(2)) + "\n")
        archive.writestr("a/batch.json", json.dumps([make_article(i) for i in range(2, 4)]))
        archive.writestr("m/feature.md", "---\ntitle: عنوان\n---\nنص.\n")
        archive.writestr("__MACOSX/z/._wire.jsonl", "junk")
        archive.writestr("inner.zip", b"PK")
        archive.writestr("a/", "")
    items = list(read_paths([path]))
    got = [(r.origin.member, r.origin.line, r.origin.position) for r in records(items)]
    assert got == [("a/batch.json", 1, 0), ("a/batch.json", 1, 1), ("m/feature.md", 1, None),
                   ("z/wire.jsonl", 1, None), ("z/wire.jsonl", 2, None)]
    [nested] = problems(items)
    assert nested.origin.member == "inner.zip" and "inside ZIP" in nested.reason


def test_bad_zip_and_damaged_member(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"this is not a zip file at all")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.json", json.dumps([make_article(0)]))
        archive.writestr("b.json", json.dumps([make_article(1)]))
    data = bytearray(damaged.read_bytes())
    first = data.index(b"art-00001")
    data[first:first + 3] = b"XYZ"  # the stored CRC no longer matches
    damaged.write_bytes(bytes(data))
    items = list(read_paths([fake, damaged]))
    assert [r.data["id"] for r in records(items)] == ["art-00000"]
    bad = problems(items)
    assert bad[0].origin.file == str(fake) and "not a readable ZIP" in bad[0].reason
    assert bad[1].origin.member == "b.json" and "cannot read ZIP member" in bad[1].reason


def test_saudinewsnet_zip_as_it_is(shared_dir: Path) -> None:
    """One real crawl day, read at test time: every article of its JSON array comes out, in
    order, with its array position, and validates with date_extracted as the publication day."""
    path = shared_dir / "corpora" / "saudinewsnet" / "2015-07-23.zip"
    with zipfile.ZipFile(path) as archive:
        [member] = archive.namelist()
        expected = json.loads(archive.read(member))
    items = list(read_paths([path]))
    assert problems(items) == []
    assert len(items) == len(expected) > 1000
    assert [r.origin.position for r in items] == list(range(len(expected)))
    assert all(r.origin.member == member for r in items)
    articles = [validate_record(r) for r in items]
    valid = [a for a in articles if not isinstance(a, Problem)]
    rejected = [a for a in articles if isinstance(a, Problem)]
    assert len(valid) > 0.95 * len(expected)
    assert all(p.field == "content" for p in rejected)  # the few empty bodies, nothing else
    assert all(a.published == "2015-07-23" for a in valid)
    assert {a.url for a in valid} <= {e["url"] for e in expected}
    first = next(a for a in articles if not isinstance(a, Problem))
    source = expected[[e["url"] for e in expected].index(first.url)]
    assert first.title == " ".join(source["title"].split()) and first.source == source["source"]


# property: the array reader and json agree, and a cut file yields a prefix -----------------------

article_strategy = st.fixed_dictionaries(
    {"content": st.text(min_size=1, max_size=40)},
    optional={"title": st.text(max_size=20), "n": st.integers(), "tags": st.lists(st.text(max_size=5), max_size=3),
              "url": st.just("https://example.org/x")})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article_strategy, max_size=8), st.sampled_from([None, 0, 1, 2]), st.booleans(), st.data())
def test_array_reader_agrees_with_json(items, indent, ascii_only, data) -> None:
    text = json.dumps(items, indent=indent, ensure_ascii=ascii_only)
    origin = Origin("mem.json")
    whole = list(read_json_text(text, origin))
    assert [r.data for r in whole] == items
    assert [r.origin.position for r in whole] == list(range(len(items)))
    cut = data.draw(st.integers(min_value=0, max_value=max(0, len(text) - 1)))
    partial = list(read_json_text(text[:cut], origin))
    got = [r.data for r in partial if isinstance(r, RawRecord)]
    assert got == items[:len(got)]
    assert sum(isinstance(r, Problem) for r in partial) == 1  # a cut file always reports itself once
    assert isinstance(partial[-1], Problem)
