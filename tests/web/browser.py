"""Helpers for browser tests: a real `marsad serve` process and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = os.environ.get("MARSAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


_last_pid: list[int] = []


def last_server_pid() -> int | None:
    """The process id of the most recent running_server(), for benchmarks that read its memory."""
    return _last_pid[-1] if _last_pid else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(index_home: Path, threads: int = 4, workers: int | None = None) -> Iterator[str]:
    """`marsad serve` on a free loopback port, stopped with SIGTERM afterwards."""
    port = free_port()
    log = tempfile.TemporaryFile()  # not a pipe: the access log would fill it and block the server
    process = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "serve", "--index", str(index_home), "--host", "127.0.0.1",
         "--port", str(port), "--threads", str(threads), *(["--workers", str(workers)] if workers else [])],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    _last_pid.append(process.pid)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited: {log.read().decode(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
