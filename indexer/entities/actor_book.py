"""The actor book: who acts in the reporting (forces, groups, bodies, outlets, people).

Loaded once per process from `data/actors.jsonl` (format in `data/FORMAT.md`). Every check
runs at load and a broken entry is a DataFileError naming file, line and field, so an index
build never starts on a book whose relations point nowhere or whose ids collide. Relations
are stored one way in the file (`jabhat-al-nusra` rebranded_as `hts`); the book adds the
inverse (`hts` successor_of `jabhat-al-nusra`) so neither side can drift out of step.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafile import DataFileError, EntryChecker, data_path, read_jsonl

ACTOR_TYPES = frozenset({"state_force", "armed_group", "government", "international", "person", "media", "other"})
RELATIONS = frozenset({"successor_of", "predecessor_of", "part_of", "allied_with", "rebranded_as", "wing_of", "led_by"})
# The relation the target of a relation holds back; part_of, wing_of and led_by have no
# inverse in the contract's vocabulary and stay one-way.
INVERSE = {
    "successor_of": "predecessor_of",
    "predecessor_of": "successor_of",
    "rebranded_as": "successor_of",
    "allied_with": "allied_with",
}
PERSON_FIELDS = ("role_ar", "role_en", "member_of")
ACTOR_FIELDS = frozenset({
    "id", "name_ar", "name_en", "type", "aliases_ar", "aliases_en", "country", "related",
    "role_ar", "role_en", "member_of", "ambiguous", "cues_ar", "active", "titles_ar",
})
TITLE_FIELDS = frozenset({"title", "from", "to", "local"})
SOURCE_FIELDS = frozenset({"id", "name_ar", "name_en", "country", "domains"})
ACTIVE_PATTERN = re.compile(r"^\d{4}-(\d{4})?$")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


@dataclass(frozen=True)
class ActorBook:
    """Actors by id (file order kept: among homonyms the extractor prefers the earlier one)."""

    actors: dict[str, dict[str, Any]]
    path: str = ""
    _related: dict[str, list[dict[str, str]]] = field(default_factory=dict, repr=False)

    def to_contract(self, aid: str) -> dict[str, str]:
        """The actor as search results and extraction output show it."""
        e = self.actors[aid]
        return {"id": aid, "name_ar": e["name_ar"], "name_en": e["name_en"], "type": e["type"]}

    def related(self, aid: str) -> list[dict[str, str]]:
        """Relations listed in the file for AID plus the inverses other entries imply."""
        return [dict(r) for r in self._related.get(aid, [])]

    def members(self, aid: str) -> list[str]:
        """Ids of the people whose member_of is AID (leaders and spokespeople of a group)."""
        return [pid for pid, e in self.actors.items() if e.get("member_of") == aid]


def _check_actor(path: Path, line: int, raw: dict[str, Any]) -> dict[str, Any]:
    c = EntryChecker(path, line, raw)
    c.unknown(ACTOR_FIELDS)
    entry: dict[str, Any] = {"id": c.identifier("id")}
    entry["name_ar"] = c.text("name_ar")
    entry["name_en"] = c.text("name_en")
    entry["type"] = c.choice("type", ACTOR_TYPES)
    if not ARABIC_LETTER.search(entry["name_ar"]):
        raise c.fail("name_ar", f"must be written in Arabic letters, got {entry['name_ar']!r}")
    entry["aliases_ar"] = c.strings("aliases_ar")
    for alias in entry["aliases_ar"]:
        if not ARABIC_LETTER.search(alias):
            raise c.fail("aliases_ar", f"an Arabic alias must contain Arabic letters, got {alias!r}")
    entry["aliases_en"] = c.strings("aliases_en")
    for name in [entry["name_en"]] + entry["aliases_en"]:
        if ARABIC_LETTER.search(name):
            raise c.fail("aliases_en" if name in entry["aliases_en"] else "name_en",
                         f"English names are written in Latin letters, got {name!r}")
    country = c.identifier("country", required=False)
    if country is not None:
        entry["country"] = country
    entry["related"] = _check_related(c)
    for name in ("role_ar", "role_en"):
        value = c.text(name, required=False)
        if value is not None:
            entry[name] = value
    member_of = c.identifier("member_of", required=False)
    if member_of is not None:
        entry["member_of"] = member_of
    if entry["type"] != "person":
        for name in PERSON_FIELDS:
            if name in entry:
                raise c.fail(name, f"only a person has {name} (type is {entry['type']!r})")
    entry["ambiguous"] = c.flag("ambiguous")
    cues = c.strings("cues_ar")
    if cues:
        if not entry["ambiguous"]:
            raise c.fail("cues_ar", "cues only guard an ambiguous actor (set \"ambiguous\": true)")
        if not all(ARABIC_LETTER.search(cue) for cue in cues):
            raise c.fail("cues_ar", "cues are Arabic words")
        entry["cues_ar"] = cues
    entry["titles_ar"] = _check_titles(c)
    if entry["titles_ar"] and entry["type"] != "person":
        raise c.fail("titles_ar", f"only a person holds a title (type is {entry['type']!r})")
    if any(t["local"] for t in entry["titles_ar"]) and "country" not in entry:
        raise c.fail("titles_ar", "a local title needs the holder's country")
    active = c.text("active", required=False)
    if active is not None:
        if not ACTIVE_PATTERN.match(active) or (active[5:] and active[5:] < active[:4]):
            raise c.fail("active", f"must be YYYY- or YYYY-YYYY (from, to), got {active!r}")
        entry["active"] = active
    return entry


def _check_related(c: EntryChecker) -> list[dict[str, str]]:
    value = c.entry.get("related", [])
    if not isinstance(value, list):
        raise c.fail("related", "must be a list of {\"id\", \"rel\"} objects")
    out: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"id", "rel"}:
            raise c.fail("related", f"each relation is exactly {{\"id\", \"rel\"}}, got {item!r}")
        if not isinstance(item["id"], str) or not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", item["id"]):
            raise c.fail("related", f"relation id must be an actor id, got {item['id']!r}")
        if item["rel"] not in RELATIONS:
            raise c.fail("related", f"rel must be one of {', '.join(sorted(RELATIONS))}, got {item['rel']!r}")
        if item["id"] == c.entry.get("id"):
            raise c.fail("related", "an actor cannot be related to itself")
        out.append({"id": item["id"], "rel": item["rel"]})
    return out


def _check_titles(c: EntryChecker) -> list[dict[str, Any]]:
    """Offices named by their title (`ولي العهد`): who held it when, so the title names the
    holder on the article's date."""
    value = c.entry.get("titles_ar", [])
    if not isinstance(value, list):
        raise c.fail("titles_ar", "must be a list of {\"title\", \"from\", \"to\", \"local\"} objects")
    out = []
    for item in value:
        if not isinstance(item, dict) or not {"title", "from"} <= set(item) or set(item) - TITLE_FIELDS:
            raise c.fail("titles_ar", f"each title is {{\"title\", \"from\"[, \"to\", \"local\"]}}, got {item!r}")
        title = item["title"]
        if not isinstance(title, str) or not ARABIC_LETTER.search(title):
            raise c.fail("titles_ar", f"title must be Arabic words, got {title!r}")
        start, end = _day(c, item.get("from"), "from"), _day(c, item.get("to"), "to", required=False)
        if end is not None and end < start:
            raise c.fail("titles_ar", f"{title!r}: to {end} is before from {start}")
        local = item.get("local", False)
        if not isinstance(local, bool):
            raise c.fail("titles_ar", f"{title!r}: local must be true or false")
        out.append({"title": title.strip(), "from": start, "to": end, "local": local})
    return out


def _day(c: EntryChecker, value: Any, name: str, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise c.fail("titles_ar", f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def _check_title_overlaps(path: Path, actors: dict[str, dict[str, Any]], lines: dict[str, int]) -> None:
    """Two holders of one title at once would make the title name nobody for sure."""
    held: dict[tuple[str, str | None, bool], list[tuple[str, str, str]]] = {}
    for aid, entry in actors.items():
        for t in entry["titles_ar"]:
            key = (t["title"], entry.get("country") if t["local"] else None, t["local"])
            for other, start, end in held.get(key, []):
                if start < (t["to"] or "9999") and t["from"] < end and other != aid:
                    raise DataFileError(path, lines[aid], "titles_ar",
                                        f"{t['title']!r} from {t['from']} overlaps {other!r} (line {lines[other]})")
            held.setdefault(key, []).append((aid, t["from"], t["to"] or "9999"))


def read_actors(path: str | Path) -> ActorBook:
    """Read and check one actor-book file (ids unique, every reference resolvable)."""
    path = Path(path)
    actors: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for line, raw in read_jsonl(path):
        entry = _check_actor(path, line, raw)
        aid = entry["id"]
        if aid in actors:
            raise DataFileError(path, line, "id", f"duplicate id {aid!r} (first at line {lines[aid]})")
        actors[aid] = entry
        lines[aid] = line
    _check_title_overlaps(path, actors, lines)
    related: dict[str, list[dict[str, str]]] = {aid: [] for aid in actors}
    for aid, entry in actors.items():
        line = lines[aid]
        member_of = entry.get("member_of")
        if member_of is not None and member_of not in actors:
            raise DataFileError(path, line, "member_of", f"unknown actor {member_of!r}")
        if member_of == aid:
            raise DataFileError(path, line, "member_of", "a person cannot be a member of itself")
        for r in entry["related"]:
            if r["id"] not in actors:
                raise DataFileError(path, line, "related", f"unknown actor {r['id']!r}")
            _add(related[aid], r["id"], r["rel"])
    for aid, entry in actors.items():
        for r in entry["related"]:
            inverse = INVERSE.get(r["rel"])
            if inverse is not None:
                _add(related[r["id"]], aid, inverse)
    return ActorBook(actors=actors, path=str(path), _related=related)


def _add(relations: list[dict[str, str]], aid: str, rel: str) -> None:
    if not any(r["id"] == aid and r["rel"] == rel for r in relations):
        relations.append({"id": aid, "rel": rel})


def load_actor_book(path: str | Path | None = None) -> ActorBook:
    """The shipped actor book, or the one at PATH (for curation and tests)."""
    return read_actors(path if path is not None else data_path("actors.jsonl"))


def load_sources(path: str | Path | None = None) -> list[dict[str, str]]:
    """News outlets that appear as an article's `source`:
    [{"id","name_ar","name_en","domains"[,"country"]}] (`domains`: the web domains the outlet
    publishes under, how web pages find their source; `country`: where it publishes)."""
    path = Path(path if path is not None else data_path("sources.jsonl"))
    out: list[dict[str, str]] = []
    lines: dict[str, int] = {}
    for line, raw in read_jsonl(path):
        c = EntryChecker(path, line, raw)
        c.unknown(SOURCE_FIELDS)
        sid = c.identifier("id")
        if sid in lines:
            raise DataFileError(path, line, "id", f"duplicate id {sid!r} (first at line {lines[sid]})")
        name_ar, name_en = c.text("name_ar"), c.text("name_en")
        if not ARABIC_LETTER.search(name_ar or ""):
            raise c.fail("name_ar", f"must be written in Arabic letters, got {name_ar!r}")
        country = c.identifier("country", required=False)
        domains = [d.lower() for d in c.strings("domains")]
        for domain in domains:
            if "." not in domain or "/" in domain or " " in domain:
                raise c.fail("domains", f"must be bare domains such as example.com, got {domain!r}")
        lines[sid] = line
        out.append({"id": sid, "name_ar": name_ar, "name_en": name_en, "domains": domains,
                    **({"country": country} if country else {})})
    return out

