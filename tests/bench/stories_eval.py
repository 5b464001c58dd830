"""How well Marsad groups SaudiNewsNet reports into stories, on hand-labelled pairs.

Run by hand:  python tests/bench/stories_eval.py [--lsh-days 3] [--skip-lsh]
              python tests/bench/stories_eval.py --show FIRST LAST   (print pairs for labelling)

The labelled set, tests/data/stories_eval/pairs.tsv, names SaudiNewsNet articles by URL (their
texts are read from ../shared at run time) with one label per pair, written by reading both
articles before any threshold was tuned: `same` (the same story: one event or statement, the
same wire rewritten), `different`, or `followup` (the same event reported again later with new
facts: a new toll, a new stage). Follow-ups count as different stories (see README, Stories).
Part `tuned` was used to choose the thresholds; part `blind` was not looked at while tuning and
is scored apart.

Printed: pair precision and recall per part, twice: the pair rule alone (window + shingle
overlap) and as built (stories are connected components over the whole corpus, so a pair can
also be joined through a third report); then the LSH stage against exact Jaccard on three days
of SaudiNewsNet: the share of pairs above the thresholds that LSH proposes as candidates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

PAIRS = REPO / "tests" / "data" / "stories_eval" / "pairs.tsv"
EPOCH = dt.date(1970, 1, 1)


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def load_articles(days: int = 0) -> dict[str, dict]:
    """SaudiNewsNet by URL: title, content, source, day (days since 1970 of date_extracted)."""
    from indexer.analysis import analyzed_terms

    zips = sorted((shared_dir() / "corpora" / "saudinewsnet").glob("*.zip"))
    if not zips:
        sys.exit(f"no SaudiNewsNet ZIPs under {shared_dir()}; set MARSAD_SHARED")
    out = {}
    for path in zips[:days] if days else zips:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for article in json.loads(archive.read(name)):
                    if not (article.get("content") or "").strip():
                        continue
                    day = dt.date.fromisoformat(article["date_extracted"][:10])
                    title = article.get("title") or ""
                    out[article["url"]] = {"title": title, "content": article["content"],
                                           "source": article["source"], "date": str(day),
                                           "day": (day - EPOCH).days,
                                           "title_words": [t[0] for t in analyzed_terms(title)]}
    return out


def words_of(article: dict) -> list[str]:
    """The words the index fingerprints: title then body, normalized (indexer/documents.py)."""
    from indexer.analysis import analyzed_terms

    return [t[0] for t in analyzed_terms(article["title"])] + [t[0] for t in analyzed_terms(article["content"])]


def fingerprints(articles: dict[str, dict], urls: list[str]) -> dict:
    from indexer import stories

    return {u: stories.fingerprint(words_of(articles[u])) for u in urls}


def read_pairs() -> list[dict]:
    rows = []
    with open(PAIRS, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            part, stratum, label, url_a, url_b, note = (line.rstrip("\n").split("\t") + [""])[:6]
            rows.append({"part": part, "stratum": stratum, "label": label, "a": url_a, "b": url_b, "note": note})
    return rows


def show(first: int, last: int, chars: int) -> None:
    articles = load_articles()
    for number, pair in enumerate(read_pairs()[first:last + 1], start=first):
        print(f"=== {number} [{pair['stratum']}] {pair['label']}")
        for key in ("a", "b"):
            article = articles[pair[key]]
            lead = " ".join(article["content"].split())[:chars]
            print(f"  {key} {article['source']} {article['date']} | {article['title']}\n     {lead}")


def scores(rows: list[dict], predicted: dict[int, bool]) -> str:
    tp = sum(1 for i, r in enumerate(rows) if predicted[i] and r["label"] == "same")
    fp = sum(1 for i, r in enumerate(rows) if predicted[i] and r["label"] != "same")
    fn = sum(1 for i, r in enumerate(rows) if not predicted[i] and r["label"] == "same")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    followups = [i for i, r in enumerate(rows) if r["label"] == "followup"]
    joined = sum(1 for i in followups if predicted[i])
    return (f"precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn}; "
            f"follow-ups grouped {joined}/{len(followups)})")


def evaluate_pairs(articles: dict[str, dict], story_of: dict[str, str] | None) -> None:
    from indexer import stories

    pairs = read_pairs()
    urls = sorted({p[k] for p in pairs for k in ("a", "b")})
    missing = [u for u in urls if u not in articles]
    if missing:
        sys.exit(f"{len(missing)} labelled URLs not in SaudiNewsNet, e.g. {missing[0]}")
    fps = fingerprints(articles, urls)
    for part in ("tuned", "blind"):
        rows = [p for p in pairs if p["part"] == part]
        labels = Counter(r["label"] for r in rows)
        rule = {i: abs(articles[r["a"]]["day"] - articles[r["b"]]["day"]) <= stories.WINDOW_DAYS
                and stories.same_story(fps[r["a"]].shingles, fps[r["b"]].shingles) for i, r in enumerate(rows)}
        print(f"{part:6} {len(rows)} pairs {dict(labels)}")
        print(f"  pair rule : {scores(rows, rule)}")
        if story_of is not None:
            built = {i: story_of[r["a"]] == story_of[r["b"]] for i, r in enumerate(rows)}
            print(f"  as built  : {scores(rows, built)}")


def grouped(articles: dict[str, dict]) -> dict[str, str]:
    from indexer import stories

    urls = sorted(articles)
    started = time.perf_counter()
    fps = fingerprints(articles, urls)
    members = [stories.Member(u, articles[u]["day"], fps[u]) for u in urls]
    story, _ = stories.group(members)
    sizes = Counter(story)
    print(f"grouped {len(urls)} articles into {len(sizes)} stories in {time.perf_counter() - started:.1f}s "
          f"(fingerprints included); stories of 2+: {sum(1 for n in sizes.values() if n > 1)}, "
          f"largest {max(sizes.values())}")
    return dict(zip(urls, story))


def lsh_against_exact(articles: dict[str, dict], days: int) -> None:
    """Every pair of the first DAYS crawl days by exact overlap (sparse matrix product) against
    the candidates LSH proposes."""
    import numpy as np
    from scipy import sparse

    from indexer import stories

    first = min(a["day"] for a in articles.values())
    urls = sorted(u for u, a in articles.items() if a["day"] < first + days)
    fps = fingerprints(articles, urls)
    usable = [u for u in urls if len(fps[u].minhash)]
    rows, cols = [], []
    vocabulary: dict[int, int] = {}
    for row, u in enumerate(usable):
        for value in fps[u].shingles.tolist():
            cols.append(vocabulary.setdefault(value, len(vocabulary)))
            rows.append(row)
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                               shape=(len(usable), len(vocabulary)))
    common = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    union = sizes[common.row] + sizes[common.col] - common.data
    jaccard = common.data / union
    containment = common.data / np.minimum(sizes[common.row], sizes[common.col])
    started = time.perf_counter()
    members = [stories.Member(u, articles[u]["day"], fps[u]) for u in usable]
    candidates = stories.candidate_pairs(members)
    seconds = time.perf_counter() - started
    total_pairs = len(usable) * (len(usable) - 1) // 2
    print(f"LSH vs exact, {days} days: {len(usable)} articles ({len(urls) - len(usable)} too short), "
          f"{total_pairs} pairs, {len(candidates)} LSH candidates ({seconds:.2f}s), "
          f"LSH threshold {stories.LSH_THRESHOLD}, {stories.NUM_PERM} permutations")
    accepted = (jaccard >= stories.SAME_STORY) | (containment >= stories.CONTAINED)
    for label, mask in ((f"exact Jaccard >= {stories.LSH_THRESHOLD}", jaccard >= stories.LSH_THRESHOLD),
                        (f"exact Jaccard >= {stories.SAME_STORY}", jaccard >= stories.SAME_STORY),
                        ("accepted by the exact rule (Jaccard or containment)", accepted)):
        wanted = list(zip(common.row[mask].tolist(), common.col[mask].tolist()))
        found = sum(1 for pair in wanted if pair in candidates)
        recall = found / len(wanted) if wanted else 1.0
        print(f"  candidate recall, pairs with {label}: {recall:.4f} ({found}/{len(wanted)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, nargs=2, metavar=("FIRST", "LAST"))
    parser.add_argument("--chars", type=int, default=220)
    parser.add_argument("--lsh-days", type=int, default=3)
    parser.add_argument("--skip-lsh", action="store_true")
    parser.add_argument("--skip-built", action="store_true", help="score the pair rule only (no full grouping)")
    args = parser.parse_args()
    if args.show:
        show(*args.show, args.chars)
        return
    articles = load_articles()
    story_of = None if args.skip_built else grouped(articles)
    evaluate_pairs(articles, story_of)
    if not args.skip_lsh:
        lsh_against_exact(articles, args.lsh_days)


if __name__ == "__main__":
    main()
