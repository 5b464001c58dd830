"""Merging an index generation's segments, so that updates do not pile them up.

Every `marsad index update` adds one segment per worker; search pays per segment (a term is
looked up and decoded once per segment), and a replaced article stays in its old segment,
marked deleted. After the update has written its segments, the build folder's segments are
merged by a log-structured policy (Lucene's LogMergePolicy, by live document count): a
segment's level is log_FACTOR(documents / FLOOR); whenever FACTOR segments share a level, the
smallest FACTOR are merged into one of the next level. So N documents added in small updates
leave at most about (FACTOR - 1) segments per level, log_FACTOR(N / FLOOR) levels. Each merge
is bounded by MAX_DOCS (the merged segment is built in memory, like a worker's), and one update
merges at most BUDGET_DOCS documents, so an update's time stays bounded; `marsad index compact`
merges without the budget.

A merge copies what the index holds, not the articles: posting lists are decoded from the
W3 files (search/postings.py's decoder) with their document numbers renumbered past deleted
documents, and written by our segment writer (indexer/writer.py); stored fields, field
lengths and columns are copied document by document. Deleted documents are dropped for good,
nothing is analyzed or extracted again, and the article ids are unchanged, so side files keyed
by article id (stories) stay valid; `MergeReport.docmap` gives the old → new document numbers
for anything keyed by document number. The merge runs inside the update's `.build-*` folder,
on hard links of the live files, so a kill during a merge leaves the live generation as it was.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.reading import SegmentReader

from .writer import FieldPostings, SegmentBuilder

INDEX_NAME = "MAIN"


@dataclass(frozen=True)
class MergePolicy:
    """FACTOR segments of one level merge into one; below FLOOR documents all is level 0; no
    merged segment exceeds MAX_DOCS and segments of MAX_INPUT documents or more are not merged
    (None: any); one run merges at most BUDGET_DOCS documents (None: no limit). A segment whose
    deleted share reaches EXPUNGE is rewritten alone to drop them."""

    factor: int = 8
    floor: int = 1_000
    max_docs: int = 60_000
    budget_docs: int | None = 60_000
    expunge: float = 0.3
    max_input: int | None = None
    compact: bool = False  # pack everything into as few segments of at most MAX_DOCS as fit

    def level(self, docs: int) -> int:
        return int(math.log(max(docs, self.floor) / self.floor, self.factor) + 1e-9)


# An update merges only segments smaller than a build's (~5,000 SaudiNewsNet articles per 64 MB
# worker segment), 4 at a time: its own small segments grow to a build's size and stop there, so
# an update never rewrites the bulk of the index (a merge runs at ~100–500 documents/s) and the
# segment count grows as a fresh build's does, one per ~4,000 documents; merging larger ones is
# `marsad index compact`'s job, off-peak.
UPDATE_POLICY = MergePolicy(factor=4, floor=1_000, max_docs=16_000, budget_docs=16_000, max_input=4_000)
COMPACT_POLICY = MergePolicy(max_docs=30_000, budget_docs=None, compact=True)  # a 30k merge peaks at ~1.1 GiB


@dataclass(frozen=True)
class SegmentSize:
    live: int
    deleted: int = 0


def plan_merges(sizes: Sequence[SegmentSize], policy: MergePolicy) -> list[list[int]]:
    """Which segments to merge (groups of positions in SIZES), in the order to merge them.
    Pure: the merged sizes are simulated, so a later group may include an earlier group's result
    (its position is then len(SIZES) + the earlier group's index)."""
    if policy.compact:
        return plan_compaction(sizes, policy.max_docs)
    segments: dict[int, int] = {i: s.live for i, s in enumerate(sizes)}
    spent = 0
    groups: list[list[int]] = []

    def affordable(docs: int) -> bool:
        return policy.budget_docs is None or spent + docs <= policy.budget_docs

    for i, s in enumerate(sizes):  # expunge deletions first: they cost search time and disk
        total = s.live + s.deleted
        if s.deleted and total and s.deleted / total >= policy.expunge and affordable(s.live):
            del segments[i]
            segments[len(sizes) + len(groups)] = s.live
            groups.append([i])
            spent += s.live
    while True:
        mergeable = sorted((docs, i) for i, docs in segments.items() if docs < policy.max_docs
                           and (policy.max_input is None or docs < policy.max_input))
        by_level: dict[int, list[tuple[int, int]]] = {}
        for docs, i in mergeable:
            by_level.setdefault(policy.level(docs), []).append((docs, i))
        chosen: list[int] | None = None
        for level in sorted(by_level):
            members = by_level[level]
            if len(members) < policy.factor:
                continue
            group = pack(members, policy.factor, policy.max_docs)
            if len(group) >= 2:
                chosen = group
                break
        if chosen is None:
            break
        docs = sum(segments[i] for i in chosen)
        if not affordable(docs):
            break
        spent += docs
        for i in chosen:
            del segments[i]
        new_position = len(sizes) + len(groups)
        segments[new_position] = docs
        groups.append(sorted(chosen))
    return groups


def plan_compaction(sizes: Sequence[SegmentSize], max_docs: int) -> list[list[int]]:
    """First-fit decreasing: bins of at most MAX_DOCS live documents; a bin of one segment is
    rewritten only if it has deletions to drop."""
    bins: list[tuple[int, list[int]]] = []
    for docs, i in sorted(((s.live, i) for i, s in enumerate(sizes)), reverse=True):
        for n, (total, members) in enumerate(bins):
            if total + docs <= max_docs:
                bins[n] = (total + docs, members + [i])
                break
        else:
            bins.append((docs, [i]))
    return [sorted(members) for _, members in bins if len(members) > 1 or sizes[members[0]].deleted]


def pack(members: list[tuple[int, int]], factor: int, max_docs: int) -> list[int]:
    """The smallest (up to FACTOR) of MEMBERS (sorted (docs, position)) that fit in MAX_DOCS."""
    chosen, total = [], 0
    for docs, i in members[:factor]:
        if total + docs > max_docs:
            break
        chosen.append(i)
        total += docs
    return chosen


@dataclass
class MergeReport:
    """What a merge step did: segments before/after, documents copied, deletions dropped, and
    the new global document number of every old one (-1: deleted)."""

    segments_before: int = 0
    segments_after: int = 0
    merged_docs: int = 0
    dropped_deleted: int = 0
    merges: int = 0
    docmap: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def summary(self) -> dict[str, int]:
        return {"segments_before": self.segments_before, "segments_after": self.segments_after,
                "merges": self.merges, "merged_documents": self.merged_docs,
                "dropped_deleted": self.dropped_deleted}


def segment_size(segment: Any) -> SegmentSize:
    return SegmentSize(segment.doc_count(), segment.doc_count_all() - segment.doc_count())


def merge_index(index_dir: Path, policy: MergePolicy) -> MergeReport:
    """Merge INDEX_DIR's segments by POLICY and write its new table of contents (no-op if the
    policy finds nothing to merge). INDEX_DIR must be a private build folder."""
    storage = FileStorage(str(index_dir))
    ix = storage.open_index(INDEX_NAME)
    schema = ix.schema
    segments = list(ix._segments())
    report = MergeReport(segments_before=len(segments), segments_after=len(segments))
    groups = plan_merges([segment_size(s) for s in segments], policy)
    starts = np.cumsum([0] + [s.doc_count_all() for s in segments])
    report.docmap = np.arange(starts[-1], dtype=np.int64)
    if not groups:
        return report
    # slot i holds segment i, then the merge results in plan order; a result sits where the
    # first of its members sat (PLACE), so documents keep roughly their order
    slots: list[Any] = list(segments)
    place: list[float] = list(range(len(segments)))
    origin: list[np.ndarray] = [np.arange(starts[i], starts[i + 1]) for i in range(len(segments))]
    for group in groups:
        merged, kept = merge_segments(storage, schema, [slots[i] for i in group])
        report.merges += 1
        report.merged_docs += merged.doc_count_all()
        report.dropped_deleted += sum(slots[i].doc_count_all() - slots[i].doc_count() for i in group)
        origin.append(np.concatenate([origin[i][k] for i, k in zip(group, kept)]))
        slots.append(merged)
        place.append(min(place[i] for i in group))
        for i in group:
            slots[i] = None
    final = sorted(((place[i], s, origin[i]) for i, s in enumerate(slots) if s is not None), key=lambda t: t[0])
    final = [(s, o) for _, s, o in final]
    report.docmap = np.full(int(starts[-1]), -1, dtype=np.int64)
    position = 0
    for segment, old in final:
        report.docmap[old] = np.arange(position, position + len(old))
        position += segment.doc_count_all()
    new_segments = [s for s, _ in final]
    generation = ix.latest_generation() + 1
    TOC(schema, new_segments, generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, new_segments)
    shutil.rmtree(index_dir / f"{INDEX_NAME}.tmp", ignore_errors=True)
    report.segments_after = len(new_segments)
    return report


def merge_segments(storage: Any, schema: Any, segments: list[Any]) -> tuple[Any, list[np.ndarray]]:
    """One new segment holding the live documents of SEGMENTS in order; also, per segment, the
    local numbers of the documents kept (in their new order)."""
    from search.postings import Leaf, decode

    builder = SegmentBuilder(storage, schema, INDEX_NAME)
    kept_all: list[np.ndarray] = []
    readers = [SegmentReader(storage, schema, s) for s in segments]
    try:
        for reader in readers:
            kept = np.array([d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)], dtype=np.int64)
            renumber = np.full(reader.doc_count_all(), -1, dtype=np.int64)
            renumber[kept] = np.arange(builder.docnum, builder.docnum + len(kept))
            copy_documents(builder, reader, schema, kept)
            leaf = Leaf(reader, 0)
            for fieldname, fieldobj in schema.items():
                if not fieldobj.indexed:
                    continue
                postings = field_postings(builder, fieldname, fieldobj)
                blob = postings.mode == "blob"
                terms, ids, weights, values = [], [], [], []
                for term, info in leaf.field_terms(fieldname):
                    term_ids, term_weights, term_values = decode(leaf, info, values=blob)
                    terms.append(term)
                    ids.append(term_ids)
                    weights.append(term_weights)
                    if blob:
                        values.append(term_values)
                    if len(terms) >= MERGE_BATCH_TERMS:
                        add_live(postings, renumber, terms, ids, weights, values if blob else None)
                        terms, ids, weights, values = [], [], [], []
                if terms:
                    add_live(postings, renumber, terms, ids, weights, values if blob else None)
            kept_all.append(kept)
        return builder.finish(), kept_all
    finally:
        for reader in readers:
            reader.close()


MERGE_BATCH_TERMS = 4096  # terms decoded before their postings are renumbered and added in one go


def add_live(postings: FieldPostings, renumber: np.ndarray, terms: list[bytes], ids: list[np.ndarray],
             weights: list[np.ndarray], values: list[list[bytes] | None] | None) -> None:
    """Renumber a batch of terms' postings (IDS are local document numbers, -1 in RENUMBER for a
    deleted document), drop the deleted ones and terms left with none, and add the rest to
    POSTINGS: one numpy pass per batch instead of several calls per term."""
    counts = np.fromiter((len(a) for a in ids), dtype=np.int64, count=len(ids))
    new_ids = renumber[np.concatenate(ids)]
    all_weights = np.concatenate(weights)
    live = new_ids >= 0
    flat_values: list[bytes] | None = None
    if values is not None:
        flat_values = [v for term_values, count in zip(values, counts.tolist())
                       for v in (term_values if term_values is not None else [b""] * count)]
    if not live.all():
        owner = np.repeat(np.arange(len(terms)), counts)[live]
        counts = np.bincount(owner, minlength=len(terms))
        new_ids, all_weights = new_ids[live], all_weights[live]
        if flat_values is not None:
            flat_values = list(compress(flat_values, live.tolist()))
    keep = counts > 0
    postings.add_term_postings([t for t, k in zip(terms, keep.tolist()) if k], counts[keep], new_ids, all_weights,
                               flat_values)


def copy_documents(builder: SegmentBuilder, reader: Any, schema: Any, kept: np.ndarray) -> None:
    """Stored fields, field lengths (as stored: one byte each) and columns of the KEPT documents."""
    columns = {name: reader.column_reader(name, translate=False) for name, f in schema.items()
               if f.column_type and reader._perdoc.has_column(name)}
    scored = [name for name, f in schema.items() if f.indexed and f.scorable]
    perdoc = builder.perdoc
    for docnum in kept.tolist():
        stored = reader.stored_fields(docnum)
        lengths = {name: reader.doc_field_length(docnum, name, 0) for name in scored}
        perdoc.start_doc(builder.docnum)
        for name, fieldobj in schema.items():
            value = stored.get(name)
            length = lengths.get(name, 0)
            if value is None and not length:
                continue
            perdoc.add_field(name, fieldobj, value, length)
            if length:
                field_postings(builder, name, fieldobj).set_length(builder.docnum, length)
        for name, column in columns.items():
            perdoc.add_column_value(name, schema[name].column_type, column[docnum])
        perdoc.finish_doc()
        builder.docnum += 1


def field_postings(builder: SegmentBuilder, fieldname: str, fieldobj: Any) -> FieldPostings:
    postings = builder.fields.get(fieldname)
    if postings is None:
        postings = builder.fields[fieldname] = FieldPostings(fieldobj)
    return postings
