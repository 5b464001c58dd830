"""`marsad fetch` against real HTTP servers on 127.0.0.1 playing news outlets: feeds, pages with
news-site boilerplate, redirects, 304s, a slow host, a 500, robots.txt, oversized and non-HTML
pages. What is checked is what a user relies on: the WARC files hold the pages as fetched, the
folder remembers what it holds, and a bad host costs only its own pages."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from indexer.fetch import FetchSettings, fetch_feeds
from indexer.fetch.archive import OPEN_SUFFIX
from indexer.fetch.crawl import by_host
from indexer.fetch.feedlist import canonical_url, read_feed_list
from indexer.fetch.state import locked
from tests.support import news_sites
from tests.support.outlet_server import LAST_MODIFIED, Outlet, Route, outlets, publish

from .conftest import marsad

FAST = FetchSettings(delay=0, timeout=1.0, retries=2, backoff=0.01)


def write_feeds(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text("# outlets we follow\n\n" + "\n".join(f"{u}   # a note" for u in urls) + "\n", "utf-8")
    return path


def warc_responses(folder: Path) -> dict[str, bytes]:
    """Target URI → decoded payload of every response record in FOLDER's WARC files."""
    pages = {}
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    pages[record.rec_headers.get_header("WARC-Target-URI")] = record.content_stream().read()
    return pages


def warc_record_types(folder: Path) -> list[str]:
    types = []
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as handle:
            types += [record.rec_type for record in ArchiveIterator(handle)]
    return types


@pytest.fixture()
def outlet():
    with outlets(1) as (one,):
        yield one


def test_feeds_and_their_pages_land_in_a_dated_warc_as_fetched(tmp_path: Path) -> None:
    articles = news_sites.corpus_articles(9)
    with outlets(2) as (rss_host, atom_host):
        on_rss = publish(rss_host, articles[:5], "manara")
        on_atom = publish(atom_host, articles[5:], "nabd", feed_path="/atom", atom=True)
        summary = fetch_feeds(write_feeds(tmp_path, rss_host.url("/feed.xml"), atom_host.url("/atom")),
                              tmp_path / "dir", FAST)
        served = {a["url"]: rss_host.routes[a["url"][len(rss_host.base):]].body for a in on_rss}
        served |= {a["url"]: atom_host.routes[a["url"][len(atom_host.base):]].body for a in on_atom}
        agents = {entry.headers.get("User-Agent") for o in (rss_host, atom_host) for entry in o.log}
    assert summary["feeds_fetched"] == 2 and summary["pages_fetched"] == 9 and summary["failed_hosts"] == []
    assert warc_responses(tmp_path / "dir") == served  # byte for byte, gzip transfer undone by the reader
    [warc] = summary["warc_files"]
    assert Path(warc).name.startswith(f"marsad-{time.strftime('%Y%m%d', time.gmtime())}")
    assert warc_record_types(tmp_path / "dir") == ["warcinfo"] + ["response", "request"] * 9
    assert all(agent and agent.startswith("Marsad/") for agent in agents)
    assert summary["bytes"] > 0 and not list((tmp_path / "dir").glob(f"*{OPEN_SUFFIX}"))


def test_a_second_run_sends_validators_gets_304_and_fetches_nothing_again(tmp_path: Path, outlet: Outlet) -> None:
    publish(outlet, news_sites.corpus_articles(3), "shurfa")
    feeds = write_feeds(tmp_path, outlet.url("/feed.xml"))
    first = fetch_feeds(feeds, tmp_path / "dir", FAST)
    second = fetch_feeds(feeds, tmp_path / "dir", FAST)
    assert first["pages_fetched"] == 3
    assert second["feeds_not_modified"] == 1 and second["pages_fetched"] == 0 and second["warc_files"] == []
    conditional = outlet.requests_for("/feed.xml")[-1].headers
    assert conditional["If-None-Match"] == '"/feed.xml-3"' and conditional["If-Modified-Since"] == LAST_MODIFIED
    assert len(list((tmp_path / "dir").glob("*.warc.gz"))) == 1


def test_a_changed_feed_brings_only_its_new_pages(tmp_path: Path, outlet: Outlet) -> None:
    articles = news_sites.corpus_articles(5)
    publish(outlet, articles[:3], "shurfa")
    feeds = write_feeds(tmp_path, outlet.url("/feed.xml"))
    fetch_feeds(feeds, tmp_path / "dir", FAST)
    publish(outlet, articles, "shurfa")  # the feed now lists five: the first three again plus two
    again = fetch_feeds(feeds, tmp_path / "dir", FAST)
    assert again["feeds_fetched"] == 1 and again["links"] == 5
    assert again["pages_new"] == 2 and again["pages_fetched"] == 2
    assert len(warc_responses(tmp_path / "dir")) == 5
    assert all(len(outlet.requests_for(f"/news/{a['id']}.html")) == 1 for a in articles)


def test_redirects_are_followed_and_the_final_page_is_kept(tmp_path: Path, outlet: Outlet) -> None:
    [article] = publish(outlet, news_sites.corpus_articles(1), "manara")
    final_path = article["url"][len(outlet.base):]
    outlet.routes["/short/1"] = Route(301, headers={"Location": "/hop/1"})
    outlet.routes["/hop/1"] = Route(302, headers={"Location": outlet.url(final_path)})
    outlet.routes["/feed.xml"] = Route(body=news_sites.render_rss([dict(article, url=outlet.url("/short/1"))]),
                                       content_type="application/rss+xml")
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir", FAST)
    assert summary["pages_fetched"] == 1
    assert list(warc_responses(tmp_path / "dir")) == [outlet.url(final_path)]
    again = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir", FAST)
    assert again["pages_new"] == 0  # the feed's short link is remembered as fetched


def test_a_redirect_loop_and_too_many_redirects_are_reported_not_followed_forever(tmp_path: Path,
                                                                                   outlet: Outlet) -> None:
    outlet.routes["/loop/a"] = Route(302, headers={"Location": "/loop/b"})
    outlet.routes["/loop/b"] = Route(302, headers={"Location": "/loop/a"})
    for hop in range(8):
        outlet.routes[f"/chain/{hop}"] = Route(301, headers={"Location": f"/chain/{hop + 1}"})
    entries = [{"title": "حلقة", "url": outlet.url("/loop/a"), "content": "نص قصير."},
               {"title": "سلسلة", "url": outlet.url("/chain/0"), "content": "نص قصير."}]
    outlet.routes["/feed.xml"] = Route(body=news_sites.render_rss(entries), content_type="application/rss+xml")
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir", FAST)
    reasons = {e["url"]: e["reason"] for e in summary["errors"]}
    assert summary["pages_failed"] == 2 and summary["pages_fetched"] == 0
    assert reasons[outlet.url("/loop/a")].startswith("redirect loop")
    assert reasons[outlet.url("/chain/0")] == "more than 5 redirects"
    assert len(outlet.requests_for("/loop/a")) == 1 and not outlet.requests_for("/chain/6")


def test_a_slow_host_times_out_is_reported_and_the_others_are_fetched(tmp_path: Path) -> None:
    articles = news_sites.corpus_articles(4)
    with outlets(2) as (slow, good):
        publish(slow, articles[:2], "manara")
        slow.routes["/robots.txt"] = Route(404, b"", pause=3.0)
        publish(good, articles[2:], "nabd")
        started = time.monotonic()
        summary = fetch_feeds(write_feeds(tmp_path, slow.url("/feed.xml"), good.url("/feed.xml")),
                              tmp_path / "dir", FetchSettings(delay=0, timeout=0.3, retries=1, backoff=0.01))
        elapsed = time.monotonic() - started
    [failed] = summary["failed_hosts"]
    assert failed["host"] == slow.base.removeprefix("http://") and "timed out" in failed["reason"]
    assert summary["feeds_failed"] == 1 and summary["pages_fetched"] == 2
    assert len(slow.requests_for("/robots.txt")) == 2 and not slow.requests_for("/feed.xml")
    assert elapsed < 2.5  # the slow host's 3 s answers were not waited for


def test_an_unreachable_host_is_reported_and_never_fatal(tmp_path: Path, outlet: Outlet) -> None:
    gone = Outlet()
    gone_url = gone.url("/feed.xml")
    gone.stop()  # the port is closed: connection refused
    publish(outlet, news_sites.corpus_articles(2), "manara")
    result = marsad("fetch", str(write_feeds(tmp_path, gone_url, outlet.url("/feed.xml"))), "--into",
                    str(tmp_path / "dir"), "--delay", "0", "--retries", "0", "--json",
                    "--contact", "https://observatory.example/crawler")
    assert result.returncode == 0, result.stderr
    assert outlet.log[0].headers["User-Agent"].endswith("; +https://observatory.example/crawler)")
    summary = json.loads(result.stdout)
    assert summary["pages_fetched"] == 2
    assert [h["host"] for h in summary["failed_hosts"]] == [gone_url.split("/")[2]]
    assert "connection" in summary["failed_hosts"][0]["reason"]
    assert summary["errors"] == [{"url": gone_url, "reason": f"host {gone_url.split('/')[2]} failed: "
                                  + summary["failed_hosts"][0]["reason"]}]


def test_a_500_is_retried_with_backoff_then_reported_and_retried_next_run(tmp_path: Path, outlet: Outlet) -> None:
    articles = publish(outlet, news_sites.corpus_articles(3), "sahel")
    broken = articles[0]["url"][len(outlet.base):]
    outlet.routes[broken] = Route(500, b"<h1>Internal error</h1>")
    feeds = write_feeds(tmp_path, outlet.url("/feed.xml"))
    summary = fetch_feeds(feeds, tmp_path / "dir", FAST)
    assert len(outlet.requests_for(broken)) == 1 + FAST.retries
    assert summary["pages_fetched"] == 2 and summary["pages_failed"] == 1 and summary["failed_hosts"] == []
    assert summary["errors"] == [{"url": articles[0]["url"], "reason": "HTTP 500 after 3 attempts"}]
    outlet.routes[broken] = Route(body=news_sites.render_page(articles[0], "sahel"))
    again = fetch_feeds(feeds, tmp_path / "dir", FAST)  # validators were not kept: the feed is read in full
    assert again["feeds_fetched"] == 1 and again["pages_fetched"] == 1 and again["pages_new"] == 1


def test_a_429_is_retried_after_the_wait_it_asks_for(tmp_path: Path, outlet: Outlet) -> None:
    articles = publish(outlet, news_sites.corpus_articles(1), "manara")
    path = articles[0]["url"][len(outlet.base):]
    page = outlet.routes[path]
    outlet.routes[path] = Route(429, b"slow down", headers={"Retry-After": "1"})

    def recover() -> None:
        while not outlet.requests_for(path):
            time.sleep(0.01)
        outlet.routes[path] = page

    threading.Thread(target=recover, daemon=True).start()
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir",
                          FetchSettings(delay=0, timeout=2, retries=1, backoff=0.01))
    first, second = outlet.requests_for(path)
    assert summary["pages_fetched"] == 1 and second.at - first.at >= 0.99


def test_robots_txt_disallow_is_obeyed(tmp_path: Path, outlet: Outlet) -> None:
    articles = publish(outlet, news_sites.corpus_articles(3), "manara")
    private = articles[1]["url"][len(outlet.base):]
    outlet.routes["/robots.txt"] = Route(body=f"User-agent: *\nDisallow: /*{articles[1]['id'][-8:]}.html$\n"
                                              "\nUser-agent: OtherBot\nDisallow: /\n".encode(),
                                         content_type="text/plain")
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir", FAST)
    assert summary["pages_skipped_robots"] == 1 and summary["pages_fetched"] == 2
    assert not outlet.requests_for(private)
    assert articles[1]["url"] not in warc_responses(tmp_path / "dir")


def test_a_redirect_to_another_host_obeys_that_hosts_robots_txt(tmp_path: Path) -> None:
    with outlets(2) as (links, pages):
        articles = publish(pages, news_sites.corpus_articles(2), "manara")
        pages.routes["/robots.txt"] = Route(body=f"User-agent: *\nDisallow: /news/{articles[0]['id']}\n".encode(),
                                            content_type="text/plain")
        entries = []
        for number, article in enumerate(articles):
            links.routes[f"/go/{number}"] = Route(301, headers={"Location": article["url"]})
            entries.append(dict(article, url=links.url(f"/go/{number}")))
        links.routes["/feed.xml"] = Route(body=news_sites.render_rss(entries), content_type="application/rss+xml")
        summary = fetch_feeds(write_feeds(tmp_path, links.url("/feed.xml")), tmp_path / "dir", FAST)
        assert not pages.requests_for(articles[0]["url"][len(pages.base):])
    assert summary["pages_skipped_robots"] == 1 and summary["pages_fetched"] == 1
    assert list(warc_responses(tmp_path / "dir")) == [articles[1]["url"]]


def test_a_host_whose_robots_txt_answers_5xx_is_not_crawled(tmp_path: Path, outlet: Outlet) -> None:
    publish(outlet, news_sites.corpus_articles(2), "manara")
    outlet.routes["/robots.txt"] = Route(503, b"busy")
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir",
                          FetchSettings(delay=0, timeout=1, retries=0, backoff=0))
    assert "robots.txt unreachable" in summary["failed_hosts"][0]["reason"]
    assert not outlet.requests_for("/feed.xml") and summary["pages_fetched"] == 0


def test_the_delay_between_two_requests_to_one_host_is_kept(tmp_path: Path, outlet: Outlet) -> None:
    publish(outlet, news_sites.corpus_articles(3), "manara")
    fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir",
                FetchSettings(delay=0.25, timeout=2, retries=0))
    times = [entry.at for entry in outlet.log]
    assert len(times) == 5  # robots.txt, the feed, three pages
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.2  # 0.25 s, less arrival jitter


def test_a_crawl_delay_in_robots_txt_is_honoured(tmp_path: Path, outlet: Outlet) -> None:
    publish(outlet, news_sites.corpus_articles(2), "manara")
    outlet.routes["/robots.txt"] = Route(body=b"User-agent: Marsad\nCrawl-delay: 0.3\n", content_type="text/plain")
    fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir", FAST)
    times = [entry.at for entry in outlet.log]
    assert min(b - a for a, b in zip(times[1:], times[2:])) >= 0.25  # 0.3 s, less arrival jitter; FAST has 0


def test_an_oversized_page_and_a_non_html_link_are_skipped_and_counted(tmp_path: Path, outlet: Outlet) -> None:
    articles = publish(outlet, news_sites.corpus_articles(3), "manara")
    big = articles[0]["url"][len(outlet.base):]
    outlet.routes[big] = Route(body=b"<html><body>" + b"<p>x</p>" * 40_000 + b"</body></html>", compress=False)
    outlet.routes["/media/clip.mp4"] = Route(body=b"\x00" * 1000, content_type="video/mp4")
    entries = articles + [{"title": "مقطع", "url": outlet.url("/media/clip.mp4"), "content": "مقطع مصور."}]
    outlet.routes["/feed.xml"] = Route(body=news_sites.render_rss(entries), content_type="application/rss+xml")
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir",
                          FetchSettings(delay=0, timeout=2, retries=0, max_bytes=100_000))
    assert summary["pages_too_large"] == 1 and summary["pages_not_html"] == 1 and summary["pages_fetched"] == 2
    assert set(warc_responses(tmp_path / "dir")) == {a["url"] for a in articles[1:]}


def test_a_page_that_grows_past_the_cap_while_streaming_is_dropped(tmp_path: Path, outlet: Outlet) -> None:
    """No Content-Length announced (the body runs until the connection closes): the cap is
    applied to the bytes read, and reading stops there."""
    articles = publish(outlet, news_sites.corpus_articles(2), "manara")
    path = articles[0]["url"][len(outlet.base):]
    outlet.routes[path] = Route(body=b"<html>" + bytes(range(256)) * 2000 + b"</html>", compress=False,
                                announce_length=False)
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), tmp_path / "dir",
                          FetchSettings(delay=0, timeout=2, retries=0, max_bytes=200_000))
    assert summary["pages_too_large"] == 1 and summary["pages_fetched"] == 1


def test_a_bad_feed_list_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://127.0.0.1:9/feed.xml\nftp://example.org/feed\n", "utf-8")
    result = marsad("fetch", str(feeds), "--into", str(tmp_path / "dir"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"marsad: error: {feeds}:2: not an http(s) URL: 'ftp://example.org/feed'"
    assert not (tmp_path / "dir").exists()


def test_two_fetches_into_one_folder_do_not_run_at_once(tmp_path: Path, outlet: Outlet) -> None:
    publish(outlet, news_sites.corpus_articles(1), "manara")
    feeds = write_feeds(tmp_path, outlet.url("/feed.xml"))
    with locked(tmp_path / "dir"):
        result = marsad("fetch", str(feeds), "--into", str(tmp_path / "dir"), "--delay", "0")
        assert result.returncode == 2
        assert result.stderr.strip() == f"marsad: error: another marsad fetch is writing into {tmp_path / 'dir'}"
        assert not outlet.log
    assert fetch_feeds(feeds, tmp_path / "dir", FAST)["pages_fetched"] == 1


def test_a_contact_that_would_break_the_user_agent_is_refused(tmp_path: Path) -> None:
    result = marsad("fetch", str(write_feeds(tmp_path, "http://127.0.0.1:9/feed.xml")), "--into",
                    str(tmp_path / "dir"), "--contact", "مرصد (ops)")
    assert result.returncode == 2 and result.stderr.startswith("marsad: error: --contact must be")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_warc_left_open_by_a_dead_run_is_closed_by_the_next(tmp_path: Path, outlet: Outlet) -> None:
    publish(outlet, news_sites.corpus_articles(1), "manara")
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / f"marsad-20250101T000000Z-00000.warc.gz{OPEN_SUFFIX}").write_bytes(b"")
    summary = fetch_feeds(write_feeds(tmp_path, outlet.url("/feed.xml")), folder, FAST)
    assert summary["recovered_warc_files"] == [str(folder / "marsad-20250101T000000Z-00000.warc.gz")]
    assert not list(folder.glob(f"*{OPEN_SUFFIX}"))


# --- the feed list, URL keys and host queues ------------------------------------------------

def test_an_interrupted_crawl_stops_every_host_after_its_current_url() -> None:
    done: list[str] = []

    def work(url: str) -> None:
        if url == "http://a.example/1":
            raise KeyboardInterrupt
        time.sleep(0.01)
        done.append(url)

    urls = ["http://a.example/1"] + [f"http://b.example/{n}" for n in range(200)]
    with pytest.raises(KeyboardInterrupt):
        by_host(urls, work, threads=2)
    assert len(done) < 50


def test_hosts_are_crawled_in_parallel_but_each_hosts_urls_in_order_one_at_a_time() -> None:
    busy: dict[str, int] = {}
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()

    def work(url: str) -> None:
        host, number = url.split("/")[2], int(url.rsplit("/", 1)[1])
        with lock:
            busy[host] = busy.get(host, 0) + 1
            assert busy[host] == 1
            seen.append((host, number))
        time.sleep(0.002)
        with lock:
            busy[host] -= 1

    urls = [f"http://h{n % 3}.example/{n}" for n in range(60)]
    by_host(urls, work, threads=3)
    for host in ("h0.example", "h1.example", "h2.example"):
        numbers = [number for name, number in seen if name == host]
        assert numbers == sorted(numbers) and len(numbers) == 20


segment = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Lo")), min_size=1, max_size=8)
http_url = st.builds(lambda scheme, host, path, fragment: f"{scheme}://{host}.example/{'/'.join(path)}{fragment}",
                     st.sampled_from(["http", "https", "HTTP"]), st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True),
                     st.lists(segment, max_size=3), st.sampled_from(["", "#top", "#"]))


@given(st.lists(st.one_of(http_url, st.just(""), st.just("   "), st.builds(lambda c: "# " + c, segment)), max_size=12))
def test_a_feed_list_gives_its_urls_in_order_once_each_without_comments(lines: list[str]) -> None:
    expected = list(dict.fromkeys(canonical_url(line) for line in lines if line.strip() and not line.startswith("#")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feeds.txt"
        path.write_text("\n".join(lines), "utf-8")
        if expected:
            assert read_feed_list(path) == expected
        else:
            with pytest.raises(ValueError, match="no feed URLs"):
                read_feed_list(path)


@given(http_url)
def test_a_canonical_url_keeps_its_path_drops_its_fragment_and_is_stable(url: str) -> None:
    key = canonical_url(url)
    assert canonical_url(key) == key and "#" not in key
    assert key.split("://", 1)[1].split("/", 1)[1] == url.split("://", 1)[1].split("/", 1)[1].split("#")[0]
    assert urlsplit(key).netloc == urlsplit(url).netloc.lower()
