"""The OpenAPI 3 document of the API, generated from the marshmallow schemas the handlers use.

apispec turns the schemas into parameters and components; a last pass adds what a query
string needs and marshmallow cannot say: an empty value means "not given" (a blank date in
the page's form), nothing is `null` in a URL, and the rules that span fields or depend on
the index are written into the descriptions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from search.event_export import EVENT_COLUMNS
from search.params import SearchParamsSchema

from . import schemas
from .schemas import CSV_COLUMNS

TITLE = "Marsad API"
ERROR = {"description": "A parameter is invalid: the field and the reason.",
         "content": {"application/json": {"schema": "Error"}}}
TOO_LONG = {"description": "The query string is longer than 16 KiB.",  # added after apispec: a plain $ref
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
NOT_MODIFIED = {"description": "The client's copy (If-None-Match) is still current: same index generation."}
ETAG_HEADER = {"ETag": {"description": "Weak tag of this response for the live index generation; send it "
                                       "back as If-None-Match to get a 304 until the index changes.",
                        "schema": {"type": "string"}}}
SEARCH_NOTES = {
    "place": " An unknown name is a 400 that lists close matches.",
    "actor": " An unknown name is a 400 that lists close matches.",
    "source": " An unknown source is a 400.",
    "event": " Types: battles, explosions_remote_violence, violence_against_civilians, protests, riots, "
             "strategic_developments. An unknown type is a 400 that lists close matches.",
    "to": " Must not be before `from`.",
    "page": "1-based page number; page × per_page must be at most 10,000.",
    "per_page": "Hits per page, 1–100.",
    "collapse": " Default none.",
}
SUGGEST_NOTES = {
    "prefix": "The start of a name, Arabic or English (دير, Deir, قسد, SDF).",
    "kind": "Only places or only actors; both when not given.",
    "limit": "At most this many names, 1–50.",
}
EMPTY_MEANS_ABSENT = " An empty value means the parameter is not given."


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}},
            "headers": ETAG_HEADER}


def _csv_export(summary: str, operation_id: str, description: str) -> dict[str, Any]:
    """A GET that answers the search's parameters with a CSV file."""
    return {"summary": summary, "operationId": operation_id,
            "description": description + " A cell that would start a spreadsheet formula is prefixed with "
                                         "an apostrophe.",
            "parameters": _search_parameters(),
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                          "400": ERROR}}


def _search_parameters() -> list[dict[str, Any]]:
    return [{"in": "query", "schema": SearchParamsSchema}]


def _query_parameters(parameters: list[dict[str, Any]], notes: dict[str, str]) -> None:
    """Make generated query parameters say what the handlers accept."""
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        schema = parameter.get("schema", {})
        if schema.get("default", "") is None:
            del schema["default"]
        schema.pop("nullable", None)
        if None in schema.get("enum", []):
            schema["enum"] = [v for v in schema["enum"] if v is not None]
        name = parameter["name"]
        description = parameter.get("description", "")
        note = notes.get(name, "")
        description = description + note if description else note.strip()
        if not parameter.get("required") and name != "q":
            parameter["allowEmptyValue"] = True
            description += EMPTY_MEANS_ABSENT
        if description.strip():
            parameter["description"] = description.strip()


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    spec = APISpec(
        title=TITLE, version="1.0.0", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Search Arabic-language reporting of regional conflicts. "
                             "Every response is UTF-8 JSON with Arabic kept readable; "
                             "every error is `400 {\"errors\": {field: [reason]}}`. "
                             "Responses carry an ETag per index generation (send If-None-Match for a 304) "
                             "and are compressed when the client accepts gzip."},
    )
    for name in ("SearchResult", "Article", "EventCollection", "Stats", "Health", "SuggestResult", "Error"):
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    spec.path(path="/api/search", operations={"get": {
        "summary": "Search reports", "operationId": "search",
        "description": "Words are ANDed; \"phrases\", OR/أو, -exclusion, parentheses, title:/source:/place:/actor: "
                       "prefixes and a trailing * are understood. An empty q browses by filters, newest first. "
                       "Plain words also match their near-synonyms (listed in `expansions`), and when the AND of "
                       "three or more plain words finds fewer than 10 reports the result holds the reports with "
                       "most of them (`relaxed`); `expand=false` turns both off. "
                       "Facet counts of one kind ignore that kind's own selection, so they show what adding "
                       "a value would give. Facet counts and `total` count reports, also with collapse=story "
                       "(then `total_stories` counts the stories, and hits and pages are one per story).",
        "parameters": _search_parameters(),
        "responses": {"200": _json("SearchResult", "One page of hits with facets."), "304": NOT_MODIFIED,
                      "400": ERROR},
    }})
    spec.path(path="/api/search.csv", operations={"get": _csv_export(
        "The same search as CSV (UTF-8 with BOM), every hit up to 10,000", "searchCsv",
        "Streamed; one row per hit in the search's order, `page` and `per_page` are ignored "
        "(but must be valid). Columns: " + ", ".join(CSV_COLUMNS) + "; killed and injured are the "
        "report's totals (empty: not stated), events its sub-event type ids (`; `-separated, each once, "
        "in the order told).")})
    spec.path(path="/api/events.csv", operations={"get": _csv_export(
        "The events of the search's reports as CSV in ACLED's column names", "eventsCsv",
        "One row per event of the search's first 10,000 reports, in the search's order (with an "
        "`event` filter, only the events of the kinds it names); `page` "
        "and `per_page` are ignored (but must be valid). UTF-8 with BOM. Columns: "
        + ", ".join(EVENT_COLUMNS) + ". event_date is the event's resolved date, else the report's "
        "publication day. Location columns are the most precise place the "
        "event's sentence names (English names, WGS 84), empty when it names none; actor1/"
        "actor2 only when the sentence makes the roles clear.")})
    spec.path(path="/api/events.geojson", operations={"get": {
        "summary": "The same events as GeoJSON points (opens in QGIS as is)", "operationId": "eventsGeojson",
        "description": "A FeatureCollection: one Point feature per event that has a location, its "
                       "properties the CSV's columns.",
        "parameters": _search_parameters(),
        "responses": {"200": {"description": "GeoJSON (RFC 7946)",
                              "content": {"application/geo+json": {"schema": "EventCollection"}}},
                      "400": ERROR},
    }})
    spec.path(path="/feed.atom", operations={"get": {
        "summary": "The same search as an Atom feed, newest first", "operationId": "searchFeed",
        "description": "The 50 newest hits whatever `sort`, `page` and `per_page` say (they must still be "
                       "valid); subscribe to a saved search to be alerted to new reports. Each entry's "
                       "categories name its places (scheme marsad:place), actors (marsad:actor), source "
                       "(marsad:source) and sub-event types (marsad:event: term the id, label the page's "
                       "chip text, with the figures its events state).",
        "parameters": _search_parameters(),
        "responses": {"200": {"description": "Atom 1.0", "headers": ETAG_HEADER,
                              "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                      "304": NOT_MODIFIED, "400": ERROR},
    }})
    spec.path(path="/api/articles/{article_id}", operations={"get": {
        "summary": "One stored article with its places, actors, dates and story", "operationId": "article",
        "parameters": [{"in": "path", "name": "article_id", "required": True, "schema": {"type": "string"},
                        "description": "The article's id, as in a search hit."}],
        "responses": {"200": _json("Article", "The article, and up to five related reports."),
                      "304": NOT_MODIFIED,
                      "404": {"description": "No article with this id.",
                              "content": {"application/json": {"schema": "Error"}}}},
    }})
    spec.path(path="/api/stats", operations={"get": {
        "summary": "Counts, date range and generation of the live index", "operationId": "stats",
        "responses": {"200": _json("Stats", "Index statistics."), "304": NOT_MODIFIED},
    }})
    spec.path(path="/api/suggest", operations={"get": {
        "summary": "Place and actor names starting with a prefix, Arabic or English", "operationId": "suggest",
        "description": "For filter boxes: names and aliases in either language and any spelling the analyzer "
                       "folds (hamza, taa marbuta, the article ال); whole-name matches first, then by "
                       "number of reports.",
        "parameters": [{"in": "query", "schema": schemas.SuggestArgsSchema}],
        "responses": {"200": _json("SuggestResult", "Matching names."), "304": NOT_MODIFIED, "400": ERROR},
    }})
    spec.path(path="/healthz", operations={"get": {
        "summary": "Liveness, with the generation being served", "operationId": "health",
        "responses": {"200": {"description": "The server is up.",
                              "content": {"application/json": {"schema": "Health"}}}},
    }})
    document = spec.to_dict()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            notes = SUGGEST_NOTES if path == "/api/suggest" else SEARCH_NOTES
            _query_parameters(operation.get("parameters", []), notes)
            operation["responses"].setdefault("414", TOO_LONG)
    return document
