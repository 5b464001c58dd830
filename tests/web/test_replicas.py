"""The README's replica recipe, with real servers: a rebuild is published to two index homes,
each served by its own `marsad serve`, while a client alternates between them. Every answer
comes whole from one generation, nothing fails, and both servers end on the new generation."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

from indexer.build import build_index
from tests.indexer.conftest import make_article, marsad, write_jsonl

from .browser import running_server

OLD, NEW = 20, 30


def fetch(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, json.loads(response.read())


def observe(base: str) -> int:
    """The total of an empty search, after checking that the answer is whole: every listed hit
    and every facet count come from the same generation as the total."""
    status, result = fetch(f"{base}/api/search?q=&per_page=100&sort=oldest")
    assert status == 200
    total = result["total"]
    assert sorted(hit["id"] for hit in result["hits"]) == [f"art-{i:05d}" for i in range(total)]
    assert sum(row["count"] for row in result["facets"]["source"]) == total
    return total


def test_a_rebuild_published_to_two_replicas_serves_one_consistent_generation(tmp_path: Path) -> None:
    staging, home_a, home_b = tmp_path / "staging", tmp_path / "a", tmp_path / "b"
    build_index([write_jsonl(tmp_path / "old.jsonl", [make_article(i) for i in range(OLD)])], staging, workers=1)
    first = marsad("index", "publish", "--index", str(staging), "--to", str(home_a), "--to", str(home_b), "--json")
    assert first.returncode == 0, first.stderr
    assert [r["generation"] for r in json.loads(first.stdout)] == [1, 1]

    seen: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    stop = threading.Event()
    with running_server(home_a) as server_a, running_server(home_b) as server_b:
        servers = [server_a, server_b]
        seen = {s: [] for s in servers}

        def client() -> None:
            n = 0
            while not stop.is_set():
                base = servers[n % 2]
                n += 1
                try:
                    seen[base].append(observe(base))
                except BaseException as error:  # noqa: BLE001 - reported by the test thread
                    errors.append(error)
                    return

        thread = threading.Thread(target=client)
        thread.start()
        try:
            time.sleep(1.0)
            build_index([write_jsonl(tmp_path / "new.jsonl", [make_article(i) for i in range(NEW)])],
                        staging, workers=1)
            second = marsad("index", "publish", "--index", str(staging), "--to", str(home_a), "--to", str(home_b))
            assert second.returncode == 0, second.stderr

            def settled(base: str) -> bool:
                return len(seen[base]) >= 20 and all(total == NEW for total in seen[base][-20:])

            deadline = time.monotonic() + 90
            while not all(settled(s) for s in servers) and time.monotonic() < deadline and not errors:
                time.sleep(0.2)
            settled_at = {s: len(seen[s]) for s in servers}
            time.sleep(1.0)
            health = {s: fetch(f"{s}/healthz")[1]["generation"] for s in servers}
        finally:
            stop.set()
            thread.join(timeout=60)

    assert not errors, errors
    for base in servers:
        answers = seen[base]
        assert set(answers) == {OLD, NEW} and answers[-1] == NEW, base
        assert all(total == NEW for total in answers[settled_at[base] - 20:]), "a server went back to the old generation"
        assert health[base] == 2
    for home in (home_a, home_b):
        assert (home / "CURRENT").read_text().strip() == "gen-000002"
        assert sorted(p.name for p in home.iterdir() if p.name.startswith("gen-")) == ["gen-000001", "gen-000002"]


def test_publishing_twice_is_harmless_and_a_conflicting_generation_is_refused(tmp_path: Path) -> None:
    staging, replica, other = tmp_path / "staging", tmp_path / "replica", tmp_path / "other"
    build_index([write_jsonl(tmp_path / "a.jsonl", [make_article(i) for i in range(5)])], staging, workers=1)
    for _ in range(2):
        done = marsad("index", "publish", "--index", str(staging), "--to", str(replica), "--json")
        assert done.returncode == 0, done.stderr
    assert (replica / "CURRENT").read_text().strip() == "gen-000001"
    build_index([write_jsonl(tmp_path / "b.jsonl", [make_article(i) for i in range(7)])], other, workers=1)
    clash = marsad("index", "publish", "--index", str(other), "--to", str(replica))
    assert clash.returncode == 2 and "different gen-000001" in clash.stderr and "Traceback" not in clash.stderr
    assert json.loads((replica / "gen-000001" / "marsad.json").read_text())["documents"] == 5
