"""The reader side of an index home: which generation is live, and whether it can be served.

The writer side is indexer/generations.py (search/ may not import it): a home holds
`gen-NNNNNN/` folders, each complete once its `marsad.json` exists, and a `CURRENT` file naming
the live one. Only names and JSON are shared, so the few constants are repeated here.
A home whose CURRENT names a missing or half-written folder falls back to the newest complete
generation (a crash between the two renames of a publish cannot cause that, but a person
deleting folders can); with no complete generation at all it is IndexNotFound.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.analysis import ANALYZER_VERSION

CURRENT = "CURRENT"
MARKER = "marsad.json"
ENTITIES = "entities.json"
INDEX_NAME = "MAIN"
GEN_NAME = re.compile(r"gen-(\d{6,})")
STATS_KEYS = ("documents", "sources", "published_min", "published_max", "places", "actors", "built_at",
              "generation", "unknown_sources")


class IndexNotFound(FileNotFoundError):
    """No servable index in the home (never built, or its generations are gone)."""


class RebuildNeeded(ValueError):
    """The live generation was written by another analyzer version: its terms would not match."""


@dataclass(frozen=True)
class LiveGeneration:
    folder: Path
    number: int
    marker: dict[str, Any]


def _build_hint(home: Path) -> str:
    return f"build one with: marsad index build PATH --index {home}"


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _complete(home: Path) -> list[tuple[int, Path]]:
    found = []
    try:
        entries = list(home.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = GEN_NAME.fullmatch(entry.name)
        if match and entry.is_dir() and (entry / MARKER).is_file():
            found.append((int(match.group(1)), entry))
    return sorted(found)


def current_name(home: Path) -> str | None:
    """CURRENT's content (cheap: the engine polls it to notice new generations)."""
    try:
        return (Path(home) / CURRENT).read_text("utf-8").strip() or None
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def locate(home: Path) -> LiveGeneration:
    """The generation to serve, checked for its analyzer version.

    Raises IndexNotFound (nothing servable) or RebuildNeeded (built by another analyzer)."""
    home = Path(home)
    name = current_name(home)
    if name is None and not _complete(home):
        raise IndexNotFound(f"no index at {home}: {_build_hint(home)}")
    folder = home / name if name and GEN_NAME.fullmatch(name) else None
    marker = _read_marker(folder) if folder is not None else None
    if marker is None:
        complete = _complete(home)
        if not complete:
            raise IndexNotFound(f"index at {home} is broken: CURRENT names {name!r}, which is missing or "
                                f"incomplete, and no other complete generation exists; {_build_hint(home)}")
        folder = complete[-1][1]
        marker = _read_marker(folder)
        if marker is None:
            raise IndexNotFound(f"index at {home}: {folder.name}/{MARKER} is unreadable; {_build_hint(home)}")
    version = str(marker.get("analyzer_version"))
    if version != ANALYZER_VERSION:
        raise RebuildNeeded(
            f"index at {home} ({folder.name}) was built by analyzer version {version}, this Marsad uses "
            f"{ANALYZER_VERSION}: rebuild needed (marsad index build PATH --index {home})")
    match = GEN_NAME.fullmatch(folder.name)
    return LiveGeneration(folder, int(match.group(1)) if match else 0, marker)


def has_index(home: Path) -> bool:
    """False for a home that was never built (nothing there yet); True if a generation can be
    served. A home that exists but cannot be served (broken, or built by another analyzer version)
    raises, so `marsad serve` stops with a clear message instead of building over it."""
    home = Path(home)
    if current_name(home) is None and not _complete(home):
        return False
    locate(home)
    return True


def stats_from_marker(marker: dict[str, Any], number: int) -> dict[str, Any]:
    stats = {key: marker.get(key) for key in STATS_KEYS}
    stats["generation"] = int(marker.get("generation") or number)
    for key in ("documents", "sources", "places", "actors", "unknown_sources"):
        stats[key] = int(stats[key] or 0)
    stats["built_at"] = str(stats["built_at"] or "")
    return stats


def index_stats(home: Path) -> dict[str, Any]:
    """The contract's `index stats` JSON for the live generation (figures from its marsad.json)."""
    live = locate(Path(home))
    return stats_from_marker(live.marker, live.number)
