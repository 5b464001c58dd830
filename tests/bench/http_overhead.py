"""What the HTTP path adds to a search: in process vs over HTTP, and each piece in between.

Usage: python tests/bench/http_overhead.py [--index DIR] [--rounds N] [--baseline-rev REV [--baseline-index DIR]]

One client, one keep-alive connection, requests one after another against `marsad serve` with
one worker and one thread, so no request waits for another and the difference between the HTTP
answer and the in-process `Engine.search` is the web layer itself (parameters, JSON, compression,
Flask, gunicorn, the socket). With --baseline-rev, a second server runs the code of that git
revision on the same index, and the two are asked in turn, query by query: only such
side-by-side figures mean anything on a shared machine. A revision of another analyzer version
refuses this tree's index: give it one it built (--baseline-index).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.search_latency import QUERIES, ensure_index, load_average, percentiles, show  # noqa: E402
from tests.web.browser import free_port  # noqa: E402

ENCODINGS = {"br,gzip": "br, gzip", "identity": "identity"}


def query_string(params: dict) -> str:
    pairs = [(k, x) for k, v in params.items() for x in (v if isinstance(v, list) else [v])]
    return urllib.parse.urlencode(pairs)


@contextmanager
def server(home: Path, code: Path) -> Iterator[int]:
    """`marsad serve` running CODE (a checkout) on a free port: one worker, one thread."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(code)}
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "marsad.cli", "serve", "--index", str(home), "--port", str(port),
                                "--workers", "1", "--threads", "1"], cwd=code, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit(f"server did not start: {log.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="marsad-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), rev], cwd=REPO, check=True,
                   capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=REPO, capture_output=True)


class Client:
    """One keep-alive connection, opened again (untimed) when the server closed it while idle."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str, encoding: str) -> tuple[float, int]:
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path, headers={"Accept-Encoding": encoding})
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.connect()
                continue
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status == 200, (path, response.status, body[:200])
            return elapsed, len(body)
        raise ConnectionError(f"port {self.port} closed the connection twice")


def in_process_pieces(home: Path, rounds: int) -> dict[str, list[float]]:
    """The pieces of the web layer that can be timed alone, in this process."""
    import brotli
    from flask import Flask

    from search.engine import Engine
    from search.params import parse_params

    app = Flask(__name__)
    times: dict[str, list[float]] = {"parameters": [], "search": [], "json": [], "brotli": [], "gzip": []}
    with Engine(home) as engine, app.app_context():
        from web.app import create_app

        web_app = create_app(home, engine=engine)
        for q in QUERIES:
            engine.search(parse_params(q))
        for _ in range(rounds):
            for q in QUERIES:
                t0 = time.perf_counter()
                params = parse_params(q)
                t1 = time.perf_counter()
                result = engine.search(params)
                t2 = time.perf_counter()
                body = web_app.json.response(result).get_data()
                t3 = time.perf_counter()
                brotli.compress(body, quality=web_app.config.get("COMPRESS_BR_LEVEL", 4))
                t4 = time.perf_counter()
                gzip.compress(body, compresslevel=web_app.config.get("COMPRESS_LEVEL", 6))
                t5 = time.perf_counter()
                for name, a, b in (("parameters", t0, t1), ("search", t1, t2), ("json", t2, t3), ("brotli", t3, t4),
                                   ("gzip", t4, t5)):
                    times[name].append((b - a) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path(tempfile.gettempdir()) / "marsad-snn")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline-rev", help="also serve this git revision and ask both in turn")
    parser.add_argument("--baseline-index", type=Path, help="the baseline's own index (default: --index)")
    args = parser.parse_args()
    print(f"{len(QUERIES)} queries × {args.rounds} rounds; {os.cpu_count()} CPUs; {load_average()}")
    ensure_index(args.index, 1)

    for name, samples in in_process_pieces(args.index, args.rounds).items():
        show(f"in process: {name}", percentiles(samples))

    with ExitStack() as stack:
        codes = {"this tree": REPO}
        if args.baseline_rev:
            codes[f"baseline {args.baseline_rev}"] = stack.enter_context(checkout(args.baseline_rev))
        homes = {label: args.index for label in codes}
        if args.baseline_rev and args.baseline_index:
            homes[f"baseline {args.baseline_rev}"] = args.baseline_index
        ports = {label: stack.enter_context(server(homes[label], code)) for label, code in codes.items()}
        clients = {label: Client(port) for label, port in ports.items()}
        paths = [f"/api/search?{query_string(q)}" for q in QUERIES]
        samples: dict[tuple[str, str], list[float]] = {(l, e): [] for l in codes for e in ENCODINGS}
        sizes: dict[tuple[str, str], list[int]] = {(l, e): [] for l in codes for e in ENCODINGS}
        for label in codes:  # warm both servers' caches the same way
            for path in paths:
                clients[label].get(path, "identity")
        from search.engine import Engine
        from search.params import parse_params

        in_process: list[float] = []  # this tree's Engine.search, timed in the same rounds: the host's
        with Engine(args.index) as engine:  # speed drifts, so only figures taken together compare
            parsed = [parse_params(q) for q in QUERIES]
            for p in parsed:
                engine.search(p)
            for _ in range(args.rounds):
                for path, p in zip(paths, parsed):
                    started = time.perf_counter()
                    engine.search(p)
                    in_process.append((time.perf_counter() - started) * 1000)
                    for encoding_label, encoding in ENCODINGS.items():
                        for label in codes:
                            elapsed, size = clients[label].get(path, encoding)
                            samples[(label, encoding_label)].append(elapsed)
                            sizes[(label, encoding_label)].append(size)
        show("in process Engine.search, same rounds", percentiles(in_process))
        for (label, encoding_label), values in samples.items():
            body = sorted(sizes[(label, encoding_label)])[len(values) // 2]
            show(f"HTTP {label}, {encoding_label} (median body {body / 1024:.1f} KiB)", percentiles(values))


if __name__ == "__main__":
    main()
