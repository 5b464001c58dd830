"""A real HTTP server on 127.0.0.1 playing news outlets for `marsad fetch` tests and benchmarks.

Each route answers with a fixed status, headers and body, optionally after a pause (a slow
host), gzip-compressed when the client asks (as most outlets do), and with ETag/Last-Modified
validators answered by a 304. Every request is logged so tests can count retries and check the
User-Agent and the conditional headers a polite crawler must send.
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from tests.support import news_sites

LAST_MODIFIED = "Mon, 01 Dec 2025 08:00:00 GMT"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    pause: float = 0.0             # seconds before answering (a slow host)
    etag: str | None = None        # validators: a matching If-None-Match gets a 304
    last_modified: str | None = None
    compress: bool = True          # gzip when the client accepts it
    announce_length: bool = True   # False: no Content-Length, the body ends when the connection closes

    def gzipped(self) -> bytes:
        """The body compressed once, as a site's cache would serve it (the benchmark measures
        the fetcher, not the server's gzip)."""
        cached = self.__dict__.get("_gzipped")
        if cached is None or cached[0] is not self.body:
            cached = (self.body, gzip.compress(self.body, 6))
            self.__dict__["_gzipped"] = cached
        return cached[1]


@dataclass
class Logged:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up (a timeout, a size cap, the end of a run) is not an error here."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Outlet:
    """One host: a server on its own port with its routes and its request log."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.log: list[Logged] = []
        self.lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self.handler_class())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def requests_for(self, path: str) -> list[Logged]:
        with self.lock:
            return [entry for entry in self.log if entry.path == path]

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # as web servers do on keep-alive connections (no 40 ms stalls)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with outlet.lock:
                    outlet.log.append(Logged(self.path, dict(self.headers.items()), time.monotonic()))
                route = outlet.routes.get(self.path)
                if route is None:
                    route = Route(404, news_sites.render_not_found("127.0.0.1"))
                if route.pause:
                    time.sleep(route.pause)
                if self.not_modified(route):
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = route.body
                gzipped = route.compress and "gzip" in self.headers.get("Accept-Encoding", "") and body
                if gzipped:
                    body = route.gzipped()
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.announce_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                if gzipped:
                    self.send_header("Content-Encoding", "gzip")
                for name, value in ((("ETag", route.etag), ("Last-Modified", route.last_modified))
                                    + tuple(route.headers.items())):
                    if value:
                        self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def not_modified(self, route: Route) -> bool:
                """RFC 9110: If-None-Match decides when sent; If-Modified-Since only without it."""
                if "If-None-Match" in self.headers:
                    return route.etag is not None and self.headers["If-None-Match"] == route.etag
                since = self.headers.get("If-Modified-Since")
                return since is not None and since == route.last_modified

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> "Outlet":
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()


@contextmanager
def outlets(count: int) -> Iterator[list[Outlet]]:
    """COUNT running hosts (127.0.0.1 on distinct ports), shut down afterwards."""
    started = [Outlet().start() for _ in range(count)]
    try:
        yield started
    finally:
        for outlet in started:
            outlet.stop()


def publish(outlet: Outlet, articles: list[dict], template: str, feed_path: str = "/feed.xml",
            atom: bool = False, full_text: bool = False) -> list[dict]:
    """Serve ARTICLES as pages of TEMPLATE under /news/<id>.html and list them in a feed at
    FEED_PATH (validators set, so a second read gets a 304). Returns the articles as published
    (their `url` rewritten to this host)."""
    chosen = news_sites.TEMPLATES[template]
    published = []
    for article in articles:
        path = f"/news/{article['id']}.html"
        local = dict(article, url=outlet.url(path))
        outlet.routes[path] = Route(body=news_sites.render_page(local, template), content_type=chosen.content_type)
        published.append(local)
    render = news_sites.render_atom if atom else news_sites.render_rss
    outlet.routes[feed_path] = Route(
        body=render(published, full_text=full_text),
        content_type="application/atom+xml" if atom else "application/rss+xml; charset=utf-8",
        etag=f'"{feed_path}-{len(published)}"', last_modified=LAST_MODIFIED)
    return published
