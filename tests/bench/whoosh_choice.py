"""Evidence for the choice of Whoosh distribution: one index, one query set, any `import whoosh`.

Run by hand, once per candidate, each in a throwaway venv (the project's own whoosh untouched):
    python -m venv /tmp/venv-w274 && /tmp/venv-w274/bin/pip install whoosh==2.7.4 pyarabic
    PYTHONPATH=. /tmp/venv-w274/bin/python tests/bench/whoosh_choice.py --out /tmp/w274.json
    (likewise whoosh-reloaded and whoosh3), then
    python tests/bench/whoosh_choice.py --compare /tmp/w274.json /tmp/wr.json /tmp/w3.json
Reads ../shared/corpora/saudinewsnet (or $MARSAD_SHARED) at run time; nothing is copied.

Builds an index of N SaudiNewsNet articles (every 10th, so all days and papers are in) with the
project's schema shape (exact and stem views of title and body, our analyzer), then runs
phrase, word and boolean queries: hit counts, the top 10, highlights and timings. It also
reopens the index, adds and deletes documents and merges, since an index generation lives on.
Identical counts and top 10 across candidates mean the choice rests on speed, maintenance,
Python support and licence.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

QUERIES = [
    ("body_exact", '"دير الزور"'),
    ("body_exact", '"الحرس الثوري"'),
    ("body_exact", '"الأمم المتحدة"'),
    ("body_exact", '"عبد ربه"'),
    ("body_exact", "إيران"),
    ("body_stem", "الميليشيات"),
    ("body_stem", "الأميركية"),
    ("body_stem", "الحوثيين"),
    ("body_stem", "صنعاء AND عدن"),
    ("body_stem", "داعش OR القاعدة"),
    ("body_stem", "التحالف NOT اليمن"),
    ("body_stem", "مسؤول*"),
]


def articles(n: int) -> list[dict]:
    folder = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared")) / "corpora" / "saudinewsnet"
    out: list[dict] = []
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                out.extend(json.loads(archive.read(name)))
    if not out:
        sys.exit(f"no SaudiNewsNet ZIPs in {folder}; set MARSAD_SHARED")
    return out[::10][:n]


def run(n: int) -> dict:
    warnings.simplefilter("ignore")
    import whoosh
    from whoosh import index
    from whoosh.fields import ID, STORED, TEXT, Schema
    from whoosh.highlight import HtmlFormatter
    from whoosh.qparser import QueryParser

    from indexer.analysis import exact_analyzer, stem_analyzer

    docs = articles(n)
    folder = Path(tempfile.mkdtemp(prefix="whoosh-choice-"))
    schema = Schema(id=ID(stored=True, unique=True), title=STORED(), content=STORED(),
                    title_exact=TEXT(analyzer=exact_analyzer(), phrase=True),
                    title_stem=TEXT(analyzer=stem_analyzer(), phrase=False),
                    body_exact=TEXT(analyzer=exact_analyzer(), phrase=True),
                    body_stem=TEXT(analyzer=stem_analyzer(), phrase=False))
    started = time.perf_counter()
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for d, a in enumerate(docs):
        title, body = a.get("title") or "", a.get("content") or ""
        writer.add_document(id=str(d), title=title, content=body, title_exact=title, title_stem=title,
                            body_exact=body, body_stem=body)
    writer.commit()
    build = time.perf_counter() - started
    size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6

    ix = index.open_dir(str(folder))
    results = {}
    with ix.searcher() as searcher:
        for field, text in QUERIES:
            query = QueryParser(field, ix.schema).parse(text)
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                hits = searcher.search(query, limit=10)
                found = hits.estimated_length() if hits.has_exact_length() is False else len(hits)
                top = [h["id"] for h in hits]
                times.append(time.perf_counter() - t0)
            snippet = ""
            if hits and field == "body_exact":
                hits.formatter = HtmlFormatter(tagname="b")
                snippet = hits[0].highlights("body_exact", text=hits[0]["content"])[:160]
            results[f"{field}:{text}"] = {"hits": found, "top10": top, "ms": 1000 * statistics.median(times),
                                          "highlight": snippet}

    started = time.perf_counter()
    writer = ix.writer()
    for d, a in enumerate(articles(n + 100)[n:]):
        body = a.get("content") or ""
        writer.add_document(id=f"new{d}", title="", content=body, title_exact="", title_stem="",
                            body_exact=body, body_stem=body)
    for d in range(10):
        writer.delete_by_term("id", str(d))
    writer.commit(optimize=True)
    update = time.perf_counter() - started
    with index.open_dir(str(folder)).searcher() as searcher:
        after = searcher.doc_count()
    return {"whoosh": getattr(whoosh, "versionstring", lambda: "?")(), "python": sys.version.split()[0],
            "documents": len(docs), "build_s": build, "index_mb": size, "update_merge_s": update,
            "doc_count_after_update": after, "queries": results}


def compare(paths: list[str]) -> None:
    runs = [json.loads(Path(p).read_text("utf-8")) for p in paths]
    print(f"{'':30}" + "".join(f"{r['whoosh']:>14}" for r in runs))
    for key in ("build_s", "index_mb", "update_merge_s", "doc_count_after_update"):
        print(f"{key:30}" + "".join(f"{r[key]:>14.2f}" if isinstance(r[key], float) else f"{r[key]:>14}"
                                    for r in runs))
    for q in runs[0]["queries"]:
        cells = [r["queries"].get(q, {}) for r in runs]
        same = all(c.get("top10") == cells[0].get("top10") for c in cells)
        print(f"{q[:30]:30}" + "".join(f"{c.get('hits', '-'):>8} {c.get('ms', 0):4.1f}ms" for c in cells)
              + ("" if same else "   top 10 differ"))
    total = [sum(c["ms"] for c in r["queries"].values()) for r in runs]
    print(f"{'all queries, ms':30}" + "".join(f"{t:>14.1f}" for t in total))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--out", default=None)
    parser.add_argument("--compare", nargs="+", default=None)
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
        return
    result = run(args.n)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text, "utf-8")
    print(f"whoosh {result['whoosh']}: {result['documents']} documents indexed in {result['build_s']:.1f}s, "
          f"{result['index_mb']:.1f} MB; update+merge {result['update_merge_s']:.1f}s")


if __name__ == "__main__":
    main()
