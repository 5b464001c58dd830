"""`marsad index publish --to HOME2`: serve the live generation from another index home too.

A generation folder never changes once published, so a replica needs no coordination with
the builder: copy the folder into the replica's home under a hidden work name, rename it to
its generation name, and point the replica's CURRENT at it (the same atomic steps a build
takes, indexer/generations.py). Servers reading the replica switch at their next CURRENT check.
Files are hard-linked when both homes share a file system (they are immutable, so sharing is
safe), else copied; for another machine, copy the folder with rsync and then run this command
there, or flip CURRENT by hand.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

from . import generations as gens


class ReplicaConflict(ValueError):
    """The replica already holds a different generation under the same name."""


def link_or_copy(source: Path, target: Path) -> str:
    try:
        os.link(source, target)
        return "linked"
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
    shutil.copy2(source, target)
    return "copied"


def publish_generation(home: Path, replica: Path) -> dict[str, Any]:
    """Make HOME's live generation the live generation of REPLICA."""
    home, replica = Path(home), Path(replica)
    if replica.resolve() == home.resolve():
        raise ValueError(f"the replica home is the index home itself ({home})")
    live = gens.live_generation(home)
    marker = gens.check_generation(live)
    name = live.name
    with gens.locked(replica):
        gens.clean_stale(replica)
        target = replica / name
        how: set[str] = set()
        if target.exists():
            if not gens.is_complete(target) or gens.read_marker(target) != marker:
                raise ReplicaConflict(f"{replica} already has a different {name}; remove it or rebuild "
                                      f"{home} so that it publishes a new generation number")
        else:
            number = gens.generation_number(name) or 0
            work = gens.new_build_dir(replica, number)
            try:
                for entry in sorted(live.iterdir()):
                    if entry.is_file() and entry.name != gens.MARKER and not entry.name.endswith(".lock"):
                        how.add(link_or_copy(entry, work / entry.name))
                gens.publish(replica, work, number, marker)  # marker last, fsync, rename, CURRENT
            finally:
                if work.exists():
                    shutil.rmtree(work, ignore_errors=True)
        gens.set_current(replica, name)
        gens.check_generation(target)
        gens.prune(replica)
    return {"generation": gens.generation_number(name), "documents": marker["documents"],
            "replica": str(replica), "files": "/".join(sorted(how)) or "already there", "index": str(target)}
