"""What DIR already holds: fetched page URLs and each feed's validators, in DIR/.marsad/.

SQLite (standard library) keeps the URL index on disk, so a folder that has collected millions
of pages is checked one URL at a time instead of loaded. The folder starts with a dot, so the
readers never take it for articles. One fetch at a time holds DIR's lock.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

STATE_DIR = ".marsad"
DATABASE = "fetch.sqlite"
LOCK = "fetch.lock"

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, final_url TEXT, status INTEGER, warc TEXT, fetched_at REAL);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, status INTEGER, fetched_at REAL);
"""


@dataclass(frozen=True)
class Validators:
    """A feed's ETag and Last-Modified from its last 200, sent back for a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class FetchState:
    """The URL index and feed validators of one DIR; safe to share between crawl threads."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / STATE_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.db = sqlite3.connect(self.folder / DATABASE, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # No fsync per page: a power cut may forget the last pages, which are then fetched
        # again and deduplicated by the index; the WARC records themselves are never lost.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def has_page(self, url: str) -> bool:
        with self.lock:
            return self.db.execute("SELECT 1 FROM pages WHERE url = ?", (url,)).fetchone() is not None

    def add_pages(self, urls: list[str], final_url: str, status: int, warc: str) -> None:
        """Record a stored page under every URL that led to it (the feed's link and each
        redirect hop), so none of them is fetched again."""
        now = time.time()
        with self.lock:
            self.db.executemany(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                [(url, final_url, status, warc, now) for url in dict.fromkeys(urls)])

    def validators(self, feed: str) -> Validators:
        with self.lock:
            row = self.db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (feed,)).fetchone()
        return Validators(*row) if row else Validators()

    def save_feed(self, feed: str, validators: Validators, status: int) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?)",
                            (feed, validators.etag, validators.last_modified, status, time.time()))

    def page_count(self) -> int:
        with self.lock:
            return self.db.execute("SELECT count(*) FROM pages").fetchone()[0]


def locked(folder: Path) -> "LockedFolder":
    return LockedFolder(Path(folder) / STATE_DIR / LOCK)


class LockedFolder:
    """An exclusive lock on DIR for one fetch: two crawls into one folder would write the same
    pages twice and race on the WARC names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> "LockedFolder":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise ValueError(f"another marsad fetch is writing into {self.path.parent.parent}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
