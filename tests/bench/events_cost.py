"""What event extraction adds to entity extraction, side by side: CPU seconds of one pass.

Run by hand:  python tests/bench/events_cost.py [--days 3] [--rounds 2] [--rev 5bfee0a]
Each variant runs in a fresh Python process (cold caches, as a build worker starts) over the
first DAYS SaudiNewsNet crawl days read from ../shared (or $MARSAD_SHARED), and the variants
alternate round by round so load on a shared machine falls on all of them alike: `off`
(MARSAD_EVENTS=0), `on` (this tree), and with --rev the events of that git revision (exported
to a temporary folder). Prints each run's CPU seconds of the extraction loop, the medians and
the events' extra cost as a ratio over `off` (issue 11: a build with events ≤ 1.10 × without;
extraction is only part of a build, so this ratio is an upper bound of the build's).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import datetime as dt, json, sys, time, zipfile
from pathlib import Path
from indexer.entities.extract import get_extractor
folder, days = Path(sys.argv[1]), int(sys.argv[2])
articles = []
for path in sorted(folder.glob("*.zip"))[:days]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            for a in json.loads(archive.read(name)):
                articles.append((a.get("title") or "", a.get("content") or "",
                                 dt.date.fromisoformat(a["date_extracted"][:10])))
extractor = get_extractor()
started = time.process_time()
events = sum(len(extractor.extract(t, c, p)["events"]) for t, c, p in articles)
print(time.process_time() - started, len(articles), events)
"""


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def run(code_root: Path, events: bool, days: int) -> tuple[float, int, int]:
    env = dict(os.environ, PYTHONPATH=str(code_root), MARSAD_EVENTS="1" if events else "0")
    out = subprocess.run([sys.executable, "-c", CHILD, str(shared_dir() / "corpora" / "saudinewsnet"), str(days)],
                         env=env, cwd=tempfile.gettempdir(), check=True, capture_output=True, text=True).stdout
    cpu, articles, found = out.split()
    return float(cpu), int(articles), int(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rev", default=None, help="also time the events of this git revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        variants: dict[str, tuple[Path, bool]] = {"off": (REPO, False), "on": (REPO, True)}
        if args.rev:
            old = Path(tmp) / "rev"
            old.mkdir()
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.rev], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            variants[args.rev] = (old, True)
        times: dict[str, list[float]] = {name: [] for name in variants}
        for r in range(args.rounds):
            for name, (root, events) in variants.items():
                cpu, articles, found = run(root, events, args.days)
                times[name].append(cpu)
                print(f"round {r + 1} {name:>8}: {cpu:6.1f} s CPU, {articles} articles, {found} events", flush=True)
                print(f"   load average {os.getloadavg()[0]:.1f}", flush=True)
    base = statistics.median(times["off"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:>8}: median {median:6.1f} s CPU, {median / base:.2f}× off, events' extra "
              f"{median - base:+.1f} s ({(median - base) / base * 100:+.0f} %)")


if __name__ == "__main__":
    main()
