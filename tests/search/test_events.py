"""Event search over a real index of corpus/: the `event` filter and facet, `min_killed`,
`sort=killed`, and the events a hit and an article carry, checked against the events stored
with each document (read with plain Whoosh). Facet counts under random filter combinations are
checked in test_facets.py's property test, which includes events and min_killed."""

from __future__ import annotations

import pytest

from search.events import taxonomy
from search.params import SearchParamsError

from .conftest import StoredDoc, all_ids


def with_events(stored: list[StoredDoc]) -> list[StoredDoc]:
    return [d for d in stored if d.events]


def test_the_corpus_index_has_events_of_several_types(stored):
    types = {t for d in stored for t in d.events if taxonomy().kinds[t].parent is None}
    assert len(with_events(stored)) >= 10 and len(types) >= 3, types
    assert any(d.killed for d in stored) and any(d.injured for d in stored)


def test_a_sub_event_filter_finds_exactly_the_reports_with_that_sub_event(engine, stored):
    subtypes = {s for d in stored for s in d.events if taxonomy().kinds[s].parent}
    for subtype in sorted(subtypes):
        assert set(all_ids(engine, event=[subtype])) == {d.id for d in stored if subtype in d.events}, subtype


def test_a_type_filter_includes_every_sub_event_of_that_type(engine, stored):
    for kind in taxonomy().types:
        children = {c.id for c in taxonomy().children(kind.id)}
        expected = {d.id for d in stored if d.events & children}
        assert set(all_ids(engine, event=[kind.id])) == expected, kind.id
        assert all(kind.id in d.events for d in stored if d.events & children)


def test_event_values_are_ored_and_names_work_like_ids(engine, stored):
    a, b = "air_drone_strike", "armed_clash"
    expected = {d.id for d in stored if d.events & {a, b}}
    assert expected, "the corpus has air strikes or clashes"
    assert set(all_ids(engine, event=[a, b])) == expected
    label_en, label_ar = taxonomy().kinds[a].label_en, taxonomy().kinds[a].label_ar
    assert all_ids(engine, event=[label_en]) == all_ids(engine, event=[label_ar]) == all_ids(engine, event=[a])
    assert engine.search({"event": [label_en]})["query"]["event"] == [a]


def test_event_facet_is_grouped_by_type_with_parents(engine, stored):
    facet = engine.search({"q": ""})["facets"]["event"]
    values = [item["value"] for item in facet]
    kinds = taxonomy().kinds
    for position, item in enumerate(facet):
        parent = kinds[item["value"]].parent
        assert item["parent"] == parent
        if parent is not None:
            assert parent in values[:position], "a sub-event type comes after its type"
        assert item["label_en"] == kinds[item["value"]].label_en and item["label_ar"]
        assert item["count"] == sum(1 for d in stored if item["value"] in d.events)
    assert set(values) == {v for d in stored for v in d.events}


def test_min_killed_keeps_reports_stating_at_least_that_many(engine, stored):
    for least in (0, 1, 3, 10):
        expected = {d.id for d in stored if d.killed is not None and d.killed >= least}
        assert set(all_ids(engine, min_killed=least)) == expected, least
    assert all_ids(engine, min_killed=10**6) == []


def test_sort_killed_puts_the_deadliest_first_and_unstated_last(engine, stored):
    by_id = {d.id: d for d in stored}
    ids = all_ids(engine, sort="killed")
    assert sorted(ids) == sorted(by_id)
    keys = [(-1 if by_id[i].killed is None else by_id[i].killed, by_id[i].published or "") for i in ids]
    for before, after in zip(keys, keys[1:]):
        assert before[0] > after[0] or (before[0] == after[0] and before[1] >= after[1]), (before, after)
    assert keys[0][0] == max(d.killed or 0 for d in stored) > 0


def test_hits_carry_their_events_and_totals(engine, stored):
    by_id = {d.id: d for d in stored}
    result = engine.search({"q": "", "event": ["explosions_remote_violence"], "per_page": 100})
    assert result["hits"]
    for hit in result["hits"]:
        doc = by_id[hit["id"]]
        assert hit["killed"] == doc.killed and hit["injured"] == doc.injured
        assert [(e["subtype"], e["killed"], e["injured"]) for e in hit["events"]] == \
            [(e["subtype"], e.get("killed"), e.get("injured")) for e in doc.extraction["events"]]
        assert all(e["type"] == taxonomy().type_of(e["subtype"]) and e["label_ar"] for e in hit["events"])


def test_article_json_has_the_contract_event_shape(engine, stored):
    doc = max(with_events(stored), key=lambda d: len(d.extraction["events"]))
    article = engine.article(doc.id)
    keys = {"type", "subtype", "label_ar", "label_en", "text", "start", "end", "date", "places", "actors",
            "killed", "injured"}
    assert len(article["events"]) == len(doc.extraction["events"])
    for event in article["events"]:
        assert set(event) == keys
        assert event["text"] and event["subtype"] in taxonomy().kinds
        assert set(event["places"]) <= {p["id"] for p in article["places"]}
    assert article["killed"] == doc.killed and article["injured"] == doc.injured


def test_histogram_sums_the_killed_totals_of_its_reports(engine, stored):
    buckets = engine.search({"q": "", "event": ["battles", "explosions_remote_violence"]})["facets"]["date"]
    expected = sum(d.killed or 0 for d in stored if d.published and d.events & {"battles", "explosions_remote_violence"})
    assert sum(b["killed"] for b in buckets) == expected > 0


@pytest.mark.parametrize("params, field", [
    ({"event": ["air strike"]}, "event"),
    ({"event": ["nonsense_type"]}, "event"),
    ({"min_killed": -1}, "min_killed"),
    ({"min_killed": "many"}, "min_killed"),
    ({"sort": "deadliest"}, "sort"),
])
def test_bad_event_parameters_name_their_field(engine, params, field):
    with pytest.raises(SearchParamsError) as caught:
        engine.search(params)
    assert field in caught.value.errors


def test_unknown_event_lists_close_matches(engine):
    with pytest.raises(SearchParamsError) as caught:
        engine.search({"event": ["air_strike"]})
    assert "air_drone_strike" in caught.value.errors["event"][0]


def test_a_labels_alternatives_of_two_words_or_more_are_names_too(engine):
    for name, ident in (("غارة جوية", "air_drone_strike"), ("drone strike", "air_drone_strike"),
                        ("عبوة ناسفة", "remote_explosive_landmine_ied"), ("إخفاء قسري", "abduction_forced_disappearance")):
        assert engine.search({"event": [name]})["query"]["event"] == [ident], name
    assert taxonomy().resolve("air") is None and taxonomy().resolve("صاروخي") is None


def test_event_dates_filter_still_reads_the_dates_in_the_text(engine, stored):
    """date_field=event keeps its contract (any date the text reports), coded as an event or not."""
    for day in sorted({d.event_dates[0] for d in stored if d.event_dates})[:5]:
        expected = {d.id for d in stored if day in d.event_dates}
        assert set(all_ids(engine, **{"from": day, "to": day, "date_field": "event"})) == expected


def test_event_records_are_read_lazily_and_release_the_generation(engine, stored):
    with engine.lease() as gen:
        held = gen._refs
    with pytest.raises(SearchParamsError):
        engine.events({"event": ["no_such_type"]}, 10)  # raised before any record is read
    records = engine.events({"event": ["battles"], "sort": "killed"}, 5)
    with engine.lease() as gen:
        assert gen._refs == held + 1, "the export holds its generation while it is read"
    first = next(records)
    assert first["article_id"] in {d.id for d in stored if "battles" in d.events}
    records.close()  # a client that goes away mid-download
    with engine.lease() as gen:
        assert gen._refs == held
    ids = {r["article_id"] for r in engine.events({"event": ["battles"], "sort": "killed"}, 5)}
    assert len(ids) == 5
