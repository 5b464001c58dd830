"""The query language, read leniently into a small tree.

    words            all of them (AND)
    "a phrase"       the words in this order, exact view (no stemming); « » and “ ” work too
    a OR b, a أو b   either (AND binds tighter: `a b OR c` is `(a b) OR c`)
    -word, -"…", -(…) without it (NOT works too)
    ( … )            grouping
    title:word       only in titles (also title:"…" and title:(…)); عنوان: is the same
    place:X actor:X source:X   the filter, by id or name (مكان: جهة: مصدر:); a name may be
                     several words (place:دير الزور) when the engine knows it
    word*            every word starting so (at least two letters)

Nothing here fails: an unbalanced quote runs to the end, an unbalanced parenthesis is closed
or ignored, a lone operator is dropped, control characters are spaces, groups nest at most
MAX_DEPTH deep (deeper parentheses are ignored), and words and phrases after the first
MAX_LEAVES are ignored. A query that keeps no word gives None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Union

MAX_DEPTH = 16
MAX_LEAVES = 64
MAX_PHRASE_WORDS = 32
MAX_NAME_WORDS = 6
MIN_PREFIX = 2
QUOTES = "\"“”«»„″"
FIELD_NAMES = {
    "title": "title", "عنوان": "title", "العنوان": "title",
    "source": "source", "مصدر": "source", "المصدر": "source",
    "place": "place", "مكان": "place", "المكان": "place",
    "actor": "actor", "جهة": "actor", "الجهة": "actor", "جهه": "actor",
}
OR_WORDS = frozenset({"OR", "أو", "او", "|", "||"})
AND_WORDS = frozenset({"AND", "&", "&&", "+"})
NOT_WORDS = frozenset({"NOT"})
MINUS = "-−–"
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_FIELD = re.compile(r"^([^\W\d_]+):(.*)$", re.S)


@dataclass(frozen=True)
class Term:
    text: str
    title_only: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    title_only: bool = False


@dataclass(frozen=True)
class Filter:
    kind: str  # place | actor | source
    value: str


@dataclass(frozen=True)
class Entity:
    """Documents whose extracted places/actors include one of IDS (added by entity matching)."""

    kind: str
    ids: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Synonyms:
    """TYPED (a word, or words that spell a multi-word member) or one of its near-synonyms, which
    score lower (added by search/synonyms.py; never inside phrases, exclusions or fields)."""

    typed: "Node"
    equivalents: tuple["Node", ...]
    label: str  # the words as typed
    group: str
    shown: tuple[str, ...]  # the equivalents as written in the table


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Union[Term, Phrase, Filter, Entity, Synonyms, Not, And, Or]


@dataclass(frozen=True)
class Token:
    kind: str  # word | phrase | lparen | rparen | or | not | field
    text: str = ""


def clean(query: str) -> str:
    """Control and format characters become spaces (harakat and joiners are kept)."""
    out = []
    for ch in query:
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch not in "\u200c\u200d"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def bare(word: str) -> str:
    return _MARKS.sub("", word)


def tokenize(query: str) -> list[Token]:
    text = clean(query)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(Token("lparen"))
            i += 1
        elif ch == ")":
            tokens.append(Token("rparen"))
            i += 1
        elif ch in QUOTES:
            end = i + 1
            while end < n and text[end] not in QUOTES:
                end += 1
            tokens.append(Token("phrase", text[i + 1:end]))
            i = end + 1
        elif ch in MINUS and (not tokens or i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            if i + 1 < n and not text[i + 1].isspace():
                tokens.append(Token("not"))
            i += 1
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] not in "()" + QUOTES:
                end += 1
            word = text[i:end]
            i = end
            tokens.extend(_word_tokens(word))
    return tokens


def _word_tokens(word: str) -> list[Token]:
    plain = bare(word)
    if plain in OR_WORDS:
        return [Token("or")]
    if plain in AND_WORDS:
        return []
    if plain in NOT_WORDS:
        return [Token("not")]
    match = _FIELD.match(word)
    if match and bare(match.group(1)).casefold() in FIELD_NAMES:
        out = [Token("field", FIELD_NAMES[bare(match.group(1)).casefold()])]
        if match.group(2):
            out.append(Token("word", match.group(2)))
        return out
    return [Token("word", word)]


class Parser:
    def __init__(self, tokens: list[Token], is_name: Callable[[str, str], bool] | None) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.leaves = 0
        self.is_name = is_name

    def count(self) -> bool:
        """Count one more word or phrase; True once there are too many (the rest is ignored)."""
        self.leaves += 1
        return self.leaves > MAX_LEAVES

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node | None:
        nodes = []
        while self.peek() is not None:
            node = self.parse_or()
            if node is not None:
                nodes.append(node)
            if self.peek() is not None and self.peek().kind == "rparen":
                self.take()  # a stray closing parenthesis
        return _and(nodes)

    def parse_or(self) -> Node | None:
        options = []
        first = self.parse_and()
        if first is not None:
            options.append(first)
        while self.peek() is not None and self.peek().kind == "or":
            self.take()
            following = self.parse_and()
            if following is not None:
                options.append(following)
        if not options:
            return None
        return options[0] if len(options) == 1 else Or(tuple(options))

    def parse_and(self) -> Node | None:
        nodes = []
        while self.peek() is not None and self.peek().kind not in ("or", "rparen"):
            node = self.parse_unary()
            if node is not None:
                nodes.append(node)
        return _and(nodes)

    def parse_unary(self) -> Node | None:
        token = self.peek()
        if token.kind == "not":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "rparen"):
                return None
            child = self.parse_unary()
            return Not(child) if child is not None else None
        return self.parse_primary(title_only=False)

    def parse_primary(self, title_only: bool) -> Node | None:
        token = self.take()
        if token.kind == "lparen":
            if self.depth >= MAX_DEPTH:
                return None
            self.depth += 1
            node = self.parse_or()
            self.depth -= 1
            if self.peek() is not None and self.peek().kind == "rparen":
                self.take()
            return _retitle(node) if title_only and node is not None else node
        if token.kind == "phrase":
            words = tuple(token.text.split())[:MAX_PHRASE_WORDS]
            if not words or self.count():
                return None
            return Phrase(words, title_only)
        if token.kind == "word":
            return None if self.count() else _term(token.text, title_only)
        if token.kind == "field":
            following = self.peek()
            if following is None or following.kind not in ("word", "phrase", "lparen"):
                return None
            if token.text == "title":
                return self.parse_primary(title_only=True)
            return self.parse_filter(token.text)
        return None  # a stray operator

    def parse_filter(self, kind: str) -> Node | None:
        token = self.take()
        if token.kind == "lparen":  # place:(a OR b): each word a value
            self.i -= 1
            node = self.parse_primary(title_only=False)
            return _as_filters(node, kind)
        if token.kind == "phrase":
            value = " ".join(token.text.split())
            return Filter(kind, value) if value else None
        words = [token.text]
        if self.is_name is not None:
            j = self.i
            longest = 1 if self.is_name(kind, words[0]) else 0
            while j < len(self.tokens) and self.tokens[j].kind == "word" and len(words) < MAX_NAME_WORDS:
                words.append(self.tokens[j].text)
                j += 1
                if self.is_name(kind, " ".join(words)):
                    longest = len(words)
            if longest > 1:
                self.i += longest - 1
                words = words[:longest]
            else:
                words = words[:1]
        return Filter(kind, " ".join(words))


def _term(text: str, title_only: bool) -> Term | None:
    prefix = text.endswith("*")
    stem = text.rstrip("*")
    if not stem.strip("*?"):
        return None
    if prefix and len(bare(stem)) < MIN_PREFIX:
        prefix = False
    return Term(stem, title_only, prefix)


def _and(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _retitle(node: Node) -> Node:
    if isinstance(node, Term):
        return Term(node.text, True, node.prefix)
    if isinstance(node, Phrase):
        return Phrase(node.words, True)
    if isinstance(node, Not):
        return Not(_retitle(node.child))
    if isinstance(node, And):
        return And(tuple(_retitle(c) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(_retitle(c) for c in node.children))
    return node


def _as_filters(node: Node | None, kind: str) -> Node | None:
    if node is None:
        return None
    if isinstance(node, Term):
        return Filter(kind, node.text)
    if isinstance(node, Phrase):
        return Filter(kind, " ".join(node.words))
    if isinstance(node, Not):
        child = _as_filters(node.child, kind)
        return Not(child) if child is not None else None
    if isinstance(node, (And, Or)):
        children = tuple(c for c in (_as_filters(c, kind) for c in node.children) if c is not None)
        return type(node)(children) if children else None
    return node


def parse(query: str, is_name: Callable[[str, str], bool] | None = None) -> Node | None:
    """The tree of QUERY, or None when it holds nothing to search for (browse by filters)."""
    return Parser(tokenize(query), is_name).parse()


def positive_leaves(node: Node | None) -> list[Node]:
    """Terms, phrases and entities that a matching document contains (not those under NOT)."""
    if node is None:
        return []
    if isinstance(node, (Term, Phrase, Entity)):
        return [node]
    if isinstance(node, (And, Or)):
        return [leaf for child in node.children for leaf in positive_leaves(child)]
    if isinstance(node, Synonyms):
        return positive_leaves(node.typed)
    return []
