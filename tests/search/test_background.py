"""Tables built in the background after a generation opens: ready when first used, errors
reported to the request that needs them, and a closing generation stops the build first."""

from __future__ import annotations

import threading

import pytest

from search.background import BackgroundMapping


def test_the_table_is_the_one_computed_and_waited_for_on_first_use() -> None:
    release = threading.Event()

    def make(stop: threading.Event) -> dict[str, int]:
        release.wait(5)
        return {"حلب": 12}

    table = BackgroundMapping(make, "test-table")
    assert not table.ready
    threading.Timer(0.05, release.set).start()
    assert table.get("حلب", 0) == 12 and table.get("غائب", 0) == 0  # waits for the thread
    assert table.ready and dict(table) == {"حلب": 12} and len(table) == 1


def test_an_error_reaches_the_request_that_needs_the_table() -> None:
    def make(stop: threading.Event) -> dict[str, int]:
        raise OSError("segment unreadable")

    table = BackgroundMapping(make, "test-broken")
    with pytest.raises(RuntimeError, match="segment unreadable"):
        table.get("حلب")


def test_close_stops_a_build_in_progress_and_waits_for_it() -> None:
    started, finished = threading.Event(), threading.Event()

    def make(stop: threading.Event) -> dict[str, int]:
        started.set()
        while not stop.wait(0.01):
            pass
        finished.set()
        raise InterruptedError("closing")

    table = BackgroundMapping(make, "test-stopped")
    assert started.wait(5)
    table.close()
    assert finished.is_set()


def test_a_generation_builds_the_same_spelling_table_in_the_background(corpus_home) -> None:
    from search.engine import Engine
    from search.spelling import FLOOR

    with Engine(corpus_home) as engine:
        with engine.lease() as gen:
            frequent = gen.frequent
            assert dict(frequent) == gen.postings.frequent_terms("body_exact", FLOOR)
            assert len(frequent) > 100


def test_the_table_is_computed_in_process_when_the_child_fails(corpus_home, monkeypatch) -> None:
    from search import spelling_table
    from search.engine import Engine
    from search.spelling import FLOOR

    def broken(*args, **kwargs):
        raise RuntimeError("spelling table child exited 1")

    monkeypatch.setattr(spelling_table, "frequent_terms", broken)
    with Engine(corpus_home) as engine:
        with engine.lease() as gen:
            assert dict(gen.frequent) == gen.postings.frequent_terms("body_exact", FLOOR)


def test_while_building_the_fallback_answers_instead_of_waiting() -> None:
    release = threading.Event()

    def make(stop: threading.Event) -> dict[str, int]:
        release.wait(10)
        return {"حلب": 12}

    table = BackgroundMapping(make, "test-slow", fallback=lambda key, default: {"حلب": 12}.get(key, default))
    assert table.get("حلب", 0) == 12 and table.get("غائب", 0) == 0 and not table.ready
    release.set()
    assert table.wait() == {"حلب": 12}


def test_the_generations_fallback_gives_the_tables_entries(corpus_home) -> None:
    from search.engine import Engine
    from search.spelling import FLOOR

    with Engine(corpus_home) as engine:
        with engine.lease() as gen:
            table = gen.postings.frequent_terms("body_exact", FLOOR)
            rare = [t for t, n in gen.postings.frequent_terms("body_exact", 1).items() if n < FLOOR][:50]
            for term in list(table)[:200]:
                assert gen._frequent_term(term, 0) == table[term]
            assert rare and all(gen._frequent_term(term, 0) == 0 for term in rare)
