"""Which input files a generation has read, so that `marsad index update` skips the unchanged ones.

A monitoring team runs `marsad index update WARCS/` after every `marsad fetch`: without a record
of what was read, each update re-reads the whole archive, and its cost grows by the day. A file is
unchanged when its resolved path, size and modification time (nanoseconds) are those recorded;
anything else (an appended JSON Lines file, a re-saved page, a new WARC) is read again. The stat
is taken before the file is read, so a file that changes while it is read is read again next
time. The record is a file of the generation folder, written by build and update; compaction
and replicas carry it with the other files.
"""

from __future__ import annotations

import os
from pathlib import Path

LEDGER = "files_read.tsv"
Mark = tuple[int, int]  # size, st_mtime_ns


class Ledger:
    """The files a generation has read (KNOWN) and those read now."""

    def __init__(self, known: dict[str, Mark] | None = None) -> None:
        self.known = known or {}
        self.read: dict[str, Mark] = {}
        self.unchanged = 0

    @classmethod
    def load(cls, folder: Path) -> "Ledger":
        """The ledger of generation FOLDER; empty when it has none (built before ledgers, or a
        damaged line: such files are simply read again)."""
        known: dict[str, Mark] = {}
        try:
            with open(Path(folder) / LEDGER, encoding="utf-8") as handle:
                for line in handle:
                    parts = line.rstrip("\n").split("\t", 2)
                    if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
                        known[parts[2]] = (int(parts[0]), int(parts[1]))
        except (OSError, UnicodeDecodeError):
            pass
        return cls(known)

    def admit(self, path: Path) -> bool:
        """Whether PATH must be read (and if so, remember it as read)."""
        try:
            stat = path.stat()
            key = str(path.resolve())
        except OSError:
            return True  # the reader reports what is wrong with it
        mark = (stat.st_size, stat.st_mtime_ns)
        if self.known.get(key) == mark:
            self.unchanged += 1
            return False
        if "\n" not in key and "\t" not in key:
            self.read[key] = mark
        return True

    def write(self, folder: Path) -> None:
        """Known and newly read files into FOLDER's ledger, by a new file renamed into place (an
        update's folder holds a hard link to the live generation's ledger, which must not change)."""
        marks = {**self.known, **self.read}
        target = Path(folder) / LEDGER
        tmp = target.with_name(LEDGER + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            for key in sorted(marks):
                size, mtime = marks[key]
                handle.write(f"{size}\t{mtime}\t{key}\n")
        os.replace(tmp, target)
