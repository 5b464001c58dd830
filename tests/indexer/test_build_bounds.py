"""What keeps a build's memory flat as the corpus grows: the per-word caches of the workers
are bounded by one setting and clearing them changes nothing indexed; the parent's briefs and
the workers' fingerprints are kept in flat buffers and read back unchanged."""

from __future__ import annotations

import gc
from dataclasses import replace
import json
import pickle
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.briefs import BriefTable
from indexer.build import prepare_process
from indexer.dedup import variant_key
from indexer.documents import indexed_document
from indexer.entities.extract import get_extractor
from indexer.schema import build_schema
from indexer.stories import NO_DAY
from indexer.validation import validate_record
from indexer.readers import Origin, Problem, RawRecord
from indexer.word_caches import ENVIRONMENT, WordCaches, configured_limit
from indexer.workers import FingerprintPack

from tests.indexer.test_build_memory import article as synthetic_article

BRIEF_BYTES_PER_ARTICLE = 260  # the dict of Brief NamedTuples it replaced took ~530


def corpus_articles(corpus_dir: Path, count: int) -> list:
    out = []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            article = validate_record(RawRecord(json.loads(line), Origin(str(path))))
            if not isinstance(article, Problem):
                out.append(article)
            if len(out) >= count:
                return out
    return out


def snapshot(fields: dict, fingerprint) -> tuple:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, default=repr), \
        fingerprint.shingles.tolist(), fingerprint.minhash.tolist()


def test_clearing_the_word_caches_changes_nothing_indexed(corpus_dir: Path) -> None:
    prepare_process()
    extractor = get_extractor()
    schema = build_schema()
    articles = corpus_articles(corpus_dir, 40)
    assert len(articles) == 40
    warm = [snapshot(*indexed_document(a, extractor, schema)) for a in articles]
    caches = WordCaches(0, extractor)
    assert len(caches.sizes()) == 8  # every cache the module lists exists
    cold = []
    for a in articles:
        assert caches.trim() > 0 or not any(caches.sizes().values())
        assert not any(caches.sizes().values())
        cold.append(snapshot(*indexed_document(a, extractor, schema)))
    assert cold == warm


def test_the_caches_stay_under_the_limit(corpus_dir: Path) -> None:
    prepare_process()
    extractor = get_extractor()
    schema = build_schema()
    caches = WordCaches(50, extractor)
    for a in corpus_articles(corpus_dir, 30):
        indexed_document(a, extractor, schema)
        caches.trim()
        assert max(caches.sizes().values()) <= 50


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "20000")
    assert configured_limit() == 20_000
    monkeypatch.setenv(ENVIRONMENT, "lots")
    with pytest.raises(ValueError, match=ENVIRONMENT):
        configured_limit()
    monkeypatch.setenv(ENVIRONMENT, "10")
    with pytest.raises(ValueError, match="at least"):
        configured_limit()
    monkeypatch.delenv(ENVIRONMENT)
    assert configured_limit() > 10_000


def test_fingerprints_travel_as_files_and_come_back_equal(tmp_path: Path) -> None:
    from indexer.stories import fingerprint

    rng = np.random.default_rng(7)
    words = [f"كلمة{n}" for n in range(400)]
    prints = {}
    pack = FingerprintPack(tmp_path / "fingerprints" / "worker-0")
    for ordinal in (5, 2, 9, 40):
        length = int(rng.integers(0, 120))
        fp = fingerprint([words[i] for i in rng.integers(0, len(words), length)])
        prints[ordinal] = fp
        pack.add(ordinal, fp)
    sent = pickle.dumps(pack)
    assert len(sent) < 1_000  # the shingles stay in the files: the parent receives row offsets
    received = pickle.loads(sent)
    back = dict(received.items())
    assert list(back) == [5, 2, 9, 40]
    assert [fp.shingles.tolist() for fp in received.read([3, 1])] == \
        [prints[40].shingles.tolist(), prints[2].shingles.tolist()]
    for ordinal, fp in prints.items():
        assert back[ordinal].shingles.tolist() == fp.shingles.tolist()
        assert back[ordinal].minhash.tolist() == fp.minhash.tolist()
        assert back[ordinal].shingles.dtype == np.uint32 and back[ordinal].minhash.dtype == np.uint32


def test_the_brief_table_gives_back_each_articles_report_and_stays_small() -> None:
    from indexer.stories import Fingerprint

    count = 20_000
    articles = [synthetic_article(i) for i in range(count)]
    articles = [replace(a, content_hash=f"{i:040x}") for i, a in enumerate(articles)]
    gc.collect()
    tracemalloc.start()
    table = BriefTable()
    for ordinal, a in enumerate(articles):
        if ordinal % 7 != 3:  # a loser's ordinal is never given a brief
            table[ordinal] = a
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"briefs: {held / len(table):.0f} bytes per article")
    assert held / len(table) <= BRIEF_BYTES_PER_ARTICLE
    empty = Fingerprint(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint32))
    for ordinal in (0, 1, 16, count - 1):
        a = articles[ordinal]
        report = table.report(ordinal, empty)
        assert (report.id, report.published, report.variant, report.content_hash) == \
            (a.id, a.published, variant_key(a.url), a.content_hash)
        assert report.day == (NO_DAY if a.published_day is None else a.published_day)
    assert 3 not in table and count + 5 not in table
    with pytest.raises(KeyError):
        table.report(3, empty)


def common_in_one_pass(fingerprints, days) -> np.ndarray:
    """common_shingles as it was written before it counted in passes (the reference)."""
    from indexer.stories import COMMON_DAYS, EMPTY, sorted_unique

    lengths = np.array([len(f.shingles) for f in fingerprints], dtype=np.int64)
    if not lengths.sum():
        return EMPTY
    hashes = np.concatenate([f.shingles for f in fingerprints]).astype(np.uint64)
    day_numbers = np.asarray(days, dtype=np.int64)
    day_numbers = (day_numbers - day_numbers.min()).astype(np.uint64)
    keys = sorted_unique((hashes << np.uint64(32)) | np.repeat(day_numbers, lengths))
    sorted_hashes = (keys >> np.uint64(32)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]])
    counts = np.diff(np.r_[starts, len(sorted_hashes)])
    return sorted_hashes[starts[counts >= COMMON_DAYS]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(
    [0, 1, 7, 2**31 - 1, 2**31, 2**31 + 5, 2**32 - 1] + list(range(1000, 1040))), max_size=30),
    st.integers(-3, 40)), max_size=60), st.integers(1, 50))
def test_common_shingles_in_passes_equal_one_pass(reports, chunk) -> None:
    from indexer.stories import Fingerprint, common_shingles, sorted_unique

    fingerprints = [Fingerprint(sorted_unique(np.array(h, dtype=np.uint32)), np.zeros(0, dtype=np.uint32))
                    for h, _ in reports]
    days = [d for _, d in reports]
    expected = common_in_one_pass(fingerprints, days)
    got = common_shingles(fingerprints, days, chunk=chunk)
    assert got.dtype == np.uint32 and got.tolist() == expected.tolist()


def test_common_shingles_on_saudinewsnet_like_counts() -> None:
    """Real-sized reports over many days, counted in 1 pass and in many: the same shingles."""
    from indexer.stories import Fingerprint, common_shingles, sorted_unique

    rng = np.random.default_rng(11)
    shared = rng.integers(0, 2**32, 300, dtype=np.uint32)  # boilerplate repeated across days
    fingerprints, days = [], []
    for i in range(600):
        own = rng.integers(0, 2**32, 350, dtype=np.uint32)
        fingerprints.append(Fingerprint(sorted_unique(np.concatenate([own, shared[rng.integers(0, 300, 40)]])),
                                        np.zeros(0, dtype=np.uint32)))
        days.append(int(rng.integers(0, 60)))
    one = common_shingles(fingerprints, days, chunk=10**9)
    assert len(one) > 100
    assert common_shingles(fingerprints, days, chunk=5_000).tolist() == one.tolist() == \
        common_in_one_pass(fingerprints, days).tolist()


def test_a_brief_table_on_file_keeps_little_in_memory_and_reads_back_every_record(tmp_path: Path) -> None:
    count = 20_000
    articles = [replace(a, content_hash=f"{i:040x}") for i, a in enumerate(synthetic_article(i) for i in range(count))]
    gc.collect()
    tracemalloc.start()
    table = BriefTable(tmp_path / "briefs")
    for ordinal, a in enumerate(articles):
        if ordinal % 7 != 3:
            table[ordinal] = a
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"briefs on file: {held / len(table):.0f} bytes per article in memory")
    assert held / len(table) <= 60  # the strings (~160 bytes an article here) are in the file
    kept = [o for o in range(count) if o % 7 != 3]
    expected = [[articles[o].id, articles[o].published or "", variant_key(articles[o].url), articles[o].content_hash]
                for o in kept]
    assert list(table.records(kept, chunk=1000)) == expected
    assert table.fields(kept[-1]) == expected[-1] and table.fields(0) == expected[0]
    table.close()
