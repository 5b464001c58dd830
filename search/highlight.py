"""Highlights: where a query's words occur in a text (any spelling), marked and escaped.

A token of the text matches when the analyzer gives it the exact term of a query word, the
stem of a plain (unquoted) query word, or a term starting with a query prefix; so a search for
`سورية` marks `سوريا`, `لسوريا` and `السورية` alike. For documents found through entity matching,
the places and actors the extractor found are marked where the text names them.
Output is the text HTML-escaped with only `<mark>` and `</mark>` added.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from itertools import accumulate, compress, count, repeat
from operator import is_, itemgetter
from typing import Iterable, Union

from indexer.analysis import analyze_word, analyzed_terms
from indexer.analysis.tokenizer import TOKEN_RE

from .evaluate import Highlights, highlights
from .query import parse

SNIPPET_CHARS = 240
LEAD_CHARS = 40
SCAN_CHARS = 60_000
ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # the analyzer's tokens, kept by re.split between the gaps
SURFACES_REMEMBERED = 200_000  # the hits of api_throughput's 600 queries hold 98k distinct surfaces
_NOISE = ("", "")  # a surface without a term (no query term is empty)
_SEVERAL = ("\0", "\0")  # a written-together name: several terms, judged piece by piece
_EXACT, _STEM = itemgetter(0), itemgetter(1)

Span = tuple[int, int]


@lru_cache(maxsize=256)
def query_highlights(query: str) -> Highlights:
    return highlights(parse(query))


class Surfaces:
    """Token surface → its (exact, stem) terms, for every surface seen in a hit, kept across
    queries (up to SURFACES_REMEMBERED, then started afresh). With it, finding the tokens of a
    text that a query matches is a few C-level passes: no Python code runs per token, and per
    distinct surface only the first time it is ever seen."""

    def __init__(self, limit: int = SURFACES_REMEMBERED) -> None:
        self.limit = limit
        self.terms: dict[str, tuple[str, str]] = {}

    def terms_of(self, surfaces: list[str]) -> list[tuple[str, str]]:
        """The terms of each of SURFACES (analyzed the first time a surface is seen). Another
        thread may start a fresh table meanwhile; each keeps working with the one it got."""
        table = self.terms
        found = list(map(table.get, surfaces))
        if None in found:
            if len(table) + found.count(None) > self.limit:
                table = self.terms = {}
            for i in compress(count(), map(is_, found, repeat(None))):
                surface = surfaces[i]
                terms = analyze_word(surface)
                found[i] = table[surface] = _NOISE if terms is None else _SEVERAL if " " in terms[0] else terms
        return found


SURFACES = Surfaces()


def token_matches(text: str, marks: Highlights) -> list[tuple[int, int, str]]:
    """(start, end, exact term) of every token of TEXT that the query matches: the same as testing
    every token of analyzed_terms(TEXT), in C-level passes (re.split into gaps and tokens, set
    and dict lookups per distinct surface, running sums of the pieces' lengths for offsets)."""
    if not marks or not text:
        return []
    parts = _SPLIT.split(text)  # gap, token, gap, token, …, gap
    tokens = parts[1::2]
    distinct = list(set(tokens))
    terms = SURFACES.terms_of(distinct)
    matching = list(compress(zip(distinct, terms), map(marks.exact.__contains__, map(_EXACT, terms))))
    matching += compress(zip(distinct, terms), map(marks.stems.__contains__, map(_STEM, terms)))
    pieces = {surface: ((0, len(surface), exact),) for surface, (exact, _) in matching}
    if marks.prefixes:  # a prefix query (rare): each distinct surface tested in Python
        for surface, (exact, stem) in zip(distinct, terms):
            if surface not in pieces and exact and exact != _SEVERAL[0] and marks.matches(exact, stem):
                pieces[surface] = ((0, len(surface), exact),)
    for surface in compress(distinct, map(is_, terms, repeat(_SEVERAL))):
        found = tuple((a, b, e) for e, st, a, b in analyzed_terms(surface) if marks.matches(e, st))
        if found:
            pieces[surface] = found
    if not pieces and not marks.phrases:
        return []
    ends = list(accumulate(map(len, parts)))
    out = []
    for i in compress(count(), map(pieces.__contains__, tokens)):
        start = ends[2 * i]
        out.extend((start + a, start + b, exact) for a, b, exact in pieces[tokens[i]])
    if marks.phrases:
        out.extend(phrase_matches(tokens, dict(zip(distinct, map(_EXACT, terms))), ends, marks.phrases))
    return out


def phrase_matches(tokens: list[str], exact_of: dict[str, str], ends: list[int],
                   phrases: set[tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """Every token of each occurrence of a quoted phrase (its function words are marked only
    there); ENDS are the running ends of re.split's pieces, as in token_matches."""
    exact = [exact_of[t] for t in tokens]
    out = []
    for phrase in phrases:
        width = len(phrase)
        for i in compress(count(), map(phrase[0].__eq__, exact)):
            if tuple(exact[i:i + width]) == phrase:
                out.extend((ends[2 * j], ends[2 * j] + len(tokens[j]), exact[j]) for j in range(i, i + width))
    return out


def mention_matches(text: str, mentions: Iterable[str]) -> list[tuple[int, int, str]]:
    found = []
    for mention in sorted({m for m in mentions if m and m.strip()}, key=len, reverse=True):
        start = text.find(mention)
        while start >= 0:
            found.append((start, start + len(mention), mention))
            start = text.find(mention, start + len(mention))
    return found


def merged(found: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted, with any span overlapping a kept one dropped (earliest, then longest, wins)."""
    out: list[tuple[int, int, str]] = []
    cursor = -1
    for start, end, key in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start >= cursor:
            out.append((start, end, key))
            cursor = end
    return out


def match_spans(text: str, query: Union[str, Highlights]) -> list[Span]:
    """(start, end) of every place in TEXT that QUERY (a query string, read as the search reads
    it, or the Highlights of a parsed query) matches: sorted and non-overlapping."""
    marks = query_highlights(query) if isinstance(query, str) else query
    return [(s, e) for s, e, _ in merged(token_matches(text, marks))]


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def marked(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """TEXT[start:end] escaped, whitespace folded, SPANS inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    out, cursor = [], start
    for a, b, _ in spans:
        a, b = max(a, cursor), min(b, end)
        if a >= b:
            continue
        out.append(escape(_flat(text[cursor:a]), quote=True))
        out.append(f"<mark>{escape(_flat(text[a:b]), quote=True)}</mark>")
        cursor = b
    out.append(escape(_flat(text[cursor:end]), quote=True))
    return "".join(out)


def _word_start(text: str, index: int) -> int:
    index = max(0, min(index, len(text)))
    while index > 0 and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    index = max(0, min(index, len(text)))
    while index < len(text) and not text[index].isspace():
        index += 1
    return index


def best_window(spans: list[tuple[int, int, str]], size: int) -> int:
    """Start of the SIZE-character stretch holding the most distinct matched words (then the
    most matches, then the earliest)."""
    best, best_key = spans[0][0], (-1, -1)
    right = 0
    for left, (start, _, _) in enumerate(spans):
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] <= start + size:
            right += 1
        inside = spans[left:right + 1]
        key = (len({k for _, _, k in inside}), len(inside))
        if key > best_key:
            best, best_key = start, key
    return best


def snippet(text: str, spans: list[tuple[int, int, str]], size: int = SNIPPET_CHARS) -> str:
    """The best passage of TEXT around SPANS (or its opening), escaped, matches marked."""
    text = text or ""
    if spans:
        anchor = best_window(spans, size - LEAD_CHARS)
        start = _word_start(text, anchor - LEAD_CHARS)
        if start < anchor - 2 * LEAD_CHARS:  # a very long word: cut it rather than lose the match
            start = anchor - LEAD_CHARS
    else:
        start = 0
    while start < len(text) and text[start].isspace():
        start += 1
    end = _word_end(text, start + size)
    if end > start + size + 30:
        end = start + size
    body = marked(text, spans, start, end).strip()
    return (ELLIPSIS + " " if start > 0 else "") + body + (" " + ELLIPSIS if end < len(text.rstrip()) else "")


def hit_markup(title: str, content: str, marks: Highlights, mentions: Iterable[str] = ()) -> tuple[str, str]:
    """(title_html, snippet) of one hit."""
    mentions = list(mentions)
    title_spans = merged(token_matches(title, marks) + mention_matches(title, mentions))
    head = content[:SCAN_CHARS]
    body_spans = merged(token_matches(head, marks) + mention_matches(head, mentions))
    return marked(title or "", title_spans), snippet(content, body_spans)
