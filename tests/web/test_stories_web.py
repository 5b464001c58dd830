"""Stories through the API and the pages, over a real index of corpus/ with a hand-written
stories.tsv: hits and articles carry their story (as documented in the OpenAPI document),
collapse and the story filter, their 400s, the page's "also carried by" line and its link to the
story, and the article page's comparison with the story's earliest report."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from web.app import create_app

from ..story_homes import FUNERAL, PRISON, hand_written_home
from .test_api import documented


@pytest.fixture(scope="module")
def story_app(tmp_path_factory: pytest.TempPathFactory, corpus_home: Path) -> Flask:
    application = create_app(hand_written_home(corpus_home, tmp_path_factory.mktemp("web-stories") / "home"))
    application.config.update(TESTING=True)
    return application


@pytest.fixture()
def web(story_app: Flask) -> FlaskClient:
    return story_app.test_client()


@pytest.fixture(scope="module")
def spec(story_app: Flask) -> dict[str, Any]:
    return story_app.test_client().get("/api/openapi.json").get_json()


def get_json(web: FlaskClient, spec: dict[str, Any], url: str, status: int = 200) -> dict[str, Any]:
    response = web.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    documented(spec, url, response)
    return response.get_json()


def test_api_collapse_and_totals(web: FlaskClient, spec: dict[str, Any]) -> None:
    plain = get_json(web, spec, "/api/search?q=صنعاء&per_page=100")
    collapsed = get_json(web, spec, "/api/search?q=صنعاء&per_page=100&collapse=story")
    assert plain["query"]["collapse"] == "none" and "total_stories" not in plain
    assert collapsed["total"] == plain["total"]
    assert collapsed["total_stories"] == len(collapsed["hits"]) == plain["total"] - 2
    assert collapsed["facets"] == plain["facets"]
    funeral = [h for h in collapsed["hits"] if h["story"]["id"] == "story-funeral"]
    assert len(funeral) == 1 and funeral[0]["story"]["size"] == 3


def test_api_collapsed_pages_partition_the_stories(web: FlaskClient, spec: dict[str, Any]) -> None:
    whole = [h["id"] for page in (1, 2)
             for h in get_json(web, spec, f"/api/search?q=&collapse=story&per_page=100&page={page}&sort=oldest")["hits"]]
    paged: list[str] = []
    for page in range(1, 40):
        result = get_json(web, spec, f"/api/search?q=&collapse=story&per_page=3&page={page}&sort=oldest")
        paged += [h["id"] for h in result["hits"]]
        if not result["hits"]:
            break
    assert paged == whole and len(set(paged)) == len(paged) == result["total_stories"]


def test_api_story_filter(web: FlaskClient, spec: dict[str, Any]) -> None:
    result = get_json(web, spec, "/api/search?story=story-funeral&per_page=10")
    assert sorted(h["id"] for h in result["hits"]) == sorted(FUNERAL) and result["total"] == 3
    assert result["query"]["story"] == "story-funeral"
    rows = list(csv.reader(io.StringIO(web.get("/api/search.csv?story=story-prison").get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r[0] for r in rows[1:]) == sorted(PRISON)
    rows = list(csv.reader(io.StringIO(web.get("/api/search.csv?q=صنعاء&collapse=story").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) - 1 == get_json(web, spec, "/api/search?q=صنعاء&collapse=story")["total_stories"]


@pytest.mark.parametrize("query, field", [("collapse=stories", "collapse"), ("collapse=%20", "collapse"),
                                          ("story=no-such-story", "story"), ("story=%20%20", "story"),
                                          ("story=" + "x" * 600, "story")])
def test_api_bad_story_parameters_are_400(web: FlaskClient, spec: dict[str, Any], query: str, field: str) -> None:
    assert list(get_json(web, spec, f"/api/search?{query}", 400)["errors"]) == [field]


def test_api_article_story(web: FlaskClient, spec: dict[str, Any]) -> None:
    article = get_json(web, spec, f"/api/articles/{FUNERAL[0]}")
    assert article["story"]["id"] == "story-funeral" and article["story"]["size"] == 3
    assert {a["id"] for a in article["story"]["articles"]} == set(FUNERAL)
    assert article["story"]["articles"][0]["id"] == "al-manara-20161009-sanaa-funeral-hall-toll"


def test_page_collapses_by_default_and_links_to_the_story(web: FlaskClient) -> None:
    page = web.get("/search?q=صنعاء&per_page=100").get_data(as_text=True)
    also = re.findall(r'<p class="story-also"><a href="([^"]+)"[^>]*>([^<]+)</a>: <span class="outlets">(.*?)</span>', page)
    funeral = [a for a in also if "story-funeral" in a[0]]
    assert len(funeral) == 1
    link, label, outlets = funeral[0]
    assert link == "/search?story=story-funeral" and "مصدران آخران" in label
    shown = re.findall(r"<bdi>([^<]+)</bdi>", outlets)
    assert len(shown) == 2 and "وادي نيوز" in shown  # names, not ids
    assert 'class="total"' in page and "قصص" in page
    listing = web.get(link).get_data(as_text=True)
    assert len(re.findall(r'<li class="hit">', listing)) == 3 and "chip-story" in listing
    assert "story-also" not in listing
    every = web.get("/search?q=صنعاء&per_page=100&collapse=none").get_data(as_text=True)
    assert "story-also" not in every
    assert len(re.findall(r'<li class="hit">', every)) == len(re.findall(r'<li class="hit">', page)) + 2


def test_article_page_compares_with_the_earliest_report(web: FlaskClient) -> None:
    page = web.get(f"/articles/{FUNERAL[0]}").get_data(as_text=True)
    story = page[page.index('<section class="story"'):]
    assert story.count('class="story-reports"') == 1 and FUNERAL[2] in story and FUNERAL[1] in story
    assert re.findall(r'<mark class="diff-number">([^<]+)</mark>', story) == ["140", "500", "155", "525"]
    assert "ما يضيفه هذا التقرير" in story and "وروى شاهد" in story.split("ما يضيفه هذا التقرير")[1]
    assert "ما ينقصه" in story and "أدوية الحروق" in story.split("ما ينقصه")[1]
    earliest = web.get(f"/articles/{FUNERAL[1]}").get_data(as_text=True)
    assert "هذا أقدم تقرير في القصة" in earliest and "diff-number" not in earliest
    alone = web.get("/articles/al-rasid-20171205-saleh-killed-sanaa").get_data(as_text=True)
    assert 'class="story"' not in alone


def test_page_exports_give_what_the_page_shows(web: FlaskClient, spec: dict[str, Any]) -> None:
    page = web.get("/search?q=صنعاء").get_data(as_text=True)
    link = re.search(r'<a href="(/api/search\?[^"]+)" type="application/json">', page).group(1).replace("&amp;", "&")
    assert "collapse=story" in link
    assert get_json(web, spec, link)["total_stories"] == get_json(web, spec, "/api/search?q=صنعاء&collapse=story")["total_stories"]
    every = web.get("/search?q=صنعاء&collapse=none").get_data(as_text=True)
    assert "collapse=none" in re.search(r'<a href="(/api/search\?[^"]+)" type="application/json">', every).group(1)
