"""A worker that fails on anything but a full disk says what failed (the file), so a build that
dies mid-way can be diagnosed (a vanished build folder was reported as a bare errno before)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from indexer.generations import INDEX_NAME
from indexer.readers import Origin, RawRecord
from indexer.schema import build_schema
from indexer.validation import validate_record
from indexer.workers import BATCH, IndexingPool, WorkerFailed


def article(n: int):
    record = {"id": f"w{n}", "url": f"https://example.org/w{n}", "title": "اشتباكات في تعز",
              "published": "2015-08-02", "source": "example",
              "content": f"اندلعت اشتباكات عنيفة بين القوات والمسلحين في مدينة تعز صباح اليوم {n}."}
    return validate_record(RawRecord(record, Origin("in.jsonl", line=n)))


def test_a_vanished_build_folder_is_reported_with_its_path(tmp_path: Path) -> None:
    folder = tmp_path / "build"
    folder.mkdir()
    FileStorage(str(folder)).create_index(build_schema(), indexname=INDEX_NAME)
    with pytest.raises(WorkerFailed) as failure:
        with IndexingPool(folder, 1, []) as pool:
            for n in range(BATCH):  # a whole batch: the worker opens the index and indexes it
                pool.add(n, article(n))
            time.sleep(3)
            shutil.rmtree(folder)
            pool.finish()
    assert "FileNotFoundError" in str(failure.value) and str(folder) in str(failure.value)
