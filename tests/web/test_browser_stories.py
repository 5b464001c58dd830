"""Stories in a real Chromium against `marsad serve` over corpus/ as the indexer groups it: a
collapsed result names the other outlets that carried its story, its link lists the story's
reports, and an article of the story shows what it adds or lacks against the earliest report."""

from __future__ import annotations

import urllib.parse

import pytest
from playwright.sync_api import expect

from .browser import running_server
from .test_browser import ARTIFACTS, DESKTOP, PHONE, axe_problems, browser, shown_total  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FUNERAL_SOURCES = {"وادي نيوز", "المنارة", "الشرفة"}


@pytest.fixture(scope="module")
def server(corpus_home):
    with running_server(corpus_home) as base:
        yield base


@pytest.mark.parametrize("size, name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_collapsed_result_shows_its_outlets_and_links_to_the_story(browser, server, size, name):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(bypass_csp=True, locale="ar", viewport=size)  # for axe
    page = context.new_page()
    page.goto(f"{server}/search?q=" + urllib.parse.quote("قاعة العزاء صنعاء"))
    hit = page.locator(".hit").filter(has=page.locator(".story-also")).first
    expect(hit).to_be_visible()
    own = hit.locator(".meta .source").inner_text()
    outlets = set(hit.locator(".story-also .outlets bdi").all_inner_texts())
    assert own in FUNERAL_SOURCES and outlets == FUNERAL_SOURCES - {own}
    expect(hit.locator(".story-also a")).to_have_text("ونشرته أيضاً مصدران آخران")
    assert page.locator(".hit").count() == 1  # three reports, one story
    assert shown_total(page) == 3
    page.screenshot(path=str(ARTIFACTS / f"stories-results-{name}.png"), full_page=True)
    assert not axe_problems(page), page.url

    hit.locator(".story-also a").click()
    page.wait_for_url("**/search?story=*")
    expect(page.locator(".hit")).to_have_count(3)
    assert set(page.locator(".hit .meta .source").all_inner_texts()) == FUNERAL_SOURCES
    expect(page.locator(".chips .chip-story")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / f"stories-listing-{name}.png"), full_page=True)

    page.locator(".hit").filter(has_text="وادي نيوز").locator(".hit-title a").click()
    page.wait_for_load_state()
    expect(page.locator(".story-reports li")).to_have_count(2)
    numbers = page.locator(".story-diff .diff-changed .diff-this mark.diff-number").all_inner_texts()
    assert numbers == ["140", "500"]
    expect(page.locator(".diff-added li")).to_contain_text("وروى شاهد")
    page.screenshot(path=str(ARTIFACTS / f"stories-article-{name}.png"), full_page=True)
    assert not axe_problems(page), page.url
    context.close()
