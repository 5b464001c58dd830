"""The JSON API over a real index of corpus/: every endpoint, parameter and error path, with
every response checked against the OpenAPI document the app serves (status documented,
media type documented, JSON body valid against the documented schema)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import shutil
import time
import urllib.parse
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec

from search.engine import Engine
from search.events import taxonomy
from web.api import csv_row, spreadsheet_safe
from web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:
    return app.test_client().get("/api/openapi.json").get_json()


def operation(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """The documented GET operation whose path template matches PATH."""
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return operations["get"]
    raise AssertionError(f"{path} is not in the OpenAPI document")


def conforms(spec: dict[str, Any], schema: dict[str, Any], data: Any) -> None:
    OAS30Validator({**schema, "components": spec["components"]}).validate(data)


def documented(spec: dict[str, Any], url: str, response) -> None:
    """RESPONSE is one the document promises for URL: its status, media type and body."""
    path = urllib.parse.urlsplit(url).path
    responses = operation(spec, path)["responses"]
    assert str(response.status_code) in responses, (url, response.status_code, sorted(responses))
    content = responses[str(response.status_code)].get("content")
    if not content:
        return
    assert response.mimetype in content, (url, response.mimetype, list(content))
    if response.mimetype == "application/json":
        conforms(spec, content["application/json"]["schema"], response.get_json())


def get_json(client, spec, url: str, status: int = 200, **kwargs) -> Any:
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    documented(spec, url, response)
    return response.get_json()


def quote(text: str) -> str:
    return urllib.parse.quote(text)


# the document ----------------------------------------------------------------------------------
def test_openapi_document_is_valid_and_complete(spec):
    validate_spec(spec)
    assert {"/api/search", "/api/articles/{article_id}", "/api/stats", "/healthz", "/api/suggest",
            "/api/search.csv", "/feed.atom", "/api/events.csv", "/api/events.geojson"} <= set(spec["paths"])
    params = {p["name"]: p for p in operation(spec, "/api/search")["parameters"]}
    assert set(params) == {"q", "place", "actor", "source", "event", "min_killed", "from", "to", "date_field",
                           "sort", "page", "per_page", "entities", "expand", "story", "collapse"}
    assert params["place"]["schema"]["type"] == "array" and params["place"]["explode"] is True
    assert params["per_page"]["schema"]["maximum"] == 100 and params["q"]["schema"]["maxLength"] == 1000
    assert "10,000" in params["page"]["description"]
    assert all("null" not in json.dumps(p["schema"]) for p in params.values())
    for path, operations in spec["paths"].items():
        assert operations["get"]["summary"] and "200" in operations["get"]["responses"], path


# /api/search -----------------------------------------------------------------------------------
def test_search_returns_contract_shape_with_readable_arabic(client, spec):
    response = client.get("/api/search?q=" + quote("سوريا"))
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert "\\u0" not in raw and "سوري" in raw
    documented(spec, "/api/search", response)
    data = response.get_json()
    assert data["total"] > 0 and data["page"] == 1 and data["per_page"] == 10
    assert 0 < len(data["hits"]) <= 10
    assert data["query"]["q"] == "سوريا"
    assert all("<mark>" in h["snippet"] or "<mark>" in h["title_html"] for h in data["hits"])
    assert set(data["facets"]) == {"place", "actor", "source", "event", "date"}


def test_spelling_variants_find_the_same_reports(client, spec):
    one = get_json(client, spec, "/api/search?q=" + quote("سوريا") + "&per_page=100")
    other = get_json(client, spec, "/api/search?q=" + quote("سورية") + "&per_page=100")
    assert one["total"] == other["total"] > 0


def test_empty_query_browses_everything_newest_first(client, spec):
    stats = get_json(client, spec, "/api/stats")
    data = get_json(client, spec, "/api/search?q=&per_page=20")
    assert data["total"] == stats["documents"]
    days = [h["published"] for h in data["hits"]]
    assert days == sorted(days, reverse=True) and all(h["score"] is None for h in data["hits"])


def test_place_filter_by_id_and_by_name_agree_and_match_the_facet(client, spec):
    everything = get_json(client, spec, "/api/search?q=&per_page=1")
    facet = everything["facets"]["place"][0]
    by_id = get_json(client, spec, f"/api/search?place={facet['value']}&per_page=100")
    by_name = get_json(client, spec, f"/api/search?place={quote(facet['label_ar'])}&per_page=100")
    by_english = get_json(client, spec, f"/api/search?place={quote(facet['label_en'])}&per_page=100")
    assert by_id["total"] == by_name["total"] == by_english["total"] == facet["count"]
    assert by_name["query"]["place"] == [facet["value"]]
    assert [f for f in by_id["facets"]["place"] if f["value"] == facet["value"]][0]["selected"] is True


def test_place_filter_includes_sub_places(client, spec):
    country = get_json(client, spec, "/api/search?place=sy&per_page=1")
    province = get_json(client, spec, "/api/search?place=sy-deir-ez-zor&per_page=100")
    assert 0 < province["total"] <= country["total"]
    assert all(any(p["id"].startswith("sy") for p in h["places"]) for h in province["hits"])


def test_two_places_are_ored(client, spec):
    places = get_json(client, spec, "/api/search?q=&per_page=1")["facets"]["place"][:2]
    a, b = (get_json(client, spec, f"/api/search?place={p['value']}&per_page=1")["total"] for p in places)
    both = get_json(client, spec, f"/api/search?place={places[0]['value']}&place={places[1]['value']}&per_page=1")
    assert max(a, b) <= both["total"] <= a + b


def test_actor_and_source_filters_narrow_to_their_facet_count(client, spec):
    facets = get_json(client, spec, "/api/search?q=&per_page=1")["facets"]
    for kind in ("actor", "source"):
        first = facets[kind][0]
        data = get_json(client, spec, f"/api/search?{kind}={first['value']}&per_page=100")
        assert data["total"] == first["count"] > 0
        assert data["query"][kind] == [first["value"]]


def test_actor_aliases_in_both_languages_filter_alike(client, spec):
    totals = {name: get_json(client, spec, f"/api/search?actor={quote(name)}&per_page=1")["total"]
              for name in ("sdf", "قسد", "SDF", "قوات سوريا الديمقراطية")}
    assert len(set(totals.values())) == 1 and totals["sdf"] > 0, totals


def test_filters_combine_with_words(client, spec):
    words = get_json(client, spec, "/api/search?q=" + quote("غارات") + "&per_page=1")["total"]
    narrowed = get_json(client, spec, "/api/search?q=" + quote("غارات") + "&place=sy&per_page=100")
    assert 0 < narrowed["total"] <= words
    assert all(any(p["id"] == "sy" or p["id"].startswith("sy-") for p in h["places"]) for h in narrowed["hits"])


def test_date_range_and_sorting(client, spec):
    newest = get_json(client, spec, "/api/search?q=&sort=newest&per_page=20")
    days = [h["published"] for h in newest["hits"]]
    assert days == sorted(days, reverse=True)
    oldest = get_json(client, spec, "/api/search?q=&sort=oldest&per_page=20")
    assert [h["published"] for h in oldest["hits"]] == sorted(h["published"] for h in oldest["hits"])
    start, end = "2023-01-01", "2023-12-31"
    ranged = get_json(client, spec, f"/api/search?q=&from={start}&to={end}&per_page=100")
    assert ranged["total"] > 0
    assert all(start <= h["published"] <= end for h in ranged["hits"])
    assert sum(b["count"] for b in ranged["facets"]["date"]) == ranged["total"]
    events = get_json(client, spec, f"/api/search?q=&from={start}&to={end}&date_field=event&per_page=100")
    assert events["query"]["date_field"] == "event"
    assert all(any(start <= d <= end for d in h["event_dates"]) for h in events["hits"])
    only_from = get_json(client, spec, f"/api/search?q=&from={start}&per_page=100")
    assert all(h["published"] >= start for h in only_from["hits"]) and only_from["total"] >= ranged["total"]


def test_relevance_sort_orders_by_score(client, spec):
    data = get_json(client, spec, "/api/search?q=" + quote("دير الزور") + "&sort=relevance&per_page=20")
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_entities_parameter_widens_to_aliases(client, spec):
    query = "/api/search?q=" + quote("تنظيم الدولة") + "&per_page=1"
    with_aliases = get_json(client, spec, query)["total"]
    words_only = get_json(client, spec, query + "&entities=false")
    assert words_only["query"]["entities"] is False
    assert 0 < words_only["total"] < with_aliases


def test_pagination_is_exact(client, spec):
    first = get_json(client, spec, "/api/search?q=&per_page=7&page=1")
    second = get_json(client, spec, "/api/search?q=&per_page=7&page=2")
    assert first["total"] == second["total"]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    last_page = -(-first["total"] // 7)
    last = get_json(client, spec, f"/api/search?q=&per_page=7&page={last_page}")
    assert len(last["hits"]) == first["total"] - 7 * (last_page - 1)
    beyond = get_json(client, spec, f"/api/search?q=&per_page=7&page={last_page + 1}")
    assert beyond["hits"] == [] and beyond["total"] == first["total"]
    deepest = get_json(client, spec, "/api/search?q=&per_page=100&page=100")
    assert deepest["page"] == 100


def test_empty_values_mean_not_given(client, spec):
    blank = get_json(client, spec, "/api/search?q=&place=&actor=&source=&from=&to=&date_field=&sort=&page=&per_page="
                                   "&entities=")
    plain = get_json(client, spec, "/api/search?q=")
    assert blank == plain


@pytest.mark.parametrize("query, field", [
    ("per_page=101", "per_page"),
    ("per_page=0", "per_page"),
    ("per_page=abc", "per_page"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=200&per_page=100", "page"),
    ("sort=loudest", "sort"),
    ("sort=%20%0B", "sort"),
    ("from=2023-13-45", "from"),
    ("to=yesterday", "to"),
    ("from=2023-05-01&to=2023-04-01", "to"),
    ("date_field=printed", "date_field"),
    ("entities=maybe", "entities"),
    ("q=" + "ا" * 1001, "q"),
    ("place=nowhere-at-all-xyz", "place"),
    ("place=" + "x" * 201, "place"),
    ("&".join(["place=sy"] * 51), "place"),
    ("actor=nobody-at-all-xyz", "actor"),
    ("source=no-such-paper", "source"),
])
def test_bad_parameters_get_400_naming_the_field(client, spec, query, field):
    for path in ("/api/search", "/api/search.csv", "/feed.atom"):
        data = get_json(client, spec, f"{path}?{query}", status=400)
        assert field in data["errors"] and data["errors"][field], (path, data)
        assert all(isinstance(m, str) and m for m in data["errors"][field])


def test_several_bad_parameters_are_all_named(client, spec):
    data = get_json(client, spec, "/api/search?per_page=0&sort=loudest&from=x", status=400)
    assert {"per_page", "sort", "from"} <= set(data["errors"])


def test_unknown_place_lists_close_matches(client, spec):
    data = get_json(client, spec, "/api/search?place=" + quote("دير الزوور"), status=400)
    assert "دير الزور" in " ".join(data["errors"]["place"])


def test_overlong_query_string_is_414_json(client, spec):
    data = get_json(client, spec, "/api/search?q=" + "x" * 17_000, status=414)
    assert data["errors"]["request"]


def test_unknown_path_and_wrong_method_answer_json(client):
    missing = client.get("/api/no-such-endpoint")
    assert missing.status_code == 404 and missing.get_json()["errors"]["path"]
    posted = client.post("/api/search", data={"q": "x"})
    assert posted.status_code == 405 and "GET" in posted.headers["Allow"]
    assert posted.get_json()["errors"]["method"]


def test_head_is_answered_without_a_body(client):
    response = client.head("/api/search?q=" + quote("سوريا"))
    assert response.status_code == 200 and response.get_data() == b""


# /api/articles ---------------------------------------------------------------------------------
def test_article_endpoint_and_404(client, spec):
    hit = get_json(client, spec, "/api/search?q=" + quote("دير الزور") + "&per_page=1")["hits"][0]
    article = get_json(client, spec, f"/api/articles/{hit['id']}")
    assert article["id"] == hit["id"] and article["content"] and article["title"] == hit["title"]
    assert {p["id"] for p in article["places"]} >= {p["id"] for p in hit["places"]}
    assert all(d["date"] for d in article["dates"])
    assert article["related"] and hit["id"] not in {r["id"] for r in article["related"]}
    missing = get_json(client, spec, "/api/articles/no-such-article-xyz", status=404)
    assert missing["errors"]
    assert get_json(client, spec, "/api/articles/..%2F..%2Fetc%2Fpasswd", status=404)["errors"]
    assert get_json(client, spec, "/api/articles/" + "x" * 600, status=404)["errors"]


def test_article_keeps_hostile_text_as_data(client, spec):
    article = get_json(client, spec, "/api/articles/al-shurfa-20200617-site-hacked-statement")
    assert "<script>alert(1)</script>" in article["content"]


# /api/stats, /healthz --------------------------------------------------------------------------
def test_stats_and_health(client, spec):
    stats = get_json(client, spec, "/api/stats")
    assert stats["documents"] >= 80 and stats["published_min"] <= stats["published_max"]
    assert stats["sources"] == len(get_json(client, spec, "/api/search?q=")["facets"]["source"])
    response = client.get("/healthz")
    documented(spec, "/healthz", response)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"status": "ok", "generation": stats["generation"], "documents": stats["documents"],
                                   "worker": os.getpid()}


# /api/suggest ----------------------------------------------------------------------------------
@pytest.mark.parametrize("prefix, kind, expected", [
    ("دير", "place", "sy-deir-ez-zor"),
    ("Deir", "place", "sy-deir-ez-zor"),
    ("deir ez", "place", "sy-deir-ez-zor"),
    ("قسد", "actor", "sdf"),
    ("SDF", "actor", "sdf"),
    ("الحوث", "actor", "houthis"),
    ("Houth", "actor", "houthis"),
    ("حوثي", "actor", "houthis"),
])
def test_suggest_names_in_both_languages(client, spec, prefix, kind, expected):
    data = get_json(client, spec, f"/api/suggest?prefix={quote(prefix)}")
    assert data["prefix"] == prefix
    assert expected in [item["id"] for item in data["items"]], data
    item = next(i for i in data["items"] if i["id"] == expected)
    assert item["kind"] == kind and item["name_ar"] and item["name_en"]
    assert "\\u0" not in client.get(f"/api/suggest?prefix={quote(prefix)}").get_data(as_text=True)


def test_suggest_kind_and_limit(client, spec):
    places = get_json(client, spec, "/api/suggest?prefix=" + quote("د") + "&kind=place&limit=3")
    assert 0 < len(places["items"]) <= 3 and all(i["kind"] == "place" for i in places["items"])
    actors = get_json(client, spec, "/api/suggest?prefix=" + quote("Deir") + "&kind=actor")
    assert all(i["kind"] == "actor" for i in actors["items"])
    blank = get_json(client, spec, "/api/suggest?prefix=Deir&kind=&limit=")
    assert blank == get_json(client, spec, "/api/suggest?prefix=Deir")
    assert get_json(client, spec, "/api/suggest?prefix=zzqqxx")["items"] == []


@pytest.mark.parametrize("query, field", [
    ("", "prefix"), ("prefix=", "prefix"), ("prefix=" + "a" * 101, "prefix"),
    ("prefix=a&limit=500", "limit"), ("prefix=a&limit=x", "limit"), ("prefix=a&kind=person", "kind"),
    ("prefix=a&kind=%20", "kind"),
])
def test_suggest_errors_name_the_field(client, spec, query, field):
    assert field in get_json(client, spec, f"/api/suggest?{query}", status=400)["errors"]


# /api/search.csv -------------------------------------------------------------------------------
def csv_table(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), body[:10]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_is_streamed_utf8_with_bom_and_every_hit(client, spec):
    total = get_json(client, spec, "/api/search?q=&per_page=1")["total"]
    assert total > 100  # more than one internal page of 100
    response = client.get("/api/search.csv?q=")
    assert response.status_code == 200 and response.is_streamed
    documented(spec, "/api/search.csv", response)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_table(response)
    assert rows[0] == ["id", "published", "source", "title", "url", "places", "actors", "event_dates", "snippet",
                       "score", "killed", "injured", "events"]
    assert len(rows) - 1 == total and len({r[0] for r in rows[1:]}) == total
    assert any("\u0600" <= ch <= "\u06ff" for ch in rows[1][3])
    api_ids = [h["id"] for h in get_json(client, spec, "/api/search?q=&per_page=100")["hits"]]
    assert [r[0] for r in rows[1:101]] == api_ids


def test_csv_export_follows_the_search(client, spec):
    query = "q=" + quote("دير الزور") + "&actor=sdf"
    api = get_json(client, spec, f"/api/search?{query}&per_page=100")
    rows = csv_table(client.get(f"/api/search.csv?{query}&page=3&per_page=5"))
    assert [r[0] for r in rows[1:]] == [h["id"] for h in api["hits"]]
    by_id = {h["id"]: h for h in api["hits"]}
    for row in rows[1:]:
        hit = by_id[row[0]]
        assert row[3] == hit["title"] and row[1] == hit["published"]
        assert row[6].split("; ") == [a["name_ar"] for a in hit["actors"]]
        assert "<mark>" not in row[8] and "&quot;" not in row[8]


def test_csv_export_stops_at_its_limit(corpus_home, spec):
    app = create_app(corpus_home, config={"TESTING": True, "MARSAD_CSV_LIMIT": 25})
    rows = csv_table(app.test_client().get("/api/search.csv?q="))
    assert len(rows) - 1 == 25


def test_csv_cells_never_start_a_formula():
    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("+1") == "'+1" and spreadsheet_safe("@cmd") == "'@cmd" and spreadsheet_safe("-2") == "'-2"
    assert spreadsheet_safe("دير الزور") == "دير الزور" and spreadsheet_safe("") == ""
    hit = {"id": "a", "published": "2023-01-01", "source": "s", "title": "=1+1", "url": None, "places": [],
           "actors": [], "event_dates": [], "snippet": "&lt;b&gt; <mark>x</mark>", "score": 1.5}
    assert csv_row(hit) == ["a", "2023-01-01", "s", "'=1+1", "", "", "", "", "<b> x", "1.5000", "", "", ""]
    events = [{"subtype": "air_drone_strike", "killed": 1, "injured": None},
              {"subtype": "armed_clash", "killed": None, "injured": 2},
              {"subtype": "air_drone_strike", "killed": 3, "injured": None}]
    assert csv_row({**hit, "killed": 4, "injured": 2, "events": events})[-3:] == ["4", "2", "air_drone_strike; armed_clash"]


def test_csv_export_carries_each_hits_casualties_and_sub_event_types(client, spec):
    query = "q=&event=explosions_remote_violence&sort=killed"
    api = get_json(client, spec, f"/api/search?{query}&per_page=100")
    rows = csv_table(client.get(f"/api/search.csv?{query}"))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [h["id"] for h in api["hits"]] and body
    column = {name: header.index(name) for name in ("killed", "injured", "events")}
    for row, hit in zip(body, api["hits"]):
        assert row[column["killed"]] == ("" if hit["killed"] is None else str(hit["killed"]))
        assert row[column["injured"]] == ("" if hit["injured"] is None else str(hit["injured"]))
        subtypes = row[column["events"]].split("; ")
        assert subtypes == list(dict.fromkeys(e["subtype"] for e in hit["events"]))
        assert {taxonomy().type_of(s) for s in subtypes} >= {"explosions_remote_violence"}
    assert int(body[0][column["killed"]]) == max(h["killed"] or 0 for h in api["hits"]) > 0


# /feed.atom ------------------------------------------------------------------------------------
def rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_atom_feed_is_valid_and_newest_first(client, spec):
    response = client.get("/feed.atom?q=" + quote("سوريا"))
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    documented(spec, "/feed.atom", response)
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert "سوريا" in root.find(f"{ATOM}title").text
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert urllib.parse.unquote(links["self"]).endswith("/feed.atom?q=سوريا")
    assert "/search?q=" in links["alternate"]
    entries = root.findall(f"{ATOM}entry")
    total = get_json(client, spec, "/api/search?q=" + quote("سوريا"))["total"]
    assert len(entries) == min(total, 50)
    updated = [rfc3339(e.find(f"{ATOM}updated").text) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert rfc3339(root.find(f"{ATOM}updated").text) == updated[0]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}title").text
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternate) == 1 and "/articles/" in alternate[0].get("href")  # RFC 4287 §4.1.1
    assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries)


def test_atom_entries_carry_the_event_chips(client, spec):
    query = "q=&event=explosions_remote_violence"
    hits = {h["id"]: h for h in get_json(client, spec, f"/api/search?{query}&sort=newest&per_page=50")["hits"]}
    root = ET.fromstring(client.get(f"/feed.atom?{query}").get_data())
    entries = root.findall(f"{ATOM}entry")
    assert entries and len(entries) == len(hits)
    for entry in entries:
        hit_id = urllib.parse.unquote(entry.find(f"{ATOM}id").text.rsplit("/articles/", 1)[1])
        events = [c for c in entry.findall(f"{ATOM}category") if c.get("scheme") == "marsad:event"]
        assert [c.get("term") for c in events] == list(dict.fromkeys(e["subtype"] for e in hits[hit_id]["events"]))
        for category in events:
            told = [e for e in hits[hit_id]["events"] if e["subtype"] == category.get("term")]
            assert category.get("label").startswith(told[0]["label_ar"])
            killed = [e["killed"] for e in told if e["killed"] is not None]
            assert (f"قتلى: {sum(killed)}" in category.get("label")) == bool(killed)


def test_atom_feed_ignores_sort_and_page_but_checks_them(client, spec):
    relevance = ET.fromstring(client.get("/feed.atom?q=&sort=relevance&page=3&per_page=5").get_data())
    assert len(relevance.findall(f"{ATOM}entry")) == 50
    assert client.get("/feed.atom?sort=loudest").status_code == 400


def test_atom_feed_survives_characters_xml_cannot_hold(client):
    response = client.get("/feed.atom?q=" + quote("سوريا\x08\x0b\x1f"))
    assert response.status_code == 200
    ET.fromstring(response.get_data())


# caching and compression -----------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/search?q=" + quote("سوريا"), "/api/stats", "/feed.atom?q=",
                                 "/api/suggest?prefix=" + quote("دير"), "/api/openapi.json"])
def test_etag_revalidation(client, url):
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag and first.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get(url + "&page=1" if "?" in url else url + "?x=1")
    assert other.headers["ETag"] != etag


@pytest.mark.parametrize("url", ["/api/search?q=" + quote("سوريا"), "/search?q=" + quote("سوريا"),
                                 "/feed.atom?q=", "/api/articles/al-shurfa-20200617-site-hacked-statement"])
def test_a_revalidation_is_answered_before_any_search(corpus_home, url):
    engine = Engine(corpus_home)
    app = create_app(corpus_home, engine=engine, config={"TESTING": True})
    client = app.test_client()
    calls = []
    for name in ("search", "article"):
        real = getattr(engine, name)
        setattr(engine, name, lambda *a, real=real, name=name, **k: calls.append(name) or real(*a, **k))
    first = client.get(url)
    assert first.status_code == 200 and calls
    calls.clear()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert calls == [], "a 304 needs no search"
    engine.close()


def test_json_is_utf8_arabic_in_the_contracts_key_order(client):
    body = client.get("/api/search?q=" + quote("سوريا")).get_data()
    assert "سوريا".encode() in body and b"\\u0" not in body
    keys = list(json.loads(body, object_pairs_hook=lambda pairs: dict(pairs)))
    assert keys[:4] == ["query", "total", "page", "per_page"]


def test_etag_changes_with_the_index_generation(tmp_path, corpus_dir, spec):
    from indexer.build import build_index

    folder = tmp_path / "corpus"
    folder.mkdir()
    files = sorted(p for p in corpus_dir.iterdir() if p.suffix == ".jsonl")
    shutil.copy(files[0], folder / files[0].name)
    home = tmp_path / "home"
    build_index([folder], home, workers=1, quarantine=None, progress=False)
    app = create_app(home, engine=Engine(home, check_interval=0), config={"TESTING": True})
    client = app.test_client()
    generation = client.get("/api/stats").get_json()["generation"]
    before = client.get("/api/search?q=")
    assert client.get("/api/search?q=", headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    shutil.copy(files[1], folder / files[1].name)
    build_index([folder], home, workers=1, quarantine=None, progress=False)
    deadline = time.monotonic() + 10  # the engine opens a new generation in the background
    while client.get("/api/stats").get_json()["generation"] == generation and time.monotonic() < deadline:
        time.sleep(0.05)
    after = client.get("/api/search?q=", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.get_json()["total"] > before.get_json()["total"]


def test_gzip_when_accepted(client):
    plain = client.get("/api/search?q=" + quote("سوريا") + "&per_page=50")
    zipped = client.get("/api/search?q=" + quote("سوريا") + "&per_page=50", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers.get("Content-Encoding") == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert json.loads(gzip.decompress(zipped.get_data())) == plain.get_json()
    assert len(zipped.get_data()) < len(plain.get_data()) / 2
    assert "Content-Encoding" not in plain.headers


# /api ------------------------------------------------------------------------------------------
class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def test_api_reference_page_is_readable_offline(client, spec):
    response = client.get("/api")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    parser = Links()
    parser.feed(page)
    assert parser.urls and all(u.startswith(("/", "#")) for u in parser.urls), parser.urls
    for url in parser.urls:
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url
    for path in spec["paths"]:
        assert path in page, path
    for name in ("SearchResult", "Article", "per_page", "page × per_page"):
        assert name in page, name
