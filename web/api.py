"""The JSON API blueprint: search, articles, stats, health, suggestions, CSV and Atom exports.

Every handler validates with marshmallow and calls the same Engine as the page. Client
mistakes become `400 {"errors": {field: [reason]}}`; nothing a client sends becomes a 500.
"""

from __future__ import annotations

import csv
import os
import html
import io
import re
from typing import Any, Iterable, Iterator

from flask import Blueprint, Response, current_app, jsonify, render_template, request, stream_with_context, url_for
from marshmallow import ValidationError

from search.event_export import EVENT_COLUMNS, geojson_text

from .caching import conditional, revalidated
from .engine_access import get_engine
from .request_search import BadRequest, run_events, run_search
from .schemas import CSV_COLUMNS, SuggestArgsSchema

bp = Blueprint("api", __name__)

CSV_LIMIT = 10_000
CSV_PAGE = 100
FEED_SIZE = 50
_TAGS = re.compile(r"</?mark>")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@bp.errorhandler(BadRequest)
def bad_request(error: BadRequest) -> tuple[Response, int]:
    return jsonify(errors=error.errors), 400


def json_response(data: Any) -> Response:
    response = current_app.json.response(data)
    return conditional(response, request, get_engine().generation)


@bp.get("/api/search")
@revalidated
def api_search() -> Response:
    return json_response(run_search())


@bp.get("/api/articles/<path:article_id>")
@revalidated
def api_article(article_id: str) -> Response | tuple[Response, int]:
    article = get_engine().article(article_id)
    if article is None:
        return jsonify(errors={"id": [f"no article with id {article_id!r}"]}), 404
    return json_response(article)


@bp.get("/api/stats")
def api_stats() -> Response:
    return json_response(get_engine().stats())


@bp.get("/healthz")
def healthz() -> Response:
    stats = get_engine().stats()
    response = jsonify(status="ok", generation=stats["generation"], documents=stats["documents"],
                       worker=os.getpid())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/suggest")
def api_suggest() -> Response:
    given = {k: v for k, v in request.args.to_dict(flat=True).items() if k == "prefix" or v != ""}
    blank = {k: ["is blank: give a value or leave the parameter out"]
             for k, v in given.items() if k in ("kind", "limit") and not v.strip()}
    if blank:
        raise BadRequest(blank)
    try:
        args = SuggestArgsSchema().load(given)
    except ValidationError as error:
        raise BadRequest(_messages(error)) from None
    items = get_engine().suggest(args["prefix"], args["kind"], limit=args["limit"])
    return json_response({"prefix": args["prefix"], "items": items})


def _messages(error: ValidationError) -> dict[str, list[str]]:
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in messages.items()}


class CsvText:
    """A csv.writer over a buffer that hands out what was written since the last take()."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def take(self) -> str:
        value = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return value


def csv_rows(first: dict[str, Any], limit: int = CSV_LIMIT) -> Iterator[str]:
    """The header (after a BOM, so spreadsheet programs read UTF-8) and one row per hit, page by
    page, so a 10,000-row export never sits in memory."""
    out = CsvText()
    writer, flush = out.writer, out.take
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    result, page, sent = first, 1, 0
    while True:
        for hit in result["hits"][:max(limit - sent, 0)]:
            writer.writerow(csv_row(hit))
            sent += 1
        yield flush()
        if sent >= min(result.get("total_stories", result["total"]), limit) or not result["hits"]:
            return
        page += 1
        result = run_search({"page": page, "per_page": CSV_PAGE})


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets an apostrophe."""
    return "'" + value if value[:1] in _FORMULA_START else value


def csv_row(hit: dict[str, Any]) -> list[str]:
    cells = [
        hit["id"], hit.get("published") or "", hit.get("source") or "", hit["title"], hit.get("url") or "",
        "; ".join(p["name_ar"] for p in hit["places"]),
        "; ".join(a["name_ar"] for a in hit["actors"]),
        " ".join(hit["event_dates"]),
        html.unescape(_TAGS.sub("", hit["snippet"])),
    ]
    score = "" if hit.get("score") is None else f"{hit['score']:.4f}"
    figures = ["" if hit.get(key) is None else str(hit[key]) for key in ("killed", "injured")]
    subtypes = "; ".join(dict.fromkeys(e["subtype"] for e in hit.get("events") or []))
    return [spreadsheet_safe(cell) for cell in cells] + [score] + [spreadsheet_safe(cell) for cell in (*figures, subtypes)]


@bp.get("/api/search.csv")
def api_search_csv() -> Response:
    first = run_search({"page": 1, "per_page": CSV_PAGE})
    limit = int(current_app.config.get("MARSAD_CSV_LIMIT", CSV_LIMIT))
    response = Response(stream_with_context(csv_rows(first, limit)), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=marsad-search.csv"
    return response


def event_csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    return spreadsheet_safe(str(value))


def event_csv_rows(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    out = CsvText()
    out.writer.writerow(EVENT_COLUMNS)
    yield "\ufeff" + out.take()
    for n, record in enumerate(records, 1):
        out.writer.writerow([event_csv_cell(record[column]) for column in EVENT_COLUMNS])
        if n % CSV_PAGE == 0:
            yield out.take()
    yield out.take()


def download(body: Any, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def event_limit() -> int:
    return int(current_app.config.get("MARSAD_CSV_LIMIT", CSV_LIMIT))


@bp.get("/api/events.csv")
def api_events_csv() -> Response:
    records = run_events(event_limit())
    return download(stream_with_context(event_csv_rows(records)), "text/csv", "marsad-events.csv")


@bp.get("/api/events.geojson")
def api_events_geojson() -> Response:
    records = run_events(event_limit())
    body = geojson_text(records, current_app.json.dumps)
    return download(stream_with_context(body), "application/geo+json", "marsad-events.geojson")


@bp.get("/feed.atom")
@revalidated
def feed_atom() -> Response:
    from .feeds import atom_feed

    result = run_search({"sort": "newest", "page": 1, "per_page": FEED_SIZE})
    page_url = url_for("pages.index", _external=True)
    query = request.query_string.decode("utf-8", "replace")
    body = atom_feed(result, self_url=request.url, site_url=f"{page_url}?{query}" if query else page_url,
                     article_url=lambda hit_id: url_for("pages.article", article_id=hit_id, _external=True))
    response = Response(body, mimetype="application/atom+xml")
    return conditional(response, request, get_engine().generation)


@bp.get("/api/openapi.json")
def openapi_json() -> Response:
    from .openapi import openapi_document

    return json_response(openapi_document())


@bp.get("/api")
def api_page() -> str:
    from .openapi import openapi_document

    return render_template("api.html", spec=openapi_document())
