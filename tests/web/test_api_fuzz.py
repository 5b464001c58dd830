"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis):
whatever a client sends, no 5xx, every response matches the documented schema, schema-invalid
input is rejected and schema-valid input accepted.

Three rules of /api/search cannot be written in OpenAPI 3.0 and are documented in prose:
filter values must name a place/actor/source/story the index knows (or an event type of the taxonomy), `to` must not precede `from`,
and page × per_page ≤ 10,000. Positive cases are brought inside those rules before they are
sent (negative cases are sent as generated); test_api.py checks the 400s the rules give.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from search.events import taxonomy

pytestmark = pytest.mark.slow
schema = schemathesis.pytest.from_fixture("api_schema")


# What rejecting a bad request may look like: a 400 naming the field, 404 for an unknown
# article, 405 for a method other than GET/HEAD, 414 for a query string over 16 KiB.
REJECTIONS = {"checks": {"negative_data_rejection": {"expected-statuses": ["400", "404", "405", "414"]}}}


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=SchemathesisConfig.from_dict(REJECTIONS))


@pytest.fixture(scope="module")
def known(app) -> dict[str, list[str]]:
    result = app.test_client().get("/api/search?q=&per_page=100").get_json()
    known = {kind: [item["value"] for item in result["facets"][kind]] for kind in ("place", "actor", "source")}
    known["event"] = list(taxonomy().kinds)  # every type and sub-type is valid, found in the index or not
    known["story"] = sorted({hit["story"]["id"] for hit in result["hits"]})
    return known


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def within_documented_rules(query: dict[str, Any], known: dict[str, list[str]]) -> dict[str, Any]:
    """QUERY with filter values mapped onto known ids (deterministically), dates in order, and
    the page inside the 10,000-hit window."""
    query = dict(query)
    if "story" in query and str(query["story"]).strip():
        query["story"] = known["story"][sum(map(ord, str(query["story"]))) % len(known["story"])]
    for kind, ids in known.items():
        if kind in query and kind != "story":
            values = query[kind] if isinstance(query[kind], list) else [query[kind]]
            query[kind] = [ids[sum(map(ord, str(v))) % len(ids)] for v in values]
    start, end = _day(query.get("from")), _day(query.get("to"))
    if start and end and start > end:
        query["from"], query["to"] = query["to"], query["from"]
    try:
        page, per_page = int(query.get("page") or 1), int(query.get("per_page") or 10)
    except (TypeError, ValueError):
        return query
    if page * per_page > 10_000 and per_page > 0:
        query["page"] = max(1, 10_000 // per_page)
    return query


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, known):
    if case.query and not case.meta.generation.mode.is_negative:
        case.query = within_documented_rules(case.query, known)
    case.call_and_validate(headers={"Accept-Encoding": "identity"})  # the WSGI transport does not decompress
