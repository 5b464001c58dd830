"""A Flask app over a real index of corpus/ and its test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from web.app import create_app


@pytest.fixture(scope="session")
def app(corpus_home: Path) -> Flask:
    application = create_app(corpus_home)
    application.config.update(TESTING=True)
    return application


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()
