"""When a long query's words, ANDed, find little: reports with most of them.

Analysts type sentences (مقتل جنود سعوديين على الحدود); a report of that very event may word
one of them differently and fall out of the AND. Like Elasticsearch's minimum_should_match,
the relaxed query keeps the reports that have at least minimum_words(n) of the n plain words
(a word counts when it or one of its near-synonyms occurs), ranked first by how many they have.

Only plain words are counted, and not function words (`على`, `في`, `بعد`: nearly every report has
them, so counting them would let a report in on one meaningful word): a quoted phrase, an explicit OR group, a title: word, a prefix
(word*), a filter (place:…) and an exclusion (-word) stay required exactly as typed — they are
operators, and relaxing them would change what they mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indexer.analysis import normalize

from .query import And, Entity, Node, Or, Synonyms, Term

RELAX_BELOW = 10  # fewer strict hits than one page of results
MIN_WORDS = 3  # two words ANDed are never relaxed: one of two would be an OR
SHARE = 2 / 3
FUNCTION_WORDS_WRITTEN = (
    "في", "من", "على", "إلى", "عن", "مع", "بعد", "قبل", "عند", "حول", "ضد", "خلال", "بين", "منذ", "حتى",
    "أن", "إن", "التي", "الذي", "الذين", "اللذين", "هذا", "هذه", "ذلك", "تلك", "أو", "ثم", "قد", "لقد",
    "كان", "كانت", "ما", "لا", "لم", "لن", "هو", "هي", "هم", "كل", "غير", "عبر", "لدى", "نحو")
FUNCTION_WORDS = frozenset(normalize(w) for w in FUNCTION_WORDS_WRITTEN)
_WITH_ALEF_MAQSURA = frozenset(normalize(w) for w in FUNCTION_WORDS_WRITTEN if w.endswith("ى"))


@dataclass(frozen=True)
class Clauses:
    counted: tuple[Node, ...]  # plain words (with their synonyms or names): most of them
    required: tuple[Node, ...]  # operators: all of them


def minimum_words(n: int) -> int:
    """How many of N counted words a relaxed hit must have: two thirds, rounded up, at least 2
    (3 → 2, 4 → 3, 5 → 4, 6 → 4, 8 → 6)."""
    return max(2, math.ceil(n * SHARE))


def is_function_word(text: str) -> bool:
    """A preposition, pronoun, particle… as typed. `علي` written with a dotted yā' is the name
    Ali, not the preposition `على` (the analyzer folds both to one term)."""
    key = normalize(text)
    if key not in FUNCTION_WORDS:
        return False
    return not (key in _WITH_ALEF_MAQSURA and text.rstrip().endswith("ي"))


def function_word(node: Node) -> bool:
    return isinstance(node, Term) and is_function_word(node.text)


def counted_word(node: Node) -> bool:
    if isinstance(node, Term):
        return not node.prefix and not node.title_only and not function_word(node)
    if isinstance(node, Synonyms):
        return True
    if isinstance(node, Or):  # a run of words that also names a place or actor
        return any(isinstance(c, Entity) for c in node.children)
    return False


def clauses(tree: Node | None) -> Clauses | None:
    """The parts of TREE a relaxed search counts and requires; None when it cannot be relaxed
    (not an AND of at least MIN_WORDS plain words)."""
    if not isinstance(tree, And):
        return None
    counted = tuple(c for c in tree.children if counted_word(c))
    if len(counted) < MIN_WORDS:
        return None
    return Clauses(counted, tuple(c for c in tree.children if not counted_word(c) and not function_word(c)))
