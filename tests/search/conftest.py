"""Engines over real indexes built in tmp folders, and a brute-force view of the stored documents
that the search results are checked against (read with plain Whoosh, not through search/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from search.engine import Engine


@dataclass(frozen=True)
class StoredDoc:
    id: str
    title: str
    content: str
    source: str
    published: str
    places: frozenset[str]  # mentioned places and all their ancestors
    mentioned: frozenset[str]
    actors: frozenset[str]
    event_dates: tuple[str, ...]
    events: frozenset[str] = frozenset()  # sub-event type ids and their type ids, from the stored events
    killed: int | None = None
    injured: int | None = None
    extraction: dict | None = None


def stored_documents(home: Path) -> list[StoredDoc]:
    from whoosh.index import open_dir

    name = (home / "CURRENT").read_text().strip()
    ix = open_dir(str(home / name), indexname="MAIN")
    docs = []
    with ix.reader() as reader:
        for _, fields in reader.iter_docs():
            extraction = fields.get("entities") or {}
            places: set[str] = set()
            for place in extraction.get("places") or []:
                places.add(place["id"])
                places.update(place.get("parents") or [])
            docs.append(StoredDoc(
                id=fields["id"], title=fields.get("title") or "", content=fields.get("content") or "",
                source=fields.get("source") or "", published=fields.get("published") or "",
                places=frozenset(places),
                mentioned=frozenset(p["id"] for p in extraction.get("places") or []),
                actors=frozenset(a for a in (fields.get("actors") or "").split(",") if a),
                event_dates=tuple(d for d in (fields.get("event_dates") or "").split(",") if d),
                events=frozenset(i for e in extraction.get("events") or [] for i in (e["type"], e["subtype"])),
                killed=extraction.get("killed"), injured=extraction.get("injured"), extraction=extraction))
    return docs


def all_ids(engine: Engine, **params: Any) -> list[str]:
    """Every hit of a search, page by page, in order (one per story with collapse=story)."""
    out: list[str] = []
    page = 1
    while True:
        result = engine.search({"per_page": 100, "page": page, **params})
        out.extend(h["id"] for h in result["hits"])
        listed = result.get("total_stories", result["total"])
        if len(out) >= listed or not result["hits"]:
            assert len(out) == listed
            return out
        page += 1


def build(folder: Path, home: Path) -> Path:
    from indexer.build import build_index

    build_index([folder], home, workers=1, quarantine=None, progress=False)
    return home


@pytest.fixture(scope="session")
def engine(corpus_home: Path) -> Iterator[Engine]:
    with Engine(corpus_home) as opened:
        yield opened


@pytest.fixture(scope="session")
def stored(corpus_home: Path) -> list[StoredDoc]:
    return stored_documents(corpus_home)


@pytest.fixture(scope="session")
def by_id(stored: list[StoredDoc]) -> dict[str, StoredDoc]:
    return {d.id: d for d in stored}
