"""Conditional GETs: an ETag per index generation and request, so clients and proxies revalidate
cheaply and see new results as soon as a rebuild is swapped in."""

from __future__ import annotations

import hashlib

from flask import Request, Response


def etag_for(request: Request, generation: int) -> str:
    digest = hashlib.sha1(f"{generation}\0{request.full_path}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"g{generation}-{digest[:20]}"


def conditional(response: Response, request: Request, generation: int) -> Response:
    """Tag RESPONSE and turn it into a 304 when the client already holds this version."""
    response.set_etag(etag_for(request, generation), weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)
