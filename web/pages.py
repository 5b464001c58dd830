"""The HTML pages blueprint (`/`, `/search`, `/articles/<id>`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)
