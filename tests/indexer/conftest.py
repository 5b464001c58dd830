"""Tiny corpora written on the fly and real indexes built from them in tmp folders.

Other test folders may reuse these: `from tests.indexer.conftest import make_article,
write_jsonl, write_tiny_corpus` (plain functions), or copy the fixtures' two lines.
All Arabic here is our own wording.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable

import pytest

REPO = Path(__file__).resolve().parents[2]
PLACES = ["دير الزور", "حلب", "الموصل", "صنعاء", "عدن", "طرابلس", "بنغازي", "الخرطوم", "غزة", "بيروت"]
SOURCES = ["wakalat-al-rasd", "sahifat-al-mizan", "idhaat-al-nahar"]
TEMPLATES = [
    "قالت مصادر محلية إن اشتباكات اندلعت قرب {place} صباح اليوم، وإن فرق الإسعاف نقلت {n} جرحى إلى المستشفى.",
    "أعلن مسؤولون في {place} أن قافلة مساعدات تضم {n} شاحنة وصلت إلى الأحياء الشرقية بعد تأخير دام أسبوعا.",
    "ذكر شهود عيان أن الكهرباء انقطعت عن معظم أحياء {place} لمدة {n} ساعات بسبب عطل في محطة التوليد.",
    "عقد وجهاء {place} اجتماعا موسعا لبحث عودة النازحين، وقدروا عدد العائلات العائدة بنحو {n} عائلة.",
]


def make_article(i: int, **overrides: Any) -> dict[str, Any]:
    """Article number I: deterministic, distinct text, spread over places, sources and days."""
    place = PLACES[i % len(PLACES)]
    body = TEMPLATES[i % len(TEMPLATES)].format(place=place, n=i + 3)
    article = {
        "id": f"art-{i:05d}",
        "url": f"https://example.org/news/{i}",
        "title": f"تقرير رقم {i} من {place}",
        "content": f"{body} وأضافت المصادر أن الوضع بقي هادئا حتى المساء. رمز التقرير ت{i}ر {code_word(i)}.",
        "source": SOURCES[i % len(SOURCES)],
        "author": "فريق التحرير",
        "published": f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
    }
    article.update(overrides)
    return article


CODE_LETTERS = "بجدحخرزسشص"


def code_word(i: int) -> str:
    """A word only article I contains, which the analyzer keeps whole (no clitic or suffix to
    strip), so a search for it finds exactly that article."""
    return "ظ" + "".join(CODE_LETTERS[int(d)] for d in str(i)) + "ظ"


def write_jsonl(path: Path, records: Iterable[Any]) -> Path:
    """One line per record; strings are written as they are (to plant bad lines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record if isinstance(record, str) else json.dumps(record, ensure_ascii=False))
            handle.write("\n")
    return path


def write_markdown(path: Path, article: dict[str, Any]) -> Path:
    header = "\n".join(f"{key}: {article[key]}" for key in ("title", "source", "url", "published", "author")
                       if article.get(key))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{header}\n---\n\n{article['content']}\n", encoding="utf-8")
    return path


def write_tiny_corpus(folder: Path, count: int = 24) -> Path:
    """COUNT articles spread over a JSON Lines file, a JSON array and Markdown files."""
    articles = [make_article(i) for i in range(count)]
    third = count // 3
    write_jsonl(folder / "wire.jsonl", articles[:third])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "batch.json").write_text(json.dumps(articles[third:2 * third], ensure_ascii=False), "utf-8")
    for article in articles[2 * third:]:
        md = dict(article)
        del md["id"]
        write_markdown(folder / "features" / f"{article['id']}.md", md)
    return folder


def search_ids(home_or_gen: Path, fieldname: str, text: str) -> list[str]:
    """Ids of documents matching TEXT in FIELDNAME, with plain Whoosh and our analyzer."""
    from whoosh.index import open_dir
    from whoosh.qparser import QueryParser

    folder = home_or_gen
    if (home_or_gen / "CURRENT").exists():
        folder = home_or_gen / (home_or_gen / "CURRENT").read_text().strip()
    ix = open_dir(str(folder))
    with ix.searcher() as searcher:
        query = QueryParser(fieldname, ix.schema).parse(text)
        return sorted(hit["id"] for hit in searcher.search(query, limit=None))


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    return write_tiny_corpus(tmp_path / "corpus")


@pytest.fixture
def built_index(tmp_path: Path, tiny_corpus: Path) -> Path:
    """An index home with one generation built from tiny_corpus (24 articles)."""
    from indexer.build import build_index

    home = tmp_path / "home"
    build_index([tiny_corpus], home, workers=1, quarantine=None, progress=False)
    return home


def live_folder(home: Path) -> Path:
    """The generation folder CURRENT names."""
    return home / (home / "CURRENT").read_text("utf-8").strip()


def marsad(*args: str, timeout: float = 300, **kwargs: Any) -> "subprocess.CompletedProcess[str]":
    """Run the real `marsad` command line in a subprocess (no terminal: stdout/stderr captured)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(kwargs.pop("env", {}))
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout, env=env, **kwargs)


@pytest.fixture(scope="session")
def extractor():
    """The process's real extractor (gazetteer, actor book, token trie): built once, read-only."""
    from indexer.entities.extract import get_extractor

    return get_extractor()
