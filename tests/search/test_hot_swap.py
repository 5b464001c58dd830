"""Hot swap: a generation published while an Engine is open is served to new searches, searches
in flight finish on the old one, and the old one is closed when the last of them is done."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from search.engine import Engine
from tests.indexer.conftest import make_article, write_jsonl

from .conftest import build

pytestmark = pytest.mark.slow


def corpus(folder: Path, start: int, count: int, title: str | None = None) -> Path:
    articles = [make_article(i, **({"title": f"{title} {i}"} if title else {})) for i in range(start, start + count)]
    write_jsonl(folder / "a.jsonl", articles)
    return folder


def wait_for_generation(engine: Engine, number: int, limit: float = 10.0) -> float:
    """Seconds until new searches get generation NUMBER (fails after LIMIT)."""
    started = time.monotonic()
    while engine.generation != number:
        assert time.monotonic() - started < limit, f"generation {number} not served after {limit} s"
        time.sleep(0.01)
    return time.monotonic() - started


def test_a_new_generation_is_served_without_restart(tmp_path: Path):
    home = build(corpus(tmp_path / "one", 0, 10), tmp_path / "home")
    with Engine(home, check_interval=0.05) as engine:
        first = engine.search({"q": ""})
        assert first["total"] == 10 and engine.generation == 1
        assert engine.search({"q": "النشرة المسائية"})["total"] == 0
        with engine.lease() as old:
            build(corpus(tmp_path / "two", 100, 14, title="النشرة المسائية"), home)
            assert wait_for_generation(engine, 2) < 2.0, "served within two seconds"
            fresh = engine.search({"q": "النشرة المسائية"})
            assert fresh["total"] == 14 and engine.stats()["documents"] == 14
            assert not old.closed, "a generation in use stays open"
            assert old.stored(0)["id"].startswith("art-")
        assert old.closed, "the old generation is closed once its last request is done"


def test_searches_during_swaps_never_fail(tmp_path: Path):
    home = build(corpus(tmp_path / "c0", 0, 8), tmp_path / "home")
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()
    with Engine(home, check_interval=0.01) as engine:
        def client() -> None:
            while not stop.is_set():
                try:
                    result = engine.search({"q": "تقرير", "per_page": 5})
                    assert result["total"] in (8, 12, 16)
                    seen.add(engine.generation)
                except BaseException as error:  # noqa: BLE001 - collected and asserted below
                    errors.append(error)
                    return

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        for n, count in ((1, 12), (2, 16)):
            build(corpus(tmp_path / f"c{n}", 0, count), home)
            wait_for_generation(engine, n + 1)
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not errors, errors[:3]
    assert 3 in seen


def test_a_broken_new_generation_keeps_the_old_one(tmp_path: Path):
    home = build(corpus(tmp_path / "one", 0, 5), tmp_path / "home")
    with Engine(home, check_interval=0.01) as engine:
        assert engine.search({"q": ""})["total"] == 5
        (home / "CURRENT").write_text("gen-000099\n")
        time.sleep(0.05)
        assert engine.search({"q": ""})["total"] == 5
        assert engine.generation == 1


def test_a_watching_engine_swaps_while_no_search_comes_and_stops_watching_when_closed(tmp_path: Path):
    home = build(corpus(tmp_path / "one", 0, 10), tmp_path / "home")
    engine = Engine(home, check_interval=0.05)
    others = set(threading.enumerate())
    engine.watch()
    watchers = [t for t in threading.enumerate() if t not in others]
    with engine.lease() as first:
        assert first.number == 1
    build(corpus(tmp_path / "two", 100, 6), home)
    deadline = time.monotonic() + 5
    while not first.closed:  # nothing asks the engine: only its watcher can have swapped
        assert time.monotonic() < deadline, "the watcher did not swap in 5 s"
        time.sleep(0.02)
    with engine.lease() as served:
        assert served.number == 2 and served.size == 6
    engine.close()
    assert watchers and not any(t.is_alive() for t in watchers)
