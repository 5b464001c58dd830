"""The HTML pages through Flask's test client over a real index: what the markup promises a
reader (and a reader without JavaScript), checked against the API's answer for the same URL."""

from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser

import pytest

from hypothesis import given
from hypothesis import strategies as st

from web.formatting import arabic_date, bucket_range, count_reports, day_month_year, iso_day, safe_marked, with_changes
from web.svg import label_positions, merged_buckets
from web.views import render_spans, whole_word

ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
MONTHS = "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def api(client, url: str) -> dict:
    """The API's answer for the search shown at page URL."""
    return client.get("/api/search?" + urllib.parse.urlsplit(url).query).get_json()


def quote(text: str) -> str:
    return urllib.parse.quote(text)


def unescape_urls(html: str) -> str:
    return html.replace("&amp;", "&")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text outside the given classes."""

    def __init__(self, skip_classes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.skip_classes = skip_classes
        self.depth: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("br", "img", "input", "meta", "link", "hr", "source"):
            return
        classes = (attributes.get("class") or "").split()
        self.depth.append(any(c in self.skip_classes for c in classes) or bool(self.depth and self.depth[-1]))

    def handle_endtag(self, tag):
        if self.depth:
            self.depth.pop()

    def handle_data(self, data):
        if not (self.depth and self.depth[-1]):
            self.text.append(data)


def parsed(html: str, skip: tuple[str, ...] = ()) -> Tags:
    tags = Tags(skip)
    tags.feed(html)
    return tags


# the frame ------------------------------------------------------------------------------------
def test_home_is_arabic_rtl_with_a_search_form_and_landmarks(client):
    html = page(client, "/")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'name="viewport"' in html
    form = re.search(r'<form action="(/[^"]*)" method="get" class="query-form">', html)
    assert form and 'name="q"' in html and 'role="search"' in html
    for landmark in ('role="banner"', 'role="main"', 'role="contentinfo"', 'class="skip" href="#main"'):
        assert landmark in html, landmark


@pytest.mark.parametrize("url", ["/", "/search?q=" + quote("دير الزور"), "/articles/al-shurfa-20200617-site-hacked-statement",
                                 "/api", "/search?q=" + quote("كلمةلاتوجدابدا"), "/articles/missing"])
def test_pages_load_nothing_from_other_origins(client, url):
    html = client.get(url).get_data(as_text=True)
    tags = parsed(html).tags
    loaded = [a.get("src") or a.get("href") for t, a in tags if t in ("script", "img", "link", "iframe")]
    assert loaded and all(u.startswith("/") and not u.startswith("//") for u in loaded if u), loaded
    for url_ in loaded:
        assert client.get(url_).status_code == 200, url_


def test_the_arabic_font_ships_with_the_package(client):
    css = client.get("/static/marsad.css").get_data(as_text=True)
    fonts = re.findall(r'url\("(fonts/[^"]+\.woff2)"\)', css)
    assert len(fonts) == 2 and '"Marsad Naskh"' in css
    for font in fonts:
        response = client.get(f"/static/{font}")
        assert response.status_code == 200 and response.get_data()[:4] == b"wOF2"
    assert "@media (max-width: 900px)" in css and "@media (max-width: 520px)" in css


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


# results --------------------------------------------------------------------------------------
def test_results_keep_the_query_and_show_the_api_total(client):
    url = "/search?q=" + quote("دير الزور")
    html = page(client, url)
    data = api(client, url)
    assert f'data-total="{data["total"]}"' in html
    assert 'value="دير الزور"' in html
    assert len(re.findall(r'<li class="hit">', html)) == len(data["hits"])
    for hit in data["hits"]:
        assert hit["title_html"] in html or hit["title"] in html
    assert html.count("<mark>") >= len(data["hits"])


def test_hits_show_source_name_arabic_date_and_filter_chips(client):
    url = "/search?q=" + quote("دير الزور")
    html = page(client, url)
    hit = api(client, url)["hits"][0]
    source = next(f for f in api(client, "/search?q=")["facets"]["source"] if f["value"] == hit["source"])
    block = html[html.index('<li class="hit">'):html.index("</li>", html.index('class="hit-chips"'))]
    assert source["label_ar"] in block and f">{hit['source']}<" not in block
    assert f'<time datetime="{hit["published"]}">{arabic_date(hit["published"])}</time>' in block
    place = hit["places"][0]
    chip = re.search(rf'<a class="tag tag-place" href="([^"]+)"[^>]*>{re.escape(place["name_ar"])}</a>', block)
    target = urllib.parse.parse_qs(urllib.parse.urlsplit(unescape_urls(chip.group(1))).query)
    assert target == {"q": ["دير الزور"], "place": [place["id"]]}


def test_one_digit_system_and_arabic_dates_in_our_own_text(client):
    html = page(client, "/search?q=" + quote("سوريا") + "&from=2023-01-01")
    ours = "".join(parsed(html, skip=("snippet", "hit-title", "tag", "label")).text)
    assert not ARABIC_INDIC.search(ours)
    times = re.findall(r"<time datetime=\"(\d{4}-\d{2}-\d{2})\">([^<]+)</time>", html)
    assert times and all(re.fullmatch(rf"\d{{1,2}} ({MONTHS}) \d{{4}}", text) for _, text in times)
    assert "منذ 1 يناير 2023" in html


def test_sort_is_kept_and_changes_the_order(client):
    for sort in ("oldest", "newest", "relevance"):
        url = "/search?q=" + quote("سوريا") + f"&sort={sort}"
        html = page(client, url)
        assert f'<option value="{sort}" selected>' in html
        shown = re.findall(r'<h2 class="hit-title"><a href="/articles/([^"?]+)\?', html)
        assert shown == [h["id"] for h in api(client, url)["hits"]]


def test_paging_links_carry_the_whole_state(client):
    url = "/search?q=&sort=newest&place=sy&page=2"
    html = unescape_urls(page(client, url))
    data = api(client, url)
    assert data["total"] > 20
    assert '<span aria-current="page">2</span>' in html
    for rel, number in (("prev", "1"), ("next", "3")):
        href = re.search(rf'<a href="([^"]+)" rel="{rel}">', html).group(1)
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query) == {
            "sort": ["newest"], "place": ["sy"], "page": [number]}
    ids = re.findall(r'href="/articles/([^"?]+)\?', html)
    assert ids == [h["id"] for h in data["hits"]]


def test_exports_are_the_same_search(client):
    url = "/search?q=" + quote("دير الزور") + "&place=sy&sort=newest&page=2"
    html = unescape_urls(page(client, url))
    for path in ("/api/search", "/api/search.csv", "/feed.atom"):
        href = re.search(rf'<a href="({re.escape(path)}\?[^"]+)"', html).group(1)
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query) == {
            "q": ["دير الزور"], "place": ["sy"], "sort": ["newest"], "collapse": ["story"]}, href  # as the page shows
        assert client.get(href).status_code == 200
    assert '<link rel="alternate" type="application/atom+xml" title="هذا البحث" href="/feed.atom?' in html


# facets ---------------------------------------------------------------------------------------
def test_places_are_a_tree_country_governorate_town(client):
    html = page(client, "/search?q=" + quote("دير الزور"))
    facets = html[html.index('id="f-place"'):html.index('id="f-actor"')]
    country = facets.index(">سوريا<")
    governorate = facets.index(">دير الزور<", country)
    town = facets.index(">حقل العمر<", governorate)
    between = facets[country:town]
    assert between.count('<ul class="facet-list nested">') == 2  # two levels down
    data = api(client, "/search?q=" + quote("دير الزور"))
    count = next(f["count"] for f in data["facets"]["place"] if f["value"] == "sy-deir-ez-zor")
    assert re.search(rf'>دير الزور</span> <span class="count">{count}</span>', facets)


def test_actors_are_grouped_by_type_with_counts(client):
    html = page(client, "/search?q=")
    section = html[html.index('id="f-actor"'):html.index('id="f-source"')]
    groups = re.findall(r"<h3>([^<]+)</h3>", section)
    assert {"جماعات مسلحة", "قوات نظامية", "هيئات دولية"} <= set(groups)
    armed = section[section.index("<h3>جماعات مسلحة</h3>"):]
    armed = armed[:armed.index("<h3>", 5)] if "<h3>" in armed[5:] else armed
    assert "قوات سوريا الديمقراطية" in armed and "الحوثيون" in armed
    assert "الأمم المتحدة" not in armed


def test_sources_facet_and_selection(client):
    data = api(client, "/search?q=")
    source = data["facets"]["source"][0]
    html = page(client, f"/search?source={source['value']}")
    section = html[html.index('id="f-source"'):]
    assert re.search(rf'class="facet-link selected" aria-current="true"[^>]*><span class="label">'
                     rf'{re.escape(source["label_ar"])}</span> <span class="count">{source["count"]}</span>', section)
    assert f'data-total="{source["count"]}"' in html


def test_long_facet_lists_collapse_under_more(client):
    html = page(client, "/search?q=")
    data = api(client, "/search?q=")
    assert len(data["facets"]["place"]) > 8
    assert re.search(r'<details class="more"><summary>المزيد من الأماكن \(\d+\)</summary>', html)
    assert "<details" in html[html.index('id="f-actor"'):html.index('id="f-source"')]


def test_histogram_bars_link_to_their_range_and_add_up(client):
    html = unescape_urls(page(client, "/search?q="))
    svg = re.search(r'<svg class="histogram".*?</svg>', html, re.S).group(0)
    assert 'role="group"' in svg and "aria-label=" in svg
    links = re.findall(r'<a href="([^"]+)" aria-label="[^"]*: (\d+)">', svg)
    assert links
    total = 0
    for href, count in links:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", query["from"][0]) and query["to"][0] >= query["from"][0]
        assert api(client, href)["total"] == int(count), href
        total += int(count)
    assert total == api(client, "/search?q=")["total"]


def test_date_form_is_a_get_form_keeping_the_other_filters(client):
    html = page(client, "/search?q=" + quote("غارات") + "&place=sy&from=2023-01-01")
    form = html[html.index('class="date-form"'):]
    form = form[:form.index("</form>")]
    assert '<input type="hidden" name="q" value="غارات">' in form
    assert '<input type="hidden" name="place" value="sy">' in form
    assert re.search(r'name="from" type="text"[^>]* placeholder="يوم/شهر/سنة"[^>]* value="01/01/2023"', form)
    assert re.search(r'name="to" type="text"[^>]* value=""', form)
    assert 'method="get"' in html[html.rindex("<form", 0, html.index('class="date-form"')):html.index('class="date-form"')]


@given(st.dates(min_value=__import__("datetime").date(1000, 1, 1)))
def test_the_page_writes_a_day_as_day_month_year_and_reads_it_back(day):
    shown = day_month_year(day.isoformat())
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", shown)
    assert iso_day(shown) == day.isoformat()
    assert iso_day(shown.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))) == day.isoformat()


@pytest.mark.parametrize("text", ["2023-03-25", "31/02/2023", "25/13/2023", "1/1/23", "غدا", ""])
def test_only_a_real_day_month_year_is_read_as_one(text):
    assert iso_day(text) is None


def test_a_day_month_year_in_the_form_leads_to_the_canonical_iso_url(client):
    response = client.get("/search?q=" + quote("غارات") + "&from=" + quote("25/3/2023") + "&to=" + quote("٣١-١٢-٢٠٢٣")
                          + "&place=sy")
    assert response.status_code == 302
    target = urllib.parse.urlsplit(response.headers["Location"])
    assert target.path == "/search"
    assert urllib.parse.parse_qsl(target.query) == [("q", "غارات"), ("from", "2023-03-25"), ("to", "2023-12-31"),
                                                   ("place", "sy")]
    assert client.get("/search?from=" + quote("31/02/2023")).status_code == 400  # not a day: said, not guessed


def test_selected_filters_show_as_removable_chips(client):
    facet = api(client, "/search?q=")["facets"]["place"][0]
    html = unescape_urls(page(client, f"/search?q=x&place={facet['value']}&actor=sdf&from=2020-01-01&to=2024-12-31"))
    chips = re.findall(r'<li class="chip chip-(\w+)"><span>([^<]*)</span> <a href="([^"]+)"', html)
    assert [kind for kind, _, _ in chips] == ["place", "actor", "date"]
    assert facet["label_ar"] in chips[0][1] and "قوات سوريا الديمقراطية" in chips[1][1]
    assert chips[2][1] == "تاريخ النشر: من 1 يناير 2020 إلى 31 ديسمبر 2024"
    removed = [urllib.parse.parse_qs(urllib.parse.urlsplit(url).query) for _, _, url in chips]
    assert removed[0] == {"q": ["x"], "actor": ["sdf"], "from": ["2020-01-01"], "to": ["2024-12-31"]}
    assert removed[2] == {"q": ["x"], "place": [facet["value"]], "actor": ["sdf"]}
    assert "إزالة كل المرشحات" in html


# empty results and errors -----------------------------------------------------------------------
def test_empty_results_say_why_word_by_word_and_offer_the_suggestion(client):
    url = "/search?q=" + quote("سرويا غارات")
    html = page(client, url)
    data = api(client, url)
    assert data["total"] == 0 and data["suggestion"]
    assert "لا نتائج" in html
    assert f'>{data["suggestion"]}</a>' in html
    words = dict(re.findall(r"«<bdi>([^<]+)</bdi>»</a>: ([^<]+)</li>", html))
    assert words["سرويا"] == "لا تقارير"
    assert words["غارات"] == count_reports(api(client, "/search?q=" + quote("غارات"))["total"])


@pytest.mark.parametrize("expand", ["true", "false"])
def test_empty_results_count_each_word_as_the_search_counted_it(client, expand):
    html = page(client, "/search?q=" + quote("سرويا جنود") + f"&expand={expand}")
    words = dict(re.findall(r"«<bdi>([^<]+)</bdi>»</a>: ([^<]+)</li>", html))
    alone = api(client, "/search?q=" + quote("جنود") + f"&expand={expand}")["total"]
    assert words["جنود"] == count_reports(alone)


def test_empty_results_blame_the_filters_when_the_words_alone_match(client):
    url = "/search?q=" + quote("الحوثيين") + "&place=ly"
    html = page(client, url)
    assert api(client, url)["total"] == 0
    alone = api(client, "/search?q=" + quote("الحوثيين"))["total"]
    assert f"في {count_reports(alone)}، لكن لا شيء منها يوافق المرشحات" in html
    assert re.search(r'<a href="/search\?q=[^"]+">ابحث دون مرشحات</a>', html)


def test_empty_results_from_filters_alone(client):
    html = page(client, "/search?place=ly&actor=hamas")
    assert "لا تقارير تجمع المرشحات المختارة كلها" in html


def test_bad_parameter_is_a_400_page_naming_the_field(client):
    html = page(client, "/search?per_page=1000&from=2023-99-01", status=400)
    assert "تعذّر تنفيذ البحث" in html
    assert "عدد النتائج في الصفحة" in html and "<code dir=\"ltr\">per_page</code>" in html
    assert "تاريخ البداية" in html


def test_unknown_article_is_an_arabic_404(client):
    html = page(client, "/articles/no-such-article", status=404)
    assert "غير موجودة" in html and '<html lang="ar" dir="rtl">' in html


# the article ------------------------------------------------------------------------------------
def article_id(client, q: str) -> str:
    return client.get("/api/search?q=" + quote(q)).get_json()["hits"][0]["id"]


def test_article_page_marks_query_and_links_entities(client):
    ident = article_id(client, "دير الزور")
    html = unescape_urls(page(client, f"/articles/{ident}?q=" + quote("دير الزور")))
    article = client.get(f"/api/articles/{ident}").get_json()
    body = html[html.index('<div class="body"'):html.index("</article>")]
    assert "<mark>دير</mark>" in body or "<mark>دير الزور</mark>" in body
    for place in article["places"][:3]:
        assert re.search(rf'<a class="ent ent-place" href="/search\?place={re.escape(place["id"])}"', body), place
    assert re.search(r'<a class="ent ent-actor" href="/search\?actor=', body)
    assert re.search(r'<a class="ent ent-date" href="/search\?from=(\d{4}-\d{2}-\d{2})&to=\1&date_field=event"', body)
    assert '<svg class="map"' in html and "<polygon" in html and "<circle" in html
    related = re.findall(r'<ul class="related">.*?</ul>', html, re.S)[0]
    assert [r["id"] for r in article["related"]] == re.findall(r'href="/articles/([^"?]+)\?', related)


def test_article_page_keeps_hostile_text_as_text(client):
    html = page(client, "/articles/al-shurfa-20200617-site-hacked-statement?q=" + quote("<script>alert(2)</script>"))
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt;" in html  # words marked
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(client, "/articles/al-shurfa-20200617-site-hacked-statement")
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;alert(2)&lt;/script&gt;"' in html


def test_hostile_query_is_escaped_on_the_results_page(client):
    hostile = '"><img src=x onerror=alert(document.domain)>'
    html = page(client, "/search?q=" + quote(hostile))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(document.domain)&gt;" in html
    assert 'value="&#34;&gt;&lt;img' in html


def test_back_link_returns_to_the_results_and_never_leaves_the_site(client):
    ident = article_id(client, "سوريا")
    back = "/search?q=" + quote("سوريا") + "&page=2"
    html = unescape_urls(page(client, f"/articles/{ident}?back={quote(back)}"))
    assert f'<p class="back"><a href="{back}">' in html
    for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        html = page(client, f"/articles/{ident}?back={quote(evil)}")
        assert 'class="back"><a href="/search">' in html


# pure helpers -----------------------------------------------------------------------------------
def test_arabic_dates_counts_and_buckets():
    assert arabic_date("2023-03-25") == "25 مارس 2023"
    assert arabic_date("2023-12") == "ديسمبر 2023"
    assert arabic_date("2023-13-45") == "2023-13-45"
    assert [count_reports(n) for n in (0, 1, 2, 3, 10, 11, 100, 102, 103, 111)] == [
        "لا تقارير", "تقرير واحد", "تقريران", "3 تقارير", "10 تقارير", "11 تقريراً", "100 تقرير", "102 تقرير",
        "103 تقارير", "111 تقريراً"]
    assert bucket_range("2024-02") == ("2024-02-01", "2024-02-29")
    assert bucket_range("2023") == ("2023-01-01", "2023-12-31")
    assert bucket_range("2023-03-20", "week") == ("2023-03-20", "2023-03-26")


def test_histogram_merges_long_runs_keeping_every_day_and_count():
    buckets = [{"value": f"{2010 + i // 12}-{i % 12 + 1:02d}", "count": i % 3, "bucket": "month"} for i in range(100)]
    merged = merged_buckets(buckets, most=40)
    assert len(merged) <= 40
    assert sum(m["count"] for m in merged) == sum(b["count"] for b in buckets)
    assert merged[0]["start"] == "2010-01-01" and merged[-1]["end"] == "2018-04-30"
    assert all(a["end"] < b["start"] for a, b in zip(merged, merged[1:]))


def test_map_labels_never_overlap():
    pins = [(100 + i % 3, 100 + i // 3, "دير الزور") for i in range(9)] + [(20, 20, "دمشق"), (300, 300, "طهران")]
    spots = label_positions(pins, 320)
    boxes = []
    for (x, y, text), spot in zip(pins, spots):
        if spot is None:
            continue
        width = len(text) * 11 * 0.62
        left = spot[0] - width if spot[1] == "start" else spot[0]
        boxes.append((left, y - 8, left + width, y + 4))
        assert 0 <= left and left + width <= 320
    assert all(not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
               for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert spots[0] is not None and spots[-2] is not None


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


def test_entity_links_only_on_whole_words():
    text = "عقدت القمة في قم ثم وصل الوفد إلى وسوريا وبدير الزور"
    assert not whole_word(text, text.index("قم"), text.index("قم") + 2)  # inside القمة
    start = text.index(" قم ") + 1
    assert whole_word(text, start, start + 2)
    assert whole_word(text, text.index("سوريا"), text.index("سوريا") + 5)  # و joined in front
    assert whole_word(text, text.index("دير"), text.index("دير") + 9)  # وب joined in front
