"""Running the app under a production WSGI server."""

from __future__ import annotations

from flask import Flask


def run_server(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve

    serve(app, host=host, port=port, threads=threads)
