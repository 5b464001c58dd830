"""The whole path a user takes: `marsad fetch` follows two outlets' feeds over real HTTP on
127.0.0.1, `marsad index update DIR` indexes what came in, and `marsad search` finds the reports
(a windows-1256 page served without any charset among them) but not the sites' boilerplate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import news_sites
from tests.support.outlet_server import outlets, publish

from .conftest import make_article, marsad, write_jsonl

COMMENT = news_sites.COMMENTS[0][1]  # a reader's comment under every templated article


def search(home: Path, query: str) -> dict:
    result = marsad("search", query, "--index", str(home), "--per-page", "50", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def phrase_from(article: dict) -> str:
    """Six words from the middle of the second paragraph, quoted: only that article has them."""
    words = news_sites.paragraphs(article)[1].split()
    return '"' + " ".join(words[2:8]) + '"'


@pytest.mark.slow
def test_fetch_then_index_update_then_search_finds_the_reports(tmp_path: Path) -> None:
    home = tmp_path / "index"
    write_jsonl(tmp_path / "seed" / "one.jsonl", [make_article(0)])
    assert marsad("index", "build", str(tmp_path / "seed"), "--index", str(home), "--workers", "1").returncode == 0
    articles = news_sites.corpus_articles()
    with outlets(2) as (wadi, nabd):
        no_charset = publish(wadi, articles[10:14], "wadi")  # windows-1256, no charset anywhere
        assert news_sites.TEMPLATES["wadi"].content_type == "text/html"
        utf8 = publish(nabd, articles[20:24], "nabd", feed_path="/atom.xml", atom=True)
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"# two outlets\n{wadi.url('/feed.xml')}\n{nabd.url('/atom.xml')}\n", "utf-8")
        fetched = marsad("fetch", str(feeds), "--into", str(tmp_path / "web"), "--delay", "0", "--json")
        assert fetched.returncode == 0, fetched.stderr
        assert json.loads(fetched.stdout)["pages_fetched"] == 8
        updated = marsad("index", "update", str(tmp_path / "web"), "--index", str(home), "--json")
        assert updated.returncode == 0, updated.stderr
        assert json.loads(updated.stdout)["documents"] == 9

        for article in no_charset + utf8:
            hits = search(home, phrase_from(article))["hits"]
            assert [(h["url"], h["title"]) for h in hits] == [(article["url"], article["title"])]
        assert search(home, f'"{COMMENT}"')["total"] == 0

        again = marsad("fetch", str(feeds), "--into", str(tmp_path / "web"), "--delay", "0", "--json")
        summary = json.loads(again.stdout)
        assert summary["feeds_not_modified"] == 2 and summary["pages_fetched"] == 0
    unchanged = marsad("index", "update", str(tmp_path / "web"), "--index", str(home), "--json")
    assert json.loads(unchanged.stdout)["documents"] == 9
