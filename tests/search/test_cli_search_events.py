"""`marsad search` with --event, --min-killed and --sort killed, end to end in a subprocess over
the corpus index: the same JSON as the engine, and one-line errors (exit 2) for bad values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def marsad(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=120)


def test_event_filters_and_killed_sort_from_the_shell(corpus_home, engine):
    done = marsad("search", "", "--index", str(corpus_home), "--event", "explosions_remote_violence",
                  "--event", "armed_clash", "--min-killed", "1", "--sort", "killed", "--per-page", "50", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    expected = engine.search({"event": ["explosions_remote_violence", "armed_clash"], "min_killed": 1,
                              "sort": "killed", "per_page": 50})
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in expected["hits"]] and data["total"] > 0
    assert data["query"]["event"] == ["explosions_remote_violence", "armed_clash"]
    assert [h["killed"] for h in data["hits"]] == sorted((h["killed"] for h in data["hits"]), reverse=True)
    text = marsad("search", "", "--index", str(corpus_home), "--event", "air_drone_strike", "--sort", "killed")
    assert text.returncode == 0 and "events: " in text.stdout and "air_drone_strike" in text.stdout


@pytest.mark.parametrize("args, field", [
    (("--event", "airstrike"), "event"), (("--min-killed", "-4"), "min_killed"), (("--sort", "deadliest"), "sort"),
])
def test_bad_event_options_are_one_line_errors(corpus_home, args, field):
    done = marsad("search", "", "--index", str(corpus_home), *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert field.replace("_", "-") in lines[0] or field in lines[0]
