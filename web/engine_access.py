"""Where a request finds the process's Engine: the one piece every web module needs.

It lives apart from the app factory so that the blueprints can import it while `app.py` imports
the blueprints, without a circle.
"""

from __future__ import annotations

from flask import Flask, current_app

from search.engine import Engine

ENGINE_KEY = "marsad.engine"


def install_engine(app: Flask, engine: Engine) -> None:
    app.extensions[ENGINE_KEY] = engine


def get_engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions[ENGINE_KEY]


def close_engine(app: Flask) -> None:
    engine = app.extensions.get(ENGINE_KEY)
    if engine is not None:
        engine.close()
