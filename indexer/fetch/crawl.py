"""One `marsad fetch` run: feeds first, then the new pages they link, each host in its own
thread with one request at a time, every page streamed straight into the WARC file."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urljoin

import feedparser
from tqdm import tqdm

from indexer.fetch.archive import WarcArchive, recover_open_files
from indexer.fetch.client import FetchError, PoliteClient, Response
from indexer.fetch.feedlist import canonical_url, host_of, is_http_url, read_feed_list
from indexer.fetch.settings import FetchSettings
from indexer.fetch.state import FetchState, Validators, locked

MAX_ERRORS_LISTED = 100
PAGE_SKIPS = {"robots": "pages_skipped_robots", "too_large": "pages_too_large", "not_html": "pages_not_html",
              "host_failed": "pages_skipped_failed_host"}


@dataclass
class Tally:
    """The run's counts, filled by every crawl thread; `summary()` is the `--json` output."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[dict[str, str]] = field(default_factory=list)
    retry_later: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, key: str, amount: int = 1) -> None:
        with self.lock:
            self.counts[key] += amount

    def problem(self, key: str, url: str, reason: str, transient: bool = False) -> None:
        with self.lock:
            self.counts[key] += 1
            if transient:
                self.retry_later.add(url)
            if len(self.errors) < MAX_ERRORS_LISTED:
                self.errors.append({"url": url, "reason": reason})


def fetch_feeds(feeds_file: Path, into: Path, settings: FetchSettings | None = None,
                progress: bool = False) -> dict[str, Any]:
    """Fetch the feeds listed in FEEDS_FILE and the pages they link that INTO does not hold yet;
    append the pages to WARC files in INTO. Returns the summary. Hosts that fail are reported in
    it and skipped; only a bad feed list or an unusable INTO is an error."""
    settings = settings or FetchSettings()
    feeds = read_feed_list(feeds_file)
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tally = Tally()
    with locked(into):
        recovered = recover_open_files(into)
        state = FetchState(into)
        client = PoliteClient(settings)
        archive = WarcArchive(into, settings)
        try:
            crawl = Crawl(settings, state, client, archive, tally)
            links = crawl.read_feeds(feeds)
            pages = [url for url in dict.fromkeys(url for urls in links.values() for url in urls)
                     if not state.has_page(url)]
            tally.add("links", sum(len(urls) for urls in links.values()))
            tally.add("pages_new", len(pages))
            with tqdm(total=len(pages), unit="page", desc="fetch", disable=not progress) as bar:
                crawl.fetch_pages(pages, bar)
            for feed, validators in crawl.validators_to_keep(links).items():
                state.save_feed(feed, validators, 200)
        finally:
            files = archive.close()
            client.close()
            state.close()
    seconds = time.perf_counter() - started
    return summary(feeds, tally, client.failed_hosts(), files, recovered, into, seconds)


class Crawl:
    def __init__(self, settings: FetchSettings, state: FetchState, client: PoliteClient,
                 archive: WarcArchive, tally: Tally) -> None:
        self.settings, self.state, self.client, self.archive, self.tally = settings, state, client, archive, tally
        self.validators: dict[str, Validators] = {}

    def read_feeds(self, feeds: list[str]) -> dict[str, list[str]]:
        """Each feed's page links (empty when unchanged since last run, or failed)."""
        links: dict[str, list[str]] = {}

        def read(feed: str) -> None:
            links[feed] = self.read_feed(feed)

        by_host(feeds, read, self.settings.hosts)
        return {feed: links.get(feed, []) for feed in feeds}

    def read_feed(self, feed: str) -> list[str]:
        try:
            response = self.client.get(feed, headers=self.state.validators(feed).request_headers())
        except FetchError as error:
            self.tally.problem("feeds_failed", feed, error.reason)
            return []
        with response:
            if response.status == 304:
                self.tally.add("feeds_not_modified")
                return []
            if response.status != 200:
                self.tally.problem("feeds_failed", feed, f"HTTP {response.status}")
                return []
            try:
                links = feed_links(response, self.settings.max_bytes)
            except (FetchError, ValueError) as error:
                self.tally.problem("feeds_failed", feed, str(error))
                return []
        self.validators[feed] = Validators(response.header("ETag"), response.header("Last-Modified"))
        self.tally.add("feeds_fetched")
        return links

    def fetch_pages(self, pages: list[str], bar: tqdm) -> None:
        def fetch(url: str) -> None:
            self.fetch_page(url)
            bar.update(1)

        by_host(pages, fetch, self.settings.hosts)

    def fetch_page(self, url: str) -> None:
        if self.state.has_page(url):  # reached earlier in this run through a redirect
            self.tally.add("pages_already_had")
            return
        try:
            response = self.client.get(url, html_only=True)
        except FetchError as error:
            key = PAGE_SKIPS.get(error.kind, "pages_failed")
            self.tally.problem(key, url, error.reason, error.transient)
            return
        with response:
            if response.status != 200:
                self.tally.problem("pages_failed", url, f"HTTP {response.status}")
                return
            if response.url != url and self.state.has_page(response.url):
                self.state.add_pages(response.chain, response.url, 200, "")
                self.tally.add("pages_already_had")
                return
            warc = self.archive.write(response.request, response.http_headers, response.body,
                                      response.length, response.url)
            self.state.add_pages(response.chain, response.url, 200, warc)
            self.tally.add("pages_fetched")
            self.tally.add("bytes", response.length)

    def validators_to_keep(self, links: dict[str, list[str]]) -> dict[str, Validators]:
        """Validators to keep: a feed whose pages failed for a reason that may pass (a host
        down, a 5xx) keeps its old ones, so the next run reads it in full and retries them."""
        return {feed: validators for feed, validators in self.validators.items()
                if not any(url in self.tally.retry_later for url in links[feed])}


def feed_links(response: Response, max_bytes: int) -> list[str]:
    """The article links of an RSS or Atom feed, absolute and canonical, in feed order."""
    body = response.decoded(max_bytes)
    parsed = feedparser.parse(body, response_headers={
        "content-location": response.url, "content-type": response.header("Content-Type") or ""})
    if not parsed.entries:
        problem = getattr(parsed, "bozo_exception", None)
        if parsed.bozo and problem is not None:
            raise ValueError(f"not a feed: {str(problem)[:200]}")
        if not parsed.version:
            raise ValueError("not an RSS or Atom feed")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if link:
            url = urljoin(response.url, link.strip())
            if is_http_url(url):
                links.append(canonical_url(url))
    return links


def by_host(urls: Iterable[str], work: Callable[[str], None], threads: int) -> None:
    """Run WORK over URLS: hosts in parallel (up to THREADS), one URL at a time per host, in order."""
    queues: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        queues[host_of(url)].append(url)
    if not queues:
        return

    stop = threading.Event()

    def drain(queue: list[str]) -> None:
        for url in queue:
            if stop.is_set():
                return
            work(url)

    pool = ThreadPoolExecutor(max_workers=min(threads, len(queues)), thread_name_prefix="fetch")
    try:
        for future in [pool.submit(drain, queue) for queue in queues.values()]:
            future.result()
    except BaseException:
        stop.set()  # Ctrl-C or a bug: every thread ends after its current URL, the WARC is closed
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def summary(feeds: list[str], tally: Tally, failed_hosts: dict[str, str], files: list[Path],
            recovered: list[Path], into: Path, seconds: float) -> dict[str, Any]:
    counts = tally.counts
    fetched = counts["pages_fetched"]
    return {
        "feeds": len(feeds),
        "feeds_fetched": counts["feeds_fetched"],
        "feeds_not_modified": counts["feeds_not_modified"],
        "feeds_failed": counts["feeds_failed"],
        "links": counts["links"],
        "pages_new": counts["pages_new"],
        "pages_fetched": fetched,
        "pages_already_had": counts["pages_already_had"],
        "pages_skipped_robots": counts["pages_skipped_robots"],
        "pages_too_large": counts["pages_too_large"],
        "pages_not_html": counts["pages_not_html"],
        "pages_failed": counts["pages_failed"],
        "pages_skipped_failed_host": counts["pages_skipped_failed_host"],
        "failed_hosts": [{"host": host, "reason": reason} for host, reason in sorted(failed_hosts.items())],
        "errors": tally.errors,
        "bytes": counts["bytes"],
        "warc_files": [str(path) for path in files],
        "recovered_warc_files": [str(path) for path in recovered],
        "seconds": round(seconds, 3),
        "pages_per_s": round(fetched / seconds, 1) if seconds > 0 else None,
        "into": str(into),
    }
