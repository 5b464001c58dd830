""""Did you mean": a close spelling of a query word that the index knows far better.

Candidates are the words one edit away (a letter dropped, added, changed or two swapped) from
each query word as typed, read through the analyzer; the one whose exact term is in the most
documents wins if it is in many times more documents than the word itself. Only queries that
find little are checked (a few milliseconds a word), and the whole corrected query must find
clearly more than the original before it is offered.
"""

from __future__ import annotations

import re

from indexer.analysis import analyze_word

from .query import OR_WORDS, bare

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآءؤئ"
LATIN = "abcdefghijklmnopqrstuvwxyz"
HAMZAS = "آأإؤئء"
MIN_LENGTH = 3
MAX_LENGTH = 20
MAX_WORDS = 4
RATIO = 5
MIN_DOCS = 3
_WORD = re.compile(r"[^\s\"“”«»()]+")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_MISPLACED = re.compile("[ىة](?=.)")  # alef maqsura and ta marbuta end a word; inside one they are typos


def edits(word: str) -> set[str]:
    letters = ARABIC if _ARABIC_LETTER.search(word) else LATIN
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def correct_word(word: str, doc_frequency) -> str | None:
    """A better-known spelling of WORD, or None. DOC_FREQUENCY(exact term) → documents."""
    plain = bare(word)
    if not (MIN_LENGTH <= len(plain) <= MAX_LENGTH) or not plain.isalpha():
        return None
    own = analyze_word(plain)
    if own is None:
        return None
    own_df = doc_frequency(own[0])
    best, best_key = None, (max(MIN_DOCS, RATIO * (own_df + 1)), 0)
    seen: dict[str, int] = {own[0]: own_df}
    for candidate in sorted(edits(plain)):
        if _MISPLACED.search(candidate):
            continue
        terms = analyze_word(candidate)
        if terms is None or " " in terms[0]:
            continue
        exact = terms[0]
        df = seen.get(exact)
        if df is None:
            df = seen[exact] = doc_frequency(exact)
        # the spelling that adds no hamza seat wins among those the analyzer reads alike
        key = (df, -_added_hamza(plain, candidate))
        if key > best_key:
            best, best_key = candidate, key
    return best


def _added_hamza(original: str, candidate: str) -> int:
    return max(0, sum(candidate.count(c) for c in HAMZAS) - sum(original.count(c) for c in HAMZAS))


def suggest_query(query: str, doc_frequency) -> str | None:
    """QUERY with its badly spelled words replaced, or None when no word needs it."""
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
            replacement = correct_word(word, doc_frequency)
        if replacement:
            out.append(replacement)
            changed = True
        else:
            out.append(word)
    out.append(query[cursor:])
    return "".join(out) if changed else None
