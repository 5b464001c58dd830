"""Events on the page in a real headless Chromium against `marsad serve`: the event facet, the
event chips on hits with their figures, the killed-per-period histogram and the article's
highlighted event sentences, with JavaScript on and off; layout, accessibility, screenshots."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import Page, expect

from .test_browser import ARTIFACTS, DESKTOP, PHONE, api, axe_problems, browser, check_layout, server, shown_total  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def event_journey(page: Page, base: str) -> None:
    page.goto(f"{base}/search?q=")
    section = page.locator("section[aria-labelledby=f-event]")
    expect(section).to_be_visible()
    strike = section.locator(".facet-link", has_text="غارة جوية أو بطائرة مسيرة")
    count = int(strike.locator(".count").inner_text())
    strike.click()
    page.wait_for_load_state()
    assert "event=air_drone_strike" in page.url
    assert shown_total(page) == api(base, page.url)["total"] == count > 0
    expect(page.locator(".chips .chip-event")).to_have_count(1)
    for hit in page.locator(".hit").all()[:5]:
        expect(hit.locator(".tag-event", has_text="غارة جوية أو بطائرة مسيرة")).to_have_count(1)

    page.get_by_label("قتلى على الأقل").fill("1")
    section.get_by_role("button", name="تطبيق").click()
    page.wait_for_load_state()
    assert "min_killed=1" in page.url and "event=air_drone_strike" in page.url
    shown = api(base, page.url)
    assert shown_total(page) == shown["total"] and all(h["killed"] >= 1 for h in shown["hits"])
    expect(page.locator(".chips .chip-killed")).to_have_count(1)
    expect(page.locator(".tag-event .figures").first).to_contain_text("قتلى:")

    page.get_by_role("link", name="عدد القتلى").click()
    page.wait_for_load_state()
    expect(page.locator("svg.histogram[data-measure=killed]")).to_be_visible()
    bars = page.locator("svg.histogram a")
    labels = [bars.nth(i).get_attribute("aria-label") for i in range(bars.count())]
    expected = sum(b["killed"] for b in api(base, page.url)["facets"]["date"])
    assert sum(int(re.search(r"(\d+)$", label).group(1)) for label in labels) == expected > 0

    page.locator(".hit-title a").first.click()
    page.wait_for_load_state()
    events = page.locator("section[aria-labelledby=e-events] li.event")
    assert events.count() >= 1
    link = page.locator("section[aria-labelledby=e-events] .event-sentence a").first
    anchor = link.get_attribute("href")
    link.click()
    assert page.url.endswith(anchor)
    target = page.locator(f".event-text{anchor}")
    expect(target).to_be_visible()
    assert target.inner_text().strip()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_event_facet_chips_histogram_and_article(browser, server, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="ar", viewport=DESKTOP)
    page = context.new_page()
    event_journey(page, server)
    context.close()


@pytest.mark.parametrize("size, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_event_screenshots_layout_and_accessibility(browser, server, size, name):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(bypass_csp=True, viewport=size, locale="ar")
    page = context.new_page()
    page.goto(f"{server}/search?q=&event=explosions_remote_violence&sort=killed&chart=killed")
    check_layout(page, size["width"])
    assert not axe_problems(page)
    page.screenshot(path=str(ARTIFACTS / f"events-results-{name}.png"), full_page=True)
    hit = api(server, page.url)["hits"][0]
    page.goto(f"{server}/articles/{urllib.parse.quote(hit['id'])}")
    check_layout(page, size["width"])
    assert not axe_problems(page)
    expect(page.locator(".event-text").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"events-article-{name}.png"), full_page=True)
    context.close()
