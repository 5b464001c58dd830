"""Stories: which reports tell the same story, as numpy columns over one generation's documents.

The indexer writes `stories.tsv` into every generation it publishes (`article_id<TAB>story_id`,
one line per indexed article); an older generation without it, or an article missing from it,
counts as a story of its own whose id is the article's id. Everything here is keyed by a dense
integer per story (`key`): collapsing a result to one hit per story, counting a result's
stories and listing a story's members are then a few array operations, with no Python loop over
hits, which keeps them cheap at a million documents. Story ids are kept as one sorted byte blob
looked up by binary search, not as a dict of a million strings.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from pathlib import Path

import numpy as np

log = logging.getLogger("marsad.search")

STORIES_FILE = "stories.tsv"
FIXED_WIDTH = 64


class StringTable:
    """Sorted distinct strings, stored as one UTF-8 blob: item I, or the position of a string."""

    def __init__(self, values: list[bytes]) -> None:
        self.blob = b"".join(values)
        self.ends = np.cumsum([len(v) for v in values], dtype=np.int64) if values else np.zeros(0, np.int64)

    def __len__(self) -> int:
        return len(self.ends)

    def raw(self, i: int) -> bytes:
        start = int(self.ends[i - 1]) if i else 0
        return self.blob[start:int(self.ends[i])]

    def __getitem__(self, i: int) -> str:
        return self.raw(i).decode("utf-8", "replace")

    def find(self, value: str) -> int | None:
        target = value.encode("utf-8", "surrogatepass")
        i = bisect_left(range(len(self)), target, key=self.raw)
        return i if i < len(self) and self.raw(i) == target else None


def read_lines(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(article ids, story ids) of a stories.tsv as arrays of bytes; lines without both fields
    are skipped (and counted in the log), so one bad line costs one article its story, not the
    generation. A well-formed file is split by C-level bytes operations only."""
    raw = path.read_bytes().replace(b"\r\n", b"\n")
    lines = raw.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    fields = raw.replace(b"\t", b"\n").split(b"\n")
    if fields and not fields[-1]:
        fields.pop()
    if len(fields) == 2 * len(lines) and all(fields[0::2]) and all(fields[1::2]):
        return as_array(fields[0::2]), as_array(fields[1::2])
    articles: list[bytes] = []
    stories: list[bytes] = []
    bad = 0
    for line in lines:
        article, tab, story = line.partition(b"\t")
        if not tab or not article or not story or b"\t" in story:
            bad += bool(line.strip())
            continue
        articles.append(article)
        stories.append(story)
    if bad:
        log.warning("%s: %d malformed lines ignored", path, bad)
    return as_array(articles), as_array(stories)


def as_array(values: list[bytes]) -> np.ndarray:
    """VALUES as a fixed-width bytes array (sorted and searched in C) when they are short, as
    is every id Marsad derives; else as Python objects (the same operations, slower)."""
    if not values:
        return np.zeros(0, dtype="S1")
    if max(map(len, values)) <= FIXED_WIDTH and not any(v.endswith(b"\0") for v in values):
        return np.array(values, dtype=bytes)
    return np.array(values, dtype=object)


def align(articles: np.ndarray, terms: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The document of each of ARTICLES (-1 where none): TERMS[i] is the id of document DOCS[i]."""
    if not len(terms) or not len(articles):
        return np.full(len(articles), -1, dtype=np.int64)
    if terms.dtype.kind == articles.dtype.kind == "S":
        width = f"S{max(terms.dtype.itemsize, articles.dtype.itemsize)}"
        terms, articles = terms.astype(width), articles.astype(width)
    elif terms.dtype != articles.dtype:
        terms, articles = terms.astype(object), articles.astype(object)
    order = np.argsort(terms, kind="stable")
    terms, docs = terms[order], docs[order]
    where = np.minimum(np.searchsorted(terms, articles), len(terms) - 1)
    return np.where(terms[where] == articles, docs[where], -1).astype(np.int64)


def assign_keys(docnums: np.ndarray, story_ids: np.ndarray, size: int) -> tuple[np.ndarray, list[bytes]]:
    """A story key per document, and the story ids the first keys stand for (sorted).

    DOCNUMS[i] is the document of line i (-1: not in this generation), STORY_IDS[i] its story.
    Documents no line names get keys of their own after the named ones."""
    keep = docnums >= 0
    names, codes = np.unique(np.asarray(story_ids)[keep], return_inverse=True)
    key = np.full(size, -1, dtype=np.int64)
    key[docnums[keep]] = codes.reshape(-1)
    missing = key < 0
    key[missing] = len(names) + np.arange(int(missing.sum()), dtype=np.int64)
    return key, [bytes(n) for n in names.tolist()]


class Stories:
    def __init__(self, key: np.ndarray, names: list[bytes], live: np.ndarray) -> None:
        self.key = key
        self.names = StringTable(names)
        self.named = len(names)
        self.count = int(key.max()) + 1 if len(key) else 0
        live_docs = np.flatnonzero(live)
        self.size = np.bincount(key[live_docs], minlength=self.count).astype(np.int32)
        self.members_in_order = live_docs[np.argsort(key[live_docs], kind="stable")]
        self.indptr = np.concatenate(([0], np.cumsum(self.size, dtype=np.int64)))

    @classmethod
    def load(cls, folder: Path, postings, live: np.ndarray, ids: np.ndarray | None = None) -> "Stories":
        """IDS, when given, is each document's article id as bytes (search.columns reads it from
        the segments' columns files); else the ids are read from the `id` field's terms."""
        size = len(live)
        path = Path(folder) / STORIES_FILE
        try:
            articles, story_ids = read_lines(path)
        except FileNotFoundError:
            return cls(np.arange(size, dtype=np.int64), [], live)
        except OSError as error:  # unreadable: serve the generation, one story per article
            log.warning("cannot read %s (%s): every article is its own story", path, error)
            return cls(np.arange(size, dtype=np.int64), [], live)
        if ids is not None:
            docs = np.flatnonzero(live & (ids != b""))
            docnums = align(articles, ids[docs], docs)
        else:
            terms, docs = postings.unique_terms("id")
            alive = live[docs] if len(docs) else np.zeros(0, dtype=bool)
            docnums = align(articles, as_array([t for t, ok in zip(terms, alive.tolist()) if ok]), docs[alive])
        key, names = assign_keys(docnums, story_ids, size)
        return cls(key, names, live)

    def members(self, key: int) -> np.ndarray:
        """The live documents of story KEY, in document order."""
        return self.members_in_order[self.indptr[key]:self.indptr[key + 1]]

    def story_id(self, key: int, article_id: str) -> str:
        """The id of story KEY, given the id of one of its articles (a story no line names is
        called by its only article's id)."""
        return self.names[key] if key < self.named else article_id

    def find(self, story_id: str, docnum_of) -> int | None:
        """The key of STORY_ID; DOCNUM_OF(article id) finds an unnamed one-article story."""
        key = self.names.find(story_id)
        if key is not None:
            return key
        docnum = docnum_of(story_id)
        if docnum is not None and self.key[docnum] >= self.named:
            return int(self.key[docnum])
        return None

    def distinct(self, docs: np.ndarray) -> int:
        """How many stories the documents DOCS belong to."""
        if len(docs) * 16 < self.count:
            return len(np.unique(self.key[docs]))
        seen = np.zeros(self.count, dtype=bool)
        seen[self.key[docs]] = True
        return int(seen.sum())


def leaders(ordered: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The documents of ORDERED (a ranking) that come first in their story, in ranking order."""
    _, first = np.unique(key[ordered], return_index=True)
    first.sort()
    return ordered[first]
