"""`marsad index compact`: merge the live generation's segments into a new generation, on
demand, without the per-update budget (indexer/merge.py's COMPACT_POLICY): after a bulk of
updates, or before copying a generation to replicas."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from . import generations as gens
from .build import disk_full, is_space_error, live_stories, prepare_process, write_generation_files
from .merge import COMPACT_POLICY, MergePolicy, merge_index

CARRIED = ("quarantined", "duplicates", "skipped", "url_variants", "stories")  # the live marker's, kept as is


def compact_index(home: Path, policy: MergePolicy = COMPACT_POLICY) -> dict[str, Any]:
    """Publish a merged copy of HOME's live generation (nothing, if nothing is worth merging)."""
    started = time.perf_counter()
    home = Path(home)
    gens.live_generation(home)  # fail fast, before loading anything
    prepare_process()
    with gens.locked(home):
        number = gens.next_generation_number(home)
        gens.clean_stale(home)
        live = gens.live_generation(home)
        marker = gens.check_generation(live)
        live_number = gens.generation_number(live.name) or 0
        stories = live_stories(home, live)  # keyed by article id: merging segments leaves it true
        build_dir = gens.new_build_dir(home, number)
        folder = None
        try:
            gens.link_generation(live, build_dir)
            report = merge_index(build_dir, policy)
            if report.merges:
                extra = {key: marker[key] for key in CARRIED if key in marker}
                folder = write_generation_files(home, build_dir, number,
                                                {"kind": "compact", "based_on": live_number, **extra}, stories)
        except OSError as error:
            if is_space_error(error):
                raise disk_full(home, error, live) from None
            raise
        finally:
            if build_dir.exists():
                shutil.rmtree(build_dir, ignore_errors=True)
    summary: dict[str, Any] = {"changed": folder is not None, **report.summary(),
                               "documents": marker["documents"],
                               "generation": number if folder is not None else live_number}
    if folder is not None:
        summary["index"] = str(folder)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary
