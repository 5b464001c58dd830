"""`marsad index update` and duplicate handling: new articles are added, changed ones (content
hash) replaced, the same input twice changes nothing; duplicates keep the newest copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh.index import open_dir

from indexer import generations as gens
from indexer.build import RebuildNeeded, build_index, update_index

from .conftest import code_word, live_folder, make_article, marsad, search_ids, write_jsonl


def stored_by_id(home: Path) -> dict[str, dict]:
    ix = open_dir(str(live_folder(home)), indexname="MAIN")
    with ix.searcher() as searcher:
        docs = list(searcher.documents())
    by_id = {d["id"]: d for d in docs}
    assert len(by_id) == len(docs), "an id is indexed twice"
    return by_id


def test_update_adds_new_and_replaces_changed_articles(tmp_path: Path, built_index: Path) -> None:
    changed = make_article(3, content="نص جديد كليا عن سد مأرب بعد التصحيح، ورمز النسخة المصححة ظطلعظ.")
    moved = make_article(4, published="2021-06-30")  # same text, a later publication day
    new = [make_article(i) for i in range(100, 105)]
    write_jsonl(tmp_path / "u.jsonl", [make_article(1), make_article(2), changed, moved, *new])
    before = stored_by_id(built_index)

    summary = update_index([tmp_path / "u.jsonl"], built_index)
    assert (summary["added"], summary["replaced"], summary["unchanged"]) == (5, 2, 2)
    assert summary["changed"] is True and summary["generation"] == 2 and summary["documents"] == 29
    after = stored_by_id(built_index)
    assert len(after) == 29
    assert after["art-00003"]["content"] == changed["content"]
    assert after["art-00003"]["content_hash"] != before["art-00003"]["content_hash"]
    assert after["art-00004"]["published"] == "2021-06-30"
    assert search_ids(built_index, "body_exact", "ظطلعظ") == ["art-00003"]
    assert search_ids(built_index, "body_exact", code_word(3)) == []  # the old text is gone
    assert search_ids(built_index, "body_exact", code_word(102)) == ["art-00102"]
    marker = json.loads((live_folder(built_index) / "marsad.json").read_text())
    assert marker["kind"] == "update" and marker["based_on"] == 1 and marker["documents"] == 29
    assert marker["published_max"] == "2021-06-30"


def test_update_is_idempotent(tmp_path: Path, built_index: Path) -> None:
    write_jsonl(tmp_path / "u.jsonl", [make_article(200), make_article(5, title="عنوان معدل")])
    first = update_index([tmp_path / "u.jsonl"], built_index)
    assert first["changed"] and (first["added"], first["replaced"]) == (1, 1)
    files_before = sorted(p.name for p in built_index.iterdir())
    current_before = (built_index / "CURRENT").read_text()
    docs_before = stored_by_id(built_index)

    second = update_index([tmp_path / "u.jsonl"], built_index)
    assert second["changed"] is False
    assert (second["added"], second["replaced"], second["files_unchanged"]) == (0, 0, 1)  # not even read
    reread = update_index([tmp_path / "u.jsonl"], built_index, reread=True)
    assert reread["changed"] is False
    assert (reread["added"], reread["replaced"], reread["unchanged"], reread["files_unchanged"]) == (0, 0, 2, 0)
    assert second["generation"] == reread["generation"] == first["generation"]
    assert (built_index / "CURRENT").read_text() == current_before
    assert sorted(p.name for p in built_index.iterdir()) == files_before
    assert stored_by_id(built_index) == docs_before


def test_update_reads_only_the_files_changed_since_the_live_generation_read_them(tmp_path: Path) -> None:
    """What `marsad index update WARCS/` after each `marsad fetch` relies on: the archive grows,
    an update reads what is new (a new file, an appended one), not the whole archive again."""
    feed = tmp_path / "feed"
    feed.mkdir()
    write_jsonl(feed / "a.jsonl", [make_article(i) for i in range(1, 6)])
    write_jsonl(feed / "b.jsonl", [make_article(i) for i in range(6, 11)])
    home = tmp_path / "home"
    build_index([feed], home, workers=1)

    write_jsonl(feed / "c.jsonl", [make_article(11)])
    with open(feed / "b.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(make_article(12), ensure_ascii=False) + "\n")
    summary = update_index([feed], home)
    assert (summary["added"], summary["unchanged"], summary["files_unchanged"]) == (2, 5, 1)  # a.jsonl skipped
    assert set(stored_by_id(home)) == {f"art-{i:05d}" for i in range(1, 13)}

    again = update_index([feed], home)
    assert (again["changed"], again["unchanged"], again["files_unchanged"]) == (False, 0, 3)


def test_update_shares_the_live_segments_instead_of_rebuilding(tmp_path: Path, built_index: Path) -> None:
    old = live_folder(built_index)
    old_segments = {p.name: p.stat().st_ino for p in old.glob("*.seg")}
    write_jsonl(tmp_path / "u.jsonl", [make_article(300)])
    update_index([tmp_path / "u.jsonl"], built_index)
    new = live_folder(built_index)
    assert new != old and old.is_dir()  # the previous generation is kept
    shared = {p.name: p.stat().st_ino for p in new.glob("*.seg") if p.name in old_segments}
    assert shared == old_segments  # hard links: same files
    assert len(list(new.glob("*.seg"))) == len(old_segments) + 1
    assert json.loads((old / "marsad.json").read_text())["documents"] == 24  # old generation untouched
    assert len(search_ids(old, "source", "wakalat-al-rasd")) == 8


def test_update_keeps_a_newer_indexed_copy(tmp_path: Path, built_index: Path) -> None:
    older = make_article(6, published="2010-01-01", content="نسخة قديمة من المقال رمزها ظقدمظ.")
    write_jsonl(tmp_path / "u.jsonl", [older])
    summary = update_index([tmp_path / "u.jsonl"], built_index)
    assert summary["changed"] is False and summary["duplicates"] == 1
    assert search_ids(built_index, "body_exact", "ظقدمظ") == []


def test_update_replaces_every_indexed_copy_the_article_matches(tmp_path: Path, built_index: Path) -> None:
    """An article whose id names one indexed document and whose URL names another replaces both."""
    merged = make_article(7, url=make_article(8)["url"], content="مقال مدمج رمزه ظمدمظ.")
    write_jsonl(tmp_path / "u.jsonl", [merged])
    summary = update_index([tmp_path / "u.jsonl"], built_index)
    assert summary["replaced"] == 1 and summary["documents"] == 23
    docs = stored_by_id(built_index)
    assert "art-00008" not in docs and docs["art-00007"]["content"] == merged["content"]


def test_update_quarantines_bad_records_and_adds_the_rest(tmp_path: Path, built_index: Path) -> None:
    write_jsonl(tmp_path / "u.jsonl", [make_article(400), {"title": "بلا نص"}, "{broken"])
    summary = update_index([tmp_path / "u.jsonl"], built_index)
    assert summary["added"] == 1 and summary["quarantined"] == 2
    lines = [json.loads(line) for line in (built_index / "quarantine.jsonl").read_text().splitlines()]
    assert [(e["line"], e["field"]) for e in lines] == [(2, "content"), (3, None)]


def test_update_cli(tmp_path: Path, built_index: Path) -> None:
    write_jsonl(tmp_path / "u.jsonl", [make_article(500)])
    result = marsad("index", "update", str(tmp_path / "u.jsonl"), "--index", str(built_index), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 1
    again = marsad("index", "update", str(tmp_path / "u.jsonl"), "--index", str(built_index))
    assert again.returncode == 0 and "changed=False" in again.stdout and len(again.stdout.splitlines()) == 1


def test_update_without_an_index_is_a_clear_error(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "u.jsonl", [make_article(1)])
    result = marsad("index", "update", str(tmp_path / "u.jsonl"), "--index", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.startswith("marsad: error: no index at") and "marsad index build" in result.stderr
    assert "Traceback" not in result.stderr


def test_update_of_an_index_from_another_analyzer_says_rebuild_needed(tmp_path: Path, built_index: Path) -> None:
    marker_path = live_folder(built_index) / "marsad.json"
    marker = json.loads(marker_path.read_text())
    marker["analyzer_version"] = "0-old"
    marker_path.write_text(json.dumps(marker))
    write_jsonl(tmp_path / "u.jsonl", [make_article(1)])
    with pytest.raises(RebuildNeeded, match="rebuild needed"):
        update_index([tmp_path / "u.jsonl"], built_index)
    result = marsad("index", "update", str(tmp_path / "u.jsonl"), "--index", str(built_index))
    assert result.returncode == 2 and "rebuild needed" in result.stderr and "0-old" in result.stderr


# duplicates within one build --------------------------------------------------------------------------

def test_duplicates_keep_the_newest_copy_and_are_counted(tmp_path: Path) -> None:
    newer = make_article(1, published="2022-02-02", content="النسخة الأحدث رمزها ظحدثظ.")
    older = make_article(1, published="2019-09-09", content="النسخة الأقدم رمزها ظقبلظ.")
    same_url = make_article(2, id="other-id", content="نسخة بالرابط نفسه رمزها ظربطظ.", published="2023-03-03")
    same_day_a = make_article(3, content="أول نسخة في اليوم رمزها ظاولظ.")
    same_day_b = make_article(3, content="آخر نسخة في اليوم رمزها ظبعدظ.")
    write_jsonl(tmp_path / "in" / "a.jsonl", [newer, make_article(2), same_day_a])
    write_jsonl(tmp_path / "in" / "b.jsonl", [older, same_url, same_day_b, make_article(4)])
    summary = build_index([tmp_path / "in"], tmp_path / "home", workers=2)
    assert summary["documents"] == 4 and summary["duplicates"] == 3
    docs = stored_by_id(tmp_path / "home")
    assert sorted(docs) == ["art-00001", "art-00003", "art-00004", "other-id"]
    assert docs["art-00001"]["published"] == "2022-02-02"  # newest wins though read first
    assert docs["other-id"]["url"] == make_article(2)["url"]  # the same URL, a newer copy
    assert search_ids(tmp_path / "home", "body_exact", "ظبعدظ") == ["art-00003"]  # same day: read last wins
    for gone in ("ظقبلظ", "ظاولظ", code_word(2)):
        assert search_ids(tmp_path / "home", "body_exact", gone) == []
    marker = json.loads((live_folder(tmp_path / "home") / gens.MARKER).read_text())
    assert marker["duplicates"] == 3 and marker["documents"] == 4


def test_compaction_keeps_what_was_read(tmp_path: Path) -> None:
    from indexer.compact import compact_index

    feed = tmp_path / "feed"
    feed.mkdir()
    write_jsonl(feed / "a.jsonl", [make_article(i) for i in range(1, 4)])
    home = tmp_path / "home"
    build_index([feed], home, workers=1)
    write_jsonl(feed / "b.jsonl", [make_article(4)])
    update_index([feed], home)
    compacted = compact_index(home)
    assert compacted["changed"]
    assert update_index([feed], home)["files_unchanged"] == 2
