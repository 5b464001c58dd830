"""Check the variant table (and candidate pairs) against SaudiNewsNet counts and contexts.

Run by hand:  python tests/bench/check_variants.py               every pair of data/variants.tsv
              python tests/bench/check_variants.py --pair 'صنعا صنعاء' --pair 'بشمرك* بيشمرك*'
              python tests/bench/check_variants.py --protected   candidates for data/protected.txt
              python tests/bench/check_variants.py --alef-lam    candidates for data/alef_lam.txt
Reads ../shared/corpora/saudinewsnet (or $MARSAD_SHARED) at run time; nothing is copied.

A pair may join only two spellings of one word. Each side is counted as a word body (the word
without its proclitics and article, as the analyzer sees it); a `*` side counts every body with
that beginning, listed so a reader sees what the pair folds. Counts alone cannot tell `صنعا`
(Sanaa without its hamza) from `صنعا` ("a deed"), so the check also compares what the two
sides are written about: the tf-idf centroid of the articles holding each side (up to
SAMPLE articles each, frequent function words left out; the canonical side includes the
other variants the table folds into it, since the variant joins that whole group). Spellings of one word share their
topics, different words do not: of the hand-judged pairs below, every true pair but one scores
≥ 0.42 (`بروتكول`, 11 occurrences, 0.17) and every false one ≤ 0.30, while the words right next to a side (also printed, `near`) are too
sparse to judge pairs of a few dozen occurrences. A pair fails when a side is never attested
or the topics differ (< MIN_COSINE), unless its line carries `# read: …`: a person read every
occurrence (few articles make the topic check unreliable); the exit status is the number of
failed pairs.
`--calibrate` prints the scores of the hand-judged pairs.

--alef-lam lists words whose bare initial `ال` is not the article (the rule in alef_lam.txt).
--protected lists words that start with و/ف/ب/ل/ك and that the clitic splitter must keep whole
(rule: the word takes the article — `ال` + word is attested — or its rest after the first
letter is not a word of its own), with counts, for a reader to add to protected.txt.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from indexer.analysis.clitics import split_proclitics  # noqa: E402
from indexer.analysis.lexicon import data_lines, protected_words  # noqa: E402
from indexer.analysis.normalize import fold_alef, fold_marks, normalize  # noqa: E402
from indexer.analysis.stem import split_article  # noqa: E402
from indexer.analysis.tokenizer import split_surface  # noqa: E402

MIN_COSINE = 0.35
FUNCTION_WORDS = 150  # the most frequent bodies, left out of context vectors
SAMPLE = 400
# Hand-judged pairs: the same word in two spellings, and two different words.
SAME = ["غوغل جوجل", "هونج هونغ", "بكتريا بكتيريا", "اوربا اوروبا", "تايلند* تايلاند*",
        "دكتاتور* ديكتاتور*", "تليفزيون* تلفزيون*", "نتانياهو نتنياهو", "اميرك* امريك*",
        "بروتكول* بروتوكول*", "سامسونغ سامسونج"]
DIFFERENT = ["صنعا صنعاء", "عدنا عدن", "حديده حديد", "صعده صعد", "حلبه حلب", "اسطمبولي اسطنبول",
             "جينيا غينيا", "عراقه عراق", "سيول سول", "كابل كابول"]


def texts() -> list[str]:
    folder = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "corpora" / "saudinewsnet"
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        sys.exit(f"no SaudiNewsNet ZIPs in {folder}; set MARSAD_SHARED")
    out = []
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                out.extend((a.get("title") or "") + "\n" + (a.get("content") or "")
                           for a in json.loads(archive.read(name)))
    return out


def body_of(surface: str) -> tuple[str, bool]:
    """(word body, had the article) of a surface token, before variant folding."""
    folded = fold_marks(surface)
    if not folded:
        return "", False
    _, rest = split_proclitics(folded)
    article, body = split_article(rest)
    return fold_alef(body), bool(article)


class Corpus:
    """Every token as (body, definite), with counts, for one pass of context collection."""

    def __init__(self, docs: list[str]) -> None:
        cache: dict[str, tuple[str, bool]] = {}
        self.docs: list[list[tuple[str, bool]]] = []
        for text in docs:
            seq = []
            for surface, _, _ in split_surface(text):
                hit = cache.get(surface)
                if hit is None:
                    hit = cache[surface] = body_of(surface)
                if hit[0]:
                    seq.append(hit)
            self.docs.append(seq)
        self.counts: Counter = Counter(t for seq in self.docs for t in seq)
        by_body: Counter = Counter()
        for (body, _), n in self.counts.items():
            by_body[body] += n
        self.bodies = by_body
        self.function_words = {b for b, _ in by_body.most_common(FUNCTION_WORDS)}

    def topics(self, groups: dict) -> dict[str, Counter]:
        """tf-idf centroid of (a sample of) the documents holding each group's tokens."""
        import random

        wanted: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for key, side in groups.items():
            for token in side.tokens(self):
                wanted[token].append(key)
        docs_of: dict[str, Counter] = {key: Counter() for key in groups}
        for d, seq in enumerate(self.docs):
            for token in seq:
                for key in wanted.get(token, ()):
                    docs_of[key][d] += 1
        df: Counter = Counter()
        if not hasattr(self, "_df"):
            for seq in self.docs:
                df.update({t[0] for t in seq})
            self._df = df
        n_docs = len(self.docs)
        skip = self.function_words
        rng = random.Random(7)
        out: dict[str, Counter] = {}
        for key, docs in docs_of.items():
            chosen = sorted(docs)
            if len(chosen) > SAMPLE:
                chosen = rng.sample(chosen, SAMPLE)
            own = {t[0] for t in groups[key].tokens(self)}
            centroid: Counter = Counter()
            for d in chosen:
                tf = Counter(t[0] for t in self.docs[d] if t[0] not in skip and t[0] not in own)
                weights = {w: n * math.log(n_docs / self._df[w]) for w, n in tf.items()}
                norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
                for w, v in weights.items():
                    centroid[w] += v / norm
            out[key] = centroid
        return out

    def contexts(self, groups: dict) -> dict[str, Counter]:
        """Neighbour vectors of each group's tokens (one pass over the corpus)."""
        out: dict[str, Counter] = {key: Counter() for key in groups}
        members: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for key, side in groups.items():
            for token in side.tokens(self):
                members[token].append(key)
        skip = self.function_words
        for seq in self.docs:
            for i, token in enumerate(seq):
                keys = members.get(token)
                if not keys:
                    continue
                for j, tag in ((i - 1, "<"), (i - 2, "<<"), (i + 1, ">"), (i + 2, ">>")):
                    if 0 <= j < len(seq) and seq[j][0] not in skip:
                        for key in keys:
                            out[key][tag + seq[j][0]] += 1
        return out


class Union:
    """The canonical side of a pair together with the other variants folded into it."""

    def __init__(self, sides: list["Side"]) -> None:
        self.sides = sides

    def tokens(self, corpus: Corpus) -> list[tuple[str, bool]]:
        return list(dict.fromkeys(t for side in self.sides for t in side.tokens(corpus)))

    def forms(self, corpus: Corpus) -> Counter:
        return self.sides[0].forms(corpus)


class Side:
    """One side of a pair: a word, or a prefix (`*`), optionally only without the article."""

    def __init__(self, spec: str, bare: bool) -> None:
        self.prefix = spec.endswith("*")
        self.word = normalize(spec.rstrip("*"))
        self.bare = bare

    def tokens(self, corpus: Corpus) -> list[tuple[str, bool]]:
        if self.prefix:
            found = [t for t in corpus.counts if t[0].startswith(self.word)]
        else:
            found = [t for t in ((self.word, False), (self.word, True)) if t in corpus.counts]
        return [t for t in found if not (self.bare and t[1])]

    def forms(self, corpus: Corpus) -> Counter:
        out: Counter = Counter()
        for token in self.tokens(corpus):
            out[("ال" if token[1] else "") + token[0]] += corpus.counts[token]
        return out


def cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def table_pairs() -> tuple[list[tuple[str, str, bool, str]], dict[str, str]]:
    """The table's pairs, and the lines' `# read: …` notes (pairs a person confirmed by reading
    every occurrence, where too few articles make the topic check unreliable)."""
    raw = (REPO / "indexer" / "analysis" / "data" / "variants.tsv").read_text("utf-8").splitlines()
    out, read = [], {}
    for number, line in data_lines("variants.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        where = f"variants.tsv:{number}"
        out.append((parts[0], parts[1], len(parts) == 3, where))
        comment = raw[number - 1].partition("#")[2].strip()
        if comment.startswith("read:"):
            read[where] = comment[5:].strip()
    return out, read


def check(corpus: Corpus, pairs: list[tuple[str, str, bool, str]], verbose: bool,
          read: dict[str, str] | None = None) -> int:
    groups: dict[str, Side | Union] = {}
    for i, (variant, canonical, bare, _) in enumerate(pairs):
        groups[f"{i}v"] = Side(variant, bare)
        others = [Side(v, b) for j, (v, c, b, _) in enumerate(pairs) if c == canonical and j != i]
        groups[f"{i}c"] = Union([Side(canonical, bare)] + others)
    vectors = corpus.contexts(groups)
    topics = corpus.topics(groups)
    failed = 0
    print(f"{'pair':34} {'variant':>8} {'canonical':>9} {'topics':>7} {'near':>5}  verdict")
    for i, (variant, canonical, bare, where) in enumerate(pairs):
        v_forms = groups[f"{i}v"].forms(corpus)
        c_forms = groups[f"{i}c"].forms(corpus)
        nv, nc = sum(v_forms.values()), sum(c_forms.values())
        n_group = sum(corpus.counts[t] for t in groups[f"{i}c"].tokens(corpus))
        near = cosine(vectors[f"{i}v"], vectors[f"{i}c"])
        cos = cosine(topics[f"{i}v"], topics[f"{i}c"])
        if variant.rstrip("*").isascii() or canonical.rstrip("*").isascii():
            verdict = "ok (script variant)" if nv and nc else "UNATTESTED"
        elif not nv or not nc:
            verdict = "UNATTESTED"
        elif cos < MIN_COSINE and read and where in read:
            verdict = f"ok (read by hand: {read[where]})"
        elif cos < MIN_COSINE:
            verdict = "TOPICS DIFFER"
        else:
            verdict = "ok"
        failed += not verdict.startswith("ok")
        label = f"{variant} → {canonical}" + (" (bare)" if bare else "")
        print(f"{label:34} {nv:8d} {nc:9d} {cos:7.2f} {near:5.2f}  {verdict}  [{where}]"
              + (f" (canonical with its other variants: {n_group})" if n_group != nc else ""))
        if verbose or not verdict.startswith("ok"):
            print("    variant:   " + " ".join(f"{w}:{n}" for w, n in v_forms.most_common(8)))
            print("    canonical: " + " ".join(f"{w}:{n}" for w, n in c_forms.most_common(8)))
    print(f"\n{len(pairs)} pairs, {failed} failed (topic cosine < {MIN_COSINE} or unattested)")
    return failed


def protected_candidates(docs: list[str], min_count: int) -> None:
    """Words the clitic splitter cuts although their first letter is a root letter: the word
    takes the article (`ال` + word occurs 3 times or more) or its rest is rarely a word alone."""
    words: Counter = Counter()
    for text in docs:
        words.update(fold_marks(s) for s, _, _ in split_surface(text))
    alef: Counter = Counter()
    for word, n in words.items():
        alef[fold_alef(word)] += n
    for word, n in words.most_common():
        if n < min_count:
            break
        if not word or word[0] not in "وفبكل" or len(word) < 4 or word[1] in "أإآ":
            continue
        cut, rest = split_proclitics(word)
        if not cut:
            continue
        whole, alone = fold_alef(word), alef[fold_alef(rest)]
        if alef["ال" + whole] >= 3 or alone < n / 10:
            print(f"{whole}\t{n}\trest {rest}:{alone}\tdefinite {alef['ال' + whole]}")


def alef_lam_candidates(docs: list[str]) -> None:
    """Words starting with a bare `ال` that is part of the word, by the rule in alef_lam.txt."""
    rest: Counter = Counter()
    surfaces = Counter(s for text in docs for s, _, _ in split_surface(text))
    for surface, n in surfaces.items():
        folded = fold_marks(surface)
        if folded:
            rest[split_proclitics(folded)[1]] += n
    for word, n in sorted(rest.items(), key=lambda kv: kv[0]):
        if not word.startswith("ال") or len(word) < 4:
            continue
        tail = word[1:]
        hamza = sum(rest[h + tail] for h in "أإآ")
        definite = rest["ال" + word] + sum(rest["ال" + h + tail] for h in "أإآ")
        alone = rest[word[2:]]
        if hamza + definite >= 5 and hamza + definite > 2 * alone:
            print(f"{word}\t{n}\thamza {hamza} definite {definite} alone {alone}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pair", action="append", default=[],
                        help="'variant canonical [bare]' to check instead of the table")
    parser.add_argument("--protected", action="store_true", help="list protected.txt candidates")
    parser.add_argument("--calibrate", action="store_true", help="score the hand-judged pairs")
    parser.add_argument("--alef-lam", action="store_true", help="list alef_lam.txt candidates")
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the forms of every pair")
    args = parser.parse_args()
    if args.alef_lam:
        alef_lam_candidates(texts())
        return
    if args.protected:
        protected_candidates(texts(), args.min_count)
        return
    corpus = Corpus(texts())
    print(f"{len(corpus.docs)} documents, {len(corpus.bodies):,} distinct bodies", file=sys.stderr)
    if args.protected:
        protected_candidates(texts(), args.min_count)
        return
    specs = args.pair
    if args.calibrate:
        specs = [p + "" for p in SAME] + DIFFERENT
        print("same word: " + ", ".join(SAME) + "\ndifferent words: " + ", ".join(DIFFERENT))
    pairs = []
    for spec in specs:
        parts = spec.split()
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "bare"):
            sys.exit(f"--pair {spec!r}: expected 'variant canonical [bare]'")
        pairs.append((parts[0], parts[1], len(parts) == 3, "candidate"))
    if pairs:
        failed = check(corpus, pairs, True)
    else:
        table, read = table_pairs()
        failed = check(corpus, table, args.verbose, read)
    sys.exit(min(failed, 100))


if __name__ == "__main__":
    main()
