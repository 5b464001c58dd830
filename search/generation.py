"""One opened index generation: its Whoosh reader, postings, columns and entities, with a
reference count so that a generation replaced by a rebuild is closed only when the last
request using it has finished.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
from whoosh.filedb.filestore import FileStorage

from . import spelling_table
from .background import BackgroundMapping
from .columns import Columns
from .entities import Entities
from .index import ENTITIES, INDEX_NAME, LiveGeneration, stats_from_marker
from .postings import Postings
from .spelling import FLOOR, LRU, Speller
from .stories import Stories

log = logging.getLogger("marsad.search")

SPELLING_FIELD = "body_exact"
SUGGESTIONS_REMEMBERED = 2048  # (query, entity matching) → (corrected query or None, its documents)


class Generation:
    def __init__(self, live: LiveGeneration) -> None:
        self.folder = live.folder
        self.number = live.number
        self.marker = live.marker
        storage = FileStorage(str(live.folder), supports_mmap=False, readonly=True)
        self.index = storage.open_index(INDEX_NAME)
        self.reader = self.index.reader()
        try:
            self.postings = Postings(self.reader)
            self.columns = Columns(self.postings, live.folder)
            self.stories = Stories.load(live.folder, self.postings, self.columns.live, self.columns.article_ids)
            self.entities = Entities.load(live.folder / ENTITIES)
            self.popularity = self.columns.popularity()
            self.frequent = BackgroundMapping(self._frequent_terms, f"marsad-spelling-{live.folder.name}",
                                              self._frequent_term)
            self.speller = Speller(self.frequent,
                                   lambda term: self.postings.doc_frequency(SPELLING_FIELD, term),
                                   lambda term: self.postings.ids(SPELLING_FIELD, term))
            self._warm()
        except BaseException:
            if hasattr(self, "frequent"):
                self.frequent.close()
            self.reader.close()
            raise
        self.stats = stats_from_marker(live.marker, live.number)
        self._refs = 1  # the engine's own reference while this generation is current
        self._lock = threading.Lock()
        self.closed = False
        self.cache: dict[Any, Any] = {}
        self.cache_lock = threading.Lock()
        self.suggestions: LRU[tuple[str, bool], tuple[str | None, int]] = LRU(SUGGESTIONS_REMEMBERED)

    @property
    def size(self) -> int:
        return self.columns.size

    def _frequent_terms(self, stop: threading.Event) -> dict[str, int]:
        """The did-you-mean table, from a child process (see search/spelling_table.py), or
        computed here if that fails."""
        try:
            return spelling_table.frequent_terms(self.folder, SPELLING_FIELD, FLOOR, stop)
        except InterruptedError:
            raise
        except Exception as error:
            log.warning("spelling table: %s; computing it in process", error)
            return self.postings.frequent_terms(SPELLING_FIELD, FLOOR, stop)

    def _frequent_term(self, term: str, default: Any) -> Any:
        """One entry of the did-you-mean table without the table (seeks in every segment: for the
        few suggestions asked before the table is ready)."""
        found = self.postings.doc_frequency(SPELLING_FIELD, term)
        return found if found >= FLOOR else default

    def _warm(self) -> None:
        """Create Whoosh's lazily opened column readers here rather than in a request."""
        for leaf in self.postings.leaves:
            if leaf.doc_count:
                leaf.stored(0)

    def acquire(self) -> "Generation":
        with self._lock:
            if self.closed:
                raise RuntimeError("generation already closed")
            self._refs += 1
        return self

    def release(self) -> None:
        with self._lock:
            self._refs -= 1
            close = self._refs == 0 and not self.closed
            if close:
                self.closed = True
        if close:
            log.info("closing index generation %s", self.folder.name)
            self.frequent.close()
            self.reader.close()

    # documents ------------------------------------------------------------------------------
    def stored(self, docnum: int) -> dict[str, Any]:
        return self.postings.stored(int(docnum))

    def docnum(self, article_id: str) -> int | None:
        ids = self.postings.ids("id", article_id)
        for docnum in ids.tolist():
            if self.columns.live[docnum]:
                return int(docnum)
        return None

    def live_docs(self) -> np.ndarray:
        return self.columns.live
