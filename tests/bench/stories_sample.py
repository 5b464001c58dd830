"""Draw the article pairs of the stories labelled set (tests/data/stories_eval/), before labelling.

Run once by hand:  python tests/bench/stories_sample.py OUT.tsv [--seed N]
Pairs are drawn from SaudiNewsNet in strata of word-shingle overlap (so that easy, borderline
and hard pairs are all present) plus hard negatives: reports published within a day of each
other whose titles share at least two rarer words but whose texts barely overlap (same topic,
same day, same actors). Each line: part (a third `blind`, by a hash of the pair), stratum, `?`, URL a, URL b. The labels are then written by hand
after reading both articles (tests/bench/stories_eval.py --show prints them side by side).
The pairs were drawn with the candidate stage of their time (parts tuned and blind: 64-value
MinHashes banded for Jaccard 0.05; blind2: the same, at commit 8c2d879; blind3: two agreeing values of
32, the grouping of commit 5bfee0a, `--blind3 --seed 1313`); today's candidate stage
(one agreeing value of 32) proposes a similar but not identical pool, so a new draw with the same
seed is not the same set.
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
from typing import NamedTuple

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
    parser.add_argument("--blind2", action="store_true",
                        help="draw the second held-out part (all pairs `blind2`) into OUT instead")
    parser.add_argument("--blind3", action="store_true",
                        help="draw the third held-out part (all pairs `blind3`) into OUT instead")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.followups:
        append_followups(args.out, rng)
        return
    if args.blind2:
        draw_held_out(args.out, rng, "blind2", BLIND2)
        return
    if args.blind3:
        draw_held_out(args.out, rng, "blind3", BLIND3)
        return
    from indexer import stories
    from indexer.dedup import variant_key

    articles = load_articles()
    urls = list(articles)
    fps = fingerprints(articles, urls)
    members = [stories.Member(u, articles[u]["day"], fps[u]) for u in urls]
    pairs = stories.candidate_pairs(members, matches=1)
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


class HeldOut(NamedTuple):
    """How many pairs of each stratum a held-out part draws (the stratum names end in SUFFIX)."""

    suffix: str
    bands: tuple[tuple[str, float, float, int], ...]  # (letter, Jaccard from, Jaccard below, count)
    later: int
    place: int
    actor: int
    chained: int


BLIND2 = HeldOut("2", (("A", 0.5, 1.01, 12), ("B", 0.3, 0.5, 18), ("C", 0.15, 0.3, 25), ("D", 0.05, 0.15, 15)),
                 later=15, place=20, actor=10, chained=15)
# blind3: the strata of blind2, drawn when blind and blind2 had been scored too often to stay blind
BLIND3 = HeldOut("3", (("A", 0.5, 1.01, 12), ("B", 0.3, 0.5, 18), ("C", 0.15, 0.3, 24), ("D", 0.05, 0.15, 14)),
                 later=14, place=18, actor=10, chained=14)


def draw_held_out(out: Path, rng: random.Random, part: str, sizes: HeldOut) -> None:
    """A held-out part, drawn after the earlier ones had been scored many times, so that the
    final figures rest on pairs nobody tuned against. Strata (blind2's names): A2-D2 pairs by shingle Jaccard
    (any outlets, published within WINDOW_DAYS), L2 pairs one to three days apart with Jaccard
    0.15-0.5 (where a rewritten wire meets a follow-up), S2 same-day pairs from two outlets naming
    the same place (not a country) in title or lead with Jaccard < 0.15 and R2 the same for a
    shared actor (hard negatives: same topic, same day, same actors), and K2 pairs that the
    grouping of the time put in one story while their own overlap is below 0.15 (joins made
    through a third report). Pairs already labelled are skipped."""
    import datetime as dt

    from indexer import stories
    from indexer.dedup import variant_key
    from indexer.entities.extract import get_extractor
    from tests.bench.stories_eval import read_pairs

    articles = load_articles()
    urls = sorted(articles)
    fps = fingerprints(articles, urls)
    labelled = {frozenset((p["a"], p["b"])) for p in read_pairs()}
    taken: set[frozenset] = set()

    def fresh(a: str, b: str) -> bool:
        key = frozenset((a, b))
        return a != b and key not in labelled and key not in taken and variant_key(a) != variant_key(b)

    def take(stratum: str, found: list[tuple[str, str]], count: int) -> list[tuple[str, str, str]]:
        found = sorted({tuple(sorted(p)) for p in found if fresh(*p)})
        chosen = rng.sample(found, min(count, len(found)))
        taken.update(frozenset(p) for p in chosen)
        return [(stratum, a, b) for a, b in chosen]

    members = [stories.Member(u, articles[u]["day"], fps[u]) for u in urls]
    jaccard = {}
    for i, j in stories.candidate_pairs(members, matches=1):
        jaccard[(urls[i], urls[j])] = stories.overlap(fps[urls[i]].shingles, fps[urls[j]].shingles)[0]
    rows = []
    for letter, low, high, count in sizes.bands:
        rows += take(letter + sizes.suffix, [p for p, v in jaccard.items() if low <= v < high], count)
    rows += take("L" + sizes.suffix, [p for p, v in jaccard.items() if 0.15 <= v < 0.5
                                      and 1 <= abs(articles[p[0]]["day"] - articles[p[1]]["day"]) <= 3], sizes.later)
    extractor = get_extractor()
    named: dict[str, tuple[set[str], set[str]]] = {}
    for u in urls:
        article = articles[u]
        found = extractor.extract(article["title"], article["content"][:300], dt.date.fromisoformat(article["date"]))
        named[u] = ({p["id"] for p in found["places"] if p.get("kind") != "country"},
                    {a["id"] for a in found["actors"]})
    by_day: dict[int, list[str]] = defaultdict(list)
    for u in urls:
        by_day[articles[u]["day"]].append(u)
    same_place, same_actor = [], []
    for day_urls in by_day.values():
        for a, b in combinations(day_urls, 2):
            if articles[a]["source"] == articles[b]["source"]:
                continue
            places, actors = named[a][0] & named[b][0], named[a][1] & named[b][1]
            if not (places or actors) or stories.overlap(fps[a].shingles, fps[b].shingles)[0] >= 0.15:
                continue
            (same_place if places else same_actor).append((a, b))
    rows += take("S" + sizes.suffix, same_place, sizes.place)
    rows += take("R" + sizes.suffix, same_actor, sizes.actor)
    story, _, common = stories.group(members)
    by_story: dict[str, list[str]] = defaultdict(list)
    for u, s in zip(urls, story):
        by_story[s].append(u)
    chained = [(a, b) for group in by_story.values() if len(group) > 2 for a, b in combinations(group, 2)
               if stories.overlap(stories.distinctive(fps[a].shingles, common),
                                  stories.distinctive(fps[b].shingles, common))[0] < 0.15]
    rows += take("K" + sizes.suffix, chained, sizes.chained)
    rng.shuffle(rows)
    with open(out, "w", encoding="utf-8") as handle:
        for stratum, a, b in rows:
            handle.write("\t".join((part, stratum, "?", a, b)) + "\n")
    print(f"{len(rows)} pairs: {dict(Counter(r[0] for r in rows))}; same-place {len(same_place)}, "
          f"same-actor {len(same_actor)}, chained {len(chained)}")


if __name__ == "__main__":
    main()
