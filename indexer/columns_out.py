"""Write the per-segment columns files (search.segment_columns) into a generation before it is
published: build, update and compaction all pass through write_generation_files, which calls
this once. Only segments without a file get one (an update's old segments bring theirs along as
hard links), so an update pays for the documents it wrote, not for the whole index."""

from __future__ import annotations

from pathlib import Path

from . import generations as gens


def write_segment_columns(build_dir: Path) -> int:
    """The number of segment columns files written into BUILD_DIR."""
    from search.segment_columns import write_missing

    ix = gens.open_index(build_dir)
    with ix.reader() as reader:
        return write_missing(build_dir, reader)
