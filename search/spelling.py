""""Did you mean": a close spelling of a query word that the index knows far better.

Candidates are the words one edit away (a letter dropped, added, changed or two swapped) from
each query word as typed, read through the analyzer; the one whose exact term is in the most
documents wins if it is in many times more documents than the word itself, unless another
word of the query points elsewhere: of a word's few good spellings, the one found in most of the
documents holding the query's other words wins (see Speller). Only queries that find little are
checked, and the whole corrected query must find clearly more than the original before it is
offered.

A word has some 400–550 candidates. Looking each one up in the terms file cost more than
everything else a search does (a seek and a read per lookup, ~5 ms a word), so a generation
keeps a Speller: the exact terms in enough documents to win (FLOOR or more; 54k of SaudiNewsNet's
169k body terms, a few MB) in a dict, read once when the generation opens, and the corrections
of the last words checked. Candidates are analyzed without the analyzer's shared word cache,
which would otherwise fill with hundreds of misspellings per checked word.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Mapping, TypeVar

import numpy as np

from indexer.analysis import analyze_word
from indexer.analysis.pipeline import analyze_surface

from .query import OR_WORDS, bare

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآءؤئ"
LATIN = "abcdefghijklmnopqrstuvwxyz"
HAMZAS = "آأإؤئء"
MIN_LENGTH = 3
MAX_LENGTH = 20
MAX_WORDS = 4
RATIO = 5
MIN_DOCS = 3
# A candidate must be in more documents than max(MIN_DOCS, RATIO × (documents of the word + 1)),
# which is at least max(MIN_DOCS, RATIO): a term in fewer than FLOOR documents never wins.
FLOOR = max(MIN_DOCS, RATIO) + 1
WORDS_REMEMBERED = 4096
CHOICES = 4  # spellings kept per word, for the other words of the query to choose between
_WORD = re.compile(r"[^\s\"“”«»()]+")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_MISPLACED = re.compile("[ىة](?=.)")  # alef maqsura and ta marbuta end a word; inside one they are typos

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_ABSENT = object()


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used map (the server's threads share a generation)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: object = _ABSENT) -> object:
        with self._lock:
            value = self._items.get(key, _ABSENT)
            if value is not _ABSENT:
                self._items.move_to_end(key)
                return value
        return default

    def put(self, key: K, value: V) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def edits(word: str) -> set[str]:
    letters = ARABIC if _ARABIC_LETTER.search(word) else LATIN
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def _exact(surface: str) -> str | None:
    """The exact term analyze_word() would give SURFACE (a written-together name's terms joined by
    a space), computed without storing SURFACE in the analyzer's cache."""
    terms = analyze_surface(surface)
    if terms is None:
        return None
    if terms.__class__ is tuple:
        return terms[0]
    return " ".join(t[0] for t in terms)


def _hamzas(word: str) -> int:
    return sum(word.count(c) for c in HAMZAS)


def spellings(word: str, doc_frequency: Callable[[str], int], frequent: Mapping[str, int] | None = None,
              limit: int = CHOICES) -> list[tuple[str, str]]:
    """(candidate, its exact term) of the better-known spellings of WORD, best first: a different
    term each, in many times more documents than WORD's own (most documents first; among
    spellings the analyzer reads alike, the one that adds no hamza seat). DOC_FREQUENCY(exact
    term) → documents; FREQUENT, when given, maps every exact term in FLOOR or more documents to
    its documents and answers for the candidates (a term it lacks is in too few to qualify)."""
    plain = bare(word)
    if not (MIN_LENGTH <= len(plain) <= MAX_LENGTH) or not plain.isalpha():
        return []
    own = analyze_word(plain)
    if own is None:
        return []
    own_df = doc_frequency(own[0])
    lookup: Callable[[str], int]
    if frequent is not None:
        get = frequent.get
        lookup = lambda term: get(term, 0)  # noqa: E731
    else:
        lookup = doc_frequency
    threshold = max(MIN_DOCS, RATIO * (own_df + 1))
    own_hamzas = _hamzas(plain)
    seen: dict[str, int] = {own[0]: own_df}
    qualified: list[tuple[int, int, int, str, str]] = []
    for index, candidate in enumerate(sorted(edits(plain))):
        if _MISPLACED.search(candidate):
            continue
        exact = _exact(candidate)
        if exact is None or " " in exact:
            continue
        df = seen.get(exact)
        if df is None:
            df = seen[exact] = lookup(exact)
        if df > threshold:
            qualified.append((-df, max(0, _hamzas(candidate) - own_hamzas), index, candidate, exact))
    out: list[tuple[str, str]] = []
    for _, _, _, candidate, exact in sorted(qualified):
        if all(exact != other for _, other in out):
            out.append((candidate, exact))
            if len(out) >= limit:
                break
    return out


def correct_word(word: str, doc_frequency: Callable[[str], int],
                 frequent: Mapping[str, int] | None = None) -> str | None:
    """The best-known spelling of WORD (see spellings()), or None."""
    found = spellings(word, doc_frequency, frequent, limit=1)
    return found[0][0] if found else None


def suggest_query(query: str, correct: Callable[[str], str | None]) -> str | None:
    """QUERY with its badly spelled words replaced, or None when no word needs it. CORRECT(word)
    is the better spelling of one word, or None."""
    changed = False
    out, cursor, checked = [], 0, 0
    for match in _WORD.finditer(query):
        word = match.group()
        out.append(query[cursor:match.start()])
        cursor = match.end()
        replacement = None
        if checked < MAX_WORDS and word not in OR_WORDS and not word.startswith(("-", "−")) \
                and ":" not in word and not word.endswith("*"):
            checked += 1
            replacement = correct(word)
        if replacement:
            out.append(replacement)
            changed = True
        else:
            out.append(word)
    out.append(query[cursor:])
    return "".join(out) if changed else None


class Speller:
    """Did-you-mean over one generation: its frequent exact terms in memory, recent answers kept.
    Read-only apart from the thread-safe caches, so a generation's requests share it.

    When a word has several good spellings, the other words of the query choose: the spelling
    found in most of the documents that hold another query word wins (`بوركينا فاصو` → فاسو, the
    one next to بوركينا, though فاصل is in more documents); with no such document, the best-known
    spelling does."""

    def __init__(self, frequent: Mapping[str, int], doc_frequency: Callable[[str], int],
                 documents: Callable[[str], np.ndarray] | None = None, remembered: int = WORDS_REMEMBERED) -> None:
        self.frequent = frequent
        self.doc_frequency = doc_frequency
        self.documents = documents  # exact term → sorted ids of the documents that hold it
        self.words: LRU[str, tuple[tuple[str, str], ...]] = LRU(remembered)

    def spellings(self, word: str) -> tuple[tuple[str, str], ...]:
        found = self.words.get(word)
        if found is _ABSENT:
            found = tuple(spellings(word, self.doc_frequency, self.frequent))
            self.words.put(word, found)
        return found  # type: ignore[return-value]

    def correct(self, word: str) -> str | None:
        found = self.spellings(word)
        return found[0][0] if found else None

    def suggest(self, query: str) -> str | None:
        words = [match.group() for match in _WORD.finditer(query)]

        def correct(word: str) -> str | None:
            options = self.spellings(word)
            if len(options) < 2 or self.documents is None:
                return options[0][0] if options else None
            context = self._context([w for w in words if w != word])
            if not len(context):
                return options[0][0]
            shared = [len(np.intersect1d(self.documents(exact), context, assume_unique=True)) for _, exact in options]
            return options[max(range(len(options)), key=lambda i: (shared[i], -i))][0]

        return suggest_query(query, correct)

    def _context(self, others: list[str]) -> np.ndarray:
        """The documents that hold one of OTHERS (words as typed; operators and fields left out)."""
        found = [np.zeros(0, dtype=np.int64)]
        for word in others[:MAX_WORDS * 2]:
            if word in OR_WORDS or ":" in word or word.startswith(("-", "−")) or word.endswith("*"):
                continue
            terms = analyze_word(bare(word))
            if terms is not None and " " not in terms[0] and self.documents is not None:
                found.append(self.documents(terms[0]))
        return np.unique(np.concatenate(found))
