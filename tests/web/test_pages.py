"""The HTML pages through Flask's test client over a real index: what the markup promises."""

from __future__ import annotations

import re
import urllib.parse

from web.formatting import arabic_date, bucket_range, safe_marked, with_changes
from web.views import render_spans


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_home_is_arabic_rtl_with_a_search_form(client):
    html = page(client, "/")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert "http://" not in html and "https://" not in html.split("<main", 1)[0]


def test_results_keep_the_query_and_show_the_api_total(client):
    html = page(client, "/search?q=" + urllib.parse.quote("دير الزور"))
    total = client.get("/api/search?q=" + urllib.parse.quote("دير الزور")).get_json()["total"]
    assert f'data-total="{total}"' in html
    assert 'value="دير الزور"' in html
    assert "<mark>" in html


def test_selected_filters_show_as_removable_chips(client):
    facet = client.get("/api/search?q=").get_json()["facets"]["place"][0]
    html = page(client, f"/search?place={facet['value']}")
    assert "chip-place" in html and facet["label_ar"] in html
    remove = re.search(r'class="chip chip-place"><span>[^<]*</span> <a href="([^"]+)"', html).group(1)
    assert f"place={facet['value']}" not in remove.replace("&amp;", "&")


def test_histogram_bars_link_to_their_range(client):
    html = page(client, "/search?q=")
    assert '<svg class="histogram"' in html
    assert re.search(r'<a href="[^"]*from=\d{4}-\d{2}-\d{2}[^"]*to=\d{4}-\d{2}-\d{2}', html.replace("&amp;", "&"))


def test_empty_results_say_why(client):
    html = page(client, "/search?q=" + urllib.parse.quote("كلمةلاتوجدابدا"))
    assert "لا نتائج" in html


def test_bad_parameter_is_a_400_page_naming_the_field(client):
    html = page(client, "/search?per_page=1000", status=400)
    assert "per_page" in html and "تعذّر تنفيذ البحث" in html


def test_article_page_marks_query_and_entities(client):
    hit = client.get("/api/search?q=" + urllib.parse.quote("دير الزور")).get_json()["hits"][0]
    html = page(client, f"/articles/{hit['id']}?q=" + urllib.parse.quote("دير الزور"))
    assert "<mark>" in html
    assert 'class="ent ent-place"' in html
    assert '<svg class="map"' in html


def test_unknown_article_is_an_arabic_404(client):
    html = page(client, "/articles/no-such-article", status=404)
    assert "غير موجودة" in html


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_arabic_dates_and_buckets():
    assert arabic_date("2023-03-25") == "25 مارس 2023"
    assert arabic_date("2023-12") == "ديسمبر 2023"
    assert bucket_range("2024-02") == ("2024-02-01", "2024-02-29")
    assert bucket_range("2023") == ("2023-01-01", "2023-12-31")
    assert bucket_range("2023-03-20", "week") == ("2023-03-20", "2023-03-26")


def test_state_changes_reset_the_page_and_toggle_filters():
    pairs = [("q", "x"), ("place", "sy"), ("page", "3")]
    assert with_changes(pairs, toggle=("place", "sy")) == [("q", "x")]
    assert with_changes(pairs, toggle=("place", "iq")) == [("q", "x"), ("place", "sy"), ("place", "iq")]
    assert ("page", "3") in with_changes(pairs, keep_page=True)


def test_only_mark_tags_survive_in_snippets():
    assert str(safe_marked("a <mark>b</mark> &lt;c&gt;")) == "a <mark>b</mark> &lt;c&gt;"
    assert "<img" not in str(safe_marked("<mark>a</mark><img src=x>"))


def test_article_markup_escapes_everything_but_its_own_tags():
    text = "<script>x</script> دير الزور"
    html = render_spans(text, [(19, 28, '<a href="/s">', "</a>")], [(19, 22)])
    assert html.startswith("&lt;script&gt;") and '<a href="/s"><mark>دير</mark> الزور</a>' in html
