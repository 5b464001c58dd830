"""The Flask application factory: one Engine per app, shared by the page and the API.

The page and the JSON API call the same `Engine.search`, so what a user sees and what a
script gets cannot drift apart.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_compress import Compress

from search.engine import Engine

from . import api, errors, pages, security
from .engine_access import install_engine

COMPRESSED_TYPES = ["application/json", "text/html", "text/css", "text/csv", "application/atom+xml",
                    "application/javascript", "image/svg+xml"]


def create_app(index_dir: str | os.PathLike[str], *, engine: Engine | None = None,
               config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=64 * 1024,
        MARSAD_INDEX=str(Path(index_dir)),
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if config:
        app.config.update(config)
    if engine is None:  # the app owns its engine: it follows CURRENT even while no request comes
        engine = Engine(Path(index_dir))
        engine.watch()
    install_engine(app, engine)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    Compress(app)

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    security.init_app(app)
    errors.init_app(app)
    return app

