"""JSON Lines data files of the gazetteer and the actor book, read with file and line in errors.

A curator who breaks an entry must be told where: every problem is a DataFileError naming the
file, the line and the field, raised at load (so a build never starts on a broken book).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class DataFileError(ValueError):
    def __init__(self, path: str | Path, line: int, field: str | None, reason: str) -> None:
        where = f"{path}:{line}" + (f": {field}" if field else "")
        super().__init__(f"{where}: {reason}")
        self.path, self.line, self.field, self.reason = str(path), line, field, reason


def data_path(name: str) -> Path:
    """A file of indexer/entities/data, shipped as package data."""
    return Path(str(resources.files("indexer.entities") / "data" / name))


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) per entry; blank lines and `//` comments are skipped."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            text = line.strip()
            if not text or text.startswith("//"):
                continue
            try:
                entry = json.loads(text)
            except json.JSONDecodeError as error:
                raise DataFileError(path, number, None, f"invalid JSON: {error.msg} (column {error.colno})") from None
            if not isinstance(entry, dict):
                raise DataFileError(path, number, None, "each line must be one JSON object")
            yield number, entry


class EntryChecker:
    """Field checks for one entry; each failure names file, line and field."""

    def __init__(self, path: str | Path, line: int, entry: dict[str, Any]) -> None:
        self.path, self.line, self.entry = path, line, entry

    def fail(self, field: str | None, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line, field, reason)

    def identifier(self, field: str = "id", required: bool = True) -> str | None:
        value = self.entry.get(field)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            raise self.fail(field, f"must match {ID_PATTERN.pattern}, got {value!r}")
        return value

    def text(self, field: str, required: bool = True) -> str | None:
        value = self.entry.get(field)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be a non-empty string")
        return value.strip()

    def strings(self, field: str) -> list[str]:
        value = self.entry.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(field, "must be a list of non-empty strings")
        return [v.strip() for v in value]

    def choice(self, field: str, allowed: frozenset[str] | set[str], required: bool = True) -> str | None:
        value = self.entry.get(field)
        if value is None and not required:
            return None
        if value not in allowed:
            raise self.fail(field, f"must be one of {', '.join(sorted(allowed))}, got {value!r}")
        return value

    def number(self, field: str, low: float, high: float, required: bool = True,
               kind: Callable[[Any], Any] = float) -> Any:
        value = self.entry.get(field)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise self.fail(field, f"must be a number from {low} to {high}, got {value!r}")
        return kind(value)

    def flag(self, field: str) -> bool:
        value = self.entry.get(field, False)
        if not isinstance(value, bool):
            raise self.fail(field, "must be true or false")
        return value

    def unknown(self, known: frozenset[str] | set[str]) -> None:
        extra = sorted(set(self.entry) - set(known))
        if extra:
            raise self.fail(extra[0], f"unknown field (known: {', '.join(sorted(known))})")
