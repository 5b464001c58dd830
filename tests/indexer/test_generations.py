"""Index generations: numbered folders, CURRENT switched atomically, marsad.json last, the last
two kept, one writer at a time, leftovers of dead builds swept, damaged generations named."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from whoosh.index import open_dir

from indexer import generations as gens
from indexer.analysis import ANALYZER_VERSION
from indexer.build import build_index, update_index

from .conftest import live_folder, make_article, marsad, write_jsonl

CONTRACT_STATS = {"documents", "sources", "published_min", "published_max", "places", "actors", "built_at",
                  "generation"}


def generation_names(home: Path) -> list[str]:
    return sorted(p.name for p in home.iterdir() if p.name.startswith("gen-"))


def test_each_build_is_a_new_generation_and_the_last_two_are_kept(tmp_path: Path, tiny_corpus: Path) -> None:
    home = tmp_path / "home"
    for number in range(1, 5):
        summary = build_index([tiny_corpus], home, workers=1)
        assert summary["generation"] == number
        assert (home / "CURRENT").read_text() == f"gen-{number:06d}\n"
    assert generation_names(home) == ["gen-000003", "gen-000004"]
    assert not [p for p in home.iterdir() if p.name.startswith((".build-", ".trash-"))]


def test_marker_is_written_last_and_records_the_analyzer(tmp_path: Path, built_index: Path) -> None:
    folder = live_folder(built_index)
    marker_path = folder / gens.MARKER
    others = [p for p in folder.iterdir() if p != marker_path]
    assert others and all(p.stat().st_mtime_ns <= marker_path.stat().st_mtime_ns for p in others)
    marker = json.loads(marker_path.read_text())
    assert marker["analyzer_version"] == ANALYZER_VERSION
    assert marker["generation"] == 1 and marker["format"] == gens.FORMAT and marker["kind"] == "build"
    assert CONTRACT_STATS <= set(marker)  # what `marsad index stats` reads
    assert marker["built_at"].endswith("Z") and marker["documents"] == 24
    assert (folder / gens.ENTITIES).is_file()
    assert gens.check_generation(folder) == marker


def test_stats_command_reports_the_live_generation(tmp_path: Path, built_index: Path) -> None:
    result = marsad("index", "stats", "--index", str(built_index), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert set(stats) == CONTRACT_STATS | {"unknown_sources"}  # the contract's keys, extended
    assert stats["documents"] == 24 and stats["generation"] == 1 and stats["sources"] == 3
    assert stats["unknown_sources"] == 3  # the tiny corpus's outlets are not in sources.jsonl
    assert (stats["published_min"], stats["published_max"]) == ("2020-01-01", "2020-12-24")


def test_readers_only_ever_see_a_whole_generation(tmp_path: Path, tiny_corpus: Path) -> None:
    """A reader polling CURRENT while builds and updates publish always finds a complete,
    openable generation whose document count matches its marker."""
    home = tmp_path / "home"
    build_index([tiny_corpus], home, workers=1)
    stop = threading.Event()
    seen: list[str] = []
    failures: list[str] = []

    def poll() -> None:
        while not stop.is_set():
            name = (home / "CURRENT").read_text()
            try:
                folder = home / name.strip()
                marker = json.loads((folder / gens.MARKER).read_text())
                with open_dir(str(folder), indexname="MAIN").reader() as reader:
                    if reader.doc_count() != marker["documents"]:
                        failures.append(f"{name!r}: count")
            except Exception as error:  # noqa: BLE001 - any failure is a torn read, unless...
                # ...the generation was pruned after CURRENT was read (only those two behind go)
                if (home / name.strip()).exists() or (home / "CURRENT").read_text() == name:
                    failures.append(f"{name!r}: {error!r}")
            seen.append(name)

    thread = threading.Thread(target=poll)
    thread.start()
    try:
        for i in range(3):
            build_index([tiny_corpus], home, workers=2)
            write_jsonl(tmp_path / f"u{i}.jsonl", [make_article(1000 + i)])
            update_index([tmp_path / f"u{i}.jsonl"], home)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert all(gens.GEN_NAME.fullmatch(name.strip()) and name.endswith("\n") for name in seen)
    assert len(set(seen)) > 1


def test_one_writer_at_a_time(tmp_path: Path, built_index: Path, tiny_corpus: Path) -> None:
    with gens.locked(built_index):
        result = marsad("index", "build", str(tiny_corpus), "--index", str(built_index))
    assert result.returncode == 2
    assert "another build or update is running" in result.stderr and "Traceback" not in result.stderr
    assert (built_index / "CURRENT").read_text() == "gen-000001\n"


def test_leftovers_of_dead_builds_are_swept(tmp_path: Path, built_index: Path, tiny_corpus: Path) -> None:
    (built_index / ".build-gen-000009-4242").mkdir()
    (built_index / ".build-gen-000009-4242" / "MAIN_x.seg").write_bytes(b"half")
    (built_index / ".trash-gen-000000").mkdir()
    (built_index / "CURRENT.tmp").write_text("gen-000009\n")
    (built_index / ".quarantine.jsonl.4242.part").write_text("{}\n")
    summary = build_index([tiny_corpus], built_index, workers=1)
    assert summary["generation"] == 10  # numbers are never reused, even of dead builds
    assert sorted(p.name for p in built_index.iterdir()) == [
        ".lock", "CURRENT", "gen-000001", "gen-000010", "quarantine.jsonl"]


# damaged or missing generations ------------------------------------------------------------------

def test_current_naming_a_missing_generation(tmp_path: Path, built_index: Path) -> None:
    (built_index / "CURRENT").write_text("gen-000042\n")
    assert gens.live_generation(built_index).name == "gen-000001"  # the newest complete one, as search does
    (built_index / "gen-000001" / gens.MARKER).unlink()  # and no complete generation is left
    write_jsonl(tmp_path / "u.jsonl", [make_article(1)])
    result = marsad("index", "update", str(tmp_path / "u.jsonl"), "--index", str(built_index))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "CURRENT names 'gen-000042'" in result.stderr and "marsad index build" in result.stderr


def test_an_incomplete_live_generation_falls_back_to_the_previous_one(tmp_path: Path,
                                                                      tiny_corpus: Path) -> None:
    home = tmp_path / "home"
    build_index([tiny_corpus], home, workers=1)
    build_index([tiny_corpus], home, workers=1)
    (home / "gen-000002" / gens.MARKER).unlink()
    assert gens.live_generation(home).name == "gen-000001"
    write_jsonl(tmp_path / "u.jsonl", [make_article(7, title="عنوان جديد")])
    summary = update_index([tmp_path / "u.jsonl"], home)
    assert summary["generation"] == 3 and summary["replaced"] == 1
    assert json.loads((home / "gen-000003" / gens.MARKER).read_text())["based_on"] == 1


@pytest.mark.parametrize("damage", ["truncate segment", "delete segment", "bad toc", "bad marker", "count"])
def test_a_damaged_live_generation_is_named_and_a_rebuild_fixes_it(tmp_path: Path, built_index: Path,
                                                                   tiny_corpus: Path, damage: str) -> None:
    folder = live_folder(built_index)
    [segment] = folder.glob("*.seg")
    if damage == "truncate segment":
        segment.write_bytes(segment.read_bytes()[:100])
    elif damage == "delete segment":
        segment.unlink()
    elif damage == "bad toc":
        [toc] = folder.glob("*.toc")
        toc.write_bytes(b"\x00" * 40)
    elif damage == "bad marker":
        (folder / gens.MARKER).write_text("{not json")
    else:
        marker = json.loads((folder / gens.MARKER).read_text())
        (folder / gens.MARKER).write_text(json.dumps(dict(marker, documents=999)))
    with pytest.raises(gens.CorruptGeneration, match="gen-000001"):
        gens.check_generation(folder)
    write_jsonl(tmp_path / "u.jsonl", [make_article(1)])
    result = marsad("index", "update", str(tmp_path / "u.jsonl"), "--index", str(built_index))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "gen-000001" in result.stderr and "rebuild" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    rebuilt = marsad("index", "build", str(tiny_corpus), "--index", str(built_index), "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["generation"] == 2
    gens.check_generation(live_folder(built_index))
