"""ACLED's event types and sub-event types (data/taxonomy.json), loaded once.

Ids are the snake_case of ACLED's English names; a sub-event knows its parent type. Search
and the web read the same file through `taxonomy()`, so a label is written in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import data_path


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    label_ar: str
    label_en: str
    parent: str | None  # the type of a sub-event; None for a type
    definition: str = ""


@dataclass(frozen=True, slots=True)
class Taxonomy:
    types: dict[str, Kind]
    subtypes: dict[str, Kind]

    def type_of(self, subtype: str) -> str:
        return self.subtypes[subtype].parent or ""

    def expand(self, kind_id: str) -> list[str]:
        """A type id → its sub-event ids; a sub-event id → itself; anything else → []."""
        if kind_id in self.subtypes:
            return [kind_id]
        return [s.id for s in self.subtypes.values() if s.parent == kind_id]


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    with open(data_path("taxonomy.json"), encoding="utf-8") as handle:
        raw = json.load(handle)
    types: dict[str, Kind] = {}
    subtypes: dict[str, Kind] = {}
    for t in raw["types"]:
        types[t["id"]] = Kind(t["id"], t["label_ar"], t["label_en"], None, t.get("definition", ""))
        for s in t["subtypes"]:
            subtypes[s["id"]] = Kind(s["id"], s["label_ar"], s["label_en"], t["id"], s.get("definition", ""))
    return Taxonomy(types, subtypes)
