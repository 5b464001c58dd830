"""Validation and quarantine: each kind of bad record and bad file is listed with its file,
line or array position, field and reason, and everything good is indexed and searchable."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from indexer.build import build_index
from indexer.quarantine import read_quarantine
from indexer.readers import Origin, Problem, RawRecord
from indexer.validation import MAX_CONTENT, MAX_TITLE, Article, derive_id, parse_published, validate_record

from .conftest import code_word, make_article, marsad, search_ids, write_jsonl


def check(data: Any) -> Article | Problem:
    return validate_record(RawRecord(data, Origin("in.jsonl", line=7)))


# dates ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2015-07-21", "2015-07-21T10:00:00Z", "2015-07-21 23:30:00+03:00", "2015-07-21T23:30:00-05:00",
    "2015-07-21 10:22:33",  # SaudiNewsNet's date_extracted
    "21/07/2015", "21.07.2015", "2015/7/21", "Tue, 21 Jul 2015 10:00:00 +0300", "٢٠١٥-٠٧-٢١",
])
def test_dates_in_the_formats_seen_in_the_wild(text: str) -> None:
    assert parse_published(text) == dt.date(2015, 7, 21)


@pytest.mark.parametrize("value, reason", [
    ("yesterday", "unrecognized date"), ("2015-13-01", "not a calendar date"),
    ("2015-02-30", "not a calendar date"), ("1800-01-01", "out of range"), (20150721, "wrong type"),
    (True, "wrong type"), ("", "empty date"),
])
def test_bad_dates_say_why(value: Any, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        parse_published(value)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["{y:04d}-{m:02d}-{d:02d}", "{y:04d}-{m}-{d}T08:15:00+02:00", "{d:02d}/{m:02d}/{y:04d}",
                        "{y:04d}/{m}/{d}", "{y:04d}-{m:02d}-{d:02d} 23:59:59"]))
def test_any_day_round_trips_through_each_format(day: dt.date, pattern: str) -> None:
    assert parse_published(pattern.format(y=day.year, m=day.month, d=day.day)) == day


# records -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, field, reason", [
    ({"title": "عنوان بلا نص"}, "content", "required"),
    ({"content": "   \n "}, "content", "must not be empty"),
    ({"content": None}, "content", "required"),
    ({"content": "x" * (MAX_CONTENT + 1)}, "content", "longer than 1,000,000"),
    ({"content": "نص", "title": "ع" * (MAX_TITLE + 1)}, "title", "longer than 1,000"),
    ({"content": "نص", "url": "not a url"}, "url", "not a valid http(s) URL"),
    ({"content": "نص", "url": "javascript:alert(1)"}, "url", "not a valid http(s) URL"),
    ({"content": "نص", "published": "أمس"}, "published", "unrecognized date"),
    ({"content": 42}, "content", "wrong type: expected text, got a number"),
    ({"content": "نص", "title": ["a", "b"]}, "title", "got a list"),
    ({"content": "نص", "source": {"name": "x"}}, "source", "got an object"),
    ({"content": "نص", "published": 2015}, "published", "wrong type"),
    ({"content": "نص", "id": "a/b"}, "id", "must not contain"),
    (["not", "an", "object"], None, "an article must be a JSON object"),
    ("a string", None, "an article must be a JSON object"),
])
def test_each_kind_of_bad_record(data: Any, field: str | None, reason: str) -> None:
    problem = check(data)
    assert isinstance(problem, Problem)
    assert problem.field == field and reason in problem.reason
    assert problem.origin == Origin("in.jsonl", line=7)
    entry = problem.as_json()
    assert entry["file"] == "in.jsonl" and entry["line"] == 7 and entry["field"] == field
    assert len(entry["record_excerpt"]) <= 240


def test_a_good_record_is_cleaned_and_gets_a_stable_id() -> None:
    article = check({"url": "https://example.org/a", "title": "عنوان\n\tطويل ", "content": "نص\x00 المقال\r\n",
                     "date_extracted": "2015-08-01 12:00:00", "unknown": [1, 2]})
    assert isinstance(article, Article)
    assert article.title == "عنوان طويل" and article.content == "نص المقال"
    assert article.published == "2015-08-01"  # SaudiNewsNet's field
    assert article.id == derive_id("https://example.org/a", "", "") == check(
        {"url": "https://example.org/a", "content": "نص آخر"}).id  # the same URL is the same article
    assert check({"content": "نص فقط"}).id == check({"content": "نص فقط"}).id != check({"content": "نص ثان"}).id
    assert check({"content": "نص", "id": 12}).id == "12"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, st.dictionaries(
    st.sampled_from(["id", "url", "title", "content", "source", "author", "published", "date_extracted"]),
    json_values, max_size=8)))
def test_any_json_value_validates_or_is_quarantined(data: Any) -> None:
    result = check(data)
    if isinstance(result, Problem):
        assert result.reason and (result.field is None or isinstance(result.field, str))
        json.dumps(result.as_json())
    else:
        assert result.content and isinstance(result.id, str) and result.id


# end to end: a build with every kind of bad input ---------------------------------------------------

def bad_inputs(folder: Path) -> dict[str, Any]:
    """Good articles 0-9 spread among bad records and bad files; returns what to expect."""
    good = [make_article(i) for i in range(10)]
    write_jsonl(folder / "wire.jsonl", [
        good[0],
        {"title": "بلا نص", "url": "https://example.org/x1"},          # line 2: missing content
        dict(good[1]),
        dict(make_article(50), url="htp//broken"),                     # line 4: bad URL
        dict(make_article(51), published="32/13/2015"),                # line 5: bad date
        dict(make_article(52), content="ن" * (MAX_CONTENT + 1)),       # line 6: too long
        dict(make_article(53), title=12345),                           # line 7: wrong type
        "{\"content\": \"truncated",                                   # line 8: broken JSON line
        good[2],
    ])
    batch = json.dumps([good[3], dict(make_article(54), content=""), good[4]], ensure_ascii=False, indent=1)
    (folder / "batch.json").write_text(batch, "utf-8")
    assert batch.split("\n")[10] == " {"  # the bad element opens on line 11
    (folder / "cut.json").write_text(json.dumps([good[5], make_article(55)], ensure_ascii=False)[:-40], "utf-8")
    (folder / "latin.json").write_bytes(b'[{"content": "caf\xe9"}]')
    (folder / "fake.zip").write_bytes(b"PK\x03\x04 not really")
    with zipfile.ZipFile(folder / "real.zip", "w") as archive:
        archive.writestr("day.json", json.dumps([good[6], {"content": []}, good[7]], ensure_ascii=False))
    (folder / "features").mkdir()
    (folder / "features" / "a.md").write_text(
        f"---\ntitle: {good[8]['title']}\nurl: {good[8]['url']}\n---\n\n{good[8]['content']}\n", "utf-8")
    (folder / "features" / "b.md").write_text("---\ntitle: مقال بتاريخ خاطئ\npublished: غدا\n---\nنص.\n", "utf-8")
    (folder / "features" / "c.txt").write_text(
        f"---\ntitle: {good[9]['title']}\nsource: {good[9]['source']}\n---\n{good[9]['content']}\n", "utf-8")
    return {"good": good}


EXPECTED_PROBLEMS = {
    # (file, member, line, position, field): words of the reason
    ("wire.jsonl", None, 2, None, "content"): "required",
    ("wire.jsonl", None, 4, None, "url"): "URL",
    ("wire.jsonl", None, 5, None, "published"): "date",
    ("wire.jsonl", None, 6, None, "content"): "longer than",
    ("wire.jsonl", None, 7, None, "title"): "wrong type",
    ("wire.jsonl", None, 8, None, None): "invalid JSON",
    ("batch.json", None, 11, 1, "content"): "must not be empty",
    ("cut.json", None, 1, 1, None): "truncated JSON",
    ("latin.json", None, 1, None, None): "not UTF-8",
    ("fake.zip", None, None, None, None): "not a readable ZIP",
    ("real.zip", "day.json", 1, 1, "content"): "wrong type",
    ("b.md", None, 3, None, "published"): "unrecognized date",
}


def test_bad_records_and_files_are_quarantined_and_the_rest_is_searchable(tmp_path: Path) -> None:
    expected = bad_inputs(tmp_path / "in")
    quarantine = tmp_path / "reports" / "q.jsonl"
    result = marsad("index", "build", str(tmp_path / "in"), "--index", str(tmp_path / "home"), "--workers", "2",
                    "--quarantine", str(quarantine), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["documents"] == 10
    assert summary["quarantined"] == len(EXPECTED_PROBLEMS)
    found = {}
    for entry in read_quarantine(quarantine):
        key = (Path(entry["file"]).name, entry["member"], entry.get("line"), entry.get("position"), entry["field"])
        found[key] = entry["reason"]
        assert "record_excerpt" in entry
    assert found.keys() == EXPECTED_PROBLEMS.keys()
    for key, words in EXPECTED_PROBLEMS.items():
        assert words in found[key], (key, found[key])
    for article in expected["good"]:
        assert len(search_ids(tmp_path / "home", "body_exact", code_word(int(article["id"][4:])))) == 1
    assert search_ids(tmp_path / "home", "url", "https://example.org/news/50") == []


def test_default_quarantine_lives_beside_the_index_and_describes_the_last_run(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [make_article(1), {"title": "بلا نص"}])
    home = tmp_path / "home"
    first = build_index([tmp_path / "a.jsonl"], home, workers=1)
    assert first["quarantined"] == 1 and len(read_quarantine(home / "quarantine.jsonl")) == 1
    write_jsonl(tmp_path / "b.jsonl", [make_article(1)])
    build_index([tmp_path / "b.jsonl"], home, workers=1)
    assert read_quarantine(home / "quarantine.jsonl") == []
    assert not list(home.glob(".*.part"))
