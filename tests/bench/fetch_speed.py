"""`marsad fetch` speed and memory: N pages from local outlets with the politeness delay at 0.

Run by hand:  python tests/bench/fetch_speed.py [--pages 500] [--hosts 4] [--page-kb 200]

The outlets run in a separate process (ThreadingHTTPServer on 127.0.0.1, one port per host), so
the fetcher's process is measured alone. Each host publishes one RSS feed linking its share of
the pages; pages are corpus/ articles in the tests' news-site templates, padded with an
incompressible inline script to PAGE_KB (real pages carry 100–300 KB of markup and scripts), so
a fetcher that held its pages would grow by about pages × PAGE_KB. Two runs, side by side in
one invocation: the pages spread over HOSTS hosts (crawled in parallel, one request at a time
each), and the same number on a single host. RSS of the fetching process and its peak so far (ru_maxrss) are
printed at the start, the middle (half the pages in the WARC) and the end, and the
fetcher's CPU time (the shared machine's load stretches wall time, not CPU time).
Target (issue 13): ≥ 20 pages/s with delay 0; memory flat (streaming, not holding pages).
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from indexer.fetch import FetchSettings, fetch_feeds  # noqa: E402
from indexer.fetch.state import FetchState  # noqa: E402
from tests.support import news_sites  # noqa: E402
from tests.support.outlet_server import Outlet, publish  # noqa: E402

TEMPLATES = list(news_sites.TEMPLATES)


def padded(article: dict, number: int) -> dict:
    """Article NUMBER: a corpus article under a fresh id (the corpus has fewer than N)."""
    return dict(article, id=f"{article['id']}-{number:05d}")


def serve(pages: int, hosts: int, page_kb: int, ready: "multiprocessing.connection.Connection") -> None:
    articles = news_sites.corpus_articles()
    noise = random.Random(13)
    servers = [Outlet() for _ in range(hosts)]
    for index, outlet in enumerate(servers):
        share = [padded(articles[n % len(articles)], n) for n in range(index, pages, hosts)]
        publish(outlet, share, TEMPLATES[index % len(TEMPLATES)])
        for path, route in outlet.routes.items():
            if path.startswith("/news/"):
                filler = base64.b64encode(noise.randbytes(page_kb * 768)).decode("ascii")
                route.body = route.body.replace(b"</body>", f"<script>var ads='{filler}';</script></body>".encode())
                route.gzipped()  # compressed before the clock starts, as a site's cache holds it
        outlet.start()
    ready.send([outlet.url("/feed.xml") for outlet in servers])
    threading.Event().wait()


def rss_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(label: str, pages: int, hosts: int, page_kb: int) -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(pages, hosts, page_kb, child), daemon=True)
    server.start()
    feeds_urls = parent.recv()
    with tempfile.TemporaryDirectory(prefix="marsad-fetch-bench-") as tmp:
        feeds = Path(tmp) / "feeds.txt"
        feeds.write_text("\n".join(feeds_urls) + "\n", "utf-8")
        into = Path(tmp) / "web"
        marks: dict[str, tuple[float, float]] = {"start": (rss_mib(), peak_mib())}
        done = threading.Event()

        def watch_middle() -> None:
            database = into / ".marsad" / "fetch.sqlite"
            while not done.wait(0.05):
                if database.exists():
                    state = FetchState(into)
                    try:
                        if state.page_count() >= pages // 2:
                            marks["middle"] = (rss_mib(), peak_mib())
                            return
                    finally:
                        state.close()

        watcher = threading.Thread(target=watch_middle, daemon=True)
        watcher.start()
        started, cpu = time.perf_counter(), time.process_time()
        summary = fetch_feeds(feeds, into, FetchSettings(delay=0, timeout=30, hosts=hosts))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        done.set()
        marks["end"] = (rss_mib(), peak_mib())
        warc_mib = sum(Path(p).stat().st_size for p in summary["warc_files"]) / 2**20
    server.terminate()
    rate = summary["pages_fetched"] / seconds
    print(f"{label}: {summary['pages_fetched']} pages in {seconds:.1f} s = {rate:.1f} pages/s "
          f"(failed {summary['pages_failed']}, WARC {warc_mib:.0f} MiB, {summary['bytes'] / 2**20:.0f} MiB fetched); "
          f"fetcher CPU {cpu:.1f} s = {summary['pages_fetched'] / cpu:.0f} pages per CPU-second")
    print("  RSS (peak so far): " + ", ".join(
        f"{when} {marks[when][0]:.0f} ({marks[when][1]:.0f}) MiB" for when in ("start", "middle", "end") if when in marks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--page-kb", type=int, default=200)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {args.pages} pages of ~{args.page_kb} KB, delay 0")
    run(f"{args.hosts} hosts", args.pages, args.hosts, args.page_kb)
    run("1 host", args.pages, 1, args.page_kb)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
