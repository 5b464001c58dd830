"""Near-synonyms of conflict reporting, added to a query's plain words at query time.

Reports tell one event in several words (مقتل / استشهاد / مصرع / لقي حتفه; جنود / عسكريين /
رجال أمن) and an analyst types only one of them. The curated groups in data/synonyms.tsv
widen a plain word to its group, scoring the equivalents at EXPANSION_WEIGHT of a typed word so
reports that use the analyst's own words stay first. Words are matched by the analyzer's stem,
so every spelling and clitic form of a member counts; a member of several words is a phrase.
Quoted phrases, excluded words, field prefixes (title:, place:…), prefixes (word*) and names
matched as places or actors are left as typed: they are operators, whose meaning is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Iterable

from indexer.analysis import analyzed_terms

from .query import And, Entity, Node, Or, Phrase, Synonyms, Term

DATA = Path(__file__).with_name("data") / "synonyms.tsv"
EXPANSION_WEIGHT = 0.5
ARTICLE = "ال"


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[Group, ...]
    keys: dict[tuple[str, ...], int]  # a member's stems -> its group's index
    longest: int


def stems(text: str) -> tuple[str, ...]:
    return tuple(t[1] for t in analyzed_terms(text))


def read_groups(lines: Iterable[str]) -> Thesaurus:
    """The groups of a table (name, then members, tab-separated; # starts a comment)."""
    groups: list[Group] = []
    keys: dict[tuple[str, ...], int] = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, *members = [part.strip() for part in line.split("\t") if part.strip()]
        if len(members) < 2:
            raise ValueError(f"synonym group {name!r} needs at least two members")
        for member in members:
            key = stems(member)
            if key in keys and keys[key] != len(groups):
                raise ValueError(f"{member!r} is in two synonym groups: {groups[keys[key]].name} and {name}")
            if key:
                keys[key] = len(groups)
        groups.append(Group(name, tuple(members)))
    return Thesaurus(tuple(groups), keys, max((len(k) for k in keys), default=0))


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    return read_groups(DATA.read_text(encoding="utf-8").splitlines())


def member_node(member: str) -> Node:
    """A member as a query node: a word, or its words in order with or without ال on each
    (the exact view keeps the article: رجال أمن and رجال الأمن are different term runs)."""
    words = member.split()
    if len(words) == 1:
        return Term(member)
    bare = [w[len(ARTICLE):] if w.startswith(ARTICLE) and len(w) > 3 else w for w in words]
    forms = dict.fromkeys(tuple(combo) for combo in product(*[(w, ARTICLE + w) for w in bare]))
    phrases = tuple(Phrase(form) for form in forms)
    return phrases[0] if len(phrases) == 1 else Or(phrases)


def _plain(node: Node | None) -> bool:
    return isinstance(node, Term) and not node.prefix and not node.title_only


def _synonyms(words: list[Term], book: Thesaurus) -> Node | None:
    key = tuple(s for w in words for s in stems(w.text))
    index = book.keys.get(key)
    if index is None:
        return None
    group = book.groups[index]
    others = tuple(m for m in group.members if stems(m) != key)
    typed: Node = words[0] if len(words) == 1 else And(tuple(words))
    return Synonyms(typed, tuple(member_node(m) for m in others), " ".join(w.text for w in words), group.name,
                    others)


def with_synonyms(node: Node | None, book: Thesaurus | None = None) -> Node | None:
    """NODE where plain words (and runs of plain words spelling a multi-word member) also match
    their group's other members."""
    book = book or thesaurus()
    if node is None or not book.keys:
        return node
    if _plain(node):
        return _synonyms([node], book) or node
    if isinstance(node, And):
        return And(tuple(_expand_children(list(node.children), book)))
    if isinstance(node, Or) and not any(isinstance(c, Entity) for c in node.children):
        return Or(tuple(with_synonyms(c, book) for c in node.children))
    return node  # a phrase, an exclusion, a filter, an entity name, a prefix: as typed


def _expand_children(children: list[Node], book: Thesaurus) -> list[Node]:
    out: list[Node] = []
    i = 0
    while i < len(children):
        child = children[i]
        if not _plain(child):
            out.append(with_synonyms(child, book) if isinstance(child, (And, Or)) else child)
            i += 1
            continue
        end = i
        while end < len(children) and end - i < book.longest and _plain(children[end]):
            end += 1
        for stop in range(end, i, -1):
            found = _synonyms(children[i:stop], book)  # type: ignore[arg-type]
            if found is not None:
                out.append(found)
                i = stop
                break
        else:
            out.append(child)
            i += 1
    return out


def expansions(node: Node | None) -> list[dict[str, object]]:
    """What the query was widened with, for the user: the typed words and their equivalents."""
    out: list[dict[str, object]] = []
    _collect(node, out)
    return out


def _collect(node: Node | None, out: list[dict[str, object]]) -> None:
    if isinstance(node, Synonyms):
        entry = {"text": node.label, "group": node.group, "equivalents": list(node.shown)}
        if entry not in out:
            out.append(entry)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _collect(child, out)

