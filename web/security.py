"""Security headers and request limits applied to every response.

The CSP allows only our own files: no inline script or style, no third-party origin, which
is also how the page keeps its promise of no network beyond this server.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MAX_QUERY_STRING = 16_384  # room for a 1,000-character q of 4-byte characters, percent-encoded


def init_app(app: Flask) -> None:
    @app.before_request
    def limit_request() -> None:
        if len(request.query_string) > MAX_QUERY_STRING:
            abort(414)

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
