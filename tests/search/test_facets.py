"""Filters and facets against brute-force counts over the stored documents of a real index.

The brute force reads each stored document's extracted places (with the ancestors the stored
place objects list), actors, source, dates, events (each stored event's sub-event type and type)
and killed totals with plain Whoosh, and applies the contract's
rules directly: values of one filter are ORed, filters are ANDed, and a facet is counted with
every other filter but not its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.events.killed_days import killed_by_day

from .conftest import StoredDoc, all_ids

QUERIES = ["", "سوريا", "غارات OR قصف", "-العراق"]


FILTER_KINDS = ("place", "actor", "source", "event")
SETS = {"place": "places", "actor": "actors", "event": "events"}


def values_of(stored: list[StoredDoc], kind: str) -> list[str]:
    if kind == "source":
        return sorted({d.source for d in stored if d.source})
    return sorted({v for d in stored for v in getattr(d, SETS[kind])})


def doc_values(doc: StoredDoc, kind: str) -> set[str]:
    if kind == "source":
        return {doc.source} if doc.source else set()
    return set(getattr(doc, SETS[kind]))


def in_range(doc: StoredDoc, start: str | None, end: str | None, field: str) -> bool:
    days = [doc.published] if field == "published" else list(doc.event_dates)
    return any(day and (start is None or day >= start) and (end is None or day <= end) for day in days)


def brute_filter(params: dict, skip: str | None = None) -> Callable[[StoredDoc], bool]:
    def test(doc: StoredDoc) -> bool:
        for kind in FILTER_KINDS:
            if kind != skip and params.get(kind) and not doc_values(doc, kind) & set(params[kind]):
                return False
        if params.get("min_killed") is not None and (doc.killed is None or doc.killed < params["min_killed"]):
            return False
        if skip != "date" and (params.get("from") or params.get("to")):
            return in_range(doc, params.get("from"), params.get("to"), params.get("date_field", "published"))
        return True
    return test


@st.composite
def filter_params(draw, stored: list[StoredDoc]) -> dict:
    params: dict = {"q": draw(st.sampled_from(QUERIES))}
    for kind in FILTER_KINDS:
        choices = values_of(stored, kind)
        params[kind] = draw(st.lists(st.sampled_from(choices), max_size=3, unique=True)) if choices else []
    if draw(st.booleans()):
        params["min_killed"] = draw(st.sampled_from([0, 1, 2, 5, 20]))
    if draw(st.booleans()):
        params["date_field"] = draw(st.sampled_from(["published", "event"]))
        first = draw(st.dates(dt.date(2013, 1, 1), dt.date(2026, 1, 1)))
        params["from"] = first.isoformat() if draw(st.booleans()) else None
        params["to"] = (first + dt.timedelta(days=draw(st.integers(0, 3000)))).isoformat()
    return params


def check_facets(engine, stored: list[StoredDoc], params: dict) -> None:
    matching = set(all_ids(engine, q=params["q"]))
    docs = [d for d in stored if d.id in matching]
    result = engine.search({**params, "per_page": 100})
    hits = {d.id for d in docs if brute_filter(params)(d)}
    assert result["total"] == len(hits)
    assert {h["id"] for h in result["hits"]} <= hits
    for kind in FILTER_KINDS:
        base = [d for d in docs if brute_filter(params, skip=kind)(d)]
        counts: dict[str, int] = {}
        for doc in base:
            for value in doc_values(doc, kind):
                counts[value] = counts.get(value, 0) + 1
        items = result["facets"][kind]
        for item in items:
            assert item["count"] == counts.get(item["value"], 0), (kind, item)
            assert item["selected"] == (item["value"] in params[kind])
        shown = {item["value"] for item in items}
        assert set(params[kind]) <= shown, "selected values are always listed"
        listed = [item["count"] for item in items if item["value"] not in params[kind]]
        if listed:
            assert all(c <= min(listed) for v, c in counts.items() if v not in shown), "top values are listed"
        else:
            assert not [v for v in counts if v not in shown]
    base = [d for d in docs if brute_filter(params, skip="date")(d)]
    histogram = result["facets"]["date"]
    field = params.get("date_field", "published")
    for bucket in histogram:
        first, last = bucket_days(bucket)
        first = max(first, params.get("from") or first)
        last = min(last, params.get("to") or last)
        assert bucket["count"] == sum(1 for d in base if in_range(d, first, last, field)), bucket
        assert bucket["killed"] == sum(killed_within(d, first, last, field) for d in base), bucket


def killed_within(doc: StoredDoc, start: str, end: str, field: str) -> int:
    """What DOC adds to the killed of a bucket: its total by publication day, or its per-day
    figures by the events' days (the per-report rule is checked by hand in tests/indexer/test_events_killed_days.py)."""
    if field == "published":
        return (doc.killed or 0) if in_range(doc, start, end, field) else 0
    days = killed_by_day(doc.extraction.get("events") or [], len(doc.title), doc.published)
    return sum(k for day, k in days if start <= day.isoformat() <= end)


def bucket_days(bucket: dict) -> tuple[str, str]:
    from web.formatting import bucket_range

    return bucket_range(bucket["value"], bucket["bucket"])


def test_facet_counts_equal_brute_force_counts(engine, stored):
    @given(params=filter_params(stored))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def run(params):
        check_facets(engine, stored, params)

    run()


def test_two_places_are_ored_and_their_facet_counts_stay(engine, stored):
    places = values_of(stored, "place")
    counts = {p: sum(1 for d in stored if p in d.places) for p in places}
    a, b = sorted(places, key=lambda p: -counts[p])[5:7]
    result = engine.search({"place": [a, b]})
    assert result["total"] == sum(1 for d in stored if {a, b} & d.places)
    facet = {item["value"]: item for item in result["facets"]["place"]}
    assert facet[a]["count"] == counts[a] and facet[b]["count"] == counts[b]
    assert facet[a]["selected"] and facet[b]["selected"]


def test_a_place_includes_its_descendants(engine, stored):
    governorate = "sy-deir-ez-zor"
    found = set(all_ids(engine, place=[governorate]))
    named_inside = {d.id for d in stored if d.mentioned and not (governorate in d.mentioned)
                    and governorate in d.places}
    assert named_inside, "some report names only a place inside the governorate"
    assert named_inside <= found
    assert found == {d.id for d in stored if governorate in d.places}
    country = set(all_ids(engine, place=["sy"]))
    assert found < country


def test_place_facet_items_carry_their_parents_for_the_tree(engine):
    items = {i["value"]: i for i in engine.search({"q": "دير الزور"})["facets"]["place"]}
    city = items.get("sy-deir-ez-zor-city") or items["sy-deir-ez-zor"]
    assert "sy" in city["parents"]


def test_actor_facet_items_carry_their_type(engine):
    items = engine.search({"q": ""})["facets"]["actor"]
    assert items and all(i["type"] in ("state_force", "armed_group", "government", "international", "person",
                                       "media", "other") for i in items)


def test_histogram_bucket_fits_the_range(engine):
    assert {b["bucket"] for b in engine.search({"q": ""})["facets"]["date"]} == {"year"}
    month = engine.search({"from": "2023-01-01", "to": "2023-12-31"})["facets"]["date"]
    assert [b["bucket"] for b in month][:1] == ["week"] and len(month) >= 52
    days = engine.search({"from": "2023-03-01", "to": "2023-03-31"})["facets"]["date"]
    assert len(days) == 31 and days[0]["value"] == "2023-03-01" and days[-1]["value"] == "2023-03-31"
    years = engine.search({"from": "2014-01-01", "to": "2020-12-31"})["facets"]["date"]
    assert years[0] == {"value": "2014-01", "count": years[0]["count"], "bucket": "month",
                        "killed": years[0]["killed"]}


def test_unknown_names_are_errors_with_close_matches(engine):
    from search.params import SearchParamsError

    with pytest.raises(SearchParamsError) as caught:
        engine.search({"place": ["دير الزوور"]})
    assert "دير الزور" in " ".join(caught.value.errors["place"])
    with pytest.raises(SearchParamsError) as caught:
        engine.search({"actor": ["nobody-at-all"], "source": ["no-such-paper"]})
    assert set(caught.value.errors) == {"actor", "source"}


def test_filters_accept_ids_and_names_in_both_languages(engine):
    totals = {engine.search({"place": [p]})["total"] for p in ("sy-deir-ez-zor", "دير الزور", "Deir ez-Zor",
                                                              "بدير الزور")}
    assert len(totals) == 1
    assert engine.search({"actor": ["قسد"]})["total"] == engine.search({"actor": ["sdf"]})["total"] > 0


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_counts_through_documents_equal_counts_over_all_pairs(engine, data):
    """A sparse mask is counted from its documents' pairs; any mask gives the plain bincount."""
    with engine.lease() as gen:
        for pairs in (gen.columns.places, gen.columns.actors):
            chosen = data.draw(st.sets(st.integers(0, gen.size - 1), max_size=gen.size))
            mask = np.zeros(gen.size, dtype=bool)
            mask[sorted(chosen)] = True
            expected = np.bincount(pairs.codes[mask[pairs.docs]], minlength=len(pairs.values))
            assert pairs.counts(mask).tolist() == expected.tolist()
