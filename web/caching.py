"""Conditional GETs: an ETag per index generation and request, so clients and proxies revalidate
cheaply and see new results as soon as a rebuild is swapped in."""

from __future__ import annotations

import functools
import hashlib
from typing import Any, Callable

from flask import Request, Response, request

from .engine_access import get_engine


def etag_for(request: Request, generation: int) -> str:
    digest = hashlib.sha1(f"{generation}\0{request.full_path}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"g{generation}-{digest[:20]}"


def conditional(response: Response, request: Request, generation: int) -> Response:
    """Tag RESPONSE and turn it into a 304 when the client already holds this version."""
    response.set_etag(etag_for(request, generation), weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def revalidated(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer a client that already holds this generation's answer for the URL with a 304
    before the view runs: the ETag depends on nothing else, so the search need not be done."""

    @functools.wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        tag = etag_for(request, get_engine().generation)
        if request.if_none_match.contains_weak(tag):
            response = Response(status=304)
            response.set_etag(tag, weak=True)
            response.headers["Cache-Control"] = "no-cache"
            return response
        return view(*args, **kwargs)

    return answer
