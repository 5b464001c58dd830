"""Per-segment columns files: every build, update and compaction writes one per new segment, an
update shares the old segments' files, and the columns read from the files are the ones Whoosh's
own postings give (and the ones computed when a file is missing or damaged)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage

from indexer.build import build_index, update_index
from indexer.compact import compact_index
from search.columns import Columns, Pairs
from search.engine import Engine
from search.postings import Postings
from search.segment_columns import SUFFIX
from tests.indexer.conftest import make_article, write_jsonl, write_tiny_corpus

PAIR_FIELDS = {"places": "places", "actors": "actors", "events": "events"}


def live_folder(home: Path) -> Path:
    return home / (home / "CURRENT").read_text().strip()


def segment_ids(folder: Path) -> set[str]:
    ix = FileStorage(str(folder), readonly=True).open_index("MAIN")
    return {segment.segment_id() for segment in ix._segments()}


def columns_files(folder: Path) -> dict[str, int]:
    return {p.name[:-len(SUFFIX)]: p.stat().st_ino for p in folder.glob(f"*{SUFFIX}")}


def whoosh_truth(folder: Path) -> dict[str, object]:
    """Each live document's keyword values, read with Whoosh's own matchers (not our decoder)."""
    ix = FileStorage(str(folder), readonly=True).open_index("MAIN")
    with ix.reader() as reader:
        live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
        out: dict[str, object] = {"live": live}
        for field in ("source", "published", "killed", *PAIR_FIELDS):
            pairs = set()
            for term in reader.lexicon(field):
                text = term.decode("utf-8")
                if text:
                    pairs.update((d, text) for d in reader.postings(field, term).all_ids() if not reader.is_deleted(d))
            out[field] = pairs
    return out


def columns_of(folder: Path, *, use_files: bool) -> tuple[Columns, Postings]:
    ix = FileStorage(str(folder), supports_mmap=False, readonly=True).open_index("MAIN")
    reader = ix.reader()
    postings = Postings(reader)
    return Columns(postings, folder if use_files else None), postings


def as_truth(columns: Columns) -> dict[str, object]:
    from search.columns import day_text

    live = np.flatnonzero(columns.live).tolist()
    out: dict[str, object] = {"live": live}
    out["source"] = {(d, columns.sources[columns.source[d]]) for d in live if columns.source[d] >= 0}
    out["published"] = {(d, day_text(columns.day[d])) for d in live if columns.day[d] >= 0}
    out["killed"] = {(d, str(columns.killed[d])) for d in live if columns.killed[d] >= 0}
    for field, attribute in PAIR_FIELDS.items():
        pairs = getattr(columns, attribute)
        out[field] = {(int(d), pairs.values[c]) for d, c in zip(pairs.docs.tolist(), pairs.codes.tolist())}
    return out


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("columns") / "home"
    build_index([corpus_dir], home, workers=2, quarantine=None, progress=False)
    return home


def test_a_build_writes_one_columns_file_per_segment(home: Path) -> None:
    folder = live_folder(home)
    assert len(segment_ids(folder)) >= 2
    assert set(columns_files(folder)) == segment_ids(folder)


def test_columns_from_files_equal_whooshs_postings_and_the_computed_ones(home: Path) -> None:
    folder = live_folder(home)
    from_files, _ = columns_of(folder, use_files=True)
    computed, _ = columns_of(folder, use_files=False)
    truth = whoosh_truth(folder)
    published = {(d, day[:10]) for d, day in truth["published"]}
    assert as_truth(from_files) == {**truth, "published": published}
    assert as_truth(computed) == as_truth(from_files)
    assert np.array_equal(from_files.event_docs, computed.event_docs)
    assert np.array_equal(from_files.event_day, computed.event_day)
    assert np.array_equal(from_files.injured, computed.injured)
    assert len(from_files.places.values) > 10 and len(from_files.events.docs) > 0


def test_an_update_shares_the_old_files_and_writes_the_new_segments(tmp_path: Path) -> None:
    home = tmp_path / "home"
    build_index([write_tiny_corpus(tmp_path / "corpus")], home, workers=1, quarantine=None, progress=False)
    before = columns_files(live_folder(home))
    replaced = make_article(3, content="نص جديد عن قصف في مدينة حلب أسفر عن مقتل 7 مدنيين.")
    write_jsonl(tmp_path / "u.jsonl", [replaced, make_article(100, source="wakalat-al-rasd")])
    update_index([tmp_path / "u.jsonl"], home)
    folder = live_folder(home)
    after = columns_files(folder)
    assert set(after) == segment_ids(folder)
    assert {k: after[k] for k in before} == before  # hard links: the same files
    assert len(after) > len(before)
    from_files, _ = columns_of(folder, use_files=True)
    truth = whoosh_truth(folder)
    assert as_truth(from_files) == {**truth, "published": {(d, day[:10]) for d, day in truth["published"]}}
    assert not from_files.live.all()  # the replaced article's old copy is deleted
    for pairs in (from_files.places, from_files.actors, from_files.events):
        scan = Pairs(pairs.docs, pairs.codes, pairs.values, pairs.code_of, pairs.size)  # no postings: every pair
        for code in range(len(pairs.values)):
            assert np.array_equal(pairs.mask_for([code], from_files.size), scan.mask_for([code], from_files.size))

    compact_index(home)
    folder = live_folder(home)
    assert set(columns_files(folder)) == segment_ids(folder)  # no file of a merged-away segment
    compacted, _ = columns_of(folder, use_files=True)
    assert sorted(compacted.sources) == sorted(from_files.sources)


def test_missing_or_damaged_files_are_computed_from_the_postings(home: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(home, copy, ignore=shutil.ignore_patterns(".lock"))
    files = sorted(live_folder(copy).glob(f"*{SUFFIX}"))
    files[0].write_bytes(files[0].read_bytes()[:100])
    files[1].unlink()
    queries = [{"q": "حلب"}, {"q": "", "place": "سوريا"}, {"q": "قصف", "sort": "killed"}]
    with Engine(home) as intact, Engine(copy) as damaged:
        for query in queries:
            assert damaged.search(query) == intact.search(query)


@pytest.fixture(scope="module")
def tiny_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-columns")
    home = folder / "home"
    build_index([write_tiny_corpus(folder / "corpus")], home, workers=2, quarantine=None, progress=False)
    return home


@pytest.mark.parametrize("which", ["tiny", "corpus"])
def test_article_ids_from_the_files_give_the_same_stories(which: str, tiny_home: Path, home: Path) -> None:
    from search.stories import Stories

    folder = live_folder(tiny_home if which == "tiny" else home)
    columns, postings = columns_of(folder, use_files=True)
    stored = [postings.stored(d)["id"].encode("utf-8") for d in range(postings.doc_count)]
    if max(map(len, stored)) <= 64:
        assert columns.article_ids is not None and columns.article_ids.tolist() == stored
    else:  # the bundled corpus has a 68-byte id: no id column, the ids are read from the terms
        assert which == "corpus" and columns.article_ids is None
    with_ids = Stories.load(folder, postings, columns.live, columns.article_ids)
    from_terms = Stories.load(folder, postings, columns.live)
    assert np.array_equal(with_ids.key, from_terms.key)
    assert np.array_equal(with_ids.size, from_terms.size) and with_ids.named == from_terms.named
