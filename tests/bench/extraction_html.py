"""Main-text and metadata extraction from Arabic news pages, per template and per extractor.

Pages: corpus/ articles wrapped in our own news-site templates (tests/support/news_sites.py),
so the truth is the article itself. Token-level precision (share of extracted words that are
the article's) and recall (share of the article's words extracted), as multisets of words,
summed over pages; titles exact; dates right (the published day); authors exact; pages/s.

Articles 0-19 are the ones looked at while the reader was written (dev); 20 and above were not
(held-out) and are scored apart; the blind template (news_sites.BLIND_TEMPLATES, written after
the reader was tuned) is scored apart too, on held-out articles. Extractors compared on the same pages in the same run:
- marsad: indexer/readers/webpage.extract_page (trafilatura + jusText fallback + our metadata)
- trafilatura: bare_extraction defaults (comments off), its own title/date/author
- trafilatura-precision / trafilatura-recall: its favor_* settings
- justext: jusText with its Arabic stop list (body only)

    python tests/bench/extraction_html.py [--per-template N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from indexer.readers.encoding import decode_page  # noqa: E402
from indexer.readers.webpage import extract_page  # noqa: E402
from tests.support.news_sites import BLIND_TEMPLATES, TEMPLATES, corpus_articles, render_page  # noqa: E402

DEV_ARTICLES = 20


def with_trafilatura(**options: Any) -> Callable[[str], dict]:
    def run(text: str) -> dict:
        import trafilatura

        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, **options)
        if doc is None:
            return {}
        return {"content": doc.text or "", "title": doc.title or "", "published": doc.date or "",
                "author": doc.author or ""}
    return run


def with_justext(text: str) -> dict:
    import justext

    paragraphs = justext.justext(text.encode("utf-8"), justext.get_stoplist("Arabic"), encoding="utf-8")
    return {"content": "\n".join(p.text for p in paragraphs if not p.is_boilerplate)}


def with_marsad(text: str) -> dict:
    found = extract_page(text)
    return found if isinstance(found, dict) else {}


EXTRACTORS: dict[str, Callable[[str], dict]] = {
    "marsad": with_marsad,
    "trafilatura": with_trafilatura(),
    "trafilatura-precision": with_trafilatura(favor_precision=True),
    "trafilatura-recall": with_trafilatura(favor_recall=True),
    "justext": with_justext,
}


class Score:
    def __init__(self) -> None:
        self.common = self.extracted = self.truth = 0
        self.pages = self.titles = self.dates = self.authors = 0
        self.seconds = 0.0

    def add(self, got: dict, article: dict, seconds: float) -> None:
        mine, theirs = Counter((got.get("content") or "").split()), Counter(article["content"].split())
        self.common += sum((mine & theirs).values())
        self.extracted += sum(mine.values())
        self.truth += sum(theirs.values())
        self.pages += 1
        self.titles += got.get("title") == article["title"]
        self.dates += (got.get("published") or "")[:10] == (article.get("published") or "")[:10]
        self.authors += (got.get("author") or "") == (article.get("author") or "")
        self.seconds += seconds

    def row(self, name: str) -> str:
        p = self.common / self.extracted if self.extracted else 0.0
        r = self.common / self.truth if self.truth else 0.0
        n = self.pages or 1
        return (f"{name:<24}{self.pages:>6}{p:>8.3f}{r:>8.3f}{self.titles / n:>8.2f}{self.dates / n:>8.2f}"
                f"{self.authors / n:>8.2f}{self.pages / self.seconds if self.seconds else 0:>9.1f}")


HEADER = f"{'':<24}{'pages':>6}{'P':>8}{'R':>8}{'title':>8}{'date':>8}{'author':>8}{'pages/s':>9}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-template", type=int, default=16, help="held-out pages per template")
    args = parser.parse_args()
    articles = corpus_articles()
    names = list(TEMPLATES)
    pages = []
    for t, name in enumerate(names):
        dev = [articles[(t + k * len(names)) % DEV_ARTICLES] for k in range(4)]
        held = [articles[DEV_ARTICLES + (t + k * len(names)) % (len(articles) - DEV_ARTICLES)]
                for k in range(args.per_template)]
        pages += [("dev", name, a, decode_page(render_page(a, name), None)[0]) for a in dev]
        pages += [("held-out", name, a, decode_page(render_page(a, name), None)[0]) for a in held]
    for name in BLIND_TEMPLATES:
        held = articles[DEV_ARTICLES:DEV_ARTICLES + 2 * args.per_template]
        pages += [("blind template", name, a, decode_page(render_page(a, name), None)[0]) for a in held]
    scores: dict[tuple[str, str, str], Score] = defaultdict(Score)
    for extractor, run in EXTRACTORS.items():
        for k in range(0, len(pages), len(pages) // len(names)):
            run(pages[k][3])  # imports and tables (dates, stop lists) loaded before timing
        for part, name, article, text in pages:
            started = time.perf_counter()
            got = run(text)
            elapsed = time.perf_counter() - started
            for key in ((extractor, part, name), (extractor, part, "all")):
                scores[key].add(got, article, elapsed)
    print(f"{len(pages)} pages, {len(names)} templates ({', '.join(names)}); "
          f"P/R = token-level precision/recall of the body")
    for part, shown in (("held-out", names + ["all"]), ("blind template", list(BLIND_TEMPLATES)),
                        ("dev", names + ["all"])):
        print(f"\n== {part} ==")
        for name in shown:
            print(f"\n-- template {name} --\n{HEADER}")
            for extractor in EXTRACTORS:
                print(scores[(extractor, part, name)].row(extractor))


if __name__ == "__main__":
    main()
