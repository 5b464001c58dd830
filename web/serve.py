"""Running the app under a production WSGI server (waitress), with an access log and a clean stop.

Waitress rather than gunicorn: it runs on any platform without a fork model (our Engine holds
open index readers that forking would duplicate), and its thread pool fits Whoosh, which spends
much of a request in code that releases no lock anyway; the figures are in the README.
SIGTERM and SIGINT stop accepting connections, let requests in flight finish (waitress waits
for its worker threads), then close the index readers.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from typing import Any, Callable, Iterable

from flask import Flask

ACCESS_LOGGER = "marsad.access"
MAX_REQUEST_BODY = 64 * 1024


class AccessLog:
    """WSGI middleware: one line per request (client, method, path, status, bytes, ms)."""

    def __init__(self, app: Callable, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(ACCESS_LOGGER)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        status_holder: list[str] = []

        def recording_start_response(status: str, headers: list, exc_info: Any = None) -> Callable:
            status_holder.append(status)
            return start_response(status, headers, exc_info)

        body = self.app(environ, recording_start_response)
        return self._logged(environ, body, status_holder, started)

    def _logged(self, environ: dict[str, Any], body: Iterable[bytes], status: list[str],
                started: float) -> Iterable[bytes]:
        sent = 0
        try:
            for chunk in body:
                sent += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
            path = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            self.logger.info('%s "%s %s" %s %d %.1fms', environ.get("REMOTE_ADDR", "-"),
                             environ.get("REQUEST_METHOD", "-"), path[:2000],
                             (status[0].split(" ", 1)[0] if status else "-"), sent,
                             (time.perf_counter() - started) * 1000)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    for name in ("waitress", "marsad"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def run_server(app: Flask, host: str, port: int, threads: int, access_log: bool = True) -> None:
    """Serve until SIGTERM/SIGINT; waitress finishes the requests in flight before returning."""
    from waitress import create_server

    configure_logging()
    app.logger.setLevel(logging.INFO)
    wsgi = AccessLog(app) if access_log else app
    server = create_server(wsgi, host=host, port=port, threads=threads, ident="marsad",
                           max_request_body_size=MAX_REQUEST_BODY, clear_untrusted_proxy_headers=True)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    logging.getLogger("marsad").info("serving http://%s:%s with %d threads (index %s)", host, port, threads,
                                     app.config.get("MARSAD_INDEX"))
    try:
        server.run()
    finally:
        server.close()
        engine = app.extensions.get("marsad.engine")
        if engine is not None and hasattr(engine, "close"):
            engine.close()
        logging.getLogger("marsad").info("stopped")
