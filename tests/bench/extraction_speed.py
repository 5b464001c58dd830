"""Extraction throughput on SaudiNewsNet, one core: articles/s, p95 ms per article, peak RSS.

Run by hand:  python tests/bench/extraction_speed.py [--days 3] [--runs 5]
Reads ../shared/corpora/saudinewsnet (or $MARSAD_SHARED) at run time; nothing is copied.
Target (issue 4): ≥ 1,000 articles/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from indexer.entities.extract import get_extractor  # noqa: E402


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def load_articles(days: int) -> list[tuple[str, str, dt.date, str]]:
    folder = shared_dir() / "corpora" / "saudinewsnet"
    out = []
    for path in sorted(folder.glob("*.zip"))[:days]:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for a in json.loads(archive.read(name)):
                    published = dt.date.fromisoformat(a["date_extracted"][:10])
                    out.append((a.get("title") or "", a.get("content") or "", published, a.get("source") or ""))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3, help="crawl days (ZIPs) to read")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    extractor = get_extractor()
    load_s = time.perf_counter() - started
    articles = load_articles(args.days)
    words = sum(len(a[1].split()) for a in articles)
    print(f"extractor loaded in {load_s:.2f}s; {len(articles)} articles, {words / len(articles):.0f} words avg")

    for title, content, published, source in articles:  # warm the per-word caches
        extractor.extract(title, content, published, source)

    rates = []
    per_article_ms = []
    clock = time.perf_counter
    for _ in range(args.runs):
        run_start = clock()
        for title, content, published, source in articles:  # the outlet, as the build passes it
            t0 = clock()
            extractor.extract(title, content, published, source)
            per_article_ms.append((clock() - t0) * 1000)
        rates.append(len(articles) / (clock() - run_start))
    per_article_ms.sort()
    p95 = per_article_ms[int(0.95 * (len(per_article_ms) - 1))]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles/s (median of {args.runs} runs): {statistics.median(rates):,.0f}"
          f"  [min {min(rates):,.0f}, max {max(rates):,.0f}]")
    print(f"per article: median {statistics.median(per_article_ms):.3f} ms, p95 {p95:.3f} ms,"
          f" max {per_article_ms[-1]:.1f} ms")
    print(f"peak RSS: {rss_mb:.0f} MB")
    print(f"index_fields sample: {extractor.index_fields(extractor.extract(*articles[0]))}")


if __name__ == "__main__":
    main()
