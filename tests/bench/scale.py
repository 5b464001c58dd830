"""The scale curve: build, open, search (in process and over HTTP), cold start and updates at
1×, 4×, 8× and 32× SaudiNewsNet (32× ≈ 1 M reports), printed as one table.

    python tests/bench/scale.py [--sizes 1,4] [--work /tmp/marsad-scale] [--updates 10] [--seconds 30]
                                [--no-fresh-compare] [--fresh-upto N] [--keep] [--reuse] [--serving-only]
    python tests/bench/scale.py --sizes 1,4 --work DIR --baseline OTHER_CHECKOUT  # serving, side by side

The K× corpus (written streaming to disk, one JSON Lines file per copy, never held in memory):
copy 0 is SaudiNewsNet as it is; copy k > 0 re-issues every article under the id `ID~k` and
the URL `URL/copyk` (in the path: the URL-variant merge treats a `#fragment` as the same
page), published k whole years later (29 February → 28th), and with a share of
its vocabulary perturbed: every word type of at least PERTURB_MIN_LETTERS letters whose hash
with k falls under PERTURB_SHARE (10 %) is spelt with two extra letters chosen by k in that
copy, consistently in every article of the copy. Each copy therefore adds ~10 % of the base
word types as new ones (≈ 4× the vocabulary at 32×, roughly what Heaps' law gives for a real
archive 32× larger), postings stay as long as the real ones, and date filters and the
histogram stay selective (each copy lives in its own years).
What this proxy cannot show: the true shape of a large archive's vocabulary (its new words
are mutations of old ones, with the same frequencies, not new names and topics), a changing
mix of sources, places and actors (the entity fields repeat the base's distribution), real
near-duplicates across outlets, and texts longer or shorter than 2015's Saudi press.

For each size: build time and docs/s (2 workers), peak RSS summed over the build's processes
(sampled every 0.2 s with psutil), index size on disk, open time (a fresh process: Engine
opened and first lease taken), complete-response p50/p95/p99 of search_latency.py's query set
in process (warm, result cache off) and over HTTP through `marsad serve` (2 workers, 8
clients, keep-alive), RSS of each server worker after ≥ 1,000 searches, the first 100 searches
of a new process after a cold start (the index files are evicted from the OS page cache with
posix_fadvise(DONTNEED) on those files only — the machine is shared, so the global
drop_caches is not used; pages another process holds mapped may stay), an update of 1,000 new
reports, then after --updates updates of 1,000 reports the p95 against a fresh build of the
same articles (the two measured in alternating turns). Then the growth p95(largest)/p95(1×) and a cProfile of the in-process query set
at the largest size. The load average is printed with every stage: the machine is shared.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import json
import os
import pstats
import shutil
import subprocess
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.build_saudinewsnet import PeakMemory  # noqa: E402
from tests.bench.loadgen import run_load  # noqa: E402
from tests.bench.search_latency import QUERIES, load_average, percentiles  # noqa: E402
from tests.bench.search_latency import iter_articles as base_articles  # noqa: E402

PERTURB_SHARE = 0.10
PERTURB_MIN_LETTERS = 5
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
UPDATE_SIZE = 1_000
COLD_SEARCHES = 100


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message} ({load_average()})", flush=True)


# the corpus ------------------------------------------------------------------------------------
def shift_years(published: str | None, years: int) -> str | None:
    if not published or years == 0:
        return published
    day = dt.date.fromisoformat(published[:10])
    try:
        moved = day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        moved = day.replace(year=day.year + years, day=28)
    return moved.isoformat() + published[10:]


class Perturber:
    """Copy K's spelling of words: a fixed ~PERTURB_SHARE of the long word types get two extra
    letters (the same in every article of the copy)."""

    def __init__(self, copy: int) -> None:
        self.copy = copy
        self.suffix = LETTERS[copy % len(LETTERS)] + LETTERS[(copy // len(LETTERS)) % len(LETTERS)]
        self.cache: dict[str, str] = {}
        self.limit = int(PERTURB_SHARE * 2**32)

    def word(self, word: str) -> str:
        out = self.cache.get(word)
        if out is None:
            out = word
            if len(word) >= PERTURB_MIN_LETTERS and word.isalpha():
                digest = hashlib.blake2b(f"{self.copy}:{word}".encode(), digest_size=4).digest()
                if int.from_bytes(digest, "big") < self.limit:
                    out = word + self.suffix
            if len(self.cache) < 2_000_000:
                self.cache[word] = out
        return out

    def text(self, text: str) -> str:
        return " ".join(self.word(w) for w in text.split(" "))


def copy_of(article: dict[str, Any], k: int, perturber: Perturber | None) -> dict[str, Any]:
    if k == 0:
        return article
    return {**article, "id": f"{article['id']}~{k}", "url": f"{article['url']}/copy{k}" if article["url"] else "",
            "published": shift_years(article["published"], k),
            "title": perturber.text(article["title"]) if perturber else article["title"],
            "content": perturber.text(article["content"]) if perturber else article["content"]}


def write_corpus(folder: Path, copies: int) -> int:
    """COPIES copies of SaudiNewsNet into FOLDER/copy-K.jsonl, one pass over the base."""
    folder.mkdir(parents=True, exist_ok=True)
    perturbers = [Perturber(k) if k else None for k in range(copies)]
    handles = [open(folder / f"copy-{k:02d}.jsonl", "w", encoding="utf-8") for k in range(copies)]
    count = 0
    try:
        for article in base_articles():
            for k, handle in enumerate(handles):
                handle.write(json.dumps(copy_of(article, k, perturbers[k]), ensure_ascii=False) + "\n")
            count += 1
    finally:
        for handle in handles:
            handle.close()
    return count * copies


def write_update(path: Path, copy: int, first: int, count: int) -> Path:
    """COUNT new reports: base articles FIRST.. as copy COPY (new ids, later years)."""
    perturber = Perturber(copy)
    with open(path, "w", encoding="utf-8") as handle:
        for n, article in enumerate(base_articles()):
            if n < first:
                continue
            if n >= first + count:
                break
            handle.write(json.dumps(copy_of(article, copy, perturber), ensure_ascii=False) + "\n")
    return path


# measurements ------------------------------------------------------------------------------------
def marsad(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    full_env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "marsad.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full_env, stdin=subprocess.DEVNULL)


def build(corpus: Path, home: Path) -> dict[str, Any]:
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    process = marsad("index", "build", str(corpus), "--index", str(home), "--workers", "2", "--json",
                     "--quarantine", str(home.parent / f"{home.name}-quarantine.jsonl"))
    with PeakMemory(process.pid, interval=0.2, pss=False) as memory:
        out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"build failed: {err[-2000:]}")
    summary = json.loads(out)
    seconds = time.perf_counter() - started
    return {"documents": summary["documents"], "build_s": seconds, "docs_per_s": summary["documents"] / seconds,
            "build_peak_rss_mib": memory.peak_rss / 2**20}


def live_folder(home: Path) -> Path:
    return home / (home / "CURRENT").read_text().strip()


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20


def segment_count(home: Path) -> int:
    return int(json.loads((live_folder(home) / "marsad.json").read_text()).get("segments", 0))


OPEN_AND_COLD = """
import json, sys, time
started = time.perf_counter()
from search.engine import Engine
from search.params import parse_params
from tests.bench.search_latency import QUERIES
engine = Engine(sys.argv[1], query_cache=0)
with engine.lease():
    pass
opened = time.perf_counter() - started
samples = []
for n in range(int(sys.argv[2])):
    query = QUERIES[n % len(QUERIES)]
    t = time.perf_counter()
    json.dumps(engine.search(parse_params(query)), ensure_ascii=False)
    samples.append((time.perf_counter() - t) * 1000)
print(json.dumps({"open_s": opened, "samples": samples}))
"""


def evict(folder: Path) -> None:
    """Drop FOLDER's files from the OS page cache (only those files; clean pages only)."""
    for path in folder.iterdir():
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def open_and_cold(home: Path, searches: int, cold: bool, code: Path = REPO) -> dict[str, Any]:
    if cold:
        evict(live_folder(home))
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", OPEN_AND_COLD, str(home), str(searches)], capture_output=True,
                         text=True, env=env, check=True, cwd=code).stdout  # cwd: `-c` puts it first on sys.path
    return json.loads(out)


def api_paths() -> list[str]:
    paths = []
    for query in QUERIES:
        params = []
        for key, value in query.items():
            for item in value if isinstance(value, list) else [value]:
                params.append((key, str(item)))
        paths.append("/api/search?" + urllib.parse.urlencode(params))
    return paths


def over_http(home: Path, seconds: float, code: Path = REPO) -> dict[str, Any]:
    from tests.web import browser

    os.environ["MARSAD_WORKERS"] = "2"
    pythonpath, cwd = os.environ.get("PYTHONPATH"), os.getcwd()
    os.environ["PYTHONPATH"] = str(code)
    os.chdir(code)  # `python -m` puts the working directory first on sys.path
    try:
        with browser.running_server(home, threads=4) as base:
            paths = api_paths()
            run_load(base, paths, clients=2, seconds=3)  # warm both workers
            result = run_load(base, paths, clients=8, seconds=seconds)
            while result.requests < 1_000:
                result.absorb(run_load(base, paths, clients=8, seconds=5))
            server = psutil.Process(browser.last_server_pid())
            workers = [p.memory_info().rss / 2**20 for p in server.children(recursive=True)] or \
                [server.memory_info().rss / 2**20]
    finally:
        os.environ.pop("MARSAD_WORKERS", None)
        os.chdir(cwd)
        if pythonpath is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = pythonpath
    return {"http": result.summary(), "worker_rss_mib": workers}


IN_PROCESS = """
import json, sys
from pathlib import Path
from tests.bench.search_latency import time_engine
wall, cpu = time_engine(Path(sys.argv[1]), int(sys.argv[2]), postings_cache=True)
print(json.dumps({"wall": wall, "cpu": cpu}))
"""


def in_process(home: Path, rounds: int, code: Path = REPO) -> dict[str, float]:
    """The warm query set's percentiles, in a process of its own running CODE's search."""
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(home), str(rounds)], capture_output=True,
                         text=True, env=env, check=True, cwd=code).stdout
    return json.loads(out.strip().splitlines()[-1])["wall"]


def side_by_side(updated: Path, fresh: Path, rounds: int, turns: int = 4) -> tuple[dict[str, float], dict[str, float]]:
    """The query set's percentiles on UPDATED and on FRESH, measured in alternating turns (each a
    process of its own; each figure the median over the turns), so that the machine's load falls on
    both alike: measured one after the other, minutes apart, a 30-update check once read ×1.73
    where alternating turns gave ×0.99."""
    turns_of: dict[Path, list[dict[str, float]]] = {updated: [], fresh: []}
    for turn in range(turns):
        for home in ((updated, fresh) if turn % 2 == 0 else (fresh, updated)):
            turns_of[home].append(in_process(home, rounds))
    return tuple({key: statistics.median(t[key] for t in turns_of[home]) for key in turns_of[home][0]}
                 for home in (updated, fresh))


def profile(home: Path) -> str:
    from search.engine import Engine
    from search.params import parse_params

    params = [parse_params(q) for q in QUERIES]
    with Engine(home, query_cache=0) as engine:
        for p in params:
            engine.search(p)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(2):
            for p in params:
                json.dumps(engine.search(p), ensure_ascii=False)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def update_once(home: Path, path: Path) -> dict[str, Any]:
    from indexer.build import update_index

    started = time.perf_counter()
    summary = update_index([path], home, quarantine=home.parent / f"{home.name}-update-quarantine.jsonl")
    return {"seconds": time.perf_counter() - started, "added": summary["added"],
            "merge": summary.get("merge"), "documents": summary["documents"]}


def measure(size: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    corpus, home = work / f"corpus-{size}x", work / f"home-{size}x"
    row: dict[str, Any] = {"size": f"{size}×"}
    if args.reuse and (home / "CURRENT").exists():
        log(f"{size}×: reusing {home}")
        marker = json.loads((live_folder(home) / "marsad.json").read_text())
        row.update({"documents": marker["documents"], "build_s": None, "docs_per_s": None, "build_peak_rss_mib": None})
    else:
        log(f"{size}×: writing the corpus")
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, size)
        log(f"{size}×: building")
        row.update(build(corpus, home))
    row["disk_mib"] = disk_mib(live_folder(home))
    row["segments"] = segment_count(home)
    log(f"{size}×: built {row['documents']} in {row['build_s']:.0f} s, peak RSS {row['build_peak_rss_mib']:.0f} MiB")
    warm = open_and_cold(home, 1, cold=False)
    row["open_s"] = warm["open_s"]
    cold = open_and_cold(home, COLD_SEARCHES, cold=True)
    row["cold"] = percentiles(cold["samples"])
    row["cold_open_s"] = cold["open_s"]
    log(f"{size}×: open {row['open_s']:.2f} s, cold p95 {row['cold']['p95']:.0f} ms")
    row["inproc"] = in_process(home, args.rounds)
    log(f"{size}×: in process p95 {row['inproc']['p95']:.1f} ms")
    row.update(over_http(home, args.seconds))
    log(f"{size}×: HTTP p95 {row['http']['p95_ms']} ms")
    if args.serving_only:
        return row
    updates = work / f"updates-{size}x"
    updates.mkdir(exist_ok=True)
    runs = []
    for n in range(max(1, args.updates)):
        path = write_update(updates / f"u{n:03d}.jsonl", size + n, 0 if n == 0 else n * UPDATE_SIZE, UPDATE_SIZE)
        runs.append(update_once(home, path))
        log(f"{size}×: update {n + 1}: {runs[-1]['seconds']:.1f} s, merge {runs[-1]['merge']}")
    row["update_s"] = runs[0]["seconds"]
    row["update_max_s"] = max(r["seconds"] for r in runs)
    row["updates"] = len(runs)
    row["segments_after_updates"] = segment_count(home)
    row["after_updates"] = in_process(home, args.rounds)
    if args.fresh_compare and size <= args.fresh_upto:
        fresh = work / f"fresh-{size}x"
        for path in sorted(updates.iterdir()):
            shutil.copy(path, corpus / f"zz-{path.name}")
        log(f"{size}×: fresh build of the same {runs[-1]['documents']} articles")
        built = build(corpus, fresh)
        row["fresh_segments"] = segment_count(fresh)
        row["after_updates"], row["fresh"] = side_by_side(home, fresh, args.rounds)
        row["fresh_docs"] = built["documents"]
        if not args.keep:
            shutil.rmtree(fresh, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(corpus, ignore_errors=True)
    return row


OPEN_STEPS = """
import cProfile, json, pstats, sys, time
started = time.perf_counter()
profiler = cProfile.Profile()
profiler.enable()
from search.engine import Engine
engine = Engine(sys.argv[1], query_cache=0)
with engine.lease():
    pass
profiler.disable()
total = time.perf_counter() - started
stats = pstats.Stats(profiler).stats
steps = {"whole open (profiled)": total}
for (path, _, name), (_, _, _, cumulative, _) in stats.items():
    for label, (suffix, function) in json.loads(sys.argv[2]).items():
        if path.endswith(suffix) and name == function:
            steps[label] = steps.get(label, 0.0) + cumulative
import search
print(json.dumps({"steps": steps, "from": search.__file__}))
"""
OPEN_PARTS = {  # what opening a generation does, by the functions that do it (in either checkout)
    "imports": ("search/engine.py", "<module>"), "columns": ("search/columns.py", "__init__"),
    "stories": ("search/stories.py", "load"), "entities": ("search/entities.py", "load"),
    "spelling table": ("search/postings.py", "frequent_terms"),  # absent where a background thread builds it
    "generation": ("search/generation.py", "__init__"),
}


def open_steps(home: Path, code: Path) -> dict[str, float]:
    """Seconds per part of opening HOME with CODE (cumulative, under cProfile: inflated alike)."""
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", OPEN_STEPS, str(home), json.dumps(OPEN_PARTS)], capture_output=True,
                         text=True, env=env, check=True, cwd=code).stdout
    found = json.loads(out)
    if not found["from"].startswith(str(code)):
        raise SystemExit(f"measuring {code} ran the search package at {found['from']}")
    return found["steps"]


def compare_serving(sizes: list[int], work: Path, args: argparse.Namespace) -> None:
    """The serving figures of --baseline and of this checkout on the same kept homes, each stage
    run for both back to back (the machine is shared: the load falls on both alike)."""
    codes = {"baseline": args.baseline.resolve(), "this": REPO}
    table = []
    for size in sizes:
        home = work / f"home-{size}x"
        if not (home / "CURRENT").exists():
            raise SystemExit(f"{home} does not exist: build it first (scale.py --sizes {size} --keep)")
        rows: dict[str, dict[str, Any]] = {name: {"size": f"{size}×", "code": name} for name in codes}
        for attempt in range(2):
            for name in (list(codes) if attempt == 0 else list(codes)[::-1]):
                rows[name].setdefault("open", []).append(open_and_cold(home, 1, cold=False, code=codes[name])["open_s"])
        for name, code in codes.items():
            rows[name]["steps"] = open_steps(home, code)
            log(f"{size}× {name}: open {rows[name]['open']} s; {json.dumps(rows[name]['steps'])}")
        for name, code in codes.items():
            cold = open_and_cold(home, COLD_SEARCHES, cold=True, code=code)
            rows[name]["cold"], rows[name]["cold_open_s"] = percentiles(cold["samples"]), cold["open_s"]
            log(f"{size}× {name}: cold open {cold['open_s']:.2f} s, first 100 p95 {rows[name]['cold']['p95']:.0f} ms")
        for name, code in codes.items():
            rows[name]["inproc"] = in_process(home, args.rounds, code)
            log(f"{size}× {name}: in process p95 {rows[name]['inproc']['p95']:.1f} ms")
        for name, code in codes.items():
            rows[name].update(over_http(home, args.seconds, code))
            log(f"{size}× {name}: HTTP p95 {rows[name]['http']['p95_ms']} ms, workers {rows[name]['worker_rss_mib']}")
        table.extend(rows.values())
        print(json.dumps(list(rows.values()), ensure_ascii=False, default=str), flush=True)
    columns = [
        ("size", lambda r: r["size"]), ("code", lambda r: r["code"]),
        ("open s (2 runs)", lambda r: "/".join(f"{o:.2f}" for o in r["open"])),
        ("cold open s", lambda r: f"{r['cold_open_s']:.2f}"),
        ("open parts, profiled s", lambda r: ", ".join(f"{k} {v:.2f}" for k, v in r["steps"].items())),
        ("worker RSS", lambda r: "/".join(f"{m:.0f}" for m in r["worker_rss_mib"]) + " MiB"),
        ("inproc p50/95/99 ms", lambda r: "{p50:.1f}/{p95:.1f}/{p99:.1f}".format(**r["inproc"])),
        ("HTTP p50/95/99 ms", lambda r: f"{r['http']['p50_ms']}/{r['http']['p95_ms']}/{r['http']['p99_ms']}"),
        ("HTTP req/s err", lambda r: f"{r['http']['req_per_s']} {r['http']['errors']}"),
        ("cold 100 p50/95 ms", lambda r: "{p50:.0f}/{p95:.0f}".format(**r["cold"])),
    ]
    lines = [[name for name, _ in columns]] + [[cell(r) for _, cell in columns] for r in table]
    print()
    for line in lines:
        print(" | ".join(line), flush=True)
    print(f"({load_average()})")


def _or_dash(value: float | None, form: str) -> str:
    return "-" if value is None else form.format(value)


def print_table(rows: list[dict[str, Any]]) -> None:
    columns = [
        ("size", lambda r: r["size"]), ("docs", lambda r: f"{r['documents']:,}"),
        ("build s", lambda r: _or_dash(r["build_s"], "{:.0f}")), ("docs/s", lambda r: _or_dash(r["docs_per_s"], "{:.0f}")),
        ("build RSS", lambda r: _or_dash(r["build_peak_rss_mib"], "{:.0f} MiB")),
        ("disk", lambda r: f"{r['disk_mib']:.0f} MiB"),
        ("segs", lambda r: str(r["segments"])), ("open s", lambda r: f"{r['open_s']:.2f}"),
        ("worker RSS", lambda r: "/".join(f"{m:.0f}" for m in r["worker_rss_mib"]) + " MiB"),
        ("inproc p50/95/99 ms", lambda r: "{p50:.1f}/{p95:.1f}/{p99:.1f}".format(**r["inproc"])),
        ("HTTP p50/95/99 ms", lambda r: f"{r['http']['p50_ms']}/{r['http']['p95_ms']}/{r['http']['p99_ms']}"),
        ("HTTP req/s err", lambda r: f"{r['http']['req_per_s']} {r['http']['errors']}"),
        ("cold 100 p50/95 ms", lambda r: "{p50:.0f}/{p95:.0f}".format(**r["cold"])),
        ("update 1k s", lambda r: f"{r['update_s']:.1f} (max {r['update_max_s']:.1f})" if "update_s" in r else "-"),
        ("after N upd p95 (segs)", lambda r: f"{r['after_updates']['p95']:.1f} ({r['segments_after_updates']}) "
                                              f"N={r['updates']}" if "after_updates" in r else "-"),
        ("fresh p95 (segs)", lambda r: f"{r['fresh']['p95']:.1f} ({r['fresh_segments']})" if "fresh" in r else "-"),
    ]
    table = [[name for name, _ in columns]] + [[cell(r) for _, cell in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(c.rjust(w) for c, w in zip(line, widths)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,4,8,32")
    parser.add_argument("--work", type=Path, default=Path("/tmp/marsad-scale"))
    parser.add_argument("--updates", type=int, default=10, help="updates of 1,000 reports before the p95 check")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30, help="HTTP load duration")
    parser.add_argument("--no-fresh-compare", dest="fresh_compare", action="store_false")
    parser.add_argument("--fresh-upto", type=int, default=32, help="fresh-build comparison only up to this size")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep corpora and fresh builds")
    parser.add_argument("--reuse", action="store_true", help="serve WORK/home-Kx as it is where it exists "
                        "(no corpus, no build)")
    parser.add_argument("--serving-only", action="store_true", help="open, cold start, in process and HTTP "
                        "only (no updates, no fresh build): leaves a reused home unchanged")
    parser.add_argument("--baseline", type=Path, help="another checkout of Marsad (e.g. `git archive` of the "
                        "base commit): its serving figures are measured on the same homes, interleaved with "
                        "this checkout's, and printed side by side (implies --reuse --serving-only)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    log(f"scale run: sizes {sizes}, {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.0f} GiB")
    if args.baseline:
        compare_serving(sizes, args.work, args)
        return
    rows = []
    for size in sizes:
        rows.append(measure(size, args.work, args))
        print(json.dumps(rows[-1], ensure_ascii=False, default=str), flush=True)
        print_table(rows)
    print()
    print_table(rows)
    first, last = rows[0], rows[-1]
    print(f"growth {last['size']}/{first['size']}: in-process p95 ×{last['inproc']['p95'] / first['inproc']['p95']:.2f}, "
          f"HTTP p95 ×{last['http']['p95_ms'] / first['http']['p95_ms']:.2f} ({load_average()})")
    for row in rows:
        if "fresh" in row:
            print(f"{row['size']}: p95 after {row['updates']} updates / fresh build: "
                  f"×{row['after_updates']['p95'] / row['fresh']['p95']:.2f}")
    if args.profile:
        print(f"profile of the query set at {last['size']} (in process, warm):")
        print(profile(args.work / f"home-{sizes[-1]}x"))


if __name__ == "__main__":
    main()
