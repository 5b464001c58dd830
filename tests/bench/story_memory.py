"""The end of a build's parent — fingerprints received, URL variants, story grouping, stories.npz —
on synthetic reports, for a checkout of Marsad: its peak RSS above the start, and its CPU.

Run by hand:
    python tests/bench/story_memory.py --reports 120000 [--code OTHER_CHECKOUT] [--work DIR]

Each run is a fresh process running CHECKOUT's code (this one by default). The reports: ~400
shingles each (SaudiNewsNet's median), 500 a day, stories retold by three outlets over up to three
days, a daily bulletin template; written as the workers write them (this checkout: to the
fingerprint files; a checkout from before: into the in-memory pack the parent received). What a
real build adds on top (the duplicate and origin tables, Python and the loaded tables) is not here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHILD = r'''
import json, resource, sys, time
from pathlib import Path
import numpy as np
import psutil
from indexer import build, stories, story_store, workers
try:
    from indexer import story_windows
    from indexer.story_rows import BuildColumns, BuildReports
except ImportError:
    pass
from indexer.briefs import BriefTable
from indexer.validation import Article

count, folder = int(sys.argv[1]), Path(sys.argv[2])
rng = np.random.default_rng(1)
template = np.arange(10 ** 6, 10 ** 6 + 300, dtype=np.uint32)
process = psutil.Process()
started_rss = process.memory_info().rss
try:
    pack = workers.FingerprintPack(folder / workers.FINGERPRINTS / "worker-0")
    windowed = True
except (TypeError, AttributeError):
    pack = workers.FingerprintPack()
    windowed = False
briefs = BriefTable()
story = None
for ordinal in range(count):
    day = 16000 + ordinal // 500
    if ordinal % 3 == 0:
        story = rng.integers(0, 2 ** 32, 400, dtype=np.uint32)
    own = story[rng.random(400) < 0.8] if ordinal % 9 else rng.integers(0, 2 ** 32, 400, dtype=np.uint32)
    shingles = np.concatenate([own, template[: 60 if ordinal % 5 == 0 else 0]])
    pack.add(ordinal, stories.sketched(stories.sorted_unique(shingles)))
    day_text = (np.datetime64("1970-01-01") + np.timedelta64(day + (ordinal % 3 == 2) * (ordinal % 7 % 3), "D")).astype(str)
    briefs[ordinal] = Article(id=f"{ordinal:016x}{ordinal * 7919 % 2**32:08x}", url=f"https://www.example-daily.com/news/{day_text}/article-{ordinal}.html",
                              title="", content="", source="okaz", author="", published=day_text,
                              content_hash=f"{ordinal * 2654435761 % 2**64:016x}")
if windowed:
    pack.close()
    result = workers.SegmentResult(0, [], pack)
else:
    result = workers.SegmentResult(0, [], fingerprints=pack)
cpu, before = time.process_time(), process.memory_info().rss
peak = [before]
import threading
stop = threading.Event()
def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], process.memory_info().rss)
        stop.wait(0.05)
thread = threading.Thread(target=sample, daemon=True); thread.start()
if windowed:
    reports = BuildReports([result.fingerprints], briefs, [])
    reports.drop(reports.variant_losers())
    grouping = story_windows.group(reports, reports.id, folder / workers.FINGERPRINTS)
    store, stories_count = BuildColumns(reports, grouping), grouping.story_count()
else:
    reports = build.new_reports([result], briefs, [])
    variants, _ = build.older_variants(reports)
    for ordinal in variants:
        del reports[ordinal]
    store = story_store.built(list(reports.values()))
    del reports
    stories_count = len(store.sizes())
story_store.write(folder, store)
stop.set(); thread.join()
print(json.dumps({"reports": count, "windowed": windowed, "stories": stories_count,
                  "held_before_mib": (before - started_rss) / 2**20, "stage_peak_above_start_mib": (peak[0] - started_rss) / 2**20,
                  "stage_cpu_s": time.process_time() - cpu}))
'''


def run(code: Path, count: int, work: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=work) as folder:
        env = dict(os.environ, PYTHONPATH=str(code))
        out = subprocess.run([sys.executable, "-c", CHILD, str(count), folder], env=env, cwd=str(code),
                             capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(out.stderr[-3000:])
        return {"code": "this" if code == REPO else code.name, **json.loads(out.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, action="append", default=[])
    parser.add_argument("--code", type=Path, action="append", default=[])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    print("| code | reports | stories | held before the stage | stage peak above start | stage CPU s |")
    print("|---|---|---|---|---|---|")
    for count in args.reports or [30_000]:
        for code in [*args.code, REPO]:
            row = run(code, count, args.work)
            print(f"| {row['code']} | {row['reports']:,} | {row['stories']:,} | {row['held_before_mib']:,.0f} MiB "
                  f"| {row['stage_peak_above_start_mib']:,.0f} MiB | {row['stage_cpu_s']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
