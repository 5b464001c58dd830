"""Security headers and request limits applied to every response."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    pass
