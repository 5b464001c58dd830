"""The OpenAPI 3 document of the API, generated from the marshmallow schemas the handlers use."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from search.params import SearchParamsSchema

from . import schemas

TITLE = "Marsad API"
ERROR = {"description": "A parameter is invalid: the field and the reason.",
         "content": {"application/json": {"schema": "Error"}}}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _search_parameters() -> list[dict[str, Any]]:
    return [{"in": "query", "schema": SearchParamsSchema}]


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    spec = APISpec(
        title=TITLE, version="1.0.0", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Search Arabic-language reporting of regional conflicts. "
                             "Every response is UTF-8 JSON with Arabic kept readable; "
                             "every error is `400 {\"errors\": {field: [reason]}}`."},
    )
    for name in ("SearchResult", "Article", "Stats", "Health", "SuggestResult", "Error"):
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    spec.path(path="/api/search", operations={"get": {
        "summary": "Search reports", "operationId": "search",
        "description": "Words are ANDed; \"phrases\", OR/أو, -exclusion, parentheses, title:/source:/place:/actor: "
                       "prefixes and a trailing * are understood. An empty q browses by filters, newest first.",
        "parameters": _search_parameters(),
        "responses": {"200": _json("SearchResult", "One page of hits with facets."), "400": ERROR},
    }})
    spec.path(path="/api/search.csv", operations={"get": {
        "summary": "The same search as CSV (UTF-8 with BOM), every hit up to 10,000", "operationId": "searchCsv",
        "parameters": _search_parameters(),
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                      "400": ERROR},
    }})
    spec.path(path="/feed.atom", operations={"get": {
        "summary": "The same search as an Atom feed, newest first", "operationId": "searchFeed",
        "parameters": _search_parameters(),
        "responses": {"200": {"description": "Atom 1.0",
                              "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                      "400": ERROR},
    }})
    spec.path(path="/api/articles/{article_id}", operations={"get": {
        "summary": "One stored article with its places, actors and dates", "operationId": "article",
        "parameters": [{"in": "path", "name": "article_id", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": _json("Article", "The article."),
                      "404": _json("Error", "No article with this id.")},
    }})
    spec.path(path="/api/stats", operations={"get": {
        "summary": "Counts, date range and generation of the live index", "operationId": "stats",
        "responses": {"200": _json("Stats", "Index statistics.")},
    }})
    spec.path(path="/api/suggest", operations={"get": {
        "summary": "Place and actor names starting with a prefix, Arabic or English", "operationId": "suggest",
        "parameters": [{"in": "query", "schema": schemas.SuggestArgsSchema}],
        "responses": {"200": _json("SuggestResult", "Matching names."), "400": ERROR},
    }})
    spec.path(path="/healthz", operations={"get": {
        "summary": "Liveness, with the generation being served", "operationId": "health",
        "responses": {"200": _json("Health", "The server is up.")},
    }})
    return spec.to_dict()
