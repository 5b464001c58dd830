"""A generation's entities snapshot (entities.json): labels, name resolution, aliases, suggestions.

Names are compared by their analyzed exact terms, the same key the index uses, so `بدير الزور`,
`دير الزّور` and `Deir ez-Zor` all find what their spellings mean; ids are compared as written.
A name shared by several entries (a governorate and its capital) resolves to all of them: as a
place filter that is the larger one anyway, since a filter includes the descendants.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from indexer.analysis import analyzed_terms, normalize

KINDS = ("place", "actor")
NAME_FIELDS = ("name_ar", "name_en")
ALIAS_FIELDS = ("aliases_ar", "aliases_en")
MAX_ALIAS_TERMS = 8
CLOSE_MATCHES = 5
KEEP_LOADED = 2
UNEXPANDED_KINDS = frozenset({"country"})
_LOADED: dict[str, "Entities"] = {}
_LOADED_LOCK = threading.Lock()


def name_key(text: str) -> tuple[str, ...]:
    """The analyzed exact terms of a name: the form under which names are compared."""
    return tuple(t[0] for t in analyzed_terms(text))


def _plain(text: str) -> str:
    return " ".join(normalize(text).split())


@dataclass
class Names:
    """Every name of one kind (place, actor or source): key → ids, and what to show."""

    by_key: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    canonical: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # plain (normalized) name → as written

    def add(self, text: str, ident: str, is_canonical: bool) -> None:
        if not text or not text.strip():
            return
        key = name_key(text)
        if not key or len(key) > MAX_ALIAS_TERMS:
            return
        target = self.canonical if is_canonical else self.by_key
        ids = target.setdefault(key, [])
        if ident not in ids:
            ids.append(ident)
        self.display.setdefault(_plain(text), text.strip())

    def resolve(self, text: str) -> list[str]:
        key = name_key(text)
        return list(self.canonical.get(key) or self.by_key.get(key) or [])

    def close(self, text: str, limit: int = CLOSE_MATCHES) -> list[str]:
        found = difflib.get_close_matches(_plain(text), list(self.display), n=limit, cutoff=0.6)
        return [self.display[f] for f in found]


class Entities:
    """Read-only after construction: shared by every request on one generation."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.places: dict[str, dict] = {p["id"]: p for p in snapshot.get("places") or [] if p.get("id")}
        self.actors: dict[str, dict] = {a["id"]: a for a in snapshot.get("actors") or [] if a.get("id")}
        self.sources: dict[str, dict] = {s["id"]: s for s in snapshot.get("sources") or [] if s.get("id")}
        self.names = {"place": Names(), "actor": Names(), "source": Names()}
        for kind, table in (("place", self.places), ("actor", self.actors), ("source", self.sources)):
            names = self.names[kind]
            for ident, entry in table.items():
                for key in NAME_FIELDS:
                    names.add(entry.get(key) or "", ident, True)
                for key in ALIAS_FIELDS:
                    for alias in entry.get(key) or []:
                        names.add(alias, ident, False)
        self._names_for_suggest: list | None = None
        self._facet_labels: dict[tuple[str, str], tuple[str, str, Any]] = {}
        self.aliases = self._alias_index()
        self.longest_alias = max((len(k) for k in self.aliases), default=0)

    @classmethod
    def load(cls, path: Path) -> "Entities":
        """The snapshot at PATH; a rebuild usually ships the same one, so the last few are kept
        by content digest and a new generation with the same file reuses the parsed tables."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raw = b"{}"
        digest = hashlib.sha1(raw).hexdigest()
        with _LOADED_LOCK:
            if digest in _LOADED:
                return _LOADED[digest]
        snapshot = json.loads(raw.decode("utf-8"))
        loaded = cls(snapshot if isinstance(snapshot, dict) else {})
        with _LOADED_LOCK:
            _LOADED[digest] = loaded
            while len(_LOADED) > KEEP_LOADED:
                _LOADED.pop(next(iter(_LOADED)))
        return loaded

    def _alias_index(self) -> dict[tuple[str, ...], list[tuple[str, str]]]:
        """Exact-term sequence of every place/actor name and alias → [(kind, id)], for entity
        matching. Countries are left out: their names already match in every spelling, and the
        extractor also counts their adjectives (التركية) as mentions, which would turn a search
        for تركيا into one for everything Turkish (measured: 955 → 1,890 reports on SaudiNewsNet)."""
        index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for kind in KINDS:
            names = self.names[kind]
            for table in (names.canonical, names.by_key):
                for key, ids in table.items():
                    for ident in ids:
                        if kind == "place" and (self.places.get(ident) or {}).get("kind") in UNEXPANDED_KINDS:
                            continue
                        targets = index.setdefault(key, [])
                        if (kind, ident) not in targets:
                            targets.append((kind, ident))
        return index

    def table(self, kind: str) -> dict[str, dict]:
        return {"place": self.places, "actor": self.actors, "source": self.sources}[kind]

    # labels ---------------------------------------------------------------------------------
    def label(self, kind: str, ident: str) -> tuple[str, str]:
        entry = self.table(kind).get(ident) or {}
        return entry.get("name_ar") or ident, entry.get("name_en") or ident

    def facet_labels(self, kind: str, ident: str) -> tuple[str, str, Any]:
        """(label_ar, label_en, parents for a place / type for an actor / None) of a facet value,
        worked out once per snapshot: every search shows some eighty of them."""
        key = (kind, ident)
        found = self._facet_labels.get(key)
        if found is None:
            label_ar, label_en = self.label(kind, ident)
            if kind == "place":
                detail: Any = tuple(self.parents(ident))
            elif kind == "actor":
                detail = (self.actors.get(ident) or {}).get("type") or "other"
            else:
                detail = None
            found = self._facet_labels[key] = (label_ar, label_en, detail)
        return found

    def place_ref(self, ident: str) -> dict[str, str]:
        name_ar, name_en = self.label("place", ident)
        return {"id": ident, "name_ar": name_ar, "name_en": name_en}

    def actor_ref(self, ident: str) -> dict[str, str]:
        name_ar, name_en = self.label("actor", ident)
        return {"id": ident, "name_ar": name_ar, "name_en": name_en,
                "type": (self.actors.get(ident) or {}).get("type") or "other"}

    def parents(self, ident: str) -> list[str]:
        return list((self.places.get(ident) or {}).get("parents") or [])

    # resolution -----------------------------------------------------------------------------
    def resolve(self, kind: str, value: str, known_ids: Iterable[str] = ()) -> list[str]:
        """Ids that VALUE (an id, or a name or alias in either language) stands for; [] if none."""
        value = value.strip()
        table = self.table(kind)
        if value in table:
            return [value]
        known = set(known_ids)
        if value in known:
            return [value]
        lowered = value.casefold()
        if lowered in table or lowered in known:
            return [lowered]
        return self.names[kind].resolve(value)

    def is_name(self, kind: str, value: str) -> bool:
        return bool(self.resolve(kind, value))

    def close_matches(self, kind: str, value: str, extra: Iterable[str] = ()) -> list[str]:
        found = self.names[kind].close(value)
        extra = list(extra)
        if extra:
            found += difflib.get_close_matches(value.casefold(), extra, n=CLOSE_MATCHES, cutoff=0.6)
        return list(dict.fromkeys(found))[:CLOSE_MATCHES]

    # suggestions ----------------------------------------------------------------------------
    def _suggestion_names(self) -> list[tuple[str, str, list[tuple[str, int]]]]:
        """(kind, id, [(normalized name, 0 for a canonical name / 1 for an alias)]), built once."""
        if self._names_for_suggest is None:
            table = []
            for kind in KINDS:
                for ident, entry in self.table(kind).items():
                    names = []
                    for key in NAME_FIELDS + ALIAS_FIELDS:
                        values = entry.get(key) or []
                        for text in [values] if isinstance(values, str) else values:
                            plain = _plain(text)
                            if plain:
                                names.append((plain, 0 if key in NAME_FIELDS else 1))
                    table.append((kind, ident, names))
            self._names_for_suggest = table
        return self._names_for_suggest

    def suggest(self, prefix: str, kind: str | None, limit: int, popularity: dict[str, dict[str, int]]) -> list[dict]:
        """Places/actors whose name or alias starts with PREFIX (Arabic or English, any spelling);
        a name that starts so ranks before an alias, then one with a later word that does, then
        by the documents that name it."""
        wanted = _plain(prefix)
        if not wanted:
            return []
        ranked: list[tuple[tuple, str, str]] = []
        for each, ident, names in self._suggestion_names():
            if kind and each != kind:
                continue
            tier = None
            for plain, level in names:
                if plain.startswith(wanted):
                    found = level
                elif (plain.startswith("ال") and plain[2:].startswith(wanted)) or \
                        any(w.startswith(wanted) for w in plain.split()[1:]):
                    found = 2
                else:
                    continue
                tier = found if tier is None else min(tier, found)
            if tier is not None:
                entry = self.table(each)[ident]
                count = popularity.get(each, {}).get(ident, 0)
                ranked.append(((tier, -count, len(entry.get("name_ar") or ident), ident), each, ident))
        ranked.sort(key=lambda item: item[0])
        out = []
        for _, each, ident in ranked[:limit]:
            entry = self.table(each)[ident]
            item = {"id": ident, "kind": each, "name_ar": entry.get("name_ar") or ident,
                    "name_en": entry.get("name_en") or ident}
            kind_or_type = entry.get("type") if each == "actor" else entry.get("kind")
            if kind_or_type:
                item["type"] = kind_or_type
            out.append(item)
        return out
