"""API throughput through the real WSGI server (`marsad serve`) on 127.0.0.1.

8 concurrent clients for 60 s against the full SaudiNewsNet index, drawing from ≥ 500
distinct queries (names of places and actors, phrases, filters, pages, empty-query browsing)
so that no cache can carry it. Prints requests/s, p50/p95/p99, errors and the server's peak RSS.
Target (issue 6): ≥ 100 req/s at p95 ≤ 150 ms, 0 errors.

    python tests/bench/api_throughput.py [--index /tmp/marsad-snn] [--seconds 60] [--clients 8]

Builds the index first (into --index) if it is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.loadgen import peak_rss_mib, run_load  # noqa: E402
from tests.web.browser import running_server  # noqa: E402

SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def saudinewsnet_zips() -> list[Path]:
    return sorted((SHARED / "corpora" / "saudinewsnet").glob("*.zip"))


def ensure_index(home: Path) -> None:
    if (home / "CURRENT").exists():
        return
    from indexer.build import build_index

    print(f"building the SaudiNewsNet index into {home} …", flush=True)
    summary = build_index(saudinewsnet_zips(), home, workers=2,
                          quarantine=None, progress=False)
    print(json.dumps(summary, ensure_ascii=False), flush=True)


def query_paths(home: Path, count: int = 600, seed: int = 11) -> list[str]:
    """Distinct API searches built from the index's own entity names, with and without filters."""
    generation = (home / "CURRENT").read_text().strip()
    entities = json.loads((home / generation / "entities.json").read_text("utf-8"))
    rng = random.Random(seed)
    places = [p for p in entities["places"] if p["kind"] in ("country", "governorate", "city")]
    actors = entities["actors"]
    words = ["هجوم", "غارات", "الحوثيين", "التحالف", "داعش", "الجيش", "صواريخ", "اتفاق", "مفاوضات", "النفط",
             "اللاجئين", "الانتخابات", "الأمم المتحدة", "مجلس الأمن", "طائرة مسيرة", "قصف", "اشتباكات"]
    paths: set[str] = set()
    while len(paths) < count:
        shape = rng.random()
        params: list[tuple[str, str]] = []
        if shape < 0.35:
            params.append(("q", rng.choice(places)["name_ar"]))
        elif shape < 0.6:
            params.append(("q", rng.choice(actors)["name_ar"]))
        elif shape < 0.75:
            params.append(("q", f'"{rng.choice(words)}" {rng.choice(places)["name_ar"]}'))
        elif shape < 0.9:
            params += [("q", rng.choice(words)), ("place", rng.choice(places)["id"])]
        else:
            params += [("q", ""), ("actor", rng.choice(actors)["id"]), ("sort", "newest")]
        if rng.random() < 0.2:
            params.append(("page", str(rng.randint(2, 5))))
        paths.add("/api/search?" + urllib.parse.urlencode(params))
    return sorted(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=Path("/tmp/marsad-snn"))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    ensure_index(args.index)
    paths = query_paths(args.index)
    print(f"{len(paths)} distinct queries; load average before: {os.getloadavg()}")
    with running_server(args.index, threads=args.threads) as base:
        from tests.web import browser

        run_load(base, paths[:50], clients=2, seconds=5)  # warm the searcher and the caches of the OS
        result = run_load(base, paths, clients=args.clients, seconds=args.seconds)
        pid = browser.last_server_pid()
        summary = result.summary() | {"server_peak_rss_mib": round(peak_rss_mib(pid), 1) if pid else None,
                                      "clients": args.clients, "seconds": args.seconds,
                                      "load_average_after": os.getloadavg()}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for line in result.errors[:10]:
        print("error:", line)


if __name__ == "__main__":
    main()
