"""What a build's parent process keeps per article must stay small, since it keeps it for every
article of the corpus: the duplicate table and the origins table, measured with tracemalloc on
a synthetic corpus with SaudiNewsNet-like ids, URLs and days. At a million reports the two
together must stay far below the build's 1.5 GiB budget (the workers' memory is bounded by
the segment size setting and their bounded caches, whatever the corpus size)."""

from __future__ import annotations

import gc
from dataclasses import replace
import tracemalloc

from indexer.dedup import Deduplicator
from indexer.origins import OriginTable
from indexer.readers import Origin
from indexer.validation import Article

ARTICLES = 20_000
BYTES_PER_ARTICLE = 300  # ≈ 290 MiB at a million reports (the dict-of-strings tables took ~520 + ~200)


def article(i: int) -> Article:
    return Article(id=f"{i:016x}{i * 7919:016x}~{i % 32}",
                   url=f"https://www.example-daily.com/news/2015/07/{i % 28 + 1:02d}/article-{i}.html#copy{i % 32}",
                   title="", content="", source="okaz", author="", published=f"20{15 + i % 32}-07-{i % 28 + 1:02d}",
                   content_hash="")


def test_the_parents_per_article_tables_stay_small() -> None:
    articles = [article(i) for i in range(ARTICLES)]
    origins_in = [Origin(f"/corpus/copy-{i % 32:02d}.jsonl", None, i + 1) for i in range(ARTICLES)]
    gc.collect()
    tracemalloc.start()
    dedup, origins = Deduplicator(), OriginTable()
    for ordinal, (a, origin) in enumerate(zip(articles, origins_in)):
        accepted, _ = dedup.offer(ordinal, a)
        assert accepted
        origins[ordinal] = origin
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_article = held / ARTICLES
    print(f"parent tables: {per_article:.0f} bytes per article ≈ {per_article * 1e6 / 2**20:.0f} MiB per million")
    assert per_article <= BYTES_PER_ARTICLE
    assert origins.get(123) == origins_in[123] and origins.get(ARTICLES + 5) is None


def test_the_compact_tables_still_pick_the_newest_copy() -> None:
    dedup = Deduplicator()
    old = article(1)
    newer = replace(old, published="2099-01-01")
    same_url = replace(article(2), url=old.url)  # another id, the same URL, an earlier day
    assert dedup.offer(0, old) == (True, [])
    assert dedup.offer(1, newer) == (True, [0])
    assert dedup.offer(2, old) == (False, [])
    assert dedup.offer(3, same_url) == (False, [])
    assert dedup.offer(4, replace(newer, title="later the same day")) == (True, [1])
    assert dedup.duplicates == 4
