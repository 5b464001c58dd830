"""Where each article of a build was read, kept for the whole build in ~20 bytes per article.

The parent remembers every accepted article's origin so that a worker's failure on it can be
quarantined with its file and line; a dict of Origin objects costs ~200 bytes per article
(≈ 200 MB at a million reports), this table stores small ints in arrays indexed by ordinal,
with each file and ZIP member name kept once.
"""

from __future__ import annotations

from array import array
from itertools import repeat

from .readers import Origin

MISSING = -1


class OriginTable:
    """A write-once mapping ordinal → Origin with dict's `[]=` and `get`."""

    def __init__(self) -> None:
        self.names: list[str | None] = []
        self.name_ids: dict[str | None, int] = {}
        self.files = array("i")
        self.members = array("i")
        self.lines = array("q")
        self.positions = array("q")

    def _name(self, name: str | None) -> int:
        number = self.name_ids.get(name)
        if number is None:
            number = self.name_ids[name] = len(self.names)
            self.names.append(name)
        return number

    def __setitem__(self, ordinal: int, origin: Origin) -> None:
        grow = ordinal + 1 - len(self.files)
        if grow > 0:
            for column in (self.files, self.members, self.lines, self.positions):
                column.extend(repeat(MISSING, grow))
        self.files[ordinal] = self._name(origin.file)
        self.members[ordinal] = self._name(origin.member)
        self.lines[ordinal] = MISSING if origin.line is None else origin.line
        self.positions[ordinal] = MISSING if origin.position is None else origin.position

    def get(self, ordinal: int, default: Origin | None = None) -> Origin | None:
        if not 0 <= ordinal < len(self.files) or self.files[ordinal] == MISSING:
            return default
        line, position = self.lines[ordinal], self.positions[ordinal]
        return Origin(self.names[self.files[ordinal]] or "", self.names[self.members[ordinal]],
                      None if line == MISSING else line, None if position == MISSING else position)

    def __contains__(self, ordinal: int) -> bool:
        return self.get(ordinal) is not None
