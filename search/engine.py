"""The Engine: one object per process that the CLI, the API and the page all call.

It serves the generation named by the home's CURRENT and notices a new one (published by an
offline build or update): a server's Engine watches CURRENT from a thread of its own, so even an
idle worker has swapped within CHECK_INTERVAL seconds plus the open time; an Engine that does not
watch (the CLI's) looks at CURRENT when a request comes, at most every CHECK_INTERVAL seconds.
The new generation is opened while requests keep using the old one, then swapped in; requests
already running finish on the old generation, which is closed when the last of them releases it.
Everything a request touches is either read-only (columns, entities) or locked (the postings
cache), so the server's threads share one Engine.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .columns import day_number
from .entities import Entities
from .evaluate import POOL, Coverage, Evaluator, Highlights, Match, adjacent_pairs, highlights, proximity_bonus, with_entities
from .event_export import event_records
from .events import Taxonomy, count_or_none, taxonomy
from .facets import date_histogram, event_facet, pair_facet, source_facet
from .generation import Generation
from .highlight import hit_markup
from .index import IndexNotFound, RebuildNeeded, current_name, locate
from .params import SearchParams, SearchParamsError, parse_params
from .query import Node, parse
from .relax import RELAX_BELOW, clauses
from .stories import Stories, leaders
from .synonyms import expansions, with_synonyms

log = logging.getLogger("marsad.search")

CHECK_INTERVAL = 0.5
QUERY_CACHE = 16
SUGGEST_BELOW = 5
RELATED = 5
MAX_ID = 512
STORY_ARTICLES = 100


class Engine:
    def __init__(self, index_home: Path, *, check_interval: float = CHECK_INTERVAL,
                 query_cache: int = QUERY_CACHE) -> None:
        self.home = Path(index_home)
        self.check_interval = check_interval
        self.query_cache = query_cache
        self._gen: Generation | None = None
        self._lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._next_check = 0.0
        self._closed = False
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    # lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            gen, self._gen = self._gen, None
            self._closed = True
        if gen is not None:
            gen.release()
        watcher = self._watcher
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout=5)

    def watch(self) -> None:
        """Follow CURRENT from a daemon thread, whether or not requests arrive. Start it in the
        process that serves (after a fork, never before: threads do not survive one)."""
        if self._watcher is None and not self._closed:
            self._watcher = threading.Thread(target=self._follow, name="marsad-watch-current", daemon=True)
            self._watcher.start()

    def _follow(self) -> None:
        said = ""
        while not self._stop.wait(self.check_interval):
            if not self._open_lock.acquire(blocking=False):
                continue  # a request is opening the first generation
            try:
                self._swap()
            except Exception as error:  # no index yet, or a broken one: keep watching
                if str(error) != said:
                    log.warning("cannot open the index generation: %s", error)
                said = str(error)

    def _refresh(self, blocking: bool) -> None:
        """Look at CURRENT; open what it names. With no generation yet, the caller waits for it;
        otherwise a background thread opens the new one while requests keep using the old."""
        if not self._open_lock.acquire(blocking=blocking):
            return  # another thread is opening the new generation; keep serving the old one
        if self._gen is not None:
            self._next_check = time.monotonic() + self.check_interval
            if current_name(self.home) == self._gen.folder.name:
                self._open_lock.release()
                return
            threading.Thread(target=self._swap, name="marsad-open-generation", daemon=True).start()
            return
        self._swap()

    def _swap(self) -> None:
        """Open the generation CURRENT names and make it current (holding _open_lock, which is
        released here)."""
        try:
            self._next_check = time.monotonic() + self.check_interval
            current = self._gen
            if current is not None and current_name(self.home) == current.folder.name:
                return
            try:
                live = locate(self.home)
            except (IndexNotFound, RebuildNeeded) as error:
                if current is None:
                    raise
                log.warning("still serving %s: %s", current.folder.name, error)
                return
            if current is not None and live.folder == current.folder:
                return
            try:
                fresh = Generation(live)
            except Exception as error:  # a damaged new generation must not take the site down
                if current is None:
                    raise IndexNotFound(f"cannot open {live.folder}: {error}") from error
                log.exception("cannot open %s; still serving %s", live.folder.name, current.folder.name)
                return
            with self._lock:
                if self._closed:
                    old, fresh = fresh, None
                else:
                    old, self._gen = self._gen, fresh
            if fresh is None:
                old.release()
                return
            log.info("serving index generation %s", fresh.folder.name)
            if old is not None:
                old.release()
        finally:
            self._open_lock.release()

    @contextmanager
    def lease(self) -> Iterator[Generation]:
        """The current generation, kept open until the block ends."""
        if self._closed:
            raise RuntimeError("the engine is closed")
        if self._gen is None or (self._watcher is None and time.monotonic() >= self._next_check):
            self._refresh(blocking=self._gen is None)
        with self._lock:
            gen = self._gen
            if gen is None:
                raise IndexNotFound(f"no index at {self.home}")
            gen.acquire()
        try:
            yield gen
        finally:
            gen.release()

    @property
    def generation(self) -> int:
        with self.lease() as gen:
            return gen.number

    # API ------------------------------------------------------------------------------------
    def search(self, params: SearchParams | dict[str, Any]) -> dict[str, Any]:
        if not isinstance(params, SearchParams):
            params = parse_params(params)
        with self.lease() as gen:
            return Search(gen, params, self.query_cache).run()

    def events(self, params: SearchParams | dict[str, Any], max_reports: int) -> Iterator[dict[str, Any]]:
        """The events of the first MAX_REPORTS reports of a search, in its order, as ACLED-style
        records (search.event_export.EVENT_COLUMNS); with an `event` filter, only the events of
        the kinds it names (a search for air strikes exports air strikes, not the other events its
        reports tell). Bad parameters raise here, before anything is yielded; the records are then
        read one report at a time, the generation leased until the iterator is exhausted or closed
        (an export never sits in memory)."""
        if not isinstance(params, SearchParams):
            params = parse_params(params)
        lease = self.lease()
        gen = lease.__enter__()
        try:
            search = Search(gen, params, self.query_cache)
            docs = search.ordered_docs(max_reports)
            kinds = frozenset(search.resolve_events({})) or None
        except BaseException:
            lease.__exit__(None, None, None)
            raise

        def records() -> Iterator[dict[str, Any]]:
            try:
                for docnum in docs:
                    yield from event_records(gen.stored(docnum), gen.entities, search.taxonomy, kinds)
            finally:
                lease.__exit__(None, None, None)

        return records()

    def stats(self) -> dict[str, Any]:
        with self.lease() as gen:
            return dict(gen.stats)

    def suggest(self, prefix: str, kind: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
        with self.lease() as gen:
            return gen.entities.suggest(prefix, kind, limit, gen.popularity)

    def article(self, article_id: str) -> dict[str, Any] | None:
        if not article_id or len(article_id) > MAX_ID:
            return None
        try:
            article_id.encode("utf-8")
        except UnicodeEncodeError:
            return None
        with self.lease() as gen:
            docnum = gen.docnum(article_id)
            if docnum is None:
                return None
            return article_json(gen, docnum)


# one search -----------------------------------------------------------------------------------
@dataclass
class Selection:
    """What a search selects: resolved filter ids, the query's match, and the filter masks."""

    resolved: dict[str, list[str]]
    match: Match | None
    marks: Highlights
    pairs: list[tuple[str, str]]
    base: np.ndarray
    filters: dict[str, np.ndarray]
    score: np.ndarray | None = None
    expansions: list[dict[str, Any]] | None = None
    strict_total: int = 0
    coverage: np.ndarray | None = None  # a relaxed search: how many query words each document has
    relaxation: dict[str, Any] | None = None

    def without(self, kind: str | None) -> np.ndarray:
        """The documents that pass the query and every filter but KIND's (multi-select facets)."""
        mask = self.base
        for other, other_mask in self.filters.items():
            if other != kind:
                mask = mask & other_mask
        return mask

    @cached_property
    def hits_mask(self) -> np.ndarray:
        return self.without(None)


class Search:
    def __init__(self, gen: Generation, params: SearchParams, query_cache: int) -> None:
        self.gen = gen
        self.params = params
        self.columns = gen.columns
        self.entities: Entities = gen.entities
        self.taxonomy: Taxonomy = taxonomy()
        self.query_cache = query_cache

    def resolve_values(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        resolved: dict[str, list[str]] = {}
        for kind in ("place", "actor", "source"):
            ids: list[str] = []
            for value in getattr(self.params, kind):
                found = self.resolve(kind, value)
                if not found:
                    close = self.entities.close_matches(kind, value, self.known(kind))
                    hint = f"; close matches: {', '.join(close)}" if close else ""
                    errors.setdefault(kind, []).append(f"unknown {kind} {value!r}{hint}")
                ids.extend(i for i in found if i not in ids)
            resolved[kind] = ids
        resolved["event"] = self.resolve_events(errors)
        if errors:
            raise SearchParamsError(errors)
        return resolved

    def resolve_events(self, errors: dict[str, list[str]]) -> list[str]:
        ids: list[str] = []
        for value in self.params.event:
            found = self.taxonomy.resolve(value)
            if found is None:
                close = self.taxonomy.close_matches(value)
                hint = f"; close matches: {', '.join(close)}" if close else ""
                errors.setdefault("event", []).append(f"unknown event type {value!r}{hint}")
            elif found not in ids:
                ids.append(found)
        return ids

    def known(self, kind: str) -> list[str]:
        if kind == "place":
            return self.columns.places.values
        if kind == "actor":
            return self.columns.actors.values
        return self.columns.sources

    def resolve(self, kind: str, value: str) -> list[str]:
        codes = {"place": self.columns.places.code_of, "actor": self.columns.actors.code_of,
                 "source": self.columns.source_code}[kind]
        return self.entities.resolve(kind, value, codes)

    def filter_mask(self, kind: str, ids: list[str]) -> np.ndarray:
        size = self.columns.size
        if kind == "source":
            codes = [self.columns.source_code[i] for i in ids if i in self.columns.source_code]
            return np.isin(self.columns.source, codes) if codes else np.zeros(size, dtype=bool)
        pairs = {"place": self.columns.places, "actor": self.columns.actors, "event": self.columns.events}[kind]
        codes = [pairs.code_of[i] for i in ids if i in pairs.code_of]
        return pairs.mask_for(codes, size) if codes else np.zeros(size, dtype=bool)

    def query_filter(self, kind: str, value: str) -> np.ndarray | None:
        ids = self.resolve(kind, value)
        return self.filter_mask(kind, ids) if ids else None

    def date_mask(self) -> np.ndarray | None:
        start, end = self.params.date_from, self.params.date_to
        if start is None and end is None:
            return None
        low = day_number(start) if start else -(2 ** 31)
        high = day_number(end) if end else 2 ** 31 - 1
        if self.params.date_field == "event":
            cols = self.columns
            inside = (cols.event_day >= low) & (cols.event_day <= high)
            mask = np.zeros(cols.size, dtype=bool)
            mask[cols.event_docs[inside]] = True
            return mask
        day = self.columns.day
        return (day >= max(low, 0)) & (day <= high)

    def evaluate(self, q: str) -> "Evaluated":
        key = ("query", q, self.params.entities, self.params.expand)
        cache = self.gen.cache
        if self.query_cache:
            with self.gen.cache_lock:
                if key in cache:
                    return cache[key]
        is_name = lambda kind, value: bool(self.resolve(kind, value))  # noqa: E731
        tree = parse(q, is_name)
        if self.params.entities:
            tree = with_entities(tree, self.entities)
        coverage = None
        if self.params.expand:
            tree = with_synonyms(tree)
            parts = clauses(tree)
            if parts is not None:  # a long AND: its clauses once, for the strict and the relaxed query
                coverage = Evaluator(self.gen, self.query_filter).coverage(parts)
        if coverage is not None:
            match = coverage.at_least(coverage.words)
        else:
            match = Evaluator(self.gen, self.query_filter).run(tree) if tree is not None else None
        found = Evaluated(match, highlights(tree), adjacent_pairs(tree), tree, expansions(tree), coverage)
        if self.query_cache:
            with self.gen.cache_lock:
                cache[key] = found
                while len(cache) > self.query_cache:
                    cache.pop(next(iter(cache)))
        return found

    def select(self) -> "Selection":
        """Resolve the filters, evaluate the query and combine the masks (everything before counting
        and ranking, shared by the search and the event exports); relax to most of the words when
        the strict AND finds fewer than RELAX_BELOW reports (see search/relax.py)."""
        params = self.params
        resolved = self.resolve_values()
        found = self.evaluate(params.q)
        match, marks, pairs = found.match, found.marks, found.pairs
        live = self.columns.live
        filters = {kind: self.filter_mask(kind, ids) for kind, ids in resolved.items() if ids}
        dates = self.date_mask()
        if dates is not None:
            filters["date"] = dates
        if params.min_killed is not None:
            filters["killed"] = self.columns.killed >= params.min_killed
        if params.story is not None:
            filters["story"] = self.story_mask(params.story)
        base = live & match.mask if match is not None else live
        selection = Selection(resolved, match, marks, pairs, base, filters, expansions=found.expansions)
        selection.strict_total = int(selection.hits_mask.sum())
        if found.coverage is not None and selection.strict_total < RELAX_BELOW and params.sort == "relevance":
            relaxed = found.coverage.at_least(found.coverage.minimum)
            wider = Selection(resolved, relaxed, marks, pairs, live & relaxed.mask, filters,
                              expansions=found.expansions, strict_total=selection.strict_total)
            if int(wider.hits_mask.sum()) > selection.strict_total:
                selection, match = wider, relaxed
                selection.coverage = found.coverage.counts
                selection.relaxation = {"min_words": found.coverage.minimum, "words": found.coverage.words,
                                        "strict_total": selection.strict_total}
        scored = match is not None and bool(marks.exact or marks.stems or marks.prefixes or marks.entities)
        selection.score = match.score if scored else None
        if selection.score is not None and pairs and params.sort == "relevance":
            selection.score = self.with_proximity(selection.hits_mask, selection.score, pairs, selection.coverage)
        return selection

    def run(self) -> dict[str, Any]:
        params = self.params
        chosen = self.select()
        resolved, without, score, marks = chosen.resolved, chosen.without, chosen.score, chosen.marks
        hits_mask, coverage = chosen.hits_mask, chosen.coverage
        total = int(hits_mask.sum())
        histogram_mask = without("date")
        facets = {
            "place": pair_facet("place", self.columns.places, without("place"), resolved["place"], self.entities),
            "actor": pair_facet("actor", self.columns.actors, without("actor"), resolved["actor"], self.entities),
            "source": source_facet(self.columns, without("source"), resolved["source"], self.entities),
            "event": event_facet(self.columns.events, without("event"), resolved["event"], self.taxonomy),
            "date": date_histogram(self.columns, histogram_mask, params.date_field, params.date_from,
                                   params.date_to, self.columns.killed,
                                   self.columns.killed_rows if params.date_field == "event" else None),
        }
        docs = self.ranked(hits_mask, score, coverage)
        hits = [self.hit(int(d), float(score[d]) if score is not None else None, marks) for d in docs]
        if coverage is not None:
            for hit, d in zip(hits, docs):
                hit["words_matched"] = int(coverage[d])
        suggestion = self.suggestion(chosen.strict_total, marks) if params.q.strip() else None
        result = {"query": params.echo(**resolved), "total": total, "page": params.page,
                  "per_page": params.per_page, "hits": hits, "facets": facets, "suggestion": suggestion,
                  "relaxed": chosen.relaxation is not None, "relaxation": chosen.relaxation,
                  "expansions": chosen.expansions}
        if params.collapse == "story":
            result["total_stories"] = self.stories.distinct(np.flatnonzero(hits_mask))
        return result

    def story_mask(self, story_id: str) -> np.ndarray:
        key = self.stories.find(story_id, self.gen.docnum)
        if key is None:
            raise SearchParamsError({"story": [f"unknown story {story_id!r}"]})
        mask = np.zeros(self.columns.size, dtype=bool)
        mask[self.stories.members(key)] = True
        return mask

    def ordered_docs(self, limit: int) -> list[int]:
        """The first LIMIT matching documents in the search's order (for exports)."""
        chosen = self.select()
        return self.ranked(chosen.hits_mask, chosen.score, chosen.coverage, first=0, need=limit)

    def with_proximity(self, mask: np.ndarray, score: np.ndarray, pairs: list[tuple[str, str]],
                       coverage: np.ndarray | None = None) -> np.ndarray:
        """SCORE plus a bonus for the best POOL documents where consecutive query words touch."""
        docs = np.nonzero(mask)[0]
        if len(docs) > POOL:
            docs = np.sort(docs[np.argpartition(-rank_key(score, coverage, docs), POOL - 1)[:POOL]])
        bonus = proximity_bonus(Evaluator(self.gen, self.query_filter), pairs, docs)
        if not bonus.any():
            return score
        score = score.copy()
        score[docs] += bonus
        return score

    def ranked(self, mask: np.ndarray, score: np.ndarray | None, coverage: np.ndarray | None = None,
               first: int | None = None, need: int | None = None) -> list[int]:
        """The document numbers of the requested page (or FIRST:NEED), in the requested order (a
        relaxed search: by how many query words a report has, then by score; with collapse=story,
        the best-ranked report of each story)."""
        params = self.params
        if need is None:
            need = params.page * params.per_page
        docs = np.nonzero(mask)[0]
        primary, secondary = self.sort_keys(docs, score, coverage)
        if params.collapse == "story":
            ordered = top_stories(docs, primary, secondary, self.stories.key, need)
        else:
            ordered = top(docs, primary, secondary, need)
        start = (params.page - 1) * params.per_page if first is None else first
        return ordered[start:need].tolist()

    def sort_keys(self, docs: np.ndarray, score: np.ndarray | None,
                  coverage: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(primary, secondary) keys of DOCS, smaller first; the document number breaks ties."""
        day = self.columns.day[docs].astype(np.int64)
        sort = self.params.sort
        if sort == "relevance" and score is None:
            sort = "newest"
        if sort == "relevance":
            return -rank_key(score, coverage, docs), -day
        if sort == "newest":
            return -day.astype(np.float64), np.zeros(len(docs), dtype=np.int64)
        if sort == "killed":
            return -self.columns.killed[docs].astype(np.float64), -day
        return (np.where(day >= 0, day, np.iinfo(np.int32).max).astype(np.float64),
                np.zeros(len(docs), dtype=np.int64))

    @property
    def stories(self) -> Stories:
        return self.gen.stories

    def hit(self, docnum: int, score: float | None, marks: Highlights) -> dict[str, Any]:
        stored = self.gen.stored(docnum)
        extraction = stored.get("entities") or {}
        mentions = []
        if marks.entities:
            for kind, key in (("place", "places"), ("actor", "actors")):
                for entity in extraction.get(key) or []:
                    if (kind, entity.get("id")) in marks.entities:
                        mentions.extend(entity.get("mentions") or [])
        title = stored.get("title") or ""
        title_html, snippet = hit_markup(title, stored.get("content") or "", marks, mentions)
        return {
            "id": stored.get("id"),
            "url": stored.get("url") or None,
            "title": title,
            "title_html": title_html,
            "source": stored.get("source") or None,
            "published": stored.get("published") or None,
            "score": None if score is None else round(score, 4),
            "snippet": snippet,
            "places": [{"id": p["id"], "name_ar": p.get("name_ar") or p["id"], "name_en": p.get("name_en") or p["id"]}
                       for p in extraction.get("places") or []],
            "actors": [{"id": a["id"], "name_ar": a.get("name_ar") or a["id"], "name_en": a.get("name_en") or a["id"],
                        "type": a.get("type") or "other"} for a in extraction.get("actors") or []],
            "event_dates": [d for d in (stored.get("event_dates") or "").split(",") if d],
            "events": [self.hit_event(e) for e in extraction.get("events") or [] if e.get("subtype")],
            "killed": count_or_none(extraction.get("killed")),
            "injured": count_or_none(extraction.get("injured")),
            "story": story_ref(self.gen, docnum, stored.get("id") or ""),
        }

    def hit_event(self, event: dict[str, Any]) -> dict[str, Any]:
        label_ar, label_en, _ = self.taxonomy.labels(event["subtype"])
        return {"subtype": event["subtype"], "type": event.get("type") or self.taxonomy.type_of(event["subtype"]),
                "label_ar": event.get("label_ar") or label_ar, "label_en": event.get("label_en") or label_en,
                "killed": count_or_none(event.get("killed")), "injured": count_or_none(event.get("injured"))}

    def suggestion(self, total: int, marks: Highlights) -> str | None:
        """A corrected query that finds clearly more than this one, when this one finds little.
        The correction and what it finds depend only on the query and the generation, so they are
        remembered per generation (a query that finds little tends to be asked again)."""
        if total >= SUGGEST_BELOW:
            return None
        key = (self.params.q, self.params.entities, self.params.expand)
        known = self.gen.suggestions.get(key, None)
        if known is None:
            better = self.gen.speller.suggest(self.params.q)
            found = 0
            if better and better != self.params.q:
                match = Search(self.gen, self.params, 0).evaluate(better).match
                found = int((match.mask & self.columns.live).sum()) if match is not None else 0
            known = (better if found else None, found)
            self.gen.suggestions.put(key, known)
        better, found = known
        return better if better and found >= max(2 * total, total + 3) else None


@dataclass(frozen=True)
class Evaluated:
    match: Match | None
    marks: Highlights
    pairs: list[tuple[str, str]]
    tree: Node | None
    expansions: list[dict[str, Any]]
    coverage: Coverage | None  # a query that can be relaxed: how many of its words each document has


COVERAGE_STEP = 1e6  # far above any BM25 score: one more query word outranks any score


def rank_key(score: np.ndarray, coverage: np.ndarray | None, docs: np.ndarray) -> np.ndarray:
    """Higher ranks first: the score (rounded, so ties fall to recency), under the number of query
    words a document has when the search was relaxed."""
    key = np.round(score[docs].astype(np.float64), 5)
    if coverage is not None:
        key += coverage[docs].astype(np.float64) * COVERAGE_STEP
    return key


def top(docs: np.ndarray, primary: np.ndarray, secondary: np.ndarray, need: int) -> np.ndarray:
    """At least the first NEED of DOCS in (primary, secondary, document) order, in that order: only
    the documents whose primary key is within the NEED smallest are sorted."""
    if len(docs) > need:
        threshold = np.partition(primary, need - 1)[need - 1]
        keep = primary <= threshold
        docs, primary, secondary = docs[keep], primary[keep], secondary[keep]
    return docs[np.lexsort((docs, secondary, primary))]


def top_stories(docs: np.ndarray, primary: np.ndarray, secondary: np.ndarray, key: np.ndarray,
                need: int) -> np.ndarray:
    """The first NEED stories' best-ranked documents, in ranking order. A ranked prefix of the
    documents that holds NEED stories holds the first NEED stories' best members, so the prefix
    grows (fourfold) only until it does; a page of a result with few repeats costs one sort."""
    take = need
    while True:
        ordered = top(docs, primary, secondary, take)
        found = leaders(ordered, key)
        if len(found) >= need or len(ordered) >= len(docs):
            return found
        take *= 4


# stories --------------------------------------------------------------------------------------
def story_ref(gen: Generation, docnum: int, article_id: str) -> dict[str, Any]:
    """A hit's story: its id, its number of reports, and their sources (earliest report's first)."""
    stories = gen.stories
    key = int(stories.key[docnum])
    members = stories.members(key)
    sources: list[str] = []
    if len(members) > 1:
        codes = gen.columns.source[members[np.lexsort((members, gen.columns.day[members]))]]
        names = gen.columns.sources
        sources = list(dict.fromkeys(names[c] for c in codes.tolist() if c >= 0))
    else:
        code = int(gen.columns.source[docnum])
        sources = [gen.columns.sources[code]] if code >= 0 else []
    return {"id": stories.story_id(key, article_id), "size": int(stories.size[key]), "sources": sources}


def story_json(gen: Generation, docnum: int, article_id: str) -> dict[str, Any]:
    """The article's story with its reports, earliest first (at most STORY_ARTICLES of them)."""
    ref = story_ref(gen, docnum, article_id)
    members = gen.stories.members(int(gen.stories.key[docnum]))
    day = gen.columns.day[members].astype(np.int64)
    first = members[np.lexsort((members, np.where(day >= 0, day, np.iinfo(np.int32).max)))][:STORY_ARTICLES]
    articles = []
    for d in first.tolist():
        stored = gen.stored(d)
        articles.append({"id": stored.get("id"), "source": stored.get("source") or None,
                         "title": stored.get("title") or "", "published": stored.get("published") or None})
    articles.sort(key=lambda a: (a["published"] is None, a["published"] or "", a["id"] or ""))
    return {"id": ref["id"], "size": ref["size"], "sources": ref["sources"], "articles": articles}


# articles -------------------------------------------------------------------------------------
def article_json(gen: Generation, docnum: int) -> dict[str, Any]:
    stored = gen.stored(docnum)
    extraction = stored.get("entities") or {}
    return {
        "id": stored.get("id"),
        "url": stored.get("url") or None,
        "title": stored.get("title") or "",
        "content": stored.get("content") or "",
        "source": stored.get("source") or None,
        "author": stored.get("author") or None,
        "published": stored.get("published") or None,
        "partial": bool(stored.get("partial")),
        "places": [_place(p) for p in extraction.get("places") or []],
        "actors": [_actor(a) for a in extraction.get("actors") or []],
        "dates": [{"date": d.get("date"), "text": d.get("text") or "", "kind": d.get("kind") or "absolute"}
                  for d in extraction.get("dates") or [] if d.get("date")],
        "events": [_event(e) for e in extraction.get("events") or [] if e.get("subtype")],
        "killed": count_or_none(extraction.get("killed")),
        "injured": count_or_none(extraction.get("injured")),
        "related": related(gen, docnum, extraction),
        "story": story_json(gen, docnum, stored.get("id") or ""),
    }


def _event(event: dict[str, Any]) -> dict[str, Any]:
    """The contract's event shape (and nothing the extractor may keep besides)."""
    labels = taxonomy().labels(event["subtype"])
    return {"type": event.get("type") or taxonomy().type_of(event["subtype"]), "subtype": event["subtype"],
            "label_ar": event.get("label_ar") or labels[0], "label_en": event.get("label_en") or labels[1],
            "text": event.get("text") or "", "start": event.get("start"), "end": event.get("end"),
            "date": event.get("date"), "places": list(event.get("places") or []),
            "actors": list(event.get("actors") or []),
            "killed": count_or_none(event.get("killed")), "injured": count_or_none(event.get("injured"))}


def _place(place: dict[str, Any]) -> dict[str, Any]:
    return {"id": place["id"], "name_ar": place.get("name_ar") or place["id"],
            "name_en": place.get("name_en") or place["id"], "kind": place.get("kind") or "site",
            "lat": place.get("lat"), "lon": place.get("lon"), "parents": list(place.get("parents") or []),
            "mentions": list(place.get("mentions") or [])}


def _actor(actor: dict[str, Any]) -> dict[str, Any]:
    return {"id": actor["id"], "name_ar": actor.get("name_ar") or actor["id"],
            "name_en": actor.get("name_en") or actor["id"], "type": actor.get("type") or "other",
            "mentions": list(actor.get("mentions") or [])}


def related(gen: Generation, docnum: int, extraction: dict[str, Any]) -> list[dict[str, Any]]:
    """Reports that name the same places and actors, rarer ones counting more; ties by recency."""
    score = np.zeros(gen.size, dtype=np.float32)
    n = max(gen.columns.live_count, 1)
    for field_name, key in (("place_mentions", "places"), ("actors", "actors")):
        for entity in extraction.get(key) or []:
            ids = gen.postings.ids(field_name, entity["id"])
            if 1 < len(ids) < n:
                score[ids] += np.log(n / len(ids))
    score[docnum] = 0
    score[gen.stories.members(int(gen.stories.key[docnum]))] = 0  # the story's reports are listed apart
    score[~gen.columns.live] = 0
    docs = np.nonzero(score > 0)[0]
    if not len(docs):
        return []
    order = np.lexsort((-gen.columns.day[docs], -np.round(score[docs], 4)))[:RELATED]
    out = []
    for d in docs[order].tolist():
        stored = gen.stored(d)
        out.append({"id": stored.get("id"), "title": stored.get("title") or "",
                    "published": stored.get("published") or None, "source": stored.get("source") or None})
    return out
