"""Events through the web layer over a real index of corpus/: the API's event parameters and
400s, the CSV and GeoJSON exports (parsed with the csv module, checked with shapely and against
the OpenAPI document), and the page's event facet, chips, histogram toggle and article events."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from typing import Any

import pytest
from shapely.geometry import Point, shape

from search.event_export import EVENT_COLUMNS
from search.events import taxonomy
from web.api import event_csv_cell
from web.app import create_app

from .test_api import conforms, documented, get_json, operation, spec  # noqa: F401  (spec is a fixture)

ACLED_COLUMNS = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
                 "latitude", "longitude", "fatalities", "notes", "source", "injured", "article_id", "url"]


def all_hits(client, spec, query: str) -> list[dict[str, Any]]:
    hits, page = [], 1
    while True:
        result = get_json(client, spec, f"/api/search?{query}&per_page=100&page={page}")
        hits += result["hits"]
        if len(hits) >= result["total"]:
            return hits
        page += 1


def csv_records(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == list(EVENT_COLUMNS)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# search parameters ------------------------------------------------------------------------------
def test_event_filter_and_facet_through_the_api(client, spec):
    everything = get_json(client, spec, "/api/search?q=")
    facet = {item["value"]: item for item in everything["facets"]["event"]}
    assert facet["explosions_remote_violence"]["parent"] is None
    assert facet["air_drone_strike"]["parent"] == "explosions_remote_violence"
    result = get_json(client, spec, "/api/search?event=air_drone_strike&event=armed_clash")
    assert result["query"]["event"] == ["air_drone_strike", "armed_clash"]
    assert facet["air_drone_strike"]["count"] <= result["total"] <= \
        facet["air_drone_strike"]["count"] + facet["armed_clash"]["count"]
    selected = {i["value"]: i for i in result["facets"]["event"]}
    assert selected["air_drone_strike"]["selected"] and selected["armed_clash"]["selected"]
    assert selected["air_drone_strike"]["count"] == facet["air_drone_strike"]["count"], "multi-select counts"
    for hit in result["hits"]:
        assert {e["subtype"] for e in hit["events"]} & {"air_drone_strike", "armed_clash"}


def test_min_killed_and_sort_killed_through_the_api(client, spec):
    hits = all_hits(client, spec, "q=&min_killed=5&sort=killed")
    assert hits and all(h["killed"] >= 5 for h in hits)
    assert [h["killed"] for h in hits] == sorted((h["killed"] for h in hits), reverse=True)


@pytest.mark.parametrize("query, field", [
    ("event=air%20strike", "event"), ("event=battle", "event"), ("min_killed=-3", "min_killed"),
    ("min_killed=lots", "min_killed"), ("min_killed=%20", "min_killed"), ("sort=fatalities", "sort"),
    (f"event={'x' * 300}", "event"),
])
@pytest.mark.parametrize("path", ["/api/search", "/api/events.csv", "/api/events.geojson"])
def test_bad_event_parameters_are_400_naming_the_field(client, spec, path, query, field):
    errors = get_json(client, spec, f"{path}?{query}", status=400)["errors"]
    assert field in errors


def test_unknown_event_type_suggests_the_right_id(client, spec):
    errors = get_json(client, spec, "/api/search?event=air_strike", status=400)["errors"]
    assert "air_drone_strike" in errors["event"][0]


def test_article_api_lists_events(client, spec):
    hit = get_json(client, spec, "/api/search?q=&sort=killed&min_killed=1")["hits"][0]
    article = get_json(client, spec, f"/api/articles/{urllib.parse.quote(hit['id'])}")
    assert article["killed"] == hit["killed"]
    assert [e["subtype"] for e in article["events"]] == [e["subtype"] for e in hit["events"]]
    text = article["title"] + "\n\n" + article["content"]
    for event in article["events"]:
        assert event["text"].strip() in text


# exports ----------------------------------------------------------------------------------------
def test_events_csv_has_acled_columns_and_one_row_per_event(client, spec):
    query = "q=&place=sy"
    response = client.get(f"/api/events.csv?{query}")
    assert response.status_code == 200
    documented(spec, "/api/events.csv", response)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    records = csv_records(response)
    assert set(ACLED_COLUMNS) <= set(EVENT_COLUMNS)
    hits = all_hits(client, spec, query)
    assert len(records) == sum(len(h["events"]) for h in hits) > 0
    assert [r["article_id"] for r in records] == [h["id"] for h in hits for _ in h["events"]]
    labels = {k.id: k.label_en for k in taxonomy().kinds.values()}
    by_id = {h["id"]: h for h in hits}
    position: dict[str, int] = {}
    for record in records:
        hit = by_id[record["article_id"]]
        event = hit["events"][position.setdefault(record["article_id"], 0)]
        position[record["article_id"]] += 1
        assert record["sub_event_type"] == labels[event["subtype"]]
        assert record["event_type"] == labels[event["type"]]
        assert record["fatalities"] == ("" if event["killed"] is None else str(event["killed"]))
        assert record["injured"] == ("" if event["injured"] is None else str(event["injured"]))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["event_date"])
        assert record["notes"] and record["url"] == (hit["url"] or "")
        if record["latitude"]:
            assert -90 <= float(record["latitude"]) <= 90 and -180 <= float(record["longitude"]) <= 180
            assert record["location"] and record["geo_precision"] in ("1", "2", "3")
    assert any(r["country"] == "Syria" for r in records)
    assert any(r["admin1"] and r["location"] != r["admin1"] for r in records), "towns carry their governorate"


def test_events_csv_follows_filters_and_ignores_paging(client, spec):
    query = "q=&place=sy&sort=killed"
    paged = csv_records(client.get(f"/api/events.csv?{query}&page=2&per_page=3"))
    hits = all_hits(client, spec, query)
    assert [r["article_id"] for r in paged] == [h["id"] for h in hits for _ in h["events"]]


@pytest.mark.parametrize("kinds", [["air_drone_strike"], ["air_drone_strike", "armed_clash"], ["battles"]])
def test_an_event_filter_exports_the_events_of_its_kinds_only(client, spec, kinds):
    query = "q=&sort=killed&" + "&".join(f"event={k}" for k in kinds)
    wanted = {s for k in kinds for s in ([k] + [c.id for c in taxonomy().children(k)])}
    hits = all_hits(client, spec, query)
    expected = [(h["id"], taxonomy().labels(e["subtype"])[1]) for h in hits for e in h["events"] if e["subtype"] in wanted]
    records = csv_records(client.get(f"/api/events.csv?{query}"))
    assert [(r["article_id"], r["sub_event_type"]) for r in records] == expected
    assert len(records) < sum(len(h["events"]) for h in hits), "the reports also tell other kinds of events"
    features = json.loads(client.get(f"/api/events.geojson?{query}").get_data(as_text=True))["features"]
    assert [f["properties"]["article_id"] for f in features] == [r["article_id"] for r in records if r["latitude"]]


def test_events_export_stops_at_the_report_limit(corpus_home):
    app = create_app(corpus_home, config={"TESTING": True, "MARSAD_CSV_LIMIT": 3})
    client = app.test_client()
    records = csv_records(client.get("/api/events.csv?q=&sort=killed"))
    assert len({r["article_id"] for r in records}) == 3


def test_csv_event_cells_never_start_a_formula():
    assert event_csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert event_csv_cell("@SUM(1)") == "'@SUM(1)" and event_csv_cell("+1") == "'+1"
    assert event_csv_cell(None) == "" and event_csv_cell(12) == "12" and event_csv_cell(36.5) == "36.5"
    assert event_csv_cell(-12.25) == "-12.25", "a negative coordinate stays a number"


def test_events_geojson_is_valid_points_matching_the_csv(client, spec):
    query = "q=&place=sy"
    response = client.get(f"/api/events.geojson?{query}")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    collection = json.loads(response.get_data(as_text=True))
    content = operation(spec, "/api/events.geojson")["responses"]["200"]["content"]["application/geo+json"]
    conforms(spec, content["schema"], collection)
    assert collection["type"] == "FeatureCollection" and collection["features"]
    located = [r for r in csv_records(client.get(f"/api/events.csv?{query}")) if r["latitude"]]
    assert len(collection["features"]) == len(located)
    for feature, record in zip(collection["features"], located):
        point = shape(feature["geometry"])
        assert isinstance(point, Point) and point.is_valid and not point.is_empty
        assert point.x == pytest.approx(float(record["longitude"]), abs=1e-5)
        assert point.y == pytest.approx(float(record["latitude"]), abs=1e-5)
        assert -180 <= point.x <= 180 and -90 <= point.y <= 90
        assert set(feature["properties"]) == set(EVENT_COLUMNS)
        assert feature["properties"]["article_id"] == record["article_id"]
        assert record["notes"] in (feature["properties"]["notes"], "'" + feature["properties"]["notes"])


def test_an_export_of_nothing_is_an_empty_collection(client):
    response = client.get("/api/events.geojson?q=" + urllib.parse.quote("كلمةلاتوجدفيأيتقرير"))
    assert json.loads(response.get_data(as_text=True)) == {"type": "FeatureCollection", "features": []}
    assert csv_records(client.get("/api/events.csv?q=" + urllib.parse.quote("كلمةلاتوجدفيأيتقرير"))) == []


# the page ---------------------------------------------------------------------------------------
def test_page_lists_the_event_facet_grouped_by_type(client):
    html = client.get("/search?q=").get_data(as_text=True)
    section = re.search(r'<section class="facet" aria-labelledby="f-event">.*?</section>', html, re.S).group(0)
    assert "انفجارات وعنف عن بعد" in section and "غارة جوية أو بطائرة مسيرة" in section
    nested = re.search(r"انفجارات وعنف عن بعد.*?<ul class=\"facet-list nested\">(.*?)</ul>", section, re.S)
    assert nested and "event=air_drone_strike" in nested.group(1), "sub-types nest under their type"
    assert 'name="min_killed"' in section


def test_page_event_chips_filter_and_show_figures(client):
    html = client.get("/search?q=&sort=killed&min_killed=1").get_data(as_text=True)
    chips = re.findall(r'<a class="tag tag-event" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    assert chips and any("قتلى:" in label for _, label in chips)
    href = chips[0][0].replace("&amp;", "&")
    assert "event=" in href
    filtered = client.get(href).get_data(as_text=True)
    assert 'class="chip chip-event"' in filtered and 'class="chip chip-killed"' in filtered


def test_histogram_toggles_between_reports_and_killed(client):
    reports = client.get("/search?q=").get_data(as_text=True)
    assert 'data-measure="count"' in reports
    link = re.search(r'<p class="chart-toggle".*?<a href="([^"]+)">عدد القتلى</a>', reports, re.S).group(1)
    killed = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'data-measure="killed"' in killed and "عدد القتلى حسب التاريخ" in killed
    assert re.search(r'<span aria-current="true">عدد القتلى</span>', killed)


def test_article_page_lists_events_and_highlights_their_sentences(client, spec):
    hit = get_json(client, spec, "/api/search?q=&event=explosions_remote_violence&sort=killed")["hits"][0]
    article = get_json(client, spec, f"/api/articles/{urllib.parse.quote(hit['id'])}")
    html = client.get(f"/articles/{urllib.parse.quote(hit['id'])}").get_data(as_text=True)
    section = re.search(r'<section class="facet" aria-labelledby="e-events">.*?</section>', html, re.S).group(0)
    assert section.count('<li class="event">') == len(article["events"])
    anchors = re.findall(r'<a href="#(event-\d+)">', section)
    assert anchors
    for anchor in set(anchors):
        assert html.count(f'id="{anchor}"') == 1
        span = re.search(rf'<span class="event-text" id="{anchor}">(.*?)</span>', html, re.S)
        assert span and re.sub(r"<[^>]+>", "", span.group(1)).strip()


def test_actor_roles_are_filled_only_for_plain_sentences(client):
    records = csv_records(client.get("/api/events.csv?q="))
    with_roles = [r for r in records if r["actor1"]]
    assert with_roles and len(with_roles) < len(records) / 2
    assert not [r for r in records if r["actor2"] and not r["actor1"]]


def test_page_links_the_event_exports_of_its_search(client):
    html = client.get("/search?q=&event=battles").get_data(as_text=True)
    for path in ("/api/events.csv", "/api/events.geojson"):
        href = re.search(rf'href="({re.escape(path)}[^"]*)"', html).group(1).replace("&amp;", "&")
        assert "event=battles" in href
        assert client.get(href).status_code == 200
