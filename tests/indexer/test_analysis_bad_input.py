"""Bad input to the analyzer and to `marsad analyze`: a clear result or a clear error, never a
traceback, and never a hang (a megabyte of hostile text stays linear)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.analysis import analyze, analyzed_terms

REPO = Path(__file__).resolve().parents[2]
MEGABYTE = 1_000_000


def marsad(*args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    argv = [sys.executable.encode(), b"-m", b"marsad.cli"]
    argv += [a if isinstance(a, bytes) else a.encode() for a in args]
    return subprocess.run(argv, input=stdin, capture_output=True, cwd=REPO, timeout=120)


@pytest.mark.parametrize("text", ["", " ", "\n\t", "...!؟،؛«»“”\"'-–—()[]{}", "ـــ", "\u064e\u064f\u0651", "لـ و بـ"])
def test_empty_punctuation_or_mark_only_text_gives_no_tokens(text: str) -> None:
    assert analyze(text) == []


def test_lone_surrogates_are_skipped_and_the_rest_is_analyzed() -> None:
    text = "\ud800الحرس\udfff الثوري \udc80abc"
    tokens = analyze(text)
    assert [t.norm for t in tokens] == ["الحرس", "الثوري", "abc"]
    for tok in tokens:
        assert text[tok.start:tok.end] == tok.text
        tok.text.encode("utf-8")  # no surrogate inside any token


@pytest.mark.parametrize(
    "hostile",
    [
        "a." * (MEGABYTE // 2),
        "1-" * (MEGABYTE // 2),
        "http://" + "." * MEGABYTE,
        "x@" * (MEGABYTE // 2),
        "ب" * MEGABYTE,
        "ـ" * MEGABYTE,
        "\u064e" * MEGABYTE,
        "ﻻ" * (MEGABYTE // 10),
    ],
    ids=["a-dot", "digit-dash", "url-dots", "at-signs", "one-long-word", "tatweel", "fatha", "lam-alef"],
)
def test_a_megabyte_of_hostile_text_is_analyzed_in_linear_time(hostile: str) -> None:
    started = time.perf_counter()
    terms = analyzed_terms(hostile)
    assert time.perf_counter() - started < 20  # quadratic tokenizing took hours on these
    assert all(hostile[s:e] for _, _, s, e in terms)


def test_a_megabyte_of_news_text_is_analyzed() -> None:
    sentence = "قالت مصادر محلية إن طائرة مسيرة تتبع لـ”الحرس الثوري” قصفت قاعدة قرب دير الزور. "
    text = sentence * (MEGABYTE // len(sentence) + 1)
    assert len(analyzed_terms(sentence)) == 14
    assert len(analyzed_terms(text)) == 14 * (MEGABYTE // len(sentence) + 1)


def test_cli_empty_and_punctuation_give_an_empty_list() -> None:
    for text in ("", "؟!..."):
        done = marsad("analyze", "--json", text)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {"tokens": []}


def test_cli_invalid_utf8_in_the_argument_is_skipped_not_a_traceback() -> None:
    done = marsad("analyze", "--json", b"\xff\xfe\xd8\xa7\xd9\x84\xd8\xad\xd8\xb1\xd8\xb3 \xd9")
    assert done.returncode == 0, done.stderr
    tokens = json.loads(done.stdout)["tokens"]
    assert [t["norm"] for t in tokens] == ["الحرس"]
    assert b"Traceback" not in done.stderr


def test_cli_reads_a_megabyte_from_stdin() -> None:
    sentence = "وصلت قافلة مساعدات إلى حلب بعد تأخير دام أسبوعا. "
    done = marsad("analyze", "--json", "-", stdin=(sentence * 20_000).encode("utf-8"))
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["tokens"]) == 9 * 20_000


def test_cli_invalid_utf8_on_stdin_is_one_clear_error() -> None:
    done = marsad("analyze", "-", stdin=b"\xd8\xa7\xff\xfe")
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert b"TEXT" in done.stderr and b"not UTF-8" in done.stderr


def test_cli_table_output_reads_well() -> None:
    done = marsad("analyze", 'لـ"الحرس الثوري" بدير الزور')
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines[0].split() == ["text", "norm", "stem", "start", "end"]
    assert lines[3].split() == ["بدير", "دير", "دير", "17", "21"]
