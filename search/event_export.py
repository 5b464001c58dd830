"""The events of a search's reports as flat records in ACLED's column names (CSV, GeoJSON).

One record per extracted event. Its location is the most precise place the event's clause
names (a base or town before its governorate before its country), with the country and the
first-level division (admin1) taken from that place's ancestors, and `geo_precision` in ACLED's
sense: 1 a town or site, 2 a district or governorate, 3 a region or country. An event whose
clause names no place keeps empty location columns rather than borrowing the article's.
actor1/actor2 are filled only where the sentence makes the roles plain (found at index time
by indexer/events/roles.py and stored with each event); a list of actors named near the clause
says nothing about who did what to whom.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from .entities import Entities
from .events import Taxonomy, count_or_none

EVENT_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
                 "location", "latitude", "longitude", "geo_precision", "fatalities", "injured", "notes",
                 "source", "article_id", "url")
PRECISION = {"site": 1, "town": 1, "city": 1, "district": 2, "governorate": 2, "region": 3, "country": 3}
ADMIN1_KINDS = ("governorate", "region")


def ancestors(entities: Entities, place_id: str) -> list[dict[str, Any]]:
    """The place and its ancestors, nearest first (a cycle in the data cannot loop)."""
    chain, seen, todo = [], set(), [place_id]
    while todo:
        ident = todo.pop(0)
        if ident in seen or ident not in entities.places:
            continue
        seen.add(ident)
        chain.append(entities.places[ident])
        todo.extend(entities.parents(ident))
    return chain


def best_place(entities: Entities, place_ids: Iterable[str]) -> dict[str, Any] | None:
    known = [entities.places[p] for p in place_ids if p in entities.places]
    if not known:
        return None
    return min(known, key=lambda p: (PRECISION.get(p.get("kind") or "site", 1), -len(ancestors(entities, p["id"]))))


def location_columns(entities: Entities, place_ids: Iterable[str]) -> dict[str, Any]:
    place = best_place(entities, place_ids)
    if place is None:
        return {"country": "", "admin1": "", "location": "", "latitude": None, "longitude": None,
                "geo_precision": None}
    chain = ancestors(entities, place["id"])
    country = next((p for p in chain if p.get("kind") == "country"), None)
    admin1 = next((p for kind in ADMIN1_KINDS for p in chain if p.get("kind") == kind), None)
    return {"country": _name(country), "admin1": _name(admin1), "location": _name(place),
            "latitude": place.get("lat"), "longitude": place.get("lon"),
            "geo_precision": PRECISION.get(place.get("kind") or "site", 1)}


def _name(place: dict[str, Any] | None) -> str:
    return "" if place is None else place.get("name_en") or place.get("name_ar") or place["id"]


def _actor(entities: Entities, ident: Any) -> str:
    if not isinstance(ident, str) or not ident:
        return ""
    entry = entities.actors.get(ident) or {}
    return entry.get("name_en") or entry.get("name_ar") or ident


def event_records(stored: dict[str, Any], entities: Entities, taxonomy: Taxonomy,
                  kinds: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """One record per event of one stored article; with KINDS (type and sub-event type ids), only
    the events of those kinds."""
    extraction = stored.get("entities") or {}
    source_id = stored.get("source") or ""
    source = (entities.sources.get(source_id) or {}).get("name_en") or source_id
    records = []
    for event in extraction.get("events") or []:
        subtype = event.get("subtype")
        if not subtype:
            continue
        type_id = event.get("type") or taxonomy.type_of(subtype) or ""
        if kinds is not None and subtype not in kinds and type_id not in kinds:
            continue
        record = {
            "event_date": event.get("date") or stored.get("published") or "",
            "event_type": taxonomy.labels(type_id)[1] if type_id else "",
            "sub_event_type": taxonomy.labels(subtype)[1],
            "actor1": _actor(entities, event.get("actor1") or ""),
            "actor2": _actor(entities, event.get("actor2") or ""),
            **location_columns(entities, event.get("places") or []),
            "fatalities": count_or_none(event.get("killed")),
            "injured": count_or_none(event.get("injured")),
            "notes": event.get("text") or "",
            "source": source,
            "article_id": stored.get("id") or "",
            "url": stored.get("url") or "",
        }
        records.append(record)
    return records


def geojson_features(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """A Point feature for each record that has coordinates (GeoJSON order: longitude, latitude),
    every column a property, so QGIS opens them as a point layer with the same attribute table."""
    for record in records:
        lat, lon = record.get("latitude"), record.get("longitude")
        if lat is None or lon is None:
            continue
        yield {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
               "properties": {key: record[key] for key in EVENT_COLUMNS}}


def geojson_text(records: Iterable[dict[str, Any]], dumps: Callable[[Any], str]) -> Iterator[str]:
    """A FeatureCollection written feature by feature (DUMPS serializes one feature)."""
    yield '{"type": "FeatureCollection", "features": ['
    for n, feature in enumerate(geojson_features(records)):
        yield ("," if n else "") + "\n" + dumps(feature)
    yield "\n]}\n"
