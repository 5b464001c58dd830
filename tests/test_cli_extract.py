"""`marsad extract` end to end: a file, stdin, --json, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTICLE = {
    "title": "غارات قرب دير الزور",
    "content": "قالت مصادر محلية إن طائرات قصفت أمس مواقع في ريف دير الزور الشرقي، "
               "بعد هجوم ليلة الجمعة-السبت على قاعدة حقل العمر.",
    "published": "2023-03-25T08:00:00",
    "source": "test",
}


def marsad(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def check_article_result(data: dict) -> None:
    assert set(data) == {"places", "actors", "dates", "events", "killed", "injured"}
    strikes = [e for e in data["events"] if e["subtype"] == "air_drone_strike"]
    assert strikes and all(e["type"] == "explosions_remote_violence" for e in strikes)
    assert any("sy-deir-ez-zor" in e["places"] and e["date"] == "2023-03-24" for e in strikes)
    places = {p["id"]: p for p in data["places"]}
    assert "sy-deir-ez-zor" in places and "sy-al-omar-field" in places
    assert places["sy-deir-ez-zor"]["mentions"] == ["دير الزور"]
    assert "sy" in places["sy-al-omar-field"]["parents"]
    assert {"2023-03-24", "2023-03-25"} <= {d["date"] for d in data["dates"]}
    assert {"date": "2023-03-24", "text": "أمس", "kind": "relative"} in data["dates"]


def test_extract_a_json_article_file(tmp_path):
    path = tmp_path / "article.json"
    path.write_text(json.dumps(ARTICLE, ensure_ascii=False), "utf-8")
    done = marsad("extract", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    check_article_result(json.loads(done.stdout))


def test_extract_plain_text_from_stdin_with_published():
    text = ARTICLE["title"] + "\n" + ARTICLE["content"]
    done = marsad("extract", "-", "--published", "2023-03-25", "--json", stdin=text)
    assert done.returncode == 0, done.stderr
    check_article_result(json.loads(done.stdout))


def test_published_option_overrides_the_article_date():
    done = marsad("extract", "-", "--published", "2023-03-28", "--json",
                  stdin=json.dumps(ARTICLE, ensure_ascii=False))
    assert {"date": "2023-03-27", "text": "أمس", "kind": "relative"} in json.loads(done.stdout)["dates"]


def test_without_json_flag_the_output_is_still_json():
    done = marsad("extract", "-", stdin=json.dumps(ARTICLE, ensure_ascii=False))
    assert done.returncode == 0
    assert json.loads(done.stdout)["places"]


def test_seed_article_from_a_file(shared_dir):
    done = marsad("extract", str(shared_dir / "seeds" / "000_fec114cf983dc749.txt"), "--published",
                  "2023-03-25", "--json")
    data = json.loads(done.stdout)
    assert {"sy", "sy-deir-ez-zor"} <= {p["id"] for p in data["places"]}
    assert {"us-dod", "irgc"} <= {a["id"] for a in data["actors"]}


@pytest.mark.parametrize("stdin, args, field", [
    ('{"title": "x", "content": ', [], "JSON"),
    ('{"title": "x"}', [], "content"),
    ('{"content": "   "}', [], "content"),
    ('["a", "b"]', [], "object"),
    ('{"content": "نص", "published": "أمس"}', [], "published"),
    ("نص عادي", ["--published", "2023-02-30"], "--published"),
    ("", [], "content"),
])
def test_bad_input_is_one_line_on_stderr_and_a_non_zero_exit(stdin, args, field):
    done = marsad("extract", "-", *args, "--json", stdin=stdin)
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert field in lines[0]


def test_a_missing_file_is_a_user_error(tmp_path):
    done = marsad("extract", str(tmp_path / "nope.json"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "nope.json" in done.stderr.strip().splitlines()[-1]


def test_a_file_that_is_not_utf8_is_a_one_line_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("دير الزور".encode("utf-8") + b"\xff\xfe")
    done = marsad("extract", str(path))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
