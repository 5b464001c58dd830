"""Dated WARC files in DIR, written as a crawler keeps them: a warcinfo record, then a
request/response pair per page, each record its own gzip member.

A file is written under a `.open` name and renamed when the run closes it, so
`marsad index update DIR` never reads a file that is still growing (Heritrix does the same).
A run that died leaves its `.open` file behind; the next run renames it, keeping every complete
record (the readers quarantine a torn last record).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.fetch.settings import FetchSettings, marsad_version

OPEN_SUFFIX = ".open"
WARC_SUFFIX = ".warc.gz"


def recover_open_files(folder: Path) -> list[Path]:
    """Rename WARC files left open by a run that died, so their complete records get indexed."""
    recovered = []
    for path in sorted(Path(folder).glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")):
        target = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        os.replace(path, target)
        recovered.append(target)
    return recovered


class WarcArchive:
    """Thread-safe appender of request/response pairs to DIR/marsad-<UTC time>-<serial>.warc.gz."""

    def __init__(self, folder: Path, settings: FetchSettings) -> None:
        self.folder = Path(folder)
        self.settings = settings
        self.stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.serial = 0
        self.lock = threading.Lock()
        self.handle: BinaryIO | None = None
        self.writer: WARCWriter | None = None
        self.path: Path | None = None
        self.closed_files: list[Path] = []

    def write(self, request: StatusAndHeaders, response: StatusAndHeaders, body: BinaryIO, length: int,
              url: str) -> str:
        """Append one page; returns the name of the WARC file it went to."""
        with self.lock:
            writer = self.current_writer()
            response_record = writer.create_warc_record(
                url, "response", payload=body, length=length, http_headers=response)
            request_record = writer.create_warc_record(url, "request", http_headers=request)
            writer.write_request_response_pair(request_record, response_record)
            self.handle.flush()
            name = self.path.name.removesuffix(OPEN_SUFFIX)
            if self.handle.tell() >= self.settings.warc_max_bytes:
                self.close_current()
            return name

    def current_writer(self) -> WARCWriter:
        if self.writer is None:
            name = self.next_free_name()
            self.path = self.folder / (name + OPEN_SUFFIX)
            self.handle = open(self.path, "xb")
            self.writer = WARCWriter(self.handle, gzip=True)
            self.writer.write_record(self.writer.create_warcinfo_record(name, {
                "software": f"Marsad/{marsad_version()} (marsad fetch)",
                "format": "WARC File Format 1.0",
                "http-header-user-agent": self.settings.user_agent,
                "robots": "obey",
            }))
        return self.writer

    def next_free_name(self) -> str:
        """The next serial not taken, by this run or an earlier one started in the same second."""
        while True:
            name = f"marsad-{self.stamp}-{self.serial:05d}{WARC_SUFFIX}"
            self.serial += 1
            if not (self.folder / name).exists() and not (self.folder / (name + OPEN_SUFFIX)).exists():
                return name

    def close_current(self) -> None:
        if self.handle is None:
            return
        self.handle.close()
        final = self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX))
        os.replace(self.path, final)
        self.closed_files.append(final)
        self.handle = self.writer = self.path = None

    def close(self) -> list[Path]:
        """Close the file being written; returns every WARC file this run wrote."""
        with self.lock:
            self.close_current()
            return list(self.closed_files)
