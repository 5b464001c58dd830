"""Web readers: saved HTML pages, WARC crawls and RSS/Atom feeds become the same records as JSON
articles (title, body, date, author, outlet), pages that are not reports are quarantined with a
reason, and a truncated crawl keeps every complete record. The pages are our own news-site
templates (tests/support/news_sites.py) wrapped around corpus/ articles, so the truth is known."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.build import build_index, update_index
from indexer.readers import Origin, Problem, RawRecord, Skipped, read_paths
from indexer.readers.encoding import decode_page
from indexer.readers.web import feed_kind
from indexer.validation import validate_record
from tests.support.news_sites import (BLIND_TEMPLATES, TEMPLATES, corpus_articles, render_atom, render_not_found, render_page,
                                      render_rss, render_section_front, render_video_page)

ARTICLES = corpus_articles()
SAMPLE = [ARTICLES[1], ARTICLES[40]]  # one with an author byline, from two outlets


def only_records(items: list) -> list[RawRecord]:
    return [item for item in items if isinstance(item, RawRecord)]


def only_problems(items: list) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def words(text: str) -> list[str]:
    return text.split()


def response(writer: WARCWriter, url: str, body: bytes, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK", date: str | None = None) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    headers = {"WARC-Date": date} if date else None
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                  warc_headers_dict=headers))


def write_warc(path: Path, pages: list[tuple[dict, str]], extras: bool = True, gzip: bool = True) -> Path:
    """A crawl as warcio writes it: a warcinfo, a request before each response, and (EXTRAS) a
    robots.txt, a redirect and a 404 that are not pages."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "warcio tests"}))
        for article, template in pages:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            writer.write_record(writer.create_warc_record(article["url"], "request", http_headers=request))
            response(writer, article["url"], render_page(article, template), TEMPLATES[template].content_type,
                     date="2025-12-01T08:00:00Z")
        if extras:
            response(writer, "https://almanara.example/robots.txt", b"User-agent: *\n", "text/plain")
            response(writer, "https://almanara.example/old", b"", status="301 Moved Permanently")
            response(writer, "https://almanara.example/gone", render_not_found(), status="404 Not Found")
    return path


# --- HTML pages: every template, every field -----------------------------------------------

@pytest.mark.parametrize("template", list(TEMPLATES) + list(BLIND_TEMPLATES))
@pytest.mark.parametrize("article", SAMPLE, ids=lambda a: a["id"][:24])
def test_each_template_gives_the_article_title_body_date_and_author(tmp_path: Path, template: str,
                                                                   article: dict) -> None:
    path = tmp_path / f"page.{'htm' if template == 'wadi' else 'html'}"
    path.write_bytes(render_page(article, template))
    items = list(read_paths([path]))
    assert only_problems(items) == []
    (record,) = only_records(items)
    assert record.origin == Origin(str(path))
    got = record.data
    assert got["title"] == article["title"]
    assert words(got["content"]) == words(article["content"])
    assert got["content"].count("\n\n") == article["content"].count("\n\n")  # paragraphs kept
    assert got["published"] == article["published"][:10]
    assert got["author"] == article["author"]
    valid = validate_record(record)
    assert not isinstance(valid, Problem) and valid.published == article["published"][:10]


def test_dates_written_in_the_page_in_words_hijri_or_digits() -> None:
    from indexer.readers.webpage import written_dates

    assert written_dates("الثلاثاء 27 يناير 2015") == ["2015-01-27"]
    assert written_dates("7 ربيع الآخر 1436 هـ الموافق 27 كانون الثاني 2015") == ["2015-01-27"]
    assert written_dates("تاريخ النشر: ٢٠١٥/٠١/٢٧ - 10:30") == ["2015-01-27"]
    assert written_dates("نشر في 27-01-2015") == ["2015-01-27"]
    assert written_dates("الساعة 10:30 والعدد 2015/13/45") == []


def test_the_outlet_comes_from_the_pages_domain_through_the_sources_file(tmp_path: Path) -> None:
    known = tmp_path / "known.html"
    known.write_bytes(render_page(ARTICLES[1], "manara"))  # JSON-LD names the page's URL
    stranger = dict(ARTICLES[1], url="https://www.qanat-jadida.example/akhbar/1", source="")
    unknown = tmp_path / "unknown.html"
    unknown.write_bytes(render_page(stranger, "nabd"))  # og:url on an unlisted domain
    first, second = only_records(list(read_paths([known, unknown])))
    assert first.data["source"] == ARTICLES[1]["source"] == "sahel-press"
    assert second.data["source"] == "qanat-jadida.example"  # stable id: the bare domain


# --- encodings ---------------------------------------------------------------------------

ARABIC = "قصفت الطائرات مواقع قرب المدينة فجر الثلاثاء، وقال الأهالي إن الدخان غطى الحي؛ هل انتهى القصف؟"


@pytest.mark.parametrize("encoding, declared, http", [
    ("utf-8", None, None),
    ("windows-1256", None, None),             # no charset anywhere: detected
    ("windows-1256", None, "windows-1256"),   # only in the HTTP header
    ("windows-1256", "windows-1256", None),   # in a meta tag
    ("iso-8859-6", "iso-8859-6", None),
    ("iso-8859-6", None, "ISO-8859-6"),
    ("windows-1256", "utf-8", None),          # a stale meta tag that does not decode: not believed
])
def test_arabic_pages_decode_however_their_encoding_is_declared(encoding: str, declared: str | None,
                                                                http: str | None) -> None:
    meta = f'<meta charset="{declared}">' if declared else ""
    page = f"<html><head>{meta}<title>خبر</title></head><body><p>{ARABIC * 3}</p></body></html>"
    text, how = decode_page(page.encode(encoding), http)
    assert ARABIC * 3 in text, how


def test_utf8_with_a_byte_order_mark() -> None:
    text, how = decode_page(b"\xef\xbb\xbf" + f"<p>{ARABIC}</p>".encode("utf-8"))
    assert text == f"<p>{ARABIC}</p>" and "byte-order" in how


def test_a_windows_1256_page_without_charset_through_the_reader(tmp_path: Path) -> None:
    assert TEMPLATES["wadi"].encoding == "windows-1256" and not TEMPLATES["wadi"].declares_charset
    page = render_page(ARTICLES[7], "wadi")
    assert b"charset" not in page.lower()
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    path = tmp_path / "old-site.htm"
    path.write_bytes(page)
    (record,) = only_records(list(read_paths([path])))
    assert record.data["title"] == ARTICLES[7]["title"]
    assert words(record.data["content"]) == words(ARTICLES[7]["content"])


# --- pages that are not reports ------------------------------------------------------------

@pytest.mark.parametrize("page, reason", [
    (render_section_front(ARTICLES[:8]), "section front"),
    (render_not_found("almanara.example"), "page not found"),
    (render_video_page(ARTICLES[3]), "video page"),
    (b"<html><body><h1>\xd8\xb9\xd8\xa7\xd8\xac\xd9\x84</h1><p>\xd8\xae\xd8\xa8\xd8\xb1</p></body></html>",
     "too little text"),
], ids=["section-front", "404", "video", "empty"])
def test_a_page_that_is_not_an_article_is_quarantined_with_its_reason(tmp_path: Path, page: bytes,
                                                                      reason: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page)
    (problem,) = list(read_paths([path]))
    assert isinstance(problem, Problem)
    assert problem.origin.file == str(path) and problem.field == "content"
    assert reason in problem.reason and problem.reason.startswith("not an article")


# --- WARC --------------------------------------------------------------------------------

def test_warc_responses_become_articles_with_their_url_and_the_rest_is_skipped(tmp_path: Path) -> None:
    pages = [(ARTICLES[i], template) for i, template in zip(range(10, 16), TEMPLATES)]
    path = write_warc(tmp_path / "crawl.warc.gz", pages)
    items = list(read_paths([tmp_path]))
    assert only_problems(items) == []
    records = only_records(items)
    assert [r.data["url"] for r in records] == [a["url"] for a, _ in pages]
    for record, (article, _) in zip(records, pages):
        assert record.data["title"] == article["title"]
        assert words(record.data["content"]) == words(article["content"])
        assert record.data["published"] == article["published"][:10]
        assert record.data["source"] == article["source"]
        assert record.data["fetched"] == "2025-12-01"
        assert record.origin.file == str(path) and record.origin.position is not None
    skipped = [item for item in items if isinstance(item, Skipped)]
    reasons = sorted(s.reason for s in skipped)
    assert len(skipped) == 1 + len(pages) + 3  # warcinfo, requests, robots.txt, redirect, 404
    assert "HTTP 301 response" in reasons and "HTTP 404 response" in reasons
    assert "not an HTML page (text/plain)" in reasons and "warcinfo record" in reasons


def test_a_page_without_a_date_takes_the_fetch_date(tmp_path: Path) -> None:
    undated = dict(ARTICLES[20], published="")
    path = tmp_path / "crawl.warc"
    with open(path, "wb") as handle:
        response(WARCWriter(handle, gzip=False), undated["url"], render_page(undated, "manara"),
                 date="2025-11-30T23:10:00Z")
    (record,) = only_records(list(read_paths([path])))
    assert record.data["published"] == "2025-11-30"


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_warc_keeps_every_complete_record_and_quarantines_the_cut_one(tmp_path: Path,
                                                                                  gzip: bool) -> None:
    pages = [(ARTICLES[i], "manara") for i in range(4)]
    whole = write_warc(tmp_path / "whole.warc", pages, extras=False, gzip=gzip).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    marker = ARTICLES[3]["url"].encode()
    if gzip:  # cut inside the last record's compressed member
        cut.write_bytes(whole[:len(whole) - 2000])
    else:
        cut.write_bytes(whole[:whole.rindex(marker) + 3000])
    (tmp_path / "whole.warc").unlink()
    items = list(read_paths([cut]))
    assert [r.data["url"] for r in only_records(items)] == [a["url"] for a, _ in pages[:3]]
    (problem,) = only_problems(items)
    assert problem.origin.file == str(cut) and problem.origin.position == 8  # 0: warcinfo, then (request, response) × 3, the 4th request
    assert "truncated" in problem.reason or "unreadable" in problem.reason


# --- feeds -------------------------------------------------------------------------------

@pytest.mark.parametrize("render, name", [(render_rss, "news.rss"), (render_atom, "news.atom"),
                                          (render_rss, "feed.xml"), (render_atom, "feed.xml")])
def test_feed_entries_with_full_text(tmp_path: Path, render, name: str) -> None:
    articles = ARTICLES[30:33]
    path = tmp_path / name
    path.write_bytes(render(articles, full_text=True))
    records = only_records(list(read_paths([path])))
    assert [r.origin.position for r in records] == [0, 1, 2]
    for record, article in zip(records, articles):
        assert record.data["title"] == article["title"] and record.data["url"] == article["url"]
        assert words(record.data["content"]) == words(article["content"])
        assert record.data["published"] == article["published"][:10]
        assert record.data["source"] == article["source"]
        assert not record.data.get("partial")


@pytest.mark.parametrize("render", [render_rss, render_atom])
def test_feed_entries_without_full_text_are_title_and_summary_marked_partial(tmp_path: Path, render) -> None:
    article = ARTICLES[30]
    path = tmp_path / "feed.xml"
    path.write_bytes(render([article], full_text=False))
    (record,) = only_records(list(read_paths([path])))
    title, summary = record.data["content"].split("\n\n")
    assert title == article["title"] and summary and summary.rstrip(".") in article["content"]
    assert record.data["partial"] is True
    assert validate_record(record).partial is True


def test_feeds_are_recognised_by_their_root_element_not_their_extension(tmp_path: Path) -> None:
    assert feed_kind(b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>') == "RSS"
    assert feed_kind(b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom"/>') == "Atom"
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_bytes(b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>')
    (problem,) = list(read_paths([sitemap]))
    assert isinstance(problem, Problem) and "not an RSS or Atom feed" in problem.reason and "<urlset>" in problem.reason


def test_a_full_page_wins_over_the_feeds_partial_summary_in_either_order(tmp_path: Path) -> None:
    article = ARTICLES[5]
    (tmp_path / "a-feed.xml").write_bytes(render_rss([article], full_text=False))
    (tmp_path / "page.html").write_bytes(render_page(article, "manara"))
    (tmp_path / "z-feed.xml").write_bytes(render_rss([article], full_text=False))
    home = tmp_path / "home"
    summary = build_index([tmp_path], home, workers=1)
    assert summary["documents"] == 1 and summary["duplicates"] == 2
    stored = stored_documents(home)
    (doc,) = stored.values()
    assert words(doc["content"]) == words(article["content"]) and not doc["partial"]
    update = update_index([tmp_path / "a-feed.xml"], home)
    assert update["added"] == 0 and update["replaced"] == 0


# --- real indexes ------------------------------------------------------------------------

def stored_documents(home: Path) -> dict[str, dict]:
    from indexer import generations as gens

    ix = gens.open_index(gens.live_generation(home))
    with ix.searcher() as searcher:
        return {doc["id"]: doc for doc in searcher.documents()}


def test_a_folder_of_pages_and_a_warc_build_a_searchable_index(tmp_path: Path) -> None:
    from tests.indexer.conftest import marsad

    folder = tmp_path / "saved"
    folder.mkdir()
    names = list(TEMPLATES)
    for i in range(12):
        (folder / f"{i:02d}.html").write_bytes(render_page(ARTICLES[i], names[i % len(names)]))
    (folder / "front.html").write_bytes(render_section_front(ARTICLES[:6]))
    write_warc(folder / "crawl.warc.gz", [(ARTICLES[i], names[i % len(names)]) for i in range(12, 18)])
    stranger = dict(ARTICLES[18], url="https://qanat-jadida.example/news/1", source="")
    write_warc(folder / "other.warc", [(stranger, "manara")], extras=False, gzip=False)
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("saved/page.html", render_page(ARTICLES[19], "sahel"))
        archive.writestr("feed.rss", render_rss([ARTICLES[20]], full_text=True))
    home = tmp_path / "home"
    result = marsad("index", "build", str(folder), "--index", str(home), "--workers", "1", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["documents"] == 21 and summary["quarantined"] == 1
    assert summary["skipped"] == 1 + 6 + 3 + 2  # warcinfo, requests, extras; other.warc's warcinfo and request
    (problem,) = [json.loads(line) for line in (home / "quarantine.jsonl").read_text("utf-8").splitlines()]
    assert problem["file"].endswith("front.html") and problem["field"] == "content"
    stats = json.loads(marsad("index", "stats", "--index", str(home), "--json").stdout)
    assert stats["unknown_sources"] == 1  # qanat-jadida.example
    # a word only the WARC's first article has, found through the real search command
    target = ARTICLES[12]
    found = json.loads(marsad("search", target["title"], "--index", str(home), "--json").stdout)
    assert found["hits"][0]["url"] == target["url"] and found["hits"][0]["title"] == target["title"]
    assert found["hits"][0]["published"] == target["published"][:10]
    assert found["hits"][0]["source"] == target["source"]


def test_a_warc_from_marsad_fetch_and_one_from_warcio_rebuild_into_the_same_index(tmp_path: Path) -> None:
    """The crawl a user makes with `marsad fetch` and the same pages archived by another tool
    (warcio here) index to identical documents, offline (the servers are stopped before the builds)."""
    from indexer.fetch import FetchSettings, fetch_feeds
    from tests.support.outlet_server import outlets, publish

    with outlets(2) as (one, two):
        served = publish(one, ARTICLES[50:56], "wadi") + publish(two, ARTICLES[56:62], "rafidain")
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"{one.url('/feed.xml')}\n{two.url('/feed.xml')}\n", "utf-8")
        summary = fetch_feeds(feeds, tmp_path / "fetched", FetchSettings(delay=0, timeout=5.0))
        bodies = {a["url"]: host.routes[a["url"][len(host.base):]] for host in (one, two) for a in served
                  if a["url"].startswith(host.base)}
    assert summary["pages_fetched"] == 12
    archived = tmp_path / "archived"
    archived.mkdir()
    with open(archived / "other-tool.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, route in bodies.items():
            response(writer, url, route.body, route.content_type)
    homes = tmp_path / "a", tmp_path / "b"
    for source, home in zip((tmp_path / "fetched", archived), homes):
        assert build_index([source], home, workers=1)["documents"] == 12
    fetched, other = (stored_documents(home) for home in homes)
    assert fetched == other
    for article in served:
        doc = next(d for d in fetched.values() if d["url"] == article["url"])
        assert doc["title"] == article["title"] and words(doc["content"]) == words(article["content"])


def test_a_short_lead_that_names_a_date_stays_in_the_body() -> None:
    from indexer.readers.webpage import strip_heading_lines

    lines = ["عنوان الخبر", "الثلاثاء 27 يناير 2015", "قتل خمسة مدنيين في قصف على المدينة يوم 26 يناير 2015.",
             "وقال شهود إن القصف استمر ساعتين."]
    assert strip_heading_lines(lines, "عنوان الخبر", "") == lines[2:]


def test_an_xhtml_page_with_an_xml_declaration_is_read(tmp_path: Path) -> None:
    page = render_page(ARTICLES[5], "manara").replace(b"<!DOCTYPE html>", b'<?xml version="1.0" encoding="utf-8"?>\n')
    path = tmp_path / "page.htm"
    path.write_bytes(page)
    (record,) = only_records(list(read_paths([path])))
    assert record.data["title"] == ARTICLES[5]["title"]


def test_a_partial_feed_entry_says_so_in_the_article_api(tmp_path: Path) -> None:
    from search.engine import Engine
    from web.app import create_app

    feed = tmp_path / "feed.rss"
    feed.write_bytes(render_rss([ARTICLES[30]], full_text=False))
    page = tmp_path / "page.html"
    page.write_bytes(render_page(ARTICLES[31], "nabd"))
    home = tmp_path / "home"
    build_index([feed, page], home, workers=1)
    with Engine(home) as engine:
        ids = {doc["url"]: doc["id"] for doc in stored_documents(home).values()}
        assert engine.article(ids[ARTICLES[30]["url"]])["partial"] is True
        assert engine.article(ids[ARTICLES[31]["url"]])["partial"] is False
    client = create_app(home).test_client()
    answer = client.get(f"/api/articles/{ids[ARTICLES[30]['url']]}")
    assert answer.status_code == 200 and answer.get_json()["partial"] is True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000) | st.text(max_size=1500).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode()))
def test_any_bytes_as_a_page_or_a_feed_give_a_record_or_a_problem_never_an_exception(data: bytes) -> None:
    from indexer.readers.web import page_record, read_feed

    text, how = decode_page(data, None)
    assert isinstance(text, str) and how
    where = Origin("fuzz.html")
    assert isinstance(page_record(data, None, None, where), (RawRecord, Problem))
    assert all(isinstance(item, (RawRecord, Problem)) for item in read_feed(data, Origin("fuzz.xml")))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.booleans())
def test_a_warc_cut_anywhere_never_raises_and_keeps_whole_records(cut: int, gzip: bool) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for article in ARTICLES[60:62]:
        response(writer, article["url"], render_page(article, "manara"))
    data = buffer.getvalue()
    from indexer.readers.web import read_warc

    items = list(read_warc(io.BytesIO(data[:cut * len(data) // 10_000]), Origin("cut.warc")))
    kept = [r.data["url"] for r in only_records(items)]
    assert kept == [a["url"] for a in ARTICLES[60:60 + len(kept)]]
    assert len(only_problems(items)) <= 1


def test_every_corpus_article_in_some_template_is_read_whole_and_none_is_taken_for_a_non_article(
        tmp_path: Path) -> None:
    names = list(TEMPLATES) + list(BLIND_TEMPLATES)
    for i, article in enumerate(ARTICLES):
        (tmp_path / f"{i:03d}.html").write_bytes(render_page(article, names[i % len(names)]))
    items = list(read_paths([tmp_path]))
    assert only_problems(items) == []
    records = only_records(items)
    assert len(records) == len(ARTICLES)
    wrong = [(names[i % len(names)], a["id"]) for i, (r, a) in enumerate(zip(records, ARTICLES))
             if (r.data["title"], words(r.data["content"]), r.data["published"], r.data["author"])
             != (a["title"], words(a["content"]), a["published"][:10], a["author"])]
    assert wrong == []


def test_an_update_with_the_full_page_replaces_the_feeds_summary(tmp_path: Path) -> None:
    article = ARTICLES[8]
    feed = tmp_path / "feed.xml"
    feed.write_bytes(render_atom([article], full_text=False))
    home = tmp_path / "home"
    build_index([feed], home, workers=1)
    (doc,) = stored_documents(home).values()
    assert doc["partial"] is True
    page = tmp_path / "page.html"
    page.write_bytes(render_page(article, "rafidain"))
    assert update_index([page], home)["replaced"] == 1
    (doc,) = stored_documents(home).values()
    assert doc["partial"] is False and words(doc["content"]) == words(article["content"])
