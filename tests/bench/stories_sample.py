"""Draw the article pairs of the stories labelled set (tests/data/stories_eval/), before labelling.

Run once by hand:  python tests/bench/stories_sample.py OUT.tsv [--seed N]
Pairs are drawn from SaudiNewsNet in strata of word-shingle overlap (so that easy, borderline
and hard pairs are all present) plus hard negatives: reports published within a day of each
other whose titles share at least two rarer words but whose texts barely overlap (same topic,
same day, same actors). Each line: part (a third `blind`, by a hash of the pair), stratum, `?`, URL a, URL b. The labels are then written by hand
after reading both articles (tests/bench/stories_eval.py --show prints them side by side).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import zlib
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.stories_eval import fingerprints, load_articles  # noqa: E402

STRATA = (("A", 0.5, 1.01, 45), ("B", 0.3, 0.5, 45), ("C", 0.15, 0.3, 60), ("D", 0.05, 0.15, 60))
HARD = 120
FOLLOWUPS = 40
TOLL = re.compile(r"(?:قتل|مقتل|قتلى|استشهاد|استشهد|مصرع|وفاة|إصابة|جرحى)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--followups", action="store_true",
                        help="append the F stratum (follow-up candidates) to OUT instead")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.followups:
        append_followups(args.out, rng)
        return
    from indexer import stories
    from indexer.dedup import variant_key

    articles = load_articles()
    urls = list(articles)
    fps = fingerprints(articles, urls)
    members = [stories.Member(u, articles[u]["day"], fps[u]) for u in urls]
    pairs = stories.candidate_pairs(members, threshold=0.05)
    by_stratum: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for i, j in pairs:
        a, b = urls[i], urls[j]
        if variant_key(a) == variant_key(b):
            continue
        jaccard = stories.overlap(fps[a].shingles, fps[b].shingles)[0]
        for name, low, high, _ in STRATA:
            if low <= jaccard < high:
                by_stratum[name].append((a, b))
    rows = []
    for name, _, _, count in STRATA:
        found = sorted(by_stratum[name])
        rows += [(name, a, b) for a, b in rng.sample(found, min(count, len(found)))]
    titles = {u: set(w for w in articles[u]["title_words"] if len(w) > 3) for u in urls}
    document_frequency = Counter(w for ws in titles.values() for w in ws)
    rare = {u: {w for w in ws if 3 <= document_frequency[w] <= 300} for u, ws in titles.items()}
    by_day: dict[int, list[str]] = defaultdict(list)
    for u in urls:
        by_day[articles[u]["day"]].append(u)
    hard = []
    for day, day_urls in by_day.items():
        for a, b in combinations(day_urls, 2):
            if len(rare[a] & rare[b]) >= 2 and variant_key(a) != variant_key(b) and \
                    stories.overlap(fps[a].shingles, fps[b].shingles)[0] < 0.05:
                hard.append((a, b))
    hard.sort()
    rows += [("E", a, b) for a, b in rng.sample(hard, min(HARD, len(hard)))]
    rng.shuffle(rows)
    with open(args.out, "w", encoding="utf-8") as handle:
        for stratum, a, b in rows:
            part = "blind" if zlib.crc32(f"{a} {b}".encode("utf-8")) % 3 == 0 else "tuned"
            handle.write("\t".join((part, stratum, "?", a, b)) + "\n")
    print(f"{len(rows)} pairs; candidates per stratum: { {k: len(v) for k, v in by_stratum.items()} }, hard {len(hard)}")


def append_followups(out: Path, rng: random.Random) -> None:
    """F: reports one to three days apart about a violent incident (toll words in both texts)
    whose titles share at least two rarer words: where follow-ups with a new toll are."""
    from indexer.dedup import variant_key

    articles = load_articles()
    urls = [u for u, a in articles.items() if TOLL.search(a["title"] + " " + a["content"][:400])]
    titles = {u: {w for w in articles[u]["title_words"] if len(w) > 3} for u in urls}
    document_frequency = Counter(w for ws in titles.values() for w in ws)
    rare = {u: {w for w in ws if document_frequency[w] <= 60} for u, ws in titles.items()}
    found = sorted((a, b) for a, b in combinations(urls, 2)
                   if 1 <= abs(articles[a]["day"] - articles[b]["day"]) <= 3 and len(rare[a] & rare[b]) >= 2
                   and variant_key(a) != variant_key(b))
    with open(out, "a", encoding="utf-8") as handle:
        for a, b in rng.sample(found, min(FOLLOWUPS, len(found))):
            part = "blind" if zlib.crc32(f"{a} {b}".encode("utf-8")) % 3 == 0 else "tuned"
            handle.write("\t".join((part, "F", "?", a, b)) + "\n")
    print(f"{min(FOLLOWUPS, len(found))} follow-up candidates appended (of {len(found)})")


if __name__ == "__main__":
    main()
