"""The HTML pages: search with facets, and the article view.

Every state is a URL (GET forms and links), so the page works without JavaScript, back and
forward work, and any view can be bookmarked. The page renders the same search JSON the API
returns, from the same call.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, make_response, redirect, render_template, request

from .caching import conditional, revalidated
from .engine_access import get_engine
from .formatting import arabic_date, day_month_year, iso_day
from .request_search import BadRequest, run_search
from .views import ArticleView, SearchView

bp = Blueprint("pages", __name__)
bp.add_app_template_filter(arabic_date, "arabic_date")
bp.add_app_template_filter(day_month_year, "day_month_year")
DATE_ARGS = ("from", "to")


@bp.get("/")
@bp.get("/search")
@revalidated
def index() -> Any:
    pairs = list(request.args.items(multi=True))
    iso = [(k, (iso_day(v) or v) if k in DATE_ARGS else v) for k, v in pairs]
    if iso != pairs:  # the form's day/month/year: one canonical URL per state, as the API spells it
        return redirect(f"{request.path}?{urlencode(iso)}")
    try:
        result = run_search(defaults=page_defaults())
    except BadRequest as error:
        return render_template("search.html", view=SearchView(None, pairs, errors=error.errors)), 400
    view = SearchView(result, pairs)
    if result["total"] == 0:
        view.empty = why_empty(view)
    response = make_response(render_template("search.html", view=view))
    return conditional(response, request, get_engine().generation)


def page_defaults() -> dict[str, Any]:
    """The page shows one hit per story, except when it lists one story's reports."""
    return {"collapse": "none" if request.args.get("story", "").strip() else "story"}


MAX_WORDS_EXPLAINED = 6
OPERATORS = {"OR", "AND", "NOT", "أو", "او"}


def why_empty(view: SearchView) -> dict[str, Any]:
    """What a search with no hits would give without its filters, and word by word, so the
    page can say which part of the request leaves nothing."""
    reasons: dict[str, Any] = {}
    if view.q.strip() and view.filter_count:
        alone = run_search({"place": [], "actor": [], "source": [], "event": [], "min_killed": None, "from": None,
                            "to": None, "story": None, "page": 1, "per_page": 1}, page_defaults())
        reasons["words_alone"] = alone["total"]
    if view.q.strip() and not reasons.get("words_alone"):
        words = [w.strip('"()*').lstrip("-") for w in view.q.split()]
        words = list(dict.fromkeys(w for w in words if w and w not in OPERATORS and ":" not in w))
        if 1 < len(words) <= MAX_WORDS_EXPLAINED:
            engine = get_engine()
            expand = (view.result or {}).get("query", {}).get("expand", True)  # counted as the search was
            reasons["words"] = [(w, engine.search({"q": w, "per_page": 1, "expand": expand})["total"]) for w in words]
    return reasons


@bp.get("/articles/<path:article_id>")
@revalidated
def article(article_id: str) -> Any:
    found = get_engine().article(article_id)
    if found is None:
        abort(404)
    earliest = None
    members = found["story"]["articles"]
    if len(members) > 1 and members[0]["id"] != found["id"]:
        earliest = get_engine().article(members[0]["id"])
    view = ArticleView(found, request.args.get("q", "")[:1000], back=request.args.get("back", ""), earliest=earliest)
    response = make_response(render_template("article.html", view=view))
    return conditional(response, request, get_engine().generation)
