"""The quarantine file: one JSON line per record or file that could not be indexed.

It describes the last build or update only (rewritten each run), so what it lists is what the
live index is missing. It is written beside its final name and renamed into place when the
reading is complete, so a killed or failed run leaves the previous report whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import IO

from .readers import Problem


class Quarantine:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[str] | None = None

    def __enter__(self) -> "Quarantine":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.partial, "w", encoding="utf-8")
        return self

    @property
    def partial(self) -> Path:
        return self.path.with_name(f".{self.path.name}.{os.getpid()}.part")

    def add(self, problem: Problem) -> None:
        assert self._handle is not None
        self._handle.write(json.dumps(problem.as_json(), ensure_ascii=False) + "\n")
        self.count += 1

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._handle is None:
            return
        try:
            self._handle.close()
            if error is None:
                os.replace(self.partial, self.path)
        finally:
            self._handle = None
            if self.partial.exists():
                self.partial.unlink()


def read_quarantine(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
