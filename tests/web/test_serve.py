"""`marsad serve` as a newsroom runs it: a real gunicorn server on 127.0.0.1, an offline rebuild
swapped in while it serves, hostile requests, a clean stop on SIGTERM, and a broken index home."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.indexer.conftest import make_article, write_jsonl

from .browser import free_port, running_server

pytestmark = pytest.mark.slow


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> dict:
    status, _, body = get(url)
    assert status == 200, (url, status, body[:300])
    return json.loads(body)


def marsad(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True, text=True,
                          timeout=300, check=check)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index home with one generation of 12 articles, served and rebuilt by the tests here."""
    folder = tmp_path_factory.mktemp("serve")
    write_jsonl(folder / "first" / "a.jsonl", [make_article(i) for i in range(12)])
    marsad("index", "build", str(folder / "first"), "--index", str(folder / "home"), "--workers", "1")
    return folder / "home"


def test_a_rebuild_is_served_without_restart(home: Path, tmp_path: Path) -> None:
    with running_server(home) as base:
        before = get_json(f"{base}/healthz")
        assert before["status"] == "ok" and before["documents"] == 12
        fresh = [make_article(i, title=f"نشرة التحديث الليلي رقم {i}") for i in range(12, 30)]
        write_jsonl(tmp_path / "second" / "b.jsonl", fresh)
        marsad("index", "build", str(tmp_path / "second"), "--index", str(home), "--workers", "1")
        search = f"{base}/api/search?q=" + urllib.parse.quote("التحديث الليلي")
        deadline = time.monotonic() + 10
        while True:  # every worker process swaps by itself: wait until a run of answers agrees
            answers = [(get_json(f"{base}/healthz"), get_json(search)["total"]) for _ in range(6)]
            if all(h["generation"] != before["generation"] and total == 18 for h, total in answers):
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        now = answers[-1][0]
        assert now["generation"] > before["generation"], "the new generation was not picked up in 10 s"
        assert now["documents"] == 18
        assert [total for _, total in answers] == [18] * 6, "some worker still served the old generation"
        assert get_json(f"{base}/api/stats")["generation"] == now["generation"]


def test_every_idle_worker_answers_its_very_next_request_from_a_rebuild(home: Path, tmp_path: Path) -> None:
    with running_server(home, workers=2) as base:
        write_jsonl(tmp_path / "third" / "c.jsonl", [make_article(i, title=f"نشرة الفجر {i}") for i in range(40, 47)])
        marsad("index", "build", str(tmp_path / "third"), "--index", str(home), "--workers", "1")
        published = json.loads(marsad("index", "stats", "--index", str(home), "--json").stdout)["generation"]
        time.sleep(1.5)  # idle: no request reaches either worker, only their watchers see CURRENT change
        first_answer: dict[int, dict] = {}
        for _ in range(200):
            answer = get_json(f"{base}/healthz")
            first_answer.setdefault(answer["worker"], answer)
            if len(first_answer) == 2:
                break
        assert len(first_answer) == 2, "the requests never reached both workers"
        for worker, answer in first_answer.items():
            assert (answer["generation"], answer["documents"]) == (published, 7), worker


def test_security_headers_and_no_debug(home: Path) -> None:
    with running_server(home) as base:
        status, headers, body = get(f"{base}/search?q=" + urllib.parse.quote("حلب"))
        assert status == 200
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert "Werkzeug" not in headers.get("Server", "")
        status, _, body = get(f"{base}/articles/..%2f..%2fetc%2fpasswd")
        assert status == 404 and b"root:" not in body
        status, _, body = get(f"{base}/api/search?q=" + urllib.parse.quote("ب" * 5000))
        assert status in (400, 414) and b"Traceback" not in body


def test_sigterm_stops_cleanly_and_logs_requests(home: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "serve", "--index", str(home), "--port", str(port), "--threads", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/healthz")
                break
            except (OSError, AssertionError):
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        get_json(f"{base}/api/search?q=" + urllib.parse.quote("بيروت"))
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "GET /api/search?q=" in output and " 200 " in output
    assert "Traceback" not in output


def test_a_broken_home_is_a_clear_error(tmp_path: Path, home: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("gen-000042\n")
    result = marsad("serve", "--index", str(broken), "--port", str(free_port()), check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "gen-000042" in result.stderr or "index" in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) <= 3


HOSTILE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ['"><img src=x onerror=alert(1)>', "<script>alert(1)</script>", "((((", '"', "-", "OR", "أو", "*", "\x00",
     "../../etc/passwd", "%00", "title:", "place:", "99999999999999999999", "-1", "2015-02-30", "١٢٣", "5_0",
     "1e3", "event", "killed", "battles", "air_drone_strike"])
PARAMS = st.sampled_from(["q", "place", "actor", "source", "from", "to", "sort", "page", "per_page", "date_field",
                          "entities", "prefix", "kind", "limit", "event", "min_killed", "chart", "zzz"])
PATHS = st.sampled_from(["/", "/search", "/api/search", "/api/search.csv", "/feed.atom", "/api/suggest",
                         "/api/stats", "/healthz", "/api/events.csv", "/api/events.geojson"])


@pytest.fixture(scope="module")
def live(home: Path):
    with running_server(home) as base:
        yield base


@given(path=PATHS, pairs=st.lists(st.tuples(PARAMS, HOSTILE), max_size=4))
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
def test_hostile_parameters_never_break_the_server(live: str, path: str, pairs: list[tuple[str, str]]) -> None:
    status, headers, body = get(f"{live}{path}?{urllib.parse.urlencode(pairs)}")
    assert status < 500, (path, pairs, body[:300])
    text = body.decode("utf-8", errors="replace")
    assert "Traceback" not in text
    if not headers.get("Content-Type", "").startswith("text/html"):
        return
    for _, value in pairs:
        if "<" in value and len(value) > 3:
            assert value not in text, f"{value!r} echoed unescaped by {path}"


@given(segment=HOSTILE)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_hostile_article_paths_are_404_not_500(live: str, segment: str) -> None:
    for prefix in ("/articles/", "/api/articles/"):
        status, _, body = get(live + prefix + urllib.parse.quote(segment or "x", safe=""))
        assert status in (404, 400, 308, 200), (prefix, segment, status)
        assert b"Traceback" not in body
