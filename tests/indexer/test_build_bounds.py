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


def test_fingerprints_travel_packed_and_come_back_equal() -> None:
    from indexer.stories import fingerprint

    rng = np.random.default_rng(7)
    words = [f"كلمة{n}" for n in range(400)]
    prints = {}
    pack = FingerprintPack()
    for ordinal in (5, 2, 9, 40):
        length = int(rng.integers(0, 120))
        fp = fingerprint([words[i] for i in rng.integers(0, len(words), length)])
        prints[ordinal] = fp
        pack.add(ordinal, fp)
    back = dict(pickle.loads(pickle.dumps(pack)).items())
    assert list(back) == [5, 2, 9, 40]
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
