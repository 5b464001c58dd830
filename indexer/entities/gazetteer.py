"""The gazetteer: places.base.jsonl (generated) with places.jsonl (curated) on top, checked at load.

A broken entry must stop a build before any article is indexed, and tell the curator where:
every problem is a DataFileError naming the file, the line and the field. Structural problems
(an unknown parent, a cycle, a country with a parent) are reported at the line that set the
offending field, which for a curated override is the curated line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .datafile import DataFileError, EntryChecker, data_path, read_jsonl

KINDS = frozenset({"country", "region", "governorate", "district", "city", "town", "site"})
SITE_TYPES = frozenset({"base", "oil_field", "gas_field", "crossing", "camp", "dam", "airport", "port",
                        "prison", "other"})
FIELDS = frozenset({"id", "name_ar", "name_en", "kind", "site_type", "parent", "lat", "lon", "aliases_ar",
                    "aliases_en", "adjectives_ar", "ambiguous", "cue_only", "cues_ar", "ambiguous_aliases_ar",
                    "context_aliases_ar", "population", "source"})
LIST_FIELDS = ("aliases_ar", "aliases_en", "adjectives_ar", "cues_ar", "ambiguous_aliases_ar", "context_aliases_ar")
FLAG_FIELDS = ("ambiguous", "cue_only")
REQUIRED = ("name_ar", "name_en", "kind", "lat", "lon", "source")
ROOT_KINDS = frozenset({"country", "region"})
DEFAULT_FILES = ("places.base.jsonl", "places.jsonl")

Where = tuple[str, int]


@dataclass
class Gazetteer:
    """Places by id (dicts with the FORMAT.md fields) and each one's ancestor chain."""

    places: dict[str, dict[str, Any]]
    parents: dict[str, list[str]]

    def to_contract(self, pid: str) -> dict[str, Any]:
        """The contract's place object (without mentions): parents nearest first, ending at the country."""
        e = self.places[pid]
        return {"id": pid, "name_ar": e["name_ar"], "name_en": e["name_en"], "kind": e["kind"],
                "lat": e["lat"], "lon": e["lon"], "parents": list(self.parents[pid])}

    def country_of(self, pid: str) -> str | None:
        """The country a place lies in (itself for a country), or None for a region above countries."""
        for x in [pid] + self.parents[pid]:
            if self.places[x]["kind"] == "country":
                return x
        return None

    def children(self, pid: str) -> list[str]:
        return [x for x, e in self.places.items() if e.get("parent") == pid]

    def __len__(self) -> int:
        return len(self.places)


def check_fields(checker: EntryChecker, partial: bool) -> dict[str, Any]:
    """Type-check the fields present on one line; PARTIAL lines (overrides) may omit required ones."""
    e = checker.entry
    checker.unknown(FIELDS | {"drop"})
    out: dict[str, Any] = {"id": checker.identifier("id")}
    if e.get("drop") is not None:
        if not checker.flag("drop"):
            raise checker.fail("drop", "only `true` is meaningful")
        extra = sorted(set(e) - {"id", "drop"})
        if extra:
            raise checker.fail(extra[0], "a drop line carries only id and drop")
        out["drop"] = True
        return out
    for name in ("name_ar", "name_en", "source"):
        if name in e or not partial:
            out[name] = checker.text(name)
    if "kind" in e or not partial:
        out["kind"] = checker.choice("kind", KINDS)
    if "site_type" in e:
        out["site_type"] = checker.choice("site_type", SITE_TYPES)
    if "parent" in e:
        out["parent"] = None if e["parent"] is None else checker.identifier("parent")
    elif not partial:
        raise checker.fail("parent", "required (null for countries and regions)")
    if "lat" in e or not partial:
        out["lat"] = checker.number("lat", -90.0, 90.0)
    if "lon" in e or not partial:
        out["lon"] = checker.number("lon", -180.0, 180.0)
    if "population" in e:
        out["population"] = checker.number("population", 0, 2_000_000_000, kind=int)
        if isinstance(e["population"], float) and not e["population"].is_integer():
            raise checker.fail("population", "must be a whole number")
    for name in LIST_FIELDS:
        if name in e:
            out[name] = checker.strings(name)
    for name in FLAG_FIELDS:
        if name in e:
            out[name] = checker.flag(name)
    return out


def read_places(paths: Sequence[str | Path]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Where]]]:
    """Entries after overrides and drops, and for each field the (file, line) that set it."""
    places: dict[str, dict[str, Any]] = {}
    origin: dict[str, dict[str, Where]] = {}
    for index, path in enumerate(paths):
        seen: set[str] = set()
        for line, raw in read_jsonl(path):
            checker = EntryChecker(path, line, raw)
            exists = raw.get("id") in places
            fields = check_fields(checker, partial=index > 0 and exists)
            pid = fields["id"]
            if pid in seen:
                raise checker.fail("id", f"duplicate id {pid!r} in this file")
            seen.add(pid)
            if fields.get("drop"):
                if not exists:
                    raise checker.fail("id", f"drop of an unknown place {pid!r}")
                del places[pid], origin[pid]
                continue
            if exists and index == 0:
                raise checker.fail("id", f"duplicate id {pid!r}")
            entry = places.setdefault(pid, {})
            where = origin.setdefault(pid, {})
            for name, value in fields.items():
                entry[name] = value
                where[name] = (str(path), line)
            where.setdefault("id", (str(path), line))
    return places, origin


def fail_at(origin: dict[str, Where], field: str, reason: str) -> DataFileError:
    path, line = origin.get(field) or origin["id"]
    return DataFileError(path, line, field, reason)


def check_structure(places: dict[str, dict[str, Any]], origin: dict[str, dict[str, Where]]) -> dict[str, list[str]]:
    """Kinds against parents, sites with a type, known parents, no cycles; returns ancestor chains."""
    for pid, e in places.items():
        where = origin[pid]
        kind, parent = e["kind"], e.get("parent")
        if kind == "country" and parent is not None:
            raise fail_at(where, "parent", "a country has no parent (null)")
        if parent is None and kind not in ROOT_KINDS:
            raise fail_at(where, "parent", f"a {kind} needs a parent (null only for countries and regions)")
        if parent is not None and parent not in places:
            raise fail_at(where, "parent", f"unknown parent {parent!r}")
        if parent == pid:
            raise fail_at(where, "parent", "a place cannot be its own parent")
        if kind == "site" and "site_type" not in e:
            raise fail_at(where, "site_type", "required for kind site")
        if kind != "site" and "site_type" in e:
            raise fail_at(where, "site_type", "only for kind site")
        if e.get("cues_ar") and not (e.get("ambiguous") or e.get("cue_only") or e.get("ambiguous_aliases_ar")):
            raise fail_at(where, "cues_ar", "cues only apply to ambiguous names")
    chains: dict[str, list[str]] = {}
    for pid in places:
        chain: list[str] = []
        x = places[pid].get("parent")
        while x is not None:
            if x == pid or x in chain:
                raise fail_at(origin[pid], "parent", f"cycle in the parent chain: {' → '.join([pid] + chain + [x])}")
            chain.append(x)
            x = places[x].get("parent")
        chains[pid] = chain
    for pid, chain in chains.items():
        kinds = [places[x]["kind"] for x in chain]
        if places[pid]["kind"] != "country" and "country" not in kinds and places[pid]["kind"] != "region":
            raise fail_at(origin[pid], "parent", "the parent chain must reach a country")
    return chains


def load_gazetteer(paths: Iterable[str | Path] | None = None) -> Gazetteer:
    """Load and check the gazetteer (default: the packaged base and curated files)."""
    files = list(paths) if paths is not None else [data_path(name) for name in DEFAULT_FILES]
    places, origin = read_places(files)
    for pid, e in places.items():
        for name in REQUIRED:
            if name not in e:
                raise fail_at(origin[pid], name, "required")
        if "parent" not in e:
            raise fail_at(origin[pid], "parent", "required (null for countries and regions)")
        for name in LIST_FIELDS:
            e.setdefault(name, [])
    chains = check_structure(places, origin)
    return Gazetteer(places, chains)
