"""Speed of the full analysis pipeline over SaudiNewsNet bodies, on one core.

Run by hand:  python tests/bench/analysis_speed.py [--limit N] [--passes N] [--pyarabic]
Reads ../shared/corpora/saudinewsnet (or $MARSAD_SHARED) at run time; nothing is copied.

Measures `analyzed_terms()` (tokenize → normalize → proclitics → compounds → variants → stem,
both views, with offsets: exactly what the Whoosh analyzer consumes) starting from an empty
per-word cache, so the first pass pays for every distinct word; a second pass shows the warm
rate a long-running indexer or search process reaches. Also reports `analyze()` (the dataclass
API behind `marsad analyze`), the distinct surfaces seen and the process's peak RSS.
Target (issue 2): ≥ 400,000 tokens/s on the cold pass.

`--pyarabic` times pyarabic's normalization helpers over the corpus's distinct words and counts
where they disagree with normalize(), which is the evidence for the notes in normalize.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from indexer.analysis import pipeline  # noqa: E402
from indexer.analysis.normalize import normalize  # noqa: E402
from indexer.analysis.tokenizer import split_surface  # noqa: E402

TARGET = 400_000


def bodies(limit: int | None) -> list[str]:
    folder = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "corpora" / "saudinewsnet"
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        sys.exit(f"no SaudiNewsNet ZIPs in {folder}; set MARSAD_SHARED")
    out: list[str] = []
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                out.extend((a.get("content") or "") for a in json.loads(archive.read(name)))
    return out[:limit] if limit else out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def timed_pass(texts: list[str], run) -> tuple[int, float]:
    tokens = 0
    started = time.perf_counter()
    for text in texts:
        tokens += len(run(text))
    return tokens, time.perf_counter() - started


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned"


def pyarabic_report(texts: list[str]) -> None:
    """pyarabic's helpers against normalize(), on the corpus vocabulary weighted by tokens:
    which spellings each would keep apart that normalize() joins (a lost match), and which it
    joins that normalize() keeps apart (a false match, or a fold we lack)."""
    import pyarabic.araby as araby

    counts = Counter(s for t in texts for s, _, _ in split_surface(t))
    words = list(counts)
    total = sum(counts.values())
    print(f"\npyarabic on {len(words):,} distinct surfaces ({total:,} tokens)")

    def chain(w: str, alef=araby.normalize_alef) -> str:
        for step in (araby.strip_tashkeel, araby.strip_tatweel, alef, araby.normalize_teh,
                     araby.normalize_ligature):
            w = step(w)
        return w.casefold()

    helpers = {
        "strip_tashkeel, strip_tatweel, normalize_alef, normalize_teh, normalize_ligature": chain,
        "the same with normalize_hamza() (default) for normalize_alef":
            lambda w: chain(w, araby.normalize_hamza),
        "the same with normalize_hamza(method='tasheel')":
            lambda w: chain(w, lambda x: araby.normalize_hamza(x, method="tasheel")),
    }
    started = time.perf_counter()
    ours = [normalize(w) for w in words]
    print(f"  normalize(): {len(words) / (time.perf_counter() - started):,.0f} words/s")
    for label, fn in helpers.items():
        started = time.perf_counter()
        theirs = [fn(w) for w in words]
        rate = len(words) / (time.perf_counter() - started)
        split: dict[str, Counter] = {}
        joined: dict[str, Counter] = {}
        for w, o, t in zip(words, ours, theirs):
            split.setdefault(o, Counter())[t] += counts[w]
            joined.setdefault(t, Counter())[o] += counts[w]
        lost = {o for o, ts in split.items() if len(ts) > 1}
        merged = {t for t, os_ in joined.items() if len(os_) > 1}
        # tokens that no longer meet the commonest spelling of their group (lost matches), and
        # tokens met by a group they are not in (new matches)
        lost_tokens = sum(sum(ts.values()) - max(ts.values()) for ts in split.values())
        merged_tokens = sum(sum(os_.values()) - max(os_.values()) for os_ in joined.values())
        lost_examples = sorted(lost, key=lambda o: max(split[o].values()) - sum(split[o].values()))[:4]
        merged_examples = sorted(merged, key=lambda t: max(joined[t].values()) - sum(joined[t].values()))[:4]
        print(f"  {label}: {rate:,.0f} words/s")
        print(f"    splits {len(lost):,} forms normalize() joins ({lost_tokens / total:.2%} of tokens leave their "
              f"form's commonest spelling), e.g. "
              + ", ".join("/".join(t for t, _ in split[o].most_common(3)) for o in lost_examples))
        print(f"    joins {len(merged):,} forms normalize() keeps apart ({merged_tokens / total:.2%} of tokens join "
              f"another form), e.g. "
              + ", ".join("/".join(o for o, _ in joined[t].most_common(3)) for t in merged_examples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--passes", type=int, default=2, help="passes over the corpus (first is cold)")
    parser.add_argument("--pyarabic", action="store_true", help="also measure pyarabic's helpers")
    args = parser.parse_args()
    where = pin_one_core()
    texts = bodies(args.limit)
    chars = sum(map(len, texts))
    print(f"{len(texts):,} bodies, {chars / 1e6:.1f} M characters; single process, {where}")
    print(f"peak RSS after loading: {peak_rss_mb():.0f} MB")
    pipeline._cache.clear()
    for n in range(args.passes):
        tokens, seconds = timed_pass(texts, pipeline.analyzed_terms)
        label = "cold" if n == 0 else "warm"
        print(f"analyzed_terms pass {n + 1} ({label}): {tokens:,} tokens in {seconds:.2f}s = "
              f"{tokens / seconds:,.0f} tokens/s" + ("" if n else f"  (target ≥ {TARGET:,})"))
        if n == 0:
            cold_rate = tokens / seconds
            print(f"  distinct surfaces cached: {len(pipeline._cache):,}; peak RSS {peak_rss_mb():.0f} MB")
    tokens, seconds = timed_pass(texts, pipeline.analyze)
    print(f"analyze() (dataclasses, warm): {tokens / seconds:,.0f} tokens/s")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    print("meets target" if cold_rate >= TARGET else "BELOW target")
    if args.pyarabic:
        pyarabic_report(texts)


if __name__ == "__main__":
    main()
