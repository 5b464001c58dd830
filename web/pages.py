"""The HTML pages: search with facets, and the article view.

Every state is a URL (GET forms and links), so the page works without JavaScript, back and
forward work, and any view can be bookmarked. The page renders the same search JSON the API
returns, from the same call.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, make_response, render_template, request

from .app import get_engine
from .caching import conditional
from .request_search import BadRequest, run_search
from .formatting import arabic_date
from .views import ArticleView, SearchView

bp = Blueprint("pages", __name__)
bp.add_app_template_filter(arabic_date, "arabic_date")


@bp.get("/")
@bp.get("/search")
def index() -> Any:
    pairs = list(request.args.items(multi=True))
    try:
        result = run_search()
    except BadRequest as error:
        return render_template("search.html", view=SearchView(None, pairs, errors=error.errors)), 400
    response = make_response(render_template("search.html", view=SearchView(result, pairs)))
    return conditional(response, request, get_engine().generation)


@bp.get("/articles/<path:article_id>")
def article(article_id: str) -> Any:
    found = get_engine().article(article_id)
    if found is None:
        abort(404)
    view = ArticleView(found, request.args.get("q", "")[:1000], back=request.args.get("back", ""))
    response = make_response(render_template("article.html", view=view))
    return conditional(response, request, get_engine().generation)
