"""A generation's stories on disk: `stories.tsv` for readers, `stories.npz` for the next update.

`stories.tsv` has one line per indexed article, `article_id<TAB>story_id` (search/ reads it; it
never imports indexer). `stories.npz` keeps what grouping needs per article (day, URL variant
key, shingle hashes, MinHash) and the checked same-story pairs, so `marsad index update` places
new articles into existing stories without reading or re-analysing the indexed ones.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Protocol

import numpy as np

from . import stories
from .generations import STORIES_TSV
from .generations import STORY_STORE as STORE
from .stories import Fingerprint, Member


class Report(NamedTuple):
    """One indexed article as the story store keeps it."""

    id: str
    day: int
    published: str
    variant: str
    content_hash: str
    fingerprint: Fingerprint


@dataclass
class StoryStore:
    reports: list[Report] = field(default_factory=list)
    edges: list[stories.Edge] = field(default_factory=list)
    story: list[str] = field(default_factory=list)
    common: np.ndarray = field(default_factory=lambda: stories.EMPTY)

    def members(self) -> list[Member]:
        return [Member(r.id, r.day, r.fingerprint) for r in self.reports]

    def sizes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for story_id in self.story:
            counts[story_id] = counts.get(story_id, 0) + 1
        return counts


def updated(old: StoryStore, removed: set[str], new: list[Report]) -> StoryStore:
    """OLD without the articles in REMOVED (replaced or deleted), plus NEW, regrouped: new
    articles join the stories they belong to, and a story that lost a member may split."""
    new_ids = {r.id for r in new}
    keep = [i for i, r in enumerate(old.reports) if r.id not in removed and r.id not in new_ids]
    position = {old_position: new_position for new_position, old_position in enumerate(keep)}
    kept_edges = [(position[i], position[j], w) for i, j, w in old.edges if i in position and j in position]
    reports = [old.reports[i] for i in keep] + list(new)
    members = [Member(r.id, r.day, r.fingerprint) for r in reports]
    story, edges = stories.regroup(members, kept_edges, len(keep), old.common)
    return StoryStore(reports, edges, story, old.common)


class Columns(Protocol):
    """What write stores, column by column: per report its strings (`ids`, `published`,
    `variants`, `hashes`, `story`), DAYS, LENGTHS (shingle counts), HAS_SKETCH and fingerprints
    (a chunk of rows at a time); the links (EDGES (i, j) and WEIGHTS) and the COMMON shingles."""

    days: np.ndarray
    lengths: np.ndarray
    has_sketch: np.ndarray
    edges: np.ndarray
    weights: np.ndarray
    common: np.ndarray

    def __len__(self) -> int: ...

    def strings(self, name: str) -> Iterator[str]: ...

    def fingerprint_chunks(self) -> Iterator[list[Fingerprint]]: ...


class StoreColumns:
    """A StoryStore held in memory (an update's) as Columns."""

    def __init__(self, store: StoryStore) -> None:
        self.store = store
        reports = store.reports
        self.days = np.array([r.day for r in reports], dtype=np.int64)
        self.lengths = np.fromiter((len(r.fingerprint.shingles) for r in reports), dtype=np.int64, count=len(reports))
        self.has_sketch = np.fromiter((len(r.fingerprint.minhash) > 0 for r in reports), dtype=bool, count=len(reports))
        self.edges = np.array([(i, j) for i, j, _ in store.edges], dtype=np.int64).reshape(-1, 2)
        self.weights = np.array([w for _, _, w in store.edges], dtype=np.float64)
        self.common = np.asarray(store.common)

    def __len__(self) -> int:
        return len(self.store.reports)

    def strings(self, name: str) -> Iterator[str]:
        if name == "story":
            return iter(self.store.story)
        field = {"ids": "id", "published": "published", "variants": "variant", "hashes": "content_hash"}[name]
        return (getattr(r, field) for r in self.store.reports)

    def fingerprint_chunks(self) -> Iterator[list[Fingerprint]]:
        yield [r.fingerprint for r in self.store.reports]


def write(folder: Path, store: StoryStore | Columns) -> None:
    """stories.tsv and stories.npz. The npz's columns are streamed into the archive a chunk of
    rows at a time (the same file np.savez writes): built whole, the fixed-width string columns
    (4 bytes per character of the longest URL, for every row), the concatenated shingles and the
    sketch matrix together took ~3 KiB per report at once, the build's peak at a large corpus.
    A build's Columns read the fingerprints from the workers' files (indexer/story_rows.py)."""
    columns = StoreColumns(store) if isinstance(store, StoryStore) else store
    write_tsv(folder / STORIES_TSV, zip(columns.strings("ids"), columns.strings("story")))
    count = len(columns)
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(columns.lengths, out=offsets[1:])
    empty_row = np.zeros(stories.NUM_PERM, dtype=np.uint32)
    tmp = folder / (STORE + ".tmp.npz")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        put_strings(archive, "ids", lambda: columns.strings("ids"), count)
        put_array(archive, "days", columns.days)
        put_strings(archive, "published", lambda: columns.strings("published"), count)
        put_strings(archive, "variants", lambda: columns.strings("variants"), count)
        put_strings(archive, "hashes", lambda: columns.strings("hashes"), count)
        put_array(archive, "offsets", offsets)
        put_rows(archive, "shingles", np.dtype(np.uint32), (int(offsets[-1]),),
                 (f.shingles for chunk in columns.fingerprint_chunks() for f in chunk))
        put_rows(archive, "sketches", np.dtype(np.uint32), (count, stories.NUM_PERM),
                 (f.minhash if len(f.minhash) else empty_row for chunk in columns.fingerprint_chunks() for f in chunk))
        put_array(archive, "has_sketch", columns.has_sketch)
        put_array(archive, "edges", columns.edges)
        put_array(archive, "weights", columns.weights)
        put_strings(archive, "story", lambda: columns.strings("story"), count)
        put_array(archive, "common", np.asarray(columns.common))
    os.replace(tmp, folder / STORE)


STREAM_ROWS = 1 << 14


def put_array(archive: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    with archive.open(name + ".npy", "w", force_zip64=True) as handle:
        np.lib.format.write_array(handle, np.ascontiguousarray(array), allow_pickle=False)


def put_rows(archive: zipfile.ZipFile, name: str, dtype: np.dtype, shape: tuple[int, ...],
             rows: Iterable[np.ndarray]) -> None:
    """An array of SHAPE written from ROWS (arrays of DTYPE whose sizes add up to SHAPE)."""
    header = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": shape}
    with archive.open(name + ".npy", "w", force_zip64=True) as handle:
        np.lib.format.write_array_header_2_0(handle, header) if header_too_long(header) else \
            np.lib.format.write_array_header_1_0(handle, header)
        for row in rows:
            handle.write(np.ascontiguousarray(row, dtype=dtype).tobytes())


def header_too_long(header: dict) -> bool:
    return len(repr(header)) > 65_000


def put_strings(archive: zipfile.ZipFile, name: str, values: Callable[[], Iterable[str]], count: int) -> None:
    """The COUNT strings VALUES() yields as np.array(list, dtype=str) would store them, built a
    chunk at a time (VALUES is called twice: once for the width)."""
    width = max((len(v) for v in values()), default=0) or 1
    dtype = np.dtype(f"<U{width}")
    rest = iter(values())
    chunks = (np.array(list(islice(rest, STREAM_ROWS)), dtype=dtype) for _ in range(0, count, STREAM_ROWS))
    put_rows(archive, name, dtype, (count,), chunks)


def write_tsv(path: Path, rows: Iterable[tuple[str, str]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(f"{article}\t{story}\n" for article, story in rows)
    os.replace(tmp, path)


def read_tsv(folder: Path) -> dict[str, str]:
    """article id → story id."""
    out = {}
    with open(folder / STORIES_TSV, encoding="utf-8") as handle:
        for line in handle:
            article, story = line.rstrip("\n").split("\t")
            out[article] = story
    return out


def load(folder: Path) -> StoryStore | None:
    """The store of generation FOLDER, or None when it has none (built before stories)."""
    path = folder / STORE
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        ids, days, variants = data["ids"].tolist(), data["days"].tolist(), data["variants"].tolist()
        published, hashes = data["published"].tolist(), data["hashes"].tolist()
        offsets, shingles = data["offsets"], data["shingles"]
        sketches, has_sketch = data["sketches"], data["has_sketch"]
        edges = [(i, j, w) for (i, j), w in zip(data["edges"].tolist(), data["weights"].tolist())]
        story = data["story"].tolist()
        common = data["common"]
    empty = np.zeros(0, dtype=np.uint32)
    if sketches.shape[1] != stories.NUM_PERM:  # written with another MinHash size: remake them
        reports = [Report(ids[i], days[i], published[i], variants[i], hashes[i],
                          stories.sketched(shingles[offsets[i]:offsets[i + 1]])) for i in range(len(ids))]
        return StoryStore(reports, edges, story, common)
    reports = [Report(ids[i], days[i], published[i], variants[i], hashes[i],
                      Fingerprint(shingles[offsets[i]:offsets[i + 1]], sketches[i] if has_sketch[i] else empty))
               for i in range(len(ids))]
    return StoryStore(reports, edges, story, common)
