"""The search page in a real headless Chromium (Debian's package, driven by Playwright) against
`marsad serve` on 127.0.0.1: the journey a researcher takes, with JavaScript on and off."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .browser import CHROMIUM, CHROMIUM_ARGS, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def server(corpus_home):
    with running_server(corpus_home) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (CI's .ci/run does)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def api(base: str, page_url: str) -> dict:
    """The API's answer for the search the page at PAGE_URL shows."""
    query = urllib.parse.urlsplit(page_url).query
    with urllib.request.urlopen(f"{base}/api/search?{query}") as response:
        return json.load(response)


def shown_total(page: Page) -> int:
    return int(page.locator("[data-total]").get_attribute("data-total"))


def no_dialogs(page: Page) -> list[str]:
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    return fired


def journey(page: Page, base: str) -> None:
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_label("كلمات البحث").fill("سوريا")
    page.get_by_role("button", name="بحث").click()
    page.wait_for_url("**/search?*")
    assert shown_total(page) == api(base, page.url)["total"] > 0
    assert page.locator(".hit").count() > 0

    place = page.locator("#f-place ~ ul .facet-link").first
    place_count = int(place.locator(".count").inner_text())
    place.click()
    page.wait_for_load_state()
    assert "place=" in page.url
    assert shown_total(page) == api(base, page.url)["total"] == place_count
    expect(page.locator(".chips .chip-place")).to_have_count(1)

    shown_actors = {int(c) for c in page.locator("#f-actor ~ ul .facet-link .count").all_inner_texts()}
    assert shown_actors <= {f["count"] for f in api(base, page.url)["facets"]["actor"]}
    actor = page.locator("#f-actor ~ ul .facet-link").first
    actor_count = int(actor.locator(".count").inner_text())
    actor.click()
    page.wait_for_load_state()
    assert "actor=" in page.url
    assert shown_total(page) == api(base, page.url)["total"] == actor_count

    page.get_by_role("link", name="إزالة كل المرشحات").click()
    page.wait_for_load_state()
    total = shown_total(page)
    assert total == api(base, page.url)["total"]
    if total > 10:
        page.locator(".pager a[rel=next]").click()
        page.wait_for_load_state()
        assert "page=2" in page.url
        expect(page.locator(".pager [aria-current=page]")).to_have_text("2")

    results_url = page.url
    first = page.locator(".hit-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    expect(page.locator("article h1")).to_have_text(title)
    assert page.locator(".body mark").count() > 0
    article_url = page.url
    page.go_back()
    page.wait_for_load_state()
    assert page.url == results_url
    assert shown_total(page) == api(base, page.url)["total"]
    page.go_forward()
    page.wait_for_load_state()
    assert page.url == article_url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_search_journey(browser, server, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="ar", viewport=DESKTOP)
    page = context.new_page()
    fired = no_dialogs(page)
    journey(page, server)
    assert not fired
    context.close()


LAYOUT = """() => {
  const box = (el) => el.getBoundingClientRect();
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const main = document.querySelector("main"), aside = document.querySelector("aside");
  const hits = Array.from(document.querySelectorAll(".hit, .article"));
  const chips = Array.from(document.querySelectorAll(".hit-chips li, .entity-list li"));
  return {
    direction: getComputedStyle(document.body).direction,
    font: document.fonts.check('16px "Marsad Naskh"') && Array.from(document.fonts).some(
      (f) => f.family.includes("Marsad Naskh") && f.status === "loaded"),
    scroll: document.documentElement.scrollWidth,
    mainAside: main && aside ? overlap(box(main), box(aside)) : false,
    asideBelow: main && aside ? box(aside).top >= box(main).bottom - 1 : null,
    asideLeft: main && aside ? box(aside).right <= box(main).left + 1 : null,
    hits: hits.some((a, i) => hits.slice(i + 1).some((b) => overlap(box(a), box(b)))),
    chips: chips.some((a, i) => chips.slice(i + 1).some((b) => overlap(box(a), box(b)))),
    titleRight: (() => { const h = document.querySelector(".hit-title, article h1"); const p = h.parentElement;
                         return box(p).right - box(h).right < 40; })(),
  };
}"""


def check_layout(page: Page, width: int) -> None:
    """Right to left, the bundled Naskh in use, nothing wider than the screen, nothing on top of
    anything else; facets beside the results on a wide screen and below them on a phone."""
    page.evaluate("document.fonts.ready.then(() => true)")
    found = page.evaluate(LAYOUT)
    assert found["direction"] == "rtl" and found["font"], found
    assert found["scroll"] <= width + 1, found
    assert not found["mainAside"] and not found["hits"] and not found["chips"], found
    assert found["titleRight"], found
    if width < 900:
        assert found["asideBelow"], found
    else:
        assert found["asideLeft"], found


@pytest.mark.parametrize("size, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_screenshots_and_layout(browser, server, size, name):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=size, locale="ar")
    page = context.new_page()
    page.goto(f"{server}/search?q=" + urllib.parse.quote("دير الزور"))
    check_layout(page, size["width"])
    page.screenshot(path=str(ARTIFACTS / f"results-{name}.png"), full_page=True)
    page.locator(".hit-title a").first.click()
    page.wait_for_load_state()
    check_layout(page, size["width"])
    expect(page.locator("svg.map circle").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"article-{name}.png"), full_page=True)
    page.goto(f"{server}/search?q=" + urllib.parse.quote("سرويا غارات"))
    expect(page.locator(".notice.empty")).to_contain_text("لا نتائج")
    page.screenshot(path=str(ARTIFACTS / f"empty-{name}.png"), full_page=True)
    context.close()


def test_place_box_completes_names_from_the_api(browser, server):
    context = browser.new_context(locale="ar", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server}/search?q=")
    box = page.locator("#add-place")
    box.press_sequentially("دير", delay=30)
    options = page.locator("#suggest-place option")
    expect(options.first).to_be_attached(timeout=5000)
    values = options.evaluate_all("os => os.map(o => o.value)")
    labels = options.evaluate_all("os => os.map(o => o.label)")
    assert "sy-deir-ez-zor" in values and any("دير الزور" in label and "محافظة" in label for label in labels)
    box.fill("sy-deir-ez-zor")
    box.press("Enter")
    page.wait_for_url("**place=sy-deir-ez-zor*")
    expect(page.locator(".chips .chip-place")).to_contain_text("دير الزور")
    assert shown_total(page) == api(server, page.url)["total"] > 0
    context.close()


def test_corpus_article_quoting_a_script_shows_it_as_text(browser, server):
    context = browser.new_context(locale="ar")
    page = context.new_page()
    fired = no_dialogs(page)
    page.goto(f"{server}/search?q=" + urllib.parse.quote("اختراق موقعها"))
    page.locator('.hit-title a[href*="al-shurfa-20200617-site-hacked-statement"]').click()
    page.wait_for_load_state()
    expect(page.locator("article .body")).to_contain_text("<script>alert(1)</script>")
    assert page.locator("article script").count() == 0
    page.wait_for_timeout(300)
    assert not fired
    context.close()


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory, corpus_dir):
    from indexer.build import build_index

    folder = tmp_path_factory.mktemp("hostile-corpus")
    shutil.copytree(corpus_dir, folder / "corpus", ignore=shutil.ignore_patterns("README.md"))
    hostile = {
        "id": "hostile-script", "url": "https://hostile.example/x", "source": "al-manara",
        "published": "2024-05-05", "title": "تقرير <script>alert('title')</script> عن دير الزور",
        "content": "نص فيه <script>alert('xss')</script> و<img src=x onerror=alert(1)> قرب دير الزور.",
    }
    (folder / "corpus" / "hostile.jsonl").write_text(json.dumps(hostile, ensure_ascii=False) + "\n", "utf-8")
    home = tmp_path_factory.mktemp("hostile-index")
    build_index([folder / "corpus"], home, workers=1, quarantine=None, progress=False)
    return home


def test_hostile_content_and_query_render_as_text(browser, hostile_home):
    with running_server(hostile_home) as base:
        context = browser.new_context()
        page = context.new_page()
        fired = no_dialogs(page)
        hostile_query = '"><img src=x onerror=alert(document.domain)>'
        page.goto(f"{base}/search?q=" + urllib.parse.quote(hostile_query))
        expect(page.get_by_label("كلمات البحث")).to_have_value(hostile_query)
        assert page.locator("img[src=x]").count() == 0
        page.goto(f"{base}/search?q=" + urllib.parse.quote("دير الزور script"))
        page.goto(f"{base}/articles/hostile-script?q=" + urllib.parse.quote("<script>alert(2)</script>"))
        expect(page.locator("article h1")).to_contain_text("<script>alert('title')</script>")
        expect(page.locator("article .body")).to_contain_text("<script>alert('xss')</script>")
        assert page.locator("article script, article img").count() == 0
        page.wait_for_timeout(300)
        assert not fired
        context.close()


def axe_problems(page: Page) -> list:
    page.add_script_tag(path=str(Path(__file__).with_name("vendor") / "axe.min.js"))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_accessibility_with_axe(browser, server, size):
    context = browser.new_context(bypass_csp=True, locale="ar", viewport=size)
    page = context.new_page()
    urls = ["/search?q=" + urllib.parse.quote("الحوثيين"), "/", "/api",
            "/search?q=&place=sy&actor=sdf&from=2015-01-01", "/search?q=" + urllib.parse.quote("سرويا غارات"),
            "/search?per_page=1000", "/articles/no-such-article"]
    for url in urls:
        page.goto(server + url)
        problems = axe_problems(page)
        assert not problems, f"{url}: {problems}"
    page.goto(f"{server}/search?q=" + urllib.parse.quote("سوريا"))
    page.locator(".hit-title a").first.click()
    page.wait_for_load_state()
    assert not axe_problems(page), page.url
    context.close()


def test_focus_is_visible_and_landmarks_exist(browser, server):
    context = browser.new_context(locale="ar")
    page = context.new_page()
    page.goto(f"{server}/search?q=سوريا")
    for role in ("banner", "main", "contentinfo", "search", "complementary"):
        assert page.get_by_role(role).count() >= 1, role
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    context.close()


def test_dates_are_typed_and_shown_day_month_year(browser, server):
    context = browser.new_context(locale="ar", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{server}/search?q=")
    start, end = page.locator("#from"), page.locator("#to")
    expect(start).to_have_attribute("placeholder", "يوم/شهر/سنة")
    start.fill("nonsense")
    assert not start.evaluate("e => e.checkValidity()"), "the form says at once that this is no date"
    start.fill("01/01/2015")
    end.fill("٣١/١٢/٢٠٢٥")
    assert start.evaluate("e => e.checkValidity()") and end.evaluate("e => e.checkValidity()")
    page.locator(".date-form").get_by_role("button", name="تطبيق").click()
    page.wait_for_url("**from=2015-01-01**")
    assert "to=2025-12-31" in page.url
    expect(page.locator("#from")).to_have_value("01/01/2015")
    expect(page.locator("#to")).to_have_value("31/12/2025")
    expect(page.locator(".chips .chip-date")).to_have_count(1)
    assert shown_total(page) == api(base=server, page_url=page.url)["total"]
    context.close()
