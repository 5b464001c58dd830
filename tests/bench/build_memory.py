"""A build's memory and CPU, side by side for two checkouts of Marsad, on one corpus.

Run by hand:
    python tests/bench/build_memory.py CORPUS --work DIR [--code OTHER_CHECKOUT ...] [--keep]

Builds CORPUS (2 workers) once per checkout given (this one last), each in a fresh home under
DIR, and prints per build: documents, wall seconds, CPU seconds of the whole process tree
(getrusage of the waited children: the parent and its workers), the peak RSS summed over the
build's processes (psutil, every 0.2 s), the parent's own peak, its peak once the workers have
exited (story grouping and publishing), and the build's `stages`. The machine is shared: compare
CPU seconds and ratios, not wall times. With --keep the homes stay, for comparing what they hold
(`--compare-stories` prints whether two homes' stories are identical).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import psutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.build_saudinewsnet import PeakMemory  # noqa: E402


class TreeSampler(PeakMemory):
    """PeakMemory's summed RSS of ROOT and its descendants, plus the peaks of ROOT alone and of
    ROOT while it has no children left (the end of a build: grouping stories, publishing)."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        super().__init__(root, interval, pss=False)
        self.peak_parent = self.peak_alone = 0

    def _sample(self) -> None:
        super()._sample()
        try:
            top = psutil.Process(self.root)
            alone = not top.children(recursive=True)
            parent = top.memory_info().rss
        except psutil.NoSuchProcess:
            return
        self.peak_parent = max(self.peak_parent, parent)
        if alone:
            self.peak_alone = max(self.peak_alone, parent)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(code: Path, corpus: Path, home: Path) -> dict[str, Any]:
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(code))
    cpu, started = children_cpu(), time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "marsad.cli", "index", "build", str(corpus), "--index",
                                str(home), "--workers", "2", "--json", "--quarantine",
                                str(home.parent / f"{home.name}-quarantine.jsonl")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               stdin=subprocess.DEVNULL, cwd=str(code))
    with TreeSampler(process.pid) as sampler:
        out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"build with {code} failed: {err[-2000:]}")
    summary = json.loads(out)
    return {"documents": summary["documents"], "stories": summary.get("stories"),
            "wall_s": time.perf_counter() - started, "cpu_s": children_cpu() - cpu,
            "peak_sum_mib": sampler.peak_rss / 2**20, "peak_parent_mib": sampler.peak_parent / 2**20,
            "peak_end_mib": sampler.peak_alone / 2**20, "stages": summary.get("stages")}


def live(home: Path) -> Path:
    return home / (home / "CURRENT").read_text().strip()


def same_stories(a: Path, b: Path) -> list[str]:
    """What differs between two homes' stories (stories.tsv and every stories.npz array)."""
    differences = []
    if (live(a) / "stories.tsv").read_bytes() != (live(b) / "stories.tsv").read_bytes():
        differences.append("stories.tsv")
    with np.load(live(a) / "stories.npz") as left, np.load(live(b) / "stories.npz") as right:
        for name in sorted(set(left.files) | set(right.files)):
            if name not in left.files or name not in right.files or left[name].dtype != right[name].dtype \
                    or not np.array_equal(left[name], right[name]):
                differences.append(f"stories.npz:{name}")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--code", type=Path, action="append", default=[], help="another checkout, built first")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only-other", action="store_true", help="build only the --code checkouts")
    parser.add_argument("--compare-stories", nargs=2, type=Path, metavar="HOME")
    args = parser.parse_args()
    if args.compare_stories:
        differences = same_stories(*args.compare_stories)
        print("stories identical" if not differences else f"stories differ: {differences}")
        return
    args.work.mkdir(parents=True, exist_ok=True)
    codes = list(args.code) + ([] if args.only_other else [REPO])
    rows = []
    for n, code in enumerate(codes):
        label = "this" if code == REPO else code.name
        home = args.work / f"home-{n}-{label}"
        print(f"building with {code} (load {os.getloadavg()[0]:.1f}) …", flush=True)
        row = {"code": label, **build(code, args.corpus, home)}
        print(json.dumps(row), flush=True)
        rows.append((row, home))
    print("| code | documents | stories | wall s | CPU s (tree) | peak RSS summed | parent peak | parent after workers |")
    print("|---|---|---|---|---|---|---|---|")
    for row, _ in rows:
        print(f"| {row['code']} | {row['documents']:,} | {row['stories']:,} | {row['wall_s']:.0f} | {row['cpu_s']:.0f} "
              f"| {row['peak_sum_mib']:,.0f} MiB | {row['peak_parent_mib']:,.0f} MiB | {row['peak_end_mib']:,.0f} MiB |")
    if len(rows) == 2:
        print(f"CPU ratio this/other {rows[1][0]['cpu_s'] / rows[0][0]['cpu_s']:.2f}, peak ratio "
              f"{rows[1][0]['peak_sum_mib'] / rows[0][0]['peak_sum_mib']:.2f}")
        differences = same_stories(rows[0][1], rows[1][1])
        print("stories identical" if not differences else f"stories differ: {differences}")
    if not args.keep:
        for _, home in rows:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
