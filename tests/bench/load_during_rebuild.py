"""Load while rebuilding: the real server over the full SaudiNewsNet index answers 16 concurrent
clients while a full rebuild runs and is swapped in twice (the load goes on for at least
--seconds and until both rebuilds are done).

Prints requests, errors, req/s, p50/p95/p99 idle and under rebuild, the generations seen, and
whether any answer came from a half-built index (every /healthz answer must report the whole
document count of a complete generation). Targets (issue 8): 0 errors, 0 half-built answers,
p95 under rebuild < 3 × idle p95.

    python tests/bench/load_during_rebuild.py [--index /tmp/marsad-snn] [--seconds 120] [--clients 16]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.api_throughput import ensure_index, query_paths, saudinewsnet_zips  # noqa: E402
from tests.bench.loadgen import LoadResult, peak_rss_mib, run_load  # noqa: E402
from tests.web import browser  # noqa: E402


def health_of(status: int, body: bytes) -> tuple[int, int] | None:
    if status != 200 or b'"hits"' in body or b'"generation"' not in body:
        return None
    data = json.loads(body)
    return data.get("generation"), data.get("documents")


def rebuilds(home: Path, count: int, log: list[dict]) -> None:
    zips = [str(p) for p in saudinewsnet_zips()]
    for _ in range(count):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "marsad.cli", "index", "build", *zips, "--index", str(home),
                               "--workers", "1", "--json"], capture_output=True, text=True)
        log.append({"seconds": round(time.monotonic() - started, 1), "rc": done.returncode,
                    "summary": done.stdout.strip()[-300:], "stderr": done.stderr.strip()[-300:]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=Path("/tmp/marsad-snn"))
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rebuilds", type=int, default=2)
    args = parser.parse_args()
    ensure_index(args.index)
    paths = query_paths(args.index, count=500) + ["/healthz"] * 100
    print(f"{len(set(paths))} distinct paths; load average before: {os.getloadavg()}", flush=True)
    with browser.running_server(args.index, threads=8) as base:
        run_load(base, paths[:50], clients=2, seconds=5)
        idle = run_load(base, paths, clients=args.clients, seconds=args.idle_seconds, inspect=health_of)
        print("idle:", json.dumps(idle.summary()), flush=True)
        log: list[dict] = []
        builder = threading.Thread(target=rebuilds, args=(args.index, args.rebuilds, log), daemon=True)
        builder.start()
        busy = LoadResult()
        started = time.monotonic()
        while builder.is_alive() or time.monotonic() - started < args.seconds:
            busy.absorb(run_load(base, paths, clients=args.clients, seconds=15, inspect=health_of))
            if time.monotonic() - started > 1800:
                break
        after = run_load(base, ["/healthz"], clients=1, seconds=3, inspect=health_of)
        pid = browser.last_server_pid()
        rss = round(peak_rss_mib(pid), 1) if pid else None
    seen = [s for _, s in idle.seen + busy.seen + after.seen if s]
    counts = {}
    for generation, documents in seen:
        counts.setdefault(generation, set()).add(documents)
    half_built = sum(1 for generation, documents in seen if len(counts[generation]) > 1 or not documents)
    summary = {
        "idle": idle.summary(), "during_rebuild": busy.summary(),
        "p95_ratio": round(busy.percentile(95) / idle.percentile(95), 2) if idle.latencies else None,
        "generations_seen": {str(g): sorted(d) for g, d in sorted(counts.items())},
        "generation_before": seen[0][0] if seen else None, "generation_after": seen[-1][0] if seen else None,
        "half_built_answers": half_built, "rebuilds": log, "server_peak_rss_mib": rss,
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for line in busy.errors[:10]:
        print("error:", line)


if __name__ == "__main__":
    main()
