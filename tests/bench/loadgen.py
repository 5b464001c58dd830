"""A small closed-loop load generator for benchmarks: N client threads with keep-alive
connections to a server on 127.0.0.1, bounded in time, recording every latency and status."""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    seen: list[tuple[float, object]] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def absorb(self, part: "LoadResult") -> None:
        """Add PART's requests to these (a long run measured in chunks)."""
        self.latencies += part.latencies
        self.errors += part.errors
        self.seen += part.seen
        self.seconds += part.seconds
        for status, count in part.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    def summary(self) -> dict:
        return {
            "requests": self.requests, "errors": len(self.errors),
            "req_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1) if self.latencies else None,
            "statuses": dict(sorted(self.statuses.items())),
        }


def run_load(base: str, paths: list[str], *, clients: int, seconds: float,
             inspect: Callable[[int, bytes], object] | None = None, seed: int = 7) -> LoadResult:
    """Each client picks paths at random until SECONDS have passed; a non-200 is an error."""
    target = urlsplit(base)
    result = LoadResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed + number)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        while time.monotonic() < stop_at:
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                with lock:
                    result.errors.append(f"{path}: {error!r}")
                continue
            elapsed = time.perf_counter() - started
            seen = inspect(status, body) if inspect else None
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status != 200:
                    result.errors.append(f"{path}: HTTP {status}")
                if seen is not None:
                    result.seen.append((time.monotonic(), seen))
        connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def peak_rss_mib(pid: int) -> float:
    """VmHWM of a live process: its peak resident set, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
