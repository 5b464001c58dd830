"""Query tree → (which documents match, how well) over one generation, in numpy.

Every node gives a boolean mask over the documents and a float32 score array. A word scores
BM25 in each of the four text views, weighted: title over body, and the exact view (the
spelling as normalized) over the stem view, so a document with the very form asked for ranks
above one with only a relative of it, and a title match above a body match. Phrases match the
exact views through positions. Filters inside the query (place:, actor:, source:) only narrow.

Entity matching rewrites the tree first: a run of words that spells the name or an alias of a
place or actor (by the analyzer's exact terms) also matches the documents whose extracted
entities include it, so `تنظيم الدولة` finds reports that only say `داعش`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from indexer.analysis import analyzed_terms, normalize

from .postings import POSITION_BITS
from .postings import member as _member
from .query import And, Entity, Filter, Node, Not, Or, Phrase, Synonyms, Term, bare
from .relax import Clauses, is_function_word, minimum_words
from .synonyms import EXPANSION_WEIGHT

K1 = 1.2
B = {"title_exact": 0.4, "title_stem": 0.4, "body_exact": 0.75, "body_stem": 0.75}
WEIGHTS = {"title_exact": 2.0, "title_stem": 1.0, "body_exact": 1.0, "body_stem": 0.5}
ALL_VIEWS = ("title_exact", "title_stem", "body_exact", "body_stem")
TITLE_VIEWS = ("title_exact", "title_stem")
EXACT_VIEWS = ("title_exact", "body_exact")
ENTITY_FIELDS = {"place": "place_mentions", "actor": "actors"}
ENTITY_WEIGHT = 1.0
MAX_EXPANSIONS = 64
FEW_CANDIDATES = 64  # candidates under 1/64 of a word's documents: read only their blocks


@dataclass
class Match:
    mask: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class Coverage:
    counts: np.ndarray  # how many of the counted clauses each document has
    score: np.ndarray
    required: np.ndarray | None  # documents with every required clause (None: no such clause)
    words: int  # counted clauses that can match at all

    @property
    def minimum(self) -> int:
        return minimum_words(self.words)

    def at_least(self, k: int) -> Match | None:
        """The documents with at least K counted clauses and every required one."""
        if not self.words and self.required is None:
            return None
        mask = self.counts >= k
        if self.required is not None:
            mask &= self.required
        return Match(mask, self.score)


@dataclass
class Highlights:
    """What to mark in a hit: exact terms, stems, prefixes, and entities matched by alias."""

    exact: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    entities: set[tuple[str, str]] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)  # exact terms of a quoted phrase with function words

    def __bool__(self) -> bool:
        return bool(self.exact or self.stems or self.prefixes or self.entities)

    def matches(self, exact: str, stem: str) -> bool:
        if exact in self.exact or stem in self.stems:
            return True
        if self.prefixes:
            body = exact[2:] if exact.startswith("ال") else exact
            return any(exact.startswith(p) or body.startswith(p) for p in self.prefixes)
        return False


def word_terms(text: str) -> list[tuple[str, str]]:
    return [(t[0], t[1]) for t in analyzed_terms(text)]


def prefix_form(text: str) -> str:
    return normalize(bare(text)).strip()


class Evaluator:
    def __init__(self, generation, resolve_filter) -> None:
        self.gen = generation
        self.postings = generation.postings
        self.columns = generation.columns
        self.size = generation.size
        self.resolve_filter = resolve_filter  # (kind, value) -> mask or None

    # BM25 -----------------------------------------------------------------------------------
    def idf(self, df: int) -> float:
        n = self.columns.live_count or 1
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def view_scores(self, view: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids, tf = self.postings.lookup(view, term)
        if not len(ids):
            return ids, tf
        lengths = self.columns.lengths[view][ids]
        norm = K1 * (1.0 - B[view] + B[view] * lengths / self.columns.avg_length[view])
        scores = (WEIGHTS[view] * self.idf(len(ids))) * tf * (K1 + 1.0) / (tf + norm)
        return ids, scores.astype(np.float32)

    def empty(self) -> Match:
        return Match(np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32))

    # nodes ----------------------------------------------------------------------------------
    def run(self, node: Node) -> Match | None:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Phrase):
            return self.phrase([t for w in node.words for t in word_terms(w)], node.title_only)
        if isinstance(node, Filter):
            return self.filter(node)
        if isinstance(node, Entity):
            return self.entity(node)
        if isinstance(node, Synonyms):
            return self.synonyms(node)
        if isinstance(node, Not):
            inner = self.run(node.child)
            if inner is None:
                return None
            return Match(~inner.mask, np.zeros(self.size, dtype=np.float32))
        if isinstance(node, And):
            return self.conjunction(node)
        if isinstance(node, Or):
            parts = [m for m in (self.run(c) for c in node.children) if m is not None]
            if not parts:
                return None
            out = parts[0]
            for part in parts[1:]:
                out = Match(out.mask | part.mask, out.score + part.score)
            return out
        return None

    def conjunction(self, node: And) -> Match | None:
        parts = [m for m in (self.run(c) for c in node.children) if m is not None]
        if not parts:
            return None
        mask = parts[0].mask.copy()
        score = parts[0].score.copy()
        for part in parts[1:]:
            mask &= part.mask
            score += part.score
        return Match(mask, score)

    def synonyms(self, node: Synonyms) -> Match | None:
        """The typed word's match, widened by its equivalents at EXPANSION_WEIGHT; a report
        scores by its best of them, so one that repeats several synonyms gains nothing."""
        typed = self.run(node.typed)
        mask = typed.mask.copy() if typed is not None else np.zeros(self.size, dtype=bool)
        score = typed.score.copy() if typed is not None else np.zeros(self.size, dtype=np.float32)
        for equivalent in node.equivalents:
            found = self.run(equivalent)
            if found is not None:
                mask |= found.mask
                np.maximum(score, EXPANSION_WEIGHT * found.score, out=score)
        return Match(mask, score)

    def coverage(self, parts: Clauses) -> "Coverage":
        """Each clause evaluated once: how many of the counted clauses every document has, and
        the summed score, from which the strict AND and the relaxed query are both read."""
        counts = np.zeros(self.size, dtype=np.int16)
        score = np.zeros(self.size, dtype=np.float32)
        required = None
        words = 0
        for clause in parts.counted:
            found = self.run(clause)
            if found is not None:
                words += 1
                counts += found.mask
                score += found.score
        for clause in parts.required:
            found = self.run(clause)
            if found is not None:
                required = found.mask.copy() if required is None else required & found.mask
                score += found.score
        return Coverage(counts, score, required, words)

    def term(self, node: Term) -> Match | None:
        if node.prefix:
            return self.prefix(node)
        terms = word_terms(node.text)
        if not terms:
            return None
        if len(terms) > 1:  # a written-together name or a hyphenated code: its parts in order
            return self.phrase(terms, node.title_only)
        exact, stem = terms[0]
        out = self.empty()
        for view in (TITLE_VIEWS if node.title_only else ALL_VIEWS):
            ids, scores = self.view_scores(view, exact if view.endswith("exact") else stem)
            if len(ids):
                out.mask[ids] = True
                out.score[ids] += scores
        return out

    def prefix(self, node: Term) -> Match | None:
        start = prefix_form(node.text)
        if not start:
            return None
        out = self.empty()
        views = ("title_exact",) if node.title_only else EXACT_VIEWS
        forms = [start] if start.startswith("ال") else [start, "ال" + start]
        for view in views:
            for form in forms:
                for term in self.postings.terms_from(view, form, MAX_EXPANSIONS):
                    ids, scores = self.view_scores(view, term)
                    out.mask[ids] = True
                    _maximum(out.score, ids, scores)
        return out

    def phrase(self, terms: list[tuple[str, str]], title_only: bool) -> Match | None:
        words = [exact for exact, _ in terms]
        if not words:
            return None
        out = self.empty()
        for view in (("title_exact",) if title_only else EXACT_VIEWS):
            scored = [self.view_scores(view, w) for w in words]
            candidates = None
            for ids, _ in sorted(scored, key=lambda pair: len(pair[0])):
                candidates = ids if candidates is None else np.intersect1d(candidates, ids, assume_unique=True)
                if not len(candidates):
                    break
            if candidates is None or not len(candidates):
                continue
            if len(words) > 1:
                candidates = self.in_order(view, words, candidates)
                if not len(candidates):
                    continue
            out.mask[candidates] = True
            for ids, scores in scored:
                keep = np.isin(ids, candidates, assume_unique=True)
                out.score[ids[keep]] += scores[keep]
        return out

    def in_order(self, view: str, words: list[str], candidates: np.ndarray, whole: bool = True) -> np.ndarray:
        """The CANDIDATES (sorted ids) in which WORDS occur one after the other. Each next word's
        positions are asked only for the documents where the words before it still stand in
        order, so a partial read opens fewer blocks. WHOLE: see keys()."""
        shift = POSITION_BITS
        keys = self.keys(view, words[0], candidates, whole)
        keys = keys[_member(keys >> shift, candidates)]
        for offset, word in enumerate(words[1:], 1):
            if not len(keys):
                break
            candidates = np.unique(keys >> shift)
            following = self.keys(view, word, candidates, whole) - offset
            keys = keys[_member(keys, following)]
        return np.unique(keys >> shift)

    def keys(self, view: str, word: str, candidates: np.ndarray, whole: bool = True) -> np.ndarray:
        """Position keys of WORD: all of them (decoded once, cached) when they are cached already,
        or, if WHOLE, when the candidates are many or the word keeps being asked for; else only
        the candidates' (the blocks holding them read through the word's block directory)."""
        postings = self.postings
        if postings.has_keys(view, word) or (whole and (
                len(candidates) * FEW_CANDIDATES >= postings.doc_frequency(view, word)
                or postings.asked_again(view, word))):
            return postings.position_keys(view, word)
        return postings.wanted_keys(view, word, candidates)

    def filter(self, node: Filter) -> Match | None:
        mask = self.resolve_filter(node.kind, node.value)
        if mask is None:  # not a known name: read it as words instead
            words = tuple(node.value.split())
            return self.run(And(tuple(Term(w) for w in words))) if words else None
        return Match(mask, np.zeros(self.size, dtype=np.float32))

    def entity(self, node: Entity) -> Match | None:
        field_name = ENTITY_FIELDS[node.kind]
        out = self.empty()
        for ident in node.ids:
            ids = self.postings.ids(field_name, ident)
            if len(ids):
                out.mask[ids] = True
        count = int(out.mask.sum())
        if count:
            out.score[out.mask] = WEIGHTS["body_exact"] * ENTITY_WEIGHT * self.idf(count)
        return out


def _maximum(target: np.ndarray, ids: np.ndarray, values: np.ndarray) -> None:
    target[ids] = np.maximum(target[ids], values)


# entity matching ------------------------------------------------------------------------------
def with_entities(node: Node | None, entities) -> Node | None:
    """NODE where runs of plain words (and phrases) naming a place or actor also match its id."""
    if node is None or not entities.aliases:
        return node
    if isinstance(node, (Term, Phrase)):
        return _expand_run([node], entities)[0] if isinstance(node, Term) else _phrase_entity(node, entities)
    if isinstance(node, And):
        return And(tuple(_expand_children(list(node.children), entities)))
    if isinstance(node, Or):
        return Or(tuple(with_entities(c, entities) for c in node.children))
    return node  # under NOT, or a filter: left alone


def _expand_children(children: list[Node], entities) -> list[Node]:
    out: list[Node] = []
    run: list[Term] = []
    for child in children + [None]:
        if isinstance(child, Term) and not child.prefix and not child.title_only:
            run.append(child)
            continue
        out.extend(_expand_run(run, entities))
        run = []
        if child is None:
            break
        if isinstance(child, Phrase):
            out.append(_phrase_entity(child, entities))
        elif isinstance(child, (And, Or)):
            out.append(with_entities(child, entities))
        else:
            out.append(child)
    return out


def _entity_node(targets: list[tuple[str, str]], label: str) -> list[Entity]:
    nodes = []
    for kind in ("place", "actor"):
        ids = tuple(i for k, i in targets if k == kind)
        if ids:
            nodes.append(Entity(kind, ids, label))
    return nodes


def _expand_run(run: list[Term], entities) -> list[Node]:
    keys = [tuple(e for e, _ in word_terms(t.text)) for t in run]
    out: list[Node] = []
    i = 0
    while i < len(run):
        match = None
        for j in range(min(len(run), i + entities.longest_alias), i, -1):
            key = tuple(term for k in keys[i:j] for term in k)
            if key and key in entities.aliases:
                match = j
                break
        if match is None:
            out.append(run[i])
            i += 1
            continue
        words: list[Node] = list(run[i:match])
        label = " ".join(t.text for t in run[i:match])
        text = words[0] if len(words) == 1 else And(tuple(words))
        key = tuple(term for k in keys[i:match] for term in k)
        out.append(Or((text, *_entity_node(entities.aliases[key], label))))
        i = match
    return out


def _phrase_entity(node: Phrase, entities) -> Node:
    if node.title_only:
        return node
    key = tuple(e for w in node.words for e, _ in word_terms(w))
    targets = entities.aliases.get(key)
    if not targets:
        return node
    return Or((node, *_entity_node(targets, " ".join(node.words))))


# highlighting ---------------------------------------------------------------------------------
def highlights(node: Node | None) -> Highlights:
    """What to mark: the query's content words. Its function words (`على`, `في`, `من`: in nearly
    every sentence) are marked only inside a quoted phrase, or when the query has nothing else."""
    out = Highlights()
    _collect(node, out, skip_function_words=True)
    if not out:
        _collect(node, out, skip_function_words=False)
    return out


def _collect(node: Node | None, out: Highlights, skip_function_words: bool) -> None:
    if node is None or isinstance(node, (Not, Filter)):
        return
    if isinstance(node, Term):
        if skip_function_words and not node.prefix and is_function_word(node.text):
            return
        if node.prefix:
            form = prefix_form(node.text)
            if form:
                out.prefixes.add(form)
            return
        terms = word_terms(node.text)
        for exact, stem in terms:
            out.exact.add(exact)
            if len(terms) == 1:
                out.stems.add(stem)
    elif isinstance(node, Phrase):
        kept = [word for word in node.words if not (skip_function_words and is_function_word(word))]
        for word in kept:
            out.exact.update(e for e, _ in word_terms(word))
        if kept and len(kept) < len(node.words):  # its function words: marked where the phrase occurs
            out.phrases.add(tuple(e for word in node.words for e, _ in word_terms(word)))
    elif isinstance(node, Entity):
        out.entities.update((node.kind, i) for i in node.ids)
    elif isinstance(node, Synonyms):
        for child in (node.typed, *node.equivalents):
            _collect(child, out, skip_function_words)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _collect(child, out, skip_function_words)


# proximity ------------------------------------------------------------------------------------
PAIR_BOOST = 1.0
POOL = 100


def adjacent_pairs(node: Node | None) -> list[tuple[str, str]]:
    """Pairs of exact terms of words typed one after the other (not quoted): `وزير الخارجية`
    asks for both words anywhere, but a report that has them side by side should rank first."""
    out: list[tuple[str, str]] = []
    if isinstance(node, And):
        previous = None
        for child in node.children:
            if isinstance(child, Synonyms):
                child = child.typed
            terms = word_terms(child.text) if isinstance(child, Term) and not child.prefix else []
            current = terms[0][0] if len(terms) == 1 else None
            if previous is not None and current is not None and (previous, current) not in out:
                out.append((previous, current))
            previous = current
        for child in node.children:
            out.extend(p for p in adjacent_pairs(child) if p not in out)
    elif isinstance(node, (Or, Not)):
        for child in (node.children if isinstance(node, Or) else (node.child,)):
            out.extend(p for p in adjacent_pairs(child) if p not in out)
    return out


def proximity_bonus(evaluator: Evaluator, pairs: list[tuple[str, str]], pool: np.ndarray) -> np.ndarray:
    """Extra score for the documents of POOL (sorted ids) where a pair stands side by side. Only
    the pool's documents that hold both words are looked at, through the blocks that hold them:
    never a word's whole position list, which for a common word of a large index costs more than
    the rest of the search (the LRU of whole lists would churn)."""
    bonus = np.zeros(len(pool), dtype=np.float32)
    if not len(pool):
        return bonus
    postings = evaluator.postings
    for first, second in pairs[:8]:
        for view in EXACT_VIEWS:
            both = pool
            for word in (first, second):  # the pool's documents with both words, if their lists are at hand
                ids = postings.cached_ids(view, word)
                if ids is not None:
                    both = both[_member(both, ids)]
            if not len(both):
                continue
            where = evaluator.in_order(view, [first, second], both, whole=False)
            if len(where):
                weight = (evaluator.idf(postings.doc_frequency(view, first))
                          + evaluator.idf(postings.doc_frequency(view, second))) / 2
                bonus[np.searchsorted(pool, where)] += PAIR_BOOST * WEIGHTS[view] * weight
    return bonus
