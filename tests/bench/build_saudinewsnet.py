"""Full rebuild of SaudiNewsNet (31,030 articles) against a bare Whoosh baseline, plus an update.

Run by hand:  python tests/bench/build_saudinewsnet.py [--workers 1 2] [--rounds N] [--skip-baseline] [--skip-update]
                 [--events both|on|off]
              [--stories-baseline REV]   (also build with the code of git revision REV, e.g. one
              before stories existed, alternating with ours: the cost of grouping stories, side by side)
Reads ../shared/corpora/saudinewsnet (or $MARSAD_SHARED) at run time; builds in a temporary
folder; nothing is copied into the repository.

Each configuration runs in a fresh Python process (so one run's heap cannot inflate the next),
and is measured from outside: wall time, documents/s, CPU seconds of the whole process tree
(user+system, from the kernel's accounting of reaped children: less sensitive than wall time to
other work on a shared machine), and peak memory of the tree, sampled every 0.1 s with psutil:
the sum of RSS over the process and its children, and the sum of PSS, which counts pages shared
after fork once. The update is timed as a user would see it: the `marsad index update` command,
start-up included. Targets (issue 3, 2-core machine):
`--workers 2` ≤ 1.1 × the baseline's time (bare RegexTokenizer|LowercaseFilter, procs=2),
peak ≤ 1 GiB in total, update of 1,000 new articles into the full index ≤ 10 s.
`--events both` (the default) builds each configuration twice, with event extraction and without
(`MARSAD_EVENTS=0`), side by side in the same round, and prints the cost of events (issue 11:
≤ 1.10 × the build without them).
The machine's load average is printed before and after each run: other work on a shared
machine slows every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

UPDATE_ARTICLES = 1_000
UPDATE_DAY = "2015-08-09"


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def zips() -> list[Path]:
    found = sorted((shared_dir() / "corpora" / "saudinewsnet").glob("*.zip"))
    if not found:
        sys.exit(f"no SaudiNewsNet ZIPs under {shared_dir()}; set MARSAD_SHARED")
    return found


class PeakMemory:
    """Peak of the summed RSS and PSS of process ROOT and all its descendants."""

    def __init__(self, root: int, interval: float = 0.1, pss: bool = True) -> None:
        self.root = root
        self.interval = interval
        self.pss = pss
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        try:
            top = psutil.Process(self.root)
            tree = [top] + top.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        rss = pss = 0
        for process in tree:
            try:
                if self.pss:
                    info = process.memory_full_info()
                    pss += info.pss
                    rss += info.rss
                else:
                    rss += process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measured(command: list[str], pss: bool, extra_env: dict[str, str] | None = None,
             root: Path = REPO) -> tuple[dict, float, float, PeakMemory]:
    """Run COMMAND (which prints one JSON object last) with ROOT's packages first on the path and
    EXTRA_ENV set; returns (that object, wall s, CPU s, memory)."""
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.update(extra_env or {})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with PeakMemory(process.pid, pss=pss) as memory:
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:6])}… failed ({process.returncode}):\n{err}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out.strip().splitlines()[-1]), seconds, cpu, memory


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


def run_marsad(paths: list[Path], home: Path, workers: int, limitmb: float | None) -> dict:
    """(In the child process.) Our full build: analysis, both text views, places/actors/dates."""
    from indexer.build import build_index

    extra = {"limitmb": limitmb} if limitmb else {}
    return build_index(paths, home, workers=workers, quarantine=None, progress=False, **extra)


def run_baseline(paths: list[Path], folder: Path, procs: int) -> dict:
    """(In the child process.) Bare Whoosh: RegexTokenizer|LowercaseFilter on title and content,
    MpWriter(procs), the articles read the same way a plain script would."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    analyzer = RegexTokenizer() | LowercaseFilter()
    schema = Schema(id=ID(stored=True, unique=True), source=ID(stored=True),
                    title=TEXT(analyzer=analyzer, stored=True), content=TEXT(analyzer=analyzer, stored=True))
    folder.mkdir(parents=True, exist_ok=True)
    ix = create_in(str(folder), schema)
    writer = ix.writer(procs=procs) if procs > 1 else ix.writer()
    count = 0
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for article in json.loads(archive.read(name)):
                    writer.add_document(id=article["url"], source=article["source"],
                                        title=article["title"] or "", content=article["content"] or "")
                    count += 1
    writer.commit()
    return {"documents": count}


def child(argv: list[str]) -> None:
    """`--child baseline|marsad DIR N LIMITMB DAYS`: one measured run, its summary as JSON."""
    kind, folder, number, limitmb, days = argv
    paths = zips()[: int(days)] if int(days) else zips()
    if kind == "baseline":
        summary = run_baseline(paths, Path(folder), int(number))
    else:
        summary = run_marsad(paths, Path(folder), int(number), float(limitmb) or None)
    print(json.dumps(summary))


def held_out_articles(target: Path, count: int) -> Path:
    """COUNT articles of one crawl day given new URLs: new to the index, real text."""
    path = next(p for p in zips() if p.stem == UPDATE_DAY)
    with zipfile.ZipFile(path) as archive:
        articles = json.loads(archive.read(archive.namelist()[0]))
    articles = [a for a in articles if (a.get("content") or "").strip()][:count]
    out = target / "update.jsonl"
    with open(out, "w", encoding="utf-8") as handle:
        for article in articles:
            article = dict(article, url=article["url"] + "#update")
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return out


def checkout(revision: str, target: Path) -> Path:
    """The tree of git REVISION, extracted into TARGET (for a side-by-side build)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--baseline-procs", type=int, default=2)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate baseline and builds this many times (a shared machine's load drifts)")
    parser.add_argument("--skip-update", action="store_true")
    parser.add_argument("--limitmb", type=float, default=0, help="segment size per worker (estimated MB; "
                        "0 = the build's default)")
    parser.add_argument("--days", type=int, default=0, help="only the first N crawl days (0 = all)")
    parser.add_argument("--no-pss", action="store_true", help="sample RSS only (cheaper)")
    parser.add_argument("--keep", type=Path, default=None, help="build under this folder and keep it")
    parser.add_argument("--events", choices=("both", "on", "off"), default="both",
                        help="build with event extraction, without it (MARSAD_EVENTS=0), or both side by side")
    parser.add_argument("--stories-baseline", metavar="REV", default=None,
                        help="also build with git revision REV (e.g. 03f5803, before stories), alternating")
    args = parser.parse_args()

    paths = zips()[: args.days] if args.days else zips()
    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    pss = not args.no_pss
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    print(f"SaudiNewsNet: {len(paths)} ZIPs; {os.cpu_count()} CPUs; scratch {scratch}")
    rows = []
    ratios = []
    event_ratios: list[tuple[int, float, float]] = []
    modes = {"both": ["0", "1"], "on": ["1"], "off": ["0"]}[args.events]
    story_ratios = []
    base_tree = checkout(args.stories_baseline, scratch / "rev") if args.stories_baseline else None
    os.environ.setdefault("MARSAD_SHARED", str(shared_dir()))  # the checked-out tree lies elsewhere
    try:
        home = None
        for round_number in range(args.rounds):
            base_row = None
            if not args.skip_baseline:
                shutil.rmtree(scratch / "baseline", ignore_errors=True)
                before = load()
                summary, seconds, cpu, memory = measured(
                    me + ["baseline", str(scratch / "baseline"), str(args.baseline_procs), "0", str(args.days)], pss)
                base_row = (f"whoosh bare, procs={args.baseline_procs}", summary["documents"], seconds, cpu, memory,
                            before, load())
                rows.append(base_row)
                print_row(rows[-1])
            for workers in args.workers:
                timings: dict[str, tuple[float, float]] = {}
                for events in modes:
                    home = scratch / f"marsad-w{workers}-e{events}"
                    shutil.rmtree(home, ignore_errors=True)
                    before = load()
                    summary, seconds, cpu, memory = measured(
                        me + ["marsad", str(home), str(workers), str(args.limitmb), str(args.days)], pss,
                        {"MARSAD_EVENTS": events})
                    label = "with events" if events == "1" else "no events"
                    rows.append((f"marsad build, workers={workers}, {label}", summary["documents"], seconds, cpu,
                                 memory, before, load()))
                    print_row(rows[-1])
                    timings[events] = (seconds, cpu)
                    if round_number == 0:
                        print(f"    summary: {json.dumps(summary)}")
                    if workers == 2 and base_row is not None and events == modes[-1]:
                        ratios.append((seconds / base_row[2], cpu / base_row[3]))
                if len(timings) == 2:
                    event_ratios.append((workers, timings["1"][0] / timings["0"][0], timings["1"][1] / timings["0"][1]))
                if base_tree is not None:
                    ours = timings[modes[-1]]
                    rev_home = scratch / f"rev-w{workers}"
                    shutil.rmtree(rev_home, ignore_errors=True)
                    before = load()
                    rev_command = [sys.executable, str(base_tree / "tests" / "bench" / "build_saudinewsnet.py"), "--child",
                                   "marsad", str(rev_home), str(workers), str(args.limitmb), str(args.days)]
                    summary, seconds, cpu, memory = measured(rev_command, pss, root=base_tree)
                    rows.append((f"@{args.stories_baseline[:10]} (no stories), w={workers}", summary["documents"],
                                 seconds, cpu, memory, before, load()))
                    print_row(rows[-1])
                    shutil.rmtree(rev_home, ignore_errors=True)
                    story_ratios.append((workers, ours[0] / seconds, ours[1] / cpu))
        if not args.skip_update and home is not None:
            update_file = held_out_articles(scratch, UPDATE_ARTICLES)
            command = [sys.executable, "-m", "marsad.cli", "index", "update", str(update_file), "--index", str(home),
                       "--json"]
            before = load()
            summary, seconds, cpu, memory = measured(command, pss)
            rows.append((f"marsad update, +{UPDATE_ARTICLES} new", summary["added"], seconds, cpu, memory, before,
                         load()))
            print_row(rows[-1])
            print(f"    summary: {json.dumps(summary)}")
            again, seconds, _, _ = measured(command, False)
            print(f"    same update again: {seconds:.2f}s, changed={again['changed']}")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(f"{'run':32} {'docs':>7} {'wall s':>8} {'docs/s':>8} {'CPU s':>8} {'peak RSS sum':>13} "
          f"{'peak PSS sum':>13} {'load before→after':>18}")
    for row in rows:
        print(format_row(row))
    for wall, cpu in ratios:
        print(f"workers=2 / baseline (same round): wall {wall:.2f}, CPU {cpu:.2f}")
    if len(ratios) > 1:
        print(f"median over {len(ratios)} rounds: wall {statistics.median(r[0] for r in ratios):.2f}, "
              f"CPU {statistics.median(r[1] for r in ratios):.2f}")
    if ratios:
        print("target: wall ≤ 1.10; on a shared machine compare rounds taken at similar load")
    for workers, wall, cpu in event_ratios:
        print(f"events cost, workers={workers} (with / without, same round): wall {wall:.2f}, CPU {cpu:.2f}")
    if event_ratios:
        print("target (issue 11): with events ≤ 1.10 × without")
    for workers, wall, cpu in story_ratios:
        print(f"with stories / @{args.stories_baseline} (workers={workers}, side by side): wall {wall:.3f}, "
              f"CPU {cpu:.3f}  (target: at most 1.10)")


def format_row(row: tuple) -> str:
    name, docs, seconds, cpu, memory, before, after = row
    pss = f"{memory.peak_pss / 2**20:.0f} MiB" if memory.peak_pss else "-"
    return (f"{name:32} {docs:>7} {seconds:>8.1f} {docs / seconds:>8.0f} {cpu:>8.1f} "
            f"{memory.peak_rss / 2**20:>9.0f} MiB {pss:>13} {before + '→' + after:>18}")


def print_row(row: tuple) -> None:
    print(format_row(row), flush=True)


if __name__ == "__main__":
    main()
