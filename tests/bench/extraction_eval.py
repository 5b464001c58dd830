"""Extraction quality against the hand-labelled set: precision, recall, F1 per entity type.

Run by hand:  python tests/bench/extraction_eval.py [FILE.jsonl ...] [--worst 10] [--verbose]
              python tests/bench/extraction_eval.py --baseline 03f5803   (that revision beside this one)
Default input: every tests/data/extraction_eval/*.jsonl (format: README.md there). Article
texts are read at run time from ../shared (SaudiNewsNet, by URL) or corpus/ (by id); the
labels never hold text. Scores are micro-averaged over documents; an entity is a distinct id
per document (places: what the text names, not the ancestors; dates: distinct days).
Targets (issue 4): F1 ≥ 0.90 places, ≥ 0.85 actors, ≥ 0.85 dates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from indexer.entities.extract import get_extractor  # noqa: E402

LABELS = REPO / "tests" / "data" / "extraction_eval"
TYPES = ("places", "actors", "dates")
TARGETS = {"places": 0.90, "actors": 0.85, "dates": 0.85}


class LabelError(ValueError):
    pass


@dataclass
class Doc:
    where: str
    ref: dict
    published: dt.date
    gold: dict[str, set[str]]
    title: str = ""
    content: str = ""
    source: str | None = None
    predicted: dict[str, set[str]] = field(default_factory=dict)

    def errors(self) -> int:
        return sum(len(self.gold[t] ^ self.predicted[t]) for t in TYPES)


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def read_labels(paths: list[Path]) -> list[Doc]:
    docs = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
                ref = row["ref"]
                if not isinstance(ref, dict) or not ({"saudinewsnet_url", "corpus_id"} & ref.keys()):
                    raise LabelError("ref: needs saudinewsnet_url or corpus_id")
                published = dt.date.fromisoformat(row["published"])
                gold = {t: set(row.get(t, [])) for t in TYPES}
                for day in gold["dates"]:
                    dt.date.fromisoformat(day)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise LabelError(f"{where}: {error}") from None
            docs.append(Doc(where, ref, published, gold))
    return docs


def saudinewsnet_by_url(urls: set[str]) -> dict[str, dict]:
    folder = shared_dir() / "corpora" / "saudinewsnet"
    found: dict[str, dict] = {}
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for article in json.loads(archive.read(name)):
                    if article.get("url") in urls:
                        found[article["url"]] = article
        if len(found) == len(urls):
            break
    return found


def corpus_by_id(ids: set[str]) -> dict[str, dict]:
    """corpus/ articles by the id the index gives them (read and validated as the build does)."""
    from indexer.readers import RawRecord, read_paths
    from indexer.validation import Article, validate_record

    found: dict[str, dict] = {}
    for item in read_paths([REPO / "corpus"]):
        if isinstance(item, RawRecord):
            article = validate_record(item)
            if isinstance(article, Article) and article.id in ids:
                found[article.id] = {"title": article.title, "content": article.content,
                                    "source": article.source}
    return found


def attach_texts(docs: list[Doc]) -> None:
    urls = {d.ref["saudinewsnet_url"] for d in docs if "saudinewsnet_url" in d.ref}
    ids = {d.ref["corpus_id"] for d in docs if "corpus_id" in d.ref}
    articles = {**(saudinewsnet_by_url(urls) if urls else {}), **(corpus_by_id(ids) if ids else {})}
    for d in docs:
        key = d.ref.get("saudinewsnet_url") or d.ref.get("corpus_id")
        article = articles.get(key)
        if article is None:
            raise LabelError(f"{d.where}: article not found: {key}")
        d.title, d.content = article.get("title") or "", article.get("content") or ""
        d.source = article.get("source") or None  # the outlet guards bare titles and context aliases


def score(docs: list[Doc]) -> dict[str, tuple[float, float, float, int, int, int]]:
    out = {}
    for t in TYPES:
        tp = sum(len(d.gold[t] & d.predicted[t]) for d in docs)
        fp = sum(len(d.predicted[t] - d.gold[t]) for d in docs)
        fn = sum(len(d.gold[t] - d.predicted[t]) for d in docs)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[t] = (p, r, f, tp, fp, fn)
    return out


SCORE_LINE = re.compile(r"^(places|actors|dates)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)")


def scores_of(output: str) -> dict[str, tuple[str, ...]]:
    return {m.group(1): m.groups()[1:] for m in map(SCORE_LINE.match, output.splitlines()) if m}


def side_by_side(revision: str, paths: list[Path]) -> int:
    """Score REVISION's extractor (its indexer/ and this script as it was, exported with git
    archive into a temporary folder) and this tree's on the same label files, in one run."""
    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "indexer", "corpus",
                                  "tests/bench/extraction_eval.py"], capture_output=True, check=False)
        if archive.returncode:
            print(f"extraction_eval: git archive {revision}: {archive.stderr.decode().strip()}", file=sys.stderr)
            return 2
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        for label, root in ((revision, Path(folder)), ("this tree", REPO)):
            env = dict(os.environ, PYTHONPATH=str(root), MARSAD_SHARED=str(shared_dir()))
            done = subprocess.run([sys.executable, str(root / "tests" / "bench" / "extraction_eval.py"),
                                   *map(str, paths), "--worst", "0"], capture_output=True, text=True, env=env)
            if done.returncode:
                print(f"extraction_eval ({label}): {done.stderr.strip()}", file=sys.stderr)
                return 2
            runs[label] = scores_of(done.stdout)
    (before, b), (now, n) = runs.items()
    print(f"{len(paths)} label files; P / R / F1 (tp fp fn)")
    print(f"{'type':<8} {before:>34}   {now:>34}")
    for t in TYPES:
        cells = [f"{x[0]} {x[1]} {x[2]} ({x[3]} {x[4]} {x[5]})" for x in (b[t], n[t])]
        print(f"{t:<8} {cells[0]:>34}   {cells[1]:>34}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--worst", type=int, default=10, help="documents to show (most errors first)")
    parser.add_argument("--verbose", action="store_true", help="show every document's differences")
    parser.add_argument("--baseline", metavar="REV", help="also score the extractor of git revision REV "
                        "on the same labels and print both side by side")
    args = parser.parse_args()

    paths = args.files or sorted(LABELS.glob("*.jsonl"))
    if args.baseline:
        return side_by_side(args.baseline, paths)
    if not paths:
        print(f"no label files in {LABELS}", file=sys.stderr)
        return 2
    try:
        docs = read_labels(paths)
        attach_texts(docs)
    except (LabelError, OSError) as error:
        print(f"extraction_eval: {error}", file=sys.stderr)
        return 2

    extractor = get_extractor()
    unknown = sorted({f"{d.where}: {i}" for d in docs for t, known in (("places", extractor.places),
                      ("actors", extractor.actors)) for i in d.gold[t] if i not in known})
    if unknown:
        print(f"warning: {len(unknown)} labelled ids are not in the data (renamed or dropped?):",
              *unknown[:20], sep="\n  ", file=sys.stderr)
    for d in docs:
        result = extractor.extract(d.title, d.content, d.published, d.source)
        d.predicted = {
            "places": {p["id"] for p in result["places"]},
            "actors": {a["id"] for a in result["actors"]},
            "dates": {x["date"] for x in result["dates"]},
        }

    print(f"{len(docs)} documents from {', '.join(p.name for p in paths)}")
    print(f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'fp':>5} {'fn':>5}  target")
    for t, (p, r, f, tp, fp, fn) in score(docs).items():
        mark = "ok" if f >= TARGETS[t] else "BELOW"
        print(f"{t:<8} {p:6.3f} {r:6.3f} {f:6.3f}   {tp:5d} {fp:5d} {fn:5d}  F1≥{TARGETS[t]:.2f} {mark}")

    shown = docs if args.verbose else sorted(docs, key=Doc.errors, reverse=True)[: args.worst]
    shown = [d for d in shown if d.errors()]
    if shown:
        print("\nworst documents (missed = labelled but not found; extra = found but not labelled):")
    for d in shown:
        key = d.ref.get("saudinewsnet_url") or d.ref.get("corpus_id")
        print(f"- {d.where} errors={d.errors()} {d.title[:60]!r}\n  {key}")
        for t in TYPES:
            missed = sorted(d.gold[t] - d.predicted[t])
            extra = sorted(d.predicted[t] - d.gold[t])
            if missed or extra:
                print(f"  {t}: missed {missed} extra {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
