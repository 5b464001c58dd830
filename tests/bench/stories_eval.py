"""How well Marsad groups SaudiNewsNet reports into stories, on hand-labelled pairs.

Run by hand:  python tests/bench/stories_eval.py [--lsh-days 3] [--skip-lsh] [--errors] [--held-out]
              python tests/bench/stories_eval.py --show FIRST LAST   (print pairs for labelling)

The labelled set, tests/data/stories_eval/pairs.tsv, names SaudiNewsNet articles by URL (their
texts are read from ../shared at run time) with one label per pair, written by reading both
articles before any threshold was tuned: `same` (the same story: one event or statement, the
same wire rewritten), `different`, or `followup` (the same event reported again later with new
facts: a new toll, a new stage). Follow-ups count as different stories (see README, Stories).
Part `tuned` was used to choose the first thresholds; parts `blind` and `blind2` were held out
then (`blind2` was drawn and labelled later, when `blind` had been scored too often to stay
blind), and both had been scored too often to stay blind when `blind3` was drawn and labelled,
before the next change: from then on tuned, blind and blind2 are the tuning parts and blind3 is
the held-out part, printed apart and only with --held-out (see the header of pairs.tsv).

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
TUNING_PARTS = ("tuned", "blind", "blind2")
HELD_OUT_PARTS = ("blind3",)
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


def cached_words(articles: dict[str, dict], urls: list[str]) -> dict[str, list[str]]:
    """The analysed words by URL; with MARSAD_STORIES_CACHE set, kept in that pickle file between
    runs (analysis is most of the time of a run, and does not change while the rule is tuned)."""
    import pickle

    cache_path = os.environ.get("MARSAD_STORIES_CACHE")
    cached: dict[str, list[str]] = {}
    if cache_path and os.path.exists(cache_path):
        with open(cache_path, "rb") as handle:
            cached = pickle.load(handle)
    missing = [u for u in urls if u not in cached]
    for url in missing:
        cached[url] = words_of(articles[url])
    if cache_path and missing:
        with open(cache_path, "wb") as handle:
            pickle.dump(cached, handle)
    return cached


def fingerprints(articles: dict[str, dict], urls: list[str]) -> dict:
    from indexer import stories

    words = cached_words(articles, urls)
    return {u: stories.fingerprint(words[u]) for u in urls}


def read_pairs(path: Path = PAIRS) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            part, stratum, label, url_a, url_b, note = (line.rstrip("\n").split("\t") + [""])[:6]
            rows.append({"part": part, "stratum": stratum, "label": label, "a": url_a, "b": url_b, "note": note})
    return rows


def show(first: int, last: int, chars: int, path: Path = PAIRS) -> None:
    articles = load_articles()
    for number, pair in enumerate(read_pairs(path)[first:last + 1], start=first):
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
    grouped = {label: (sum(1 for i, r in enumerate(rows) if r["label"] == label and predicted[i]),
                       sum(1 for r in rows if r["label"] == label)) for label in ("followup", "same_event")}
    return (f"precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn}; grouped: "
            f"follow-ups {grouped['followup'][0]}/{grouped['followup'][1]}, "
            f"same event written apart {grouped['same_event'][0]}/{grouped['same_event'][1]})")


def evaluate_pairs(articles: dict[str, dict], story_of: dict[str, str] | None, common,
                   held_out: bool = False, errors: bool = False) -> None:
    """COMMON: the corpus's common shingles, as a full build computes them. The held-out part is
    scored only when HELD_OUT is set; ERRORS lists the tuning parts' wrongly grouped pairs."""
    from indexer import stories

    pairs = read_pairs()
    urls = sorted({p[k] for p in pairs for k in ("a", "b")})
    missing = [u for u in urls if u not in articles]
    if missing:
        sys.exit(f"{len(missing)} labelled URLs not in SaudiNewsNet, e.g. {missing[0]}")
    fps = fingerprints(articles, urls)
    distinctive = {u: stories.distinctive(fps[u].shingles, common) for u in urls}
    parts = TUNING_PARTS + (HELD_OUT_PARTS if held_out else ())
    for part in parts:
        if part in HELD_OUT_PARTS:
            print("held out (not used for tuning):")
        rows = [p for p in pairs if p["part"] == part]
        labels = Counter(r["label"] for r in rows)
        rule = {i: stories.same_story(distinctive[r["a"]], distinctive[r["b"]],
                                      abs(articles[r["a"]]["day"] - articles[r["b"]]["day"])) > 0
                for i, r in enumerate(rows)}
        print(f"{part:6} {len(rows)} pairs {dict(labels)}")
        print(f"  pair rule : {scores(rows, rule)}")
        if story_of is None:
            continue
        built = {i: story_of[r["a"]] == story_of[r["b"]] for i, r in enumerate(rows)}
        print(f"  as built  : {scores(rows, built)}")
        drawn_from_joins = [i for i, r in enumerate(rows) if r["stratum"].startswith("K")]
        if drawn_from_joins:  # K2, K3 were drawn from the joins of the grouping of their time
            rest = [i for i in range(len(rows)) if i not in set(drawn_from_joins)]
            print(f"  as built, without stratum K ({len(rest)} pairs): "
                  f"{scores([rows[i] for i in rest], dict(enumerate(built[i] for i in rest)))}")
            print(f"  K pairs still in one story: {sum(built[i] for i in drawn_from_joins)}/{len(drawn_from_joins)}")
        if errors and part in TUNING_PARTS:
            for i, r in enumerate(rows):
                if built[i] != (r["label"] == "same"):
                    print("  " + error_line(r, articles, distinctive, built[i], rule[i]))


def error_line(pair: dict, articles: dict[str, dict], distinctive: dict, built: bool, rule: bool) -> str:
    """One wrongly grouped pair: what went wrong, the overlaps the rule saw, and both reports."""
    from indexer import stories

    a, b = articles[pair["a"]], articles[pair["b"]]
    jaccard, containment = stories.overlap(distinctive[pair["a"]], distinctive[pair["b"]])
    kind = "joined" if built else "apart "
    return (f"{kind} [{pair['stratum']} {pair['label']}] rule {'yes' if rule else 'no '} "
            f"J {jaccard:.2f} C {containment:.2f} n {len(distinctive[pair['a']])}/{len(distinctive[pair['b']])} "
            f"d {abs(a['day'] - b['day'])} | {a['source']} {a['title'][:50]} | {b['source']} {b['title'][:50]} "
            f"| {pair['note']}")


def grouped(articles: dict[str, dict]) -> tuple[dict[str, str], object, dict]:
    """(story id by URL, common shingles, fingerprints by URL) of the whole corpus."""
    from indexer import stories

    urls = sorted(articles)
    started = time.perf_counter()
    fps = fingerprints(articles, urls)
    analysed = time.perf_counter()
    members = [stories.Member(u, articles[u]["day"], fps[u]) for u in urls]
    story, edges, common = stories.group(members)
    sizes = Counter(story)
    print(f"grouped {len(urls)} articles into {len(sizes)} stories: {analysed - started:.1f}s analysis and "
          f"fingerprints, {time.perf_counter() - analysed:.1f}s grouping; {len(edges)} links, "
          f"stories of 2+: {sum(1 for n in sizes.values() if n > 1)}, largest {max(sizes.values())}, "
          f"{len(common)} common shingles")
    return dict(zip(urls, story)), common, fps


def pair_overlaps(sets: list) -> tuple:
    """Every pair (i < j) sharing at least one hash: rows, cols, Jaccard, containment, smaller size."""
    import numpy as np
    from scipy import sparse

    rows, cols, vocabulary = [], [], {}
    for row, values in enumerate(sets):
        for value in values.tolist():
            cols.append(vocabulary.setdefault(value, len(vocabulary)))
            rows.append(row)
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                               shape=(len(sets), max(len(vocabulary), 1)))
    shared = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    smaller = np.minimum(sizes[shared.row], sizes[shared.col])
    jaccard = shared.data / (sizes[shared.row] + sizes[shared.col] - shared.data)
    return shared.row, shared.col, jaccard, shared.data / smaller, smaller


def lsh_against_exact(articles: dict[str, dict], days: int, common, all_fps: dict) -> None:
    """Every pair of the first DAYS crawl days by exact overlap (sparse matrix products) against
    the candidates LSH proposes over the whole corpus, as a build does (boilerplate MinHash
    values are those of the whole corpus): pairs above the Jaccard thresholds on the shingles the
    MinHashes are made of, and the pairs the exact rule accepts (on distinctive shingles). Side by
    side, the scheme used before: datasketch's own MinHashLSH, 64 permutations, bands for 0.15."""
    import numpy as np

    from indexer import stories

    first = min(a["day"] for a in articles.values())
    every = [u for u in sorted(articles) if len(all_fps[u].minhash)]
    started = time.perf_counter()
    found_all = stories.candidate_pairs([stories.Member(u, articles[u]["day"], all_fps[u]) for u in every])
    seconds = time.perf_counter() - started
    urls = sorted(u for u, a in articles.items() if a["day"] < first + days)
    usable = [u for u in urls if len(all_fps[u].minhash)]
    index = {u: i for i, u in enumerate(usable)}
    candidates = {(index[every[i]], index[every[j]]) for i, j in found_all
                  if every[i] in index and every[j] in index}
    candidates = {(min(i, j), max(i, j)) for i, j in candidates}
    print(f"LSH vs exact, {days} days: {len(usable)} articles ({len(urls) - len(usable)} too short), "
          f"{len(usable) * (len(usable) - 1) // 2} pairs; {stories.NUM_PERM} permutations, "
          f"{stories.LSH_MATCHES} agreeing values: {len(candidates)} candidates among them "
          f"({len(found_all)} over the whole corpus, {seconds:.2f}s)")
    before = datasketch_candidates(articles, usable)
    print(f"  before (64 permutations, MinHashLSH bands for 0.15): {len(before)} candidates among them")
    day = np.array([articles[u]["day"] for u in usable])
    row, col, jaccard, _, _ = pair_overlaps([all_fps[u].shingles for u in usable])
    close = np.abs(day[row] - day[col]) <= stories.WINDOW_DAYS
    for threshold in (0.1, stories.SAME_DAY_JACCARD, stories.LATER_JACCARD):
        mask = (jaccard >= threshold) & close
        wanted = list(zip(row[mask].tolist(), col[mask].tolist()))
        print(f"  candidate recall, pairs with exact Jaccard >= {threshold}: "
              f"{recall(wanted, candidates)}; before {recall(wanted, before)}")
    row, col, jaccard, containment, smaller = pair_overlaps(
        [stories.distinctive(all_fps[u].shingles, common) for u in usable])
    gap = np.abs(day[row] - day[col])
    accepted = ((gap == 0) & (jaccard >= stories.SAME_DAY_JACCARD)) | (
        (gap >= 1) & (gap <= stories.WINDOW_DAYS) & ((jaccard >= stories.LATER_JACCARD) | (
            (containment >= stories.CONTAINED) & (smaller >= stories.MIN_CONTAINED))))
    wanted = list(zip(row[accepted].tolist(), col[accepted].tolist()))
    print(f"  candidate recall, pairs the exact rule accepts (distinctive shingles): "
          f"{recall(wanted, candidates)}; before {recall(wanted, before)}")


def recall(wanted: list, candidates: set) -> str:
    found = sum(1 for pair in wanted if pair in candidates)
    return f"{found / len(wanted) if wanted else 1.0:.4f} ({found}/{len(wanted)})"


def datasketch_candidates(articles: dict[str, dict], urls: list[str]) -> set:
    """Pairs (i < j) of URLS within WINDOW_DAYS that datasketch's MinHashLSH (threshold 0.15, 64
    permutations: 32 bands of 2 rows) puts in one bucket: the candidate stage before this one."""
    from datasketch import MinHash, MinHashLSH

    from indexer import stories

    lsh = MinHashLSH(threshold=0.15, num_perm=64)
    words = cached_words(articles, urls)
    sketches = {}
    for number, url in enumerate(urls):
        sketch = MinHash(num_perm=64, seed=stories.SEED, hashfunc=int)
        sketch.update_batch(stories.shingle_hashes(words[url]).tolist())
        sketches[url] = sketch
        lsh.insert(str(number), sketch)
    out = set()
    for number, url in enumerate(urls):
        for other in lsh.query(sketches[url]):
            other = int(other)
            if other != number and abs(articles[url]["day"] - articles[urls[other]]["day"]) <= stories.WINDOW_DAYS:
                out.add((min(number, other), max(number, other)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, nargs=2, metavar=("FIRST", "LAST"))
    parser.add_argument("--chars", type=int, default=220)
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="with --show: the pairs file to print")
    parser.add_argument("--lsh-days", type=int, default=3)
    parser.add_argument("--skip-lsh", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list the tuning parts' wrongly grouped pairs")
    parser.add_argument("--held-out", action="store_true", help="also score the held-out part (blind3)")
    args = parser.parse_args()
    if args.show:
        show(*args.show, args.chars, args.pairs)
        return
    articles = load_articles()
    story_of, common, fps = grouped(articles)
    evaluate_pairs(articles, story_of, common, args.held_out, args.errors)
    if not args.skip_lsh:
        lsh_against_exact(articles, args.lsh_days, common, fps)


if __name__ == "__main__":
    main()
