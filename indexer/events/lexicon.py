"""The event lexicon (data/lexicon.json) compiled into one phrase table keyed by analyzer stems.

Triggers, context words, guards and casualty words are all phrases of one to four words. Each
word is matched on the shared analyzer's stem, so a listed `غارة` also finds `الغارات`,
`بغارة`, `وغاراتها`; broken plurals and verb forms are listed. A phrase maps to labels such as
("trigger", "air_drone_strike"), ("context", "aircraft"), ("guard", "sports") or
("casualty", "killed"); the scanner takes, at each token, every phrase that starts there.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from indexer.analysis import analyze_word, light_stem, normalize
from indexer.analysis.stem import ARABIC_FIRST, ARABIC_LAST

Label = tuple[str, str]
CACHE_LIMIT = 300_000


def data_path(name: str) -> Path:
    return Path(str(resources.files("indexer.events") / "data" / name))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    with open(data_path("lexicon.json"), encoding="utf-8") as handle:
        return json.load(handle)


_stems: dict[str, str] = {}


def stem(norm: str) -> str:
    """The analyzer's stem of one normalized token (cached: news vocabulary is Zipfian). Most
    normalized forms are also written as such, so the analyzer's own per-surface cache (filled by
    the entity scanner and the index writer) usually holds the stem already: the same value as
    light_stem() for one Arabic word, without stemming the word a second time."""
    hit = _stems.get(norm)
    if hit is None:
        if norm and ARABIC_FIRST <= norm[0] <= ARABIC_LAST:
            terms = analyze_word(norm)
            hit = terms[1] if terms is not None and " " not in terms[1] else light_stem(norm)
        else:
            hit = light_stem(norm) if norm else norm
        if len(_stems) >= CACHE_LIMIT:
            _stems.clear()
        _stems[norm] = hit
    return hit


EXACT = "="


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of PHRASE's words; a one-word form written `=word` matches that exact form only
    (`=سيطر` is the verb, not `السيطرة` the noun, though both stem to `سيطر`)."""
    if phrase.startswith(EXACT):
        return (EXACT + exact_key(phrase[1:]),)
    out = []
    for word in phrase.split():
        norm = normalize(word)
        if norm and analyze_word(word) is not None:
            out.append(stem(norm))
    return tuple(out)


class PhraseTable:
    """first stem → [(rest of stems, labels)], longest first."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], frozenset[Label]]]] = {}
        self._labels: dict[tuple[str, ...], set[Label]] = {}

    def add(self, phrase: str, label: Label) -> None:
        stems = phrase_stems(phrase)
        if stems:
            self._labels.setdefault(stems, set()).add(label)

    def has_trigger(self, stems: tuple[str, ...]) -> bool:
        return any(kind == "trigger" for kind, _ in self._labels.get(stems, ()))

    def freeze(self) -> "PhraseTable":
        for stems, labels in self._labels.items():
            self.by_first.setdefault(stems[0], []).append((stems[1:], frozenset(labels)))
        for options in self.by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        return self

    def starts(self, kinds: set[str], name: str | None = None) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        """(stems that are a whole phrase of KINDS, (first, second) stems of the longer ones)."""
        single: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for first, options in self.by_first.items():
            for rest, labels in options:
                if any(k in kinds and n != "none" and (name is None or n == name) for k, n in labels):
                    if rest:
                        pairs.add((first, rest[0]))
                    else:
                        single.add(first)
        return frozenset(single), frozenset(pairs)

    def at(self, stems: list[str], i: int, limit: int) -> list[tuple[int, frozenset[Label]]]:
        """(length, labels) of every phrase that starts at token I and ends before LIMIT."""
        options = self.by_first.get(stems[i])
        if not options:
            return []
        out = []
        for rest, labels in options:
            n = len(rest)
            if i + 1 + n <= limit and tuple(stems[i + 1:i + 1 + n]) == rest:
                out.append((n + 1, labels))
        return out


@lru_cache(maxsize=1)
def phrase_table() -> PhraseTable:
    data = lexicon()
    table = PhraseTable()
    weak = set(data["weak"])
    for entry in data["triggers"]:
        for form in entry["forms"]:
            table.add(form, ("trigger", entry["subtype"]))
            if form in weak:
                table.add(form, ("weak", entry["subtype"]))
    for form in data["blockers"]:
        if " " not in form and not form.startswith(EXACT) and table.has_trigger(phrase_stems(form)):
            form = EXACT + form  # `مسيرته` (his career) blocks that word, not the march `مسيرات` of one stem
        table.add(form, ("trigger", "none"))
    for name, forms in data["context"].items():
        for form in forms:
            table.add(form, ("context", name))
    for name, forms in data["guards"].items():
        for form in forms:
            table.add(form, ("guard", name))
    for kind, forms in data["casualties"].items():
        for form in forms:
            table.add(form, ("casualty", kind))
    return table.freeze()


def exact_key(word: str) -> str:
    """The analyzer's exact form without the article: how person nouns and duals are told apart
    (their stems are one: `جنديين` and `جندي` both stem to `جندي`)."""
    terms = analyze_word(word)
    key = terms[0] if terms else normalize(word)
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


@lru_cache(maxsize=1)
def person_tables() -> tuple[dict[str, int], frozenset[str]]:
    """(exact key → 2 for a dual `جنديين` or 0 for a plural `مدنيين`, stems of singular nouns)."""
    data = lexicon()
    exact = {exact_key(w): 2 for w in data["duals"]}
    exact.update({exact_key(w): 0 for w in data["vague_plurals"]})
    singular = frozenset(stem(normalize(w)) for w in data["person_nouns"])
    return exact, singular


def person_count(key: str, word_stem: str) -> int | None:
    """People one noun counts: 1 (`جندي`, `جندياً`), 2 (a dual), 0 (a plural: some), None (no person).
    Duals and plurals are told by their exact form: their stems are the singular's."""
    exact, singular = person_tables()
    found = exact.get(key)
    if found is None and key.endswith("ا"):
        found = exact.get(key[:-1])
    if found is not None:
        return found
    if word_stem in singular:
        return 2 if key.endswith("ان") and not key.endswith("يان") or key.endswith("يان") and len(key) > 5 else 1
    return None
