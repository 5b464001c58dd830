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
from .json_output import OrjsonProvider

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
    app.json = OrjsonProvider(app)
    if config:
        app.config.update(config)
    if engine is None:  # the app owns its engine: it follows CURRENT even while no request comes
        engine = Engine(Path(index_dir))
        engine.watch()
    install_engine(app, engine)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config.setdefault("COMPRESS_BR_LEVEL", 2)  # ~half the CPU of 4 for 7 % more bytes (tests/bench/http_overhead.py)
    app.config.setdefault("COMPRESS_LEVEL", 3)  # gzip: likewise against 6
    Compress(app)

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    security.init_app(app)
    errors.init_app(app)
    return app

