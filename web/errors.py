"""Error handlers: a friendly Arabic page for HTML, `{"errors": ...}` JSON for the API."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    pass
