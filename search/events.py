"""ACLED's event taxonomy as search sees it: labels and parents for the `event` facet, and the
names an `event` filter accepts (an id, or an Arabic or English label).

The taxonomy is a data file of the extraction package (indexer/events); search reads the file
itself, not the extractor, so opening a generation loads no trigger lexicon. The index holds
sub-event ids together with their type ids, so a type filter is one term and needs no expansion.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from indexer.analysis import normalize

TAXONOMY_FILE = Path(__file__).resolve().parents[1] / "indexer" / "events" / "data" / "taxonomy.json"
CLOSE_MATCHES = 5


@dataclass(frozen=True)
class EventKind:
    id: str
    label_ar: str
    label_en: str
    parent: str | None  # the type of a sub-event type; None for a type


def _key(text: str) -> str:
    return " ".join(normalize(text.replace("_", " ").replace("/", " ")).lower().split())


def label_parts(label: str, separator: str) -> list[str]:
    """The alternatives a label joins (`غارة جوية أو بطائرة مسيرة`, `Abduction/forced disappearance`)
    that are names on their own: two words or more (`Air`, `صاروخي` alone say too little)."""
    parts = [part.strip() for part in (label or "").split(separator)]
    return [part for part in parts if len(parts) > 1 and len(part.split()) >= 2]


class Taxonomy:
    """Read-only after construction; shared by every request."""

    def __init__(self, kinds: Iterable[EventKind]) -> None:
        self.kinds: dict[str, EventKind] = {k.id: k for k in kinds}
        self.by_name: dict[str, str] = {}
        for kind in self.kinds.values():
            for name in (kind.id, kind.label_en, kind.label_ar):
                if name:
                    self.by_name.setdefault(_key(name), kind.id)
        for kind in self.kinds.values():  # after every full name, so that none is taken
            for name in label_parts(kind.label_en, "/") + label_parts(kind.label_ar, " أو "):
                self.by_name.setdefault(_key(name), kind.id)
        self.order = {ident: i for i, ident in enumerate(self.kinds)}

    @property
    def types(self) -> list[EventKind]:
        return [k for k in self.kinds.values() if k.parent is None]

    def children(self, type_id: str) -> list[EventKind]:
        return [k for k in self.kinds.values() if k.parent == type_id]

    def resolve(self, value: str) -> str | None:
        if value in self.kinds:
            return value
        return self.by_name.get(_key(value))

    def close_matches(self, value: str, limit: int = CLOSE_MATCHES) -> list[str]:
        found = difflib.get_close_matches(_key(value), list(self.by_name), n=limit, cutoff=0.6)
        return list(dict.fromkeys(self.by_name[f] for f in found))

    def labels(self, ident: str) -> tuple[str, str, str | None]:
        kind = self.kinds.get(ident)
        if kind is None:
            return ident, ident, None
        return kind.label_ar or ident, kind.label_en or ident, kind.parent

    def type_of(self, ident: str) -> str | None:
        kind = self.kinds.get(ident)
        return None if kind is None else (kind.parent or kind.id)


def count_or_none(value: Any) -> int | None:
    """A stated count as an int; None for not stated (or anything that is no count)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def kinds_from_data(data: Any) -> list[EventKind]:
    """Types then their sub-event types, from the data file's {"types": [{…, "subtypes": [...]}]}
    or from a flat list whose sub-event rows name their `parent` (or `type`)."""
    rows = data.get("types") if isinstance(data, dict) else data
    kinds: list[EventKind] = []
    for row in rows or []:
        parent = row.get("parent") or (row.get("type") if row.get("type") != row.get("id") else None)
        kinds.append(EventKind(row["id"], row.get("label_ar") or "", row.get("label_en") or "", parent))
        for sub in row.get("subtypes") or []:
            kinds.append(EventKind(sub["id"], sub.get("label_ar") or "", sub.get("label_en") or "", row["id"]))
    return kinds


@lru_cache(maxsize=1)
def taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    return Taxonomy(kinds_from_data(json.loads(path.read_text("utf-8"))))
