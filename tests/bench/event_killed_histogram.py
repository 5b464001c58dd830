"""What the killed-per-period histogram with date_field=event costs.

    python tests/bench/event_killed_histogram.py INDEX_HOME [--rounds 8]

Its per-event figures are columns (indexer/events/killed_days.py at index time, the segments'
columns files at open). Printed: how many reports state a killed total and how many (report, day)
rows there are; for each of a few queries, a warm search with date_field=published then its first
with date_field=event (wall time); then the warm CPU time of the same queries with
date_field=published and date_field=event, interleaved query by query so that the machine's load
falls on both alike.
Build an index first, e.g. `marsad index build ../shared/corpora/saudinewsnet/2015-07-2[1-5].zip
--index /tmp/snn5`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from search.engine import Engine

QUERIES = ["غارات", "مقتل", "اليمن", "سوريا", "داعش", "الحوثيين", "قصف", ""]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    with Engine(args.index, query_cache=0) as engine:
        with engine.lease() as gen:
            stating = int(((gen.columns.killed > 0) & gen.columns.live).sum())
            print(f"documents {gen.columns.live_count}, with a killed total > 0: {stating}, "
                  f"(report, day) rows: {len(gen.columns.killed_rows.docs)}")
        for q in QUERIES:
            engine.search({"q": q, "date_field": "published"})  # the query itself warm
            start = time.perf_counter()
            engine.search({"q": q, "date_field": "published"})
            warm = time.perf_counter() - start
            start = time.perf_counter()
            engine.search({"q": q, "date_field": "event"})
            first = time.perf_counter() - start
            print(f"q={q!r}: published {warm * 1000:.1f} ms, then first date_field=event {first * 1000:.1f} ms wall")
        cpu: dict[str, list[float]] = {"published": [], "event": []}
        for n in range(args.rounds):
            for q in QUERIES:
                fields = ("published", "event") if n % 2 == 0 else ("event", "published")
                for field in fields:
                    start = time.process_time()
                    engine.search({"q": q, "date_field": field})
                    cpu[field].append(time.process_time() - start)
        for field, values in cpu.items():
            print(f"warm, date_field={field}: CPU p50 {statistics.median(values) * 1000:.1f} ms, "
                  f"p95 {percentile(values, 0.95) * 1000:.1f} ms ({len(values)} searches)")


if __name__ == "__main__":
    main()
