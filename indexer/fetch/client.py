"""Polite HTTP GETs: robots.txt, a delay per host, redirects, retries with backoff, a size cap.

Built on requests (see the README's design notes): redirects are followed by hand, so every hop
is checked against its own host's robots.txt and waits its own host's turn. Bodies are streamed
as transferred (still gzip-encoded if the server compressed them) into a spooled temporary file,
which is what a WARC response record keeps; `decoded()` undoes the content encoding only when
the fetcher itself must read a body (feeds, robots.txt).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO, Literal
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego
from warcio.statusandheaders import StatusAndHeaders

from indexer.fetch.feedlist import canonical_url, host_of, is_http_url
from indexer.fetch.settings import ROBOTS_AGENT, FetchSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024
ROBOTS_MAX_BYTES = 512 * 1024      # Google reads the first 500 KiB of a robots.txt
PAGE_FAILURES_PER_HOST = 3         # this many pages in a row failing after retries: the host is down
ACCEPT_ENCODING = "gzip, deflate"  # what warcio (and so the readers) can undo

Kind = Literal["robots", "too_large", "not_html", "redirects", "network", "http", "host_failed", "bad_url"]


class FetchError(Exception):
    """A URL that gave no usable response. `kind` says how it is counted; `transient` whether
    the next run should try it again."""

    def __init__(self, reason: str, kind: Kind, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.transient = transient


@dataclass
class Response:
    """The last hop's response, its body as transferred, and every URL asked on the way."""

    url: str
    chain: list[str]
    status: int
    request: StatusAndHeaders
    http_headers: StatusAndHeaders
    body: BinaryIO | None = None
    length: int = 0

    def header(self, name: str) -> str | None:
        return self.http_headers.get_header(name)

    def decoded(self, limit: int) -> bytes:
        """The body with its Content-Encoding undone, at most LIMIT bytes (a gzip bomb stops there)."""
        if self.body is None:
            return b""
        self.body.seek(0)
        raw = self.body.read()
        self.body.seek(0)
        encoding = (self.header("Content-Encoding") or "").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            try:
                return zlib.decompressobj(wbits=47).decompress(raw, limit)  # gzip or zlib header
            except zlib.error:
                try:
                    return zlib.decompressobj(wbits=-15).decompress(raw, limit)  # raw deflate
                except zlib.error as error:
                    raise FetchError(f"cannot undo Content-Encoding {encoding}: {error}", "http") from None
        return raw[:limit]

    def close(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None

    def __enter__(self) -> "Response":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Host:
    """Politeness state of one host: whose turn, its robots.txt, and whether it is down."""

    name: str
    delay: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: Protego | None = None
    failed: str | None = None
    failures_in_a_row: int = 0

    def wait_turn(self) -> None:
        """Sleep until DELAY seconds after this host's last request started."""
        with self.lock:
            now = time.monotonic()
            if self.next_at > now:
                time.sleep(self.next_at - now)
            self.next_at = time.monotonic() + self.delay


class PoliteClient:
    """GET with the crawler's manners; one instance per run, shared by the crawl threads."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.hosts: dict[str, Host] = {}
        self.hosts_lock = threading.Lock()
        self.local = threading.local()
        self.sessions: list[requests.Session] = []

    def close(self) -> None:
        for session in self.sessions:
            session.close()

    def session(self) -> requests.Session:
        """One session (connection pool) per thread: requests does not promise thread safety."""
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": self.settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING})
            session.max_redirects = self.settings.max_redirects
            self.local.session = session
            with self.hosts_lock:
                self.sessions.append(session)
        return session

    def host(self, url: str) -> Host:
        name = host_of(url)
        with self.hosts_lock:
            if name not in self.hosts:
                self.hosts[name] = Host(name, self.settings.delay)
            return self.hosts[name]

    def failed_hosts(self) -> dict[str, str]:
        with self.hosts_lock:
            return {name: host.failed for name, host in self.hosts.items() if host.failed}

    def get(self, url: str, headers: dict[str, str] | None = None, html_only: bool = False,
            obey_robots: bool = True, max_bytes: int | None = None) -> Response:
        """The response at the end of URL's redirects. Raises FetchError for anything that leaves
        no usable response (robots, too large, too many redirects, retries exhausted)."""
        chain: list[str] = []
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if not is_http_url(current):
                raise FetchError(f"not an http(s) URL: {current}", "bad_url")
            if current in chain:
                raise FetchError(f"redirect loop back to {current}", "redirects")
            host = self.host(current)
            allowed = self.allowed(host, current) if obey_robots and not host.failed else True
            if host.failed:  # now, or earlier in this run (robots.txt unreachable counts)
                raise FetchError(f"host {host.name} failed: {host.failed}", "host_failed", True)
            if not allowed:
                raise FetchError("disallowed by robots.txt", "robots")
            chain.append(current)
            response = self.get_with_retries(host, current, headers or {}, html_only,
                                             max_bytes or self.settings.max_bytes, chain)
            location = response.header("Location")
            if response.status not in REDIRECTS or not location:
                return response
            response.close()
            current = canonical_url(urljoin(current, location.strip()))
        raise FetchError(f"more than {self.settings.max_redirects} redirects", "redirects")

    def get_with_retries(self, host: Host, url: str, headers: dict[str, str], html_only: bool,
                         max_bytes: int, chain: list[str]) -> Response:
        reason = ""
        network = False
        asked_wait = 0.0
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(max(self.settings.backoff * 2 ** (attempt - 1), asked_wait))
            host.wait_turn()
            try:
                response = self.get_once(url, headers, html_only, max_bytes, chain)
            except (requests.ConnectionError, requests.Timeout, urllib3.exceptions.HTTPError, OSError) as error:
                reason, network = describe_network_error(error), True
                continue
            except requests.RequestException as error:
                raise FetchError(f"request failed: {error}", "http") from None
            if response.status in RETRY_STATUSES:
                reason, network = f"HTTP {response.status} after {attempt + 1} attempts", False
                asked_wait = min(retry_after(response.header("Retry-After")), self.settings.max_crawl_delay)
                response.close()
                continue
            host.failures_in_a_row = 0
            return response
        self.note_failure(host, reason, network)
        raise FetchError(reason, "network" if network else "http", transient=True)

    def note_failure(self, host: Host, reason: str, network: bool) -> None:
        """A host that cannot be reached, or fails page after page, is skipped for the rest of
        the run instead of costing every one of its URLs the full retry schedule."""
        host.failures_in_a_row += 1
        if network or host.failures_in_a_row >= PAGE_FAILURES_PER_HOST:
            host.failed = reason if network else f"{host.failures_in_a_row} requests in a row failed ({reason})"

    def get_once(self, url: str, headers: dict[str, str], html_only: bool, max_bytes: int,
                 chain: list[str]) -> Response:
        timeout = self.settings.timeout
        started = time.monotonic()
        with self.session().get(url, headers=headers, stream=True, allow_redirects=False,
                                timeout=(timeout, timeout)) as reply:
            response = Response(url=url, chain=list(chain), status=reply.status_code,
                                request=request_record(reply.request), http_headers=response_record(reply))
            if reply.status_code != 200:
                return response
            content_type = (reply.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if html_only and content_type and content_type not in HTML_TYPES:
                raise FetchError(f"not an HTML page ({content_type})", "not_html")
            declared = reply.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"larger than {max_bytes} bytes (Content-Length {declared})", "too_large")
            body = tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY)
            try:
                length = copy_body(reply, body, max_bytes, started + self.settings.deadline)
            except BaseException:
                body.close()
                raise
            body.seek(0)
            response.body, response.length = body, length
            return response

    def allowed(self, host: Host, url: str) -> bool:
        with host.robots_lock:
            if host.robots is None:
                host.robots = self.load_robots(host, url)
                delay = host.robots.crawl_delay(ROBOTS_AGENT)
                if delay:
                    host.delay = max(host.delay, min(float(delay), self.settings.max_crawl_delay))
        return host.robots.can_fetch(url, ROBOTS_AGENT)

    def load_robots(self, host: Host, url: str) -> Protego:
        """RFC 9309: a 4xx robots.txt allows everything; a 5xx or no answer disallows the host."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            with self.get(robots_url, obey_robots=False, max_bytes=ROBOTS_MAX_BYTES) as response:
                if response.status == 200:
                    return Protego.parse(response.decoded(ROBOTS_MAX_BYTES).decode("utf-8", "replace"))
                if 400 <= response.status < 500:
                    return Protego.parse("")
                reason = f"HTTP {response.status}"
        except FetchError as error:
            if error.kind == "too_large":
                return Protego.parse("")
            reason = error.reason
        host.failed = host.failed or f"robots.txt unreachable ({reason})"
        return Protego.parse("User-agent: *\nDisallow: /\n")


def retry_after(value: str | None) -> float:
    """Seconds a 429/503 asks to wait (RFC 9110: delay-seconds or an HTTP date); 0 if unsaid."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def copy_body(reply: requests.Response, into: BinaryIO, max_bytes: int, deadline: float) -> int:
    """Copy the body as transferred (no content decoding) until MAX_BYTES or DEADLINE."""
    length = 0
    while True:
        chunk = reply.raw.read(CHUNK, decode_content=False)
        if not chunk:
            return length
        length += len(chunk)
        if length > max_bytes:
            raise FetchError(f"larger than {max_bytes} bytes", "too_large")
        if time.monotonic() > deadline:
            raise TimeoutError("the response took longer than the deadline")
        into.write(chunk)


def request_record(request: requests.PreparedRequest) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)] + [(k, v) for k, v in request.headers.items() if k.lower() != "host"]
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)


def response_record(reply: requests.Response) -> StatusAndHeaders:
    """The response's status line and headers as received. The body is kept de-chunked, so a
    Transfer-Encoding header is renamed (pywb's convention) instead of misleading a reader."""
    headers = [(f"X-Archive-Orig-{k}" if k.lower() == "transfer-encoding" else k, v)
               for k, v in reply.raw.headers.items()]
    version = {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(getattr(reply.raw, "version", 11), "HTTP/1.1")
    return StatusAndHeaders(f"{reply.status_code} {reply.reason or ''}".strip(), headers, protocol=version)


def describe_network_error(error: Exception) -> str:
    if isinstance(error, (requests.Timeout, TimeoutError, urllib3.exceptions.TimeoutError)):
        return f"timed out ({type(error).__name__})"
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "No route to host",
                   "Connection reset", "Remote end closed connection"):
        if marker in text:
            return f"connection failed: {marker.lower()}"
    return f"connection failed: {text[:200]}"
