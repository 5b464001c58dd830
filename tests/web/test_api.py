"""The JSON API over a real index of corpus/: every endpoint, parameter and error path, with
every response validated against the OpenAPI document the app serves."""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:
    return app.test_client().get("/api/openapi.json").get_json()


def conforms(spec: dict[str, Any], component: str, data: Any) -> None:
    OAS30Validator({"$ref": f"#/components/schemas/{component}", "components": spec["components"]}).validate(data)


def get_json(client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def test_openapi_document_is_valid(spec):
    validate_spec(spec)
    assert {"/api/search", "/api/articles/{article_id}", "/api/stats", "/healthz", "/api/suggest",
            "/api/search.csv", "/feed.atom"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "place", "actor", "source", "from", "to", "sort", "page", "per_page"} <= names


def test_search_returns_contract_shape_with_readable_arabic(client, spec):
    response = client.get("/api/search?q=سوريا")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert "\\u0" not in raw and "سوري" in raw
    data = response.get_json()
    conforms(spec, "SearchResult", data)
    assert data["total"] > 0 and data["page"] == 1 and data["per_page"] == 10
    assert 0 < len(data["hits"]) <= 10
    assert data["query"]["q"] == "سوريا"


def test_spelling_variants_find_the_same_reports(client):
    one = get_json(client, "/api/search?q=سوريا&per_page=100")
    other = get_json(client, "/api/search?q=سورية&per_page=100")
    assert one["total"] == other["total"] > 0


def test_place_filter_by_id_and_by_name_agree_and_match_the_facet(client, spec):
    everything = get_json(client, "/api/search?q=&per_page=1")
    facet = everything["facets"]["place"][0]
    by_id = get_json(client, f"/api/search?place={facet['value']}&per_page=100")
    by_name = get_json(client, f"/api/search?place={facet['label_ar']}&per_page=100")
    conforms(spec, "SearchResult", by_id)
    assert by_id["total"] == by_name["total"] == facet["count"]
    assert [f for f in by_id["facets"]["place"] if f["value"] == facet["value"]][0]["selected"] is True


def test_two_places_are_ored(client):
    places = get_json(client, "/api/search?q=&per_page=1")["facets"]["place"][:2]
    a, b = (get_json(client, f"/api/search?place={p['value']}&per_page=1")["total"] for p in places)
    both = get_json(client, f"/api/search?place={places[0]['value']}&place={places[1]['value']}&per_page=1")
    assert max(a, b) <= both["total"] <= a + b


def test_actor_and_source_filters_narrow_to_their_facet_count(client):
    facets = get_json(client, "/api/search?q=&per_page=1")["facets"]
    for kind in ("actor", "source"):
        first = facets[kind][0]
        data = get_json(client, f"/api/search?{kind}={first['value']}&per_page=100")
        assert data["total"] == first["count"] > 0


def test_date_range_and_sorting(client):
    newest = get_json(client, "/api/search?q=&sort=newest&per_page=20")
    days = [h["published"] for h in newest["hits"]]
    assert days == sorted(days, reverse=True)
    oldest = get_json(client, "/api/search?q=&sort=oldest&per_page=20")
    assert [h["published"] for h in oldest["hits"]] == sorted(h["published"] for h in oldest["hits"])
    start, end = "2023-01-01", "2023-12-31"
    ranged = get_json(client, f"/api/search?q=&from={start}&to={end}&per_page=100")
    assert ranged["total"] > 0
    assert all(start <= h["published"] <= end for h in ranged["hits"])
    events = get_json(client, f"/api/search?q=&from={start}&to={end}&date_field=event&per_page=100")
    assert all(any(start <= d <= end for d in h["event_dates"]) for h in events["hits"])


def test_pagination_is_exact(client):
    first = get_json(client, "/api/search?q=&per_page=7&page=1")
    second = get_json(client, "/api/search?q=&per_page=7&page=2")
    assert first["total"] == second["total"]
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    last_page = -(-first["total"] // 7)
    last = get_json(client, f"/api/search?q=&per_page=7&page={last_page}")
    assert len(last["hits"]) == first["total"] - 7 * (last_page - 1)


@pytest.mark.parametrize("query, field", [
    ("per_page=101", "per_page"),
    ("per_page=0", "per_page"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=200&per_page=100", "page"),
    ("sort=loudest", "sort"),
    ("from=2023-13-45", "from"),
    ("to=yesterday", "to"),
    ("date_field=printed", "date_field"),
    ("q=" + "ا" * 1001, "q"),
    ("place=nowhere-at-all-xyz", "place"),
    ("actor=nobody-at-all-xyz", "actor"),
])
def test_bad_parameters_get_400_naming_the_field(client, spec, query, field):
    data = get_json(client, f"/api/search?{query}", status=400)
    conforms(spec, "Error", data)
    assert field in data["errors"] and data["errors"][field]
    assert all(isinstance(m, str) and m for m in data["errors"][field])


def test_unknown_place_lists_close_matches(client):
    data = get_json(client, "/api/search?place=دير الزوور", status=400)
    assert "دير الزور" in " ".join(data["errors"]["place"])


def test_article_endpoint_and_404(client, spec):
    hit = get_json(client, "/api/search?q=&per_page=1")["hits"][0]
    article = get_json(client, f"/api/articles/{hit['id']}")
    conforms(spec, "Article", article)
    assert article["id"] == hit["id"] and article["content"]
    missing = get_json(client, "/api/articles/no-such-article-xyz", status=404)
    conforms(spec, "Error", missing)
    assert get_json(client, "/api/articles/..%2F..%2Fetc%2Fpasswd", status=404)["errors"]


def test_stats_and_health(client, spec):
    stats = get_json(client, "/api/stats")
    conforms(spec, "Stats", stats)
    assert stats["documents"] >= 80 and stats["published_min"] <= stats["published_max"]
    health = get_json(client, "/healthz")
    conforms(spec, "Health", health)
    assert health == {"status": "ok", "generation": stats["generation"], "documents": stats["documents"]}


def test_suggest_names_in_both_languages(client, spec):
    arabic = get_json(client, "/api/suggest?prefix=دير")
    conforms(spec, "SuggestResult", arabic)
    assert any(item["name_ar"].startswith("دير") for item in arabic["items"])
    english = get_json(client, "/api/suggest?prefix=Deir&kind=place")
    assert english["items"] and all(item["kind"] == "place" for item in english["items"])
    assert "prefix" in get_json(client, "/api/suggest", status=400)["errors"]
    assert "limit" in get_json(client, "/api/suggest?prefix=a&limit=500", status=400)["errors"]


def test_csv_export_has_bom_header_and_every_hit(client):
    total = get_json(client, "/api/search?q=&per_page=1")["total"]
    response = client.get("/api/search.csv?q=")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "published", "source", "title"]
    assert len(rows) - 1 == total
    assert any("\u0600" <= ch <= "\u06ff" for ch in rows[1][3])
    assert client.get("/api/search.csv?per_page=500").status_code == 400


def test_atom_feed_is_newest_first(client):
    response = client.get("/feed.atom?q=")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.find(f"{ATOM}id").text and e.find(f"{ATOM}title").text for e in entries)
    assert client.get("/feed.atom?sort=loudest").status_code == 400


def test_etag_revalidation_and_gzip(client):
    first = client.get("/api/search?q=سوريا")
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/api/search?q=سوريا", headers={"If-None-Match": etag})
    assert again.status_code == 304
    zipped = client.get("/api/search?q=سوريا&per_page=50", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(zipped.get_data()))["total"] == first.get_json()["total"]


def test_api_reference_page_renders_offline(client):
    response = client.get("/api")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/search" in page and "http://" not in page.replace("http://localhost", "")
