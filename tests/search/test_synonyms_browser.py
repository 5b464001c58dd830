"""The page's synonym and relaxation notices and its "as typed" control, in a real headless
Chromium against `marsad serve` on 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.browser import running_server
from tests.web.test_browser import browser  # noqa: F401  (the Chromium fixture)

from .test_relax import ARTICLES as RELAX_ARTICLES
from .test_relax import WORDS
from .test_synonyms import ARTICLES as SYNONYM_ARTICLES
from .test_synonyms import index_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running_server(index_of(SYNONYM_ARTICLES + RELAX_ARTICLES, tmp_path_factory.mktemp("synonyms-ui"))) as base:
        yield base


def search(page, base: str, q: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("كلمات البحث").fill(q)
    page.get_by_role("button", name="بحث").click()


def test_the_analyst_sees_the_synonyms_and_can_search_the_words_as_typed(browser, server):  # noqa: F811
    page = browser.new_page()
    search(page, server, "مقتل جنود")
    notice = page.locator("p.expansions")
    expect(notice).to_contain_text("بحثنا أيضاً عن مرادفات")
    expect(notice).to_contain_text("لقي حتفه")
    widened = int(page.locator("[data-total]").get_attribute("data-total"))
    page.get_by_label("بالكلمات كما كُتبت فقط (دون مرادفات)").check()
    page.get_by_role("button", name="بحث").click()
    assert "expand=false" in page.url
    expect(page.locator("p.expansions")).to_contain_text("دون مرادفات")
    expect(page.get_by_label("بالكلمات كما كُتبت فقط (دون مرادفات)")).to_be_checked()
    assert int(page.locator("[data-total]").get_attribute("data-total")) < widened
    page.get_by_role("link", name="ابحث بالمرادفات أيضاً").click()
    expect(page.locator("p.expansions")).to_contain_text("لقي حتفه")
    page.close()


def test_a_relaxed_search_says_so_and_links_to_the_strict_one(browser, server):  # noqa: F811
    page = browser.new_page()
    search(page, server, WORDS)
    status = page.get_by_role("status")
    expect(status).to_contain_text("معظم كلماتك")
    page.get_by_role("link", name="اعرض ما فيه كل الكلمات كما كُتبت فقط").click()
    assert "expand=false" in page.url
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "1")
    page.close()
