"""The index home: numbered generations, a CURRENT pointer, one writer at a time.

A build works in a hidden `.build-*` folder and becomes `gen-NNNNNN` by one rename once it is
complete (marsad.json written last); CURRENT is then replaced atomically. A `kill -9` at any
moment therefore leaves CURRENT naming a whole generation, and the next build, holding the
fcntl lock that died with the killed process, sweeps the leftovers. Layout:
/tmp/marsad_interfaces.md ("Index home layout"); search/index.py is the reader side.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

CURRENT = "CURRENT"
LOCK = ".lock"
MARKER = "marsad.json"
ENTITIES = "entities.json"
QUARANTINE = "quarantine.jsonl"
GEN_PREFIX = "gen-"
BUILD_PREFIX = ".build-"
TRASH_PREFIX = ".trash-"
KEEP = 2
INDEX_NAME = "MAIN"
FORMAT = 1
GEN_NAME = re.compile(r"gen-(\d{6,})")
STORIES_TSV = "stories.tsv"  # article_id<TAB>story_id, one line per indexed article (search/ reads it)
STORY_STORE = "stories.npz"  # what the next update needs to group new articles (indexer/story_store.py)
NOT_LINKED = frozenset({MARKER, ENTITIES, STORIES_TSV, STORY_STORE})


class HomeLocked(OSError):
    """Another build or update holds the index home."""


class NoIndex(ValueError):
    """The home has no complete generation to update."""


class CorruptGeneration(ValueError):
    """The live generation exists but cannot be read (missing files, damaged segments)."""


def generation_name(number: int) -> str:
    return f"{GEN_PREFIX}{number:06d}"


def generation_number(name: str) -> int | None:
    match = GEN_NAME.fullmatch(name)
    return int(match.group(1)) if match else None


def is_complete(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def generations(home: Path) -> list[tuple[int, Path]]:
    """Complete generations, oldest first."""
    if not home.is_dir():
        return []
    found = []
    for entry in home.iterdir():
        number = generation_number(entry.name)
        if number is not None and entry.is_dir() and is_complete(entry):
            found.append((number, entry))
    return sorted(found)


def current_generation(home: Path) -> Path | None:
    """The live generation: CURRENT's target if it is complete, else None."""
    try:
        name = (home / CURRENT).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if generation_number(name) is None:
        return None
    folder = home / name
    return folder if is_complete(folder) else None


def read_marker(generation: Path) -> dict[str, Any]:
    return json.loads((generation / MARKER).read_text("utf-8"))


def live_generation(home: Path) -> Path:
    """The generation readers serve: CURRENT's target, or, if CURRENT is missing or names a
    missing or incomplete folder, the newest complete generation (the rule search/index.py
    follows too, so an update extends what is being served). Raises NoIndex if there is none."""
    live = current_generation(home)
    if live is not None:
        return live
    complete = generations(home)
    if complete:
        return complete[-1][1]
    try:
        named = (home / CURRENT).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        named = ""
    hint = f"build one first (marsad index build PATH --index {home})"
    if named:
        raise NoIndex(f"index at {home} is broken: CURRENT names {named!r}, which is missing or incomplete, "
                      f"and no other complete generation exists; {hint}")
    raise NoIndex(f"no index at {home}: {hint}")


def open_index(folder: Path) -> Any:
    """FOLDER's Whoosh index, read through plain files: Whoosh's mmap mode wraps each segment
    file in a BytesIO, which copies the postings and term tables into memory (hundreds of MB
    for SaudiNewsNet) when all an update or a marker needs is a few lookups."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(folder), supports_mmap=False, readonly=True).open_index(INDEX_NAME)


def check_generation(folder: Path) -> dict[str, Any]:
    """FOLDER's marker, after checking that its index opens and holds the documents the marker
    counts. A damaged generation is reported by name instead of failing later inside Whoosh."""
    hint = f"rebuild it (marsad index build PATH --index {folder.parent})"
    try:
        marker = read_marker(folder)
    except FileNotFoundError:
        raise CorruptGeneration(f"{folder} is incomplete: it has no {MARKER}; {hint}") from None
    except (OSError, ValueError) as error:
        raise CorruptGeneration(f"{folder}/{MARKER} is unreadable ({error}); {hint}") from None
    if not isinstance(marker, dict) or not isinstance(marker.get("documents"), int):
        raise CorruptGeneration(f"{folder}/{MARKER} is not a Marsad marker (no document count); {hint}")
    try:
        with open_index(folder).reader() as reader:
            documents = reader.doc_count()
            for fieldname in ("id",):
                next(iter(reader.lexicon(fieldname)), None)
    except Exception as error:  # noqa: BLE001 - Whoosh reports damage with many exception types
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:200]
        raise CorruptGeneration(f"the index files of {folder} are damaged ({reason}); {hint}") from None
    if documents != marker["documents"]:
        raise CorruptGeneration(f"{folder} holds {documents} documents but its {MARKER} says "
                                f"{marker['documents']}: the generation is damaged; {hint}")
    return marker


def next_generation_number(home: Path) -> int:
    """One more than any generation name ever seen here, complete or not, so names never repeat."""
    numbers = [0]
    for entry in home.iterdir():
        if entry.name.startswith((GEN_PREFIX, BUILD_PREFIX, TRASH_PREFIX)):
            match = GEN_NAME.search(entry.name)
            if match:
                numbers.append(int(match.group(1)))
    live = current_generation(home)
    if live is not None:
        numbers.append(generation_number(live.name) or 0)
    return max(numbers) + 1


@contextmanager
def locked(home: Path) -> Iterator[int]:
    """Hold HOME's writer lock (yields its file descriptor, which forked children must close).

    The lock is an fcntl.flock on <home>/.lock: the kernel drops it when the holder dies, so a
    lock left by a killed build never blocks the next one.
    """
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise HomeLocked(f"another build or update is running on {home} (pid {holder}); "
                             "wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield fd
    finally:
        os.close(fd)


def clean_stale(home: Path) -> list[str]:
    """Remove work folders of dead builds and half-removed generations (call with the lock held:
    whoever made them no longer holds it, so they are dead)."""
    removed = []
    for entry in sorted(home.iterdir()):
        if entry.name.startswith((BUILD_PREFIX, TRASH_PREFIX)) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    for name in (CURRENT + ".tmp",):
        (home / name).unlink(missing_ok=True)
    for entry in home.glob(".*.part"):  # a killed run's unfinished quarantine report
        entry.unlink(missing_ok=True)
    return removed


def new_build_dir(home: Path, number: int) -> Path:
    folder = home / f"{BUILD_PREFIX}{generation_name(number)}-{os.getpid()}"
    folder.mkdir()
    return folder


def link_generation(source: Path, target: Path) -> int:
    """Hard-link SOURCE's index files into TARGET: Whoosh never rewrites a segment file, so the
    new generation shares them with the live one at no cost. Returns the number of files linked."""
    count = 0
    for entry in source.iterdir():
        if entry.is_file() and entry.name not in NOT_LINKED and not entry.name.endswith(".lock"):
            os.link(entry, target / entry.name)
            count += 1
    return count


def write_json(path: Path, data: Any) -> None:
    """Write JSON durably: a temporary file, fsync, then an atomic rename."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_file():
            fsync_path(entry)
    fsync_path(folder)


def publish(home: Path, build_dir: Path, number: int, marker: dict[str, Any]) -> Path:
    """Finish BUILD_DIR (marsad.json last), rename it to gen-NNNNNN and point CURRENT at it."""
    write_json(build_dir / MARKER, marker)
    fsync_tree(build_dir)
    final = home / generation_name(number)
    os.rename(build_dir, final)
    fsync_path(home)
    set_current(home, final.name)
    return final


def set_current(home: Path, name: str) -> None:
    tmp = home / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="ascii") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, home / CURRENT)
    fsync_path(home)


def prune(home: Path, keep: int = KEEP) -> list[str]:
    """Remove all but the newest KEEP complete generations (never the live one).

    A generation is first renamed to `.trash-*` (atomic) so that a crash during the removal
    cannot leave a folder that still looks like a generation."""
    live = current_generation(home)
    complete = generations(home)
    removed = []
    for number, folder in complete[:-keep] if keep > 0 else complete:
        if live is not None and folder.name == live.name:
            continue
        trash = home / f"{TRASH_PREFIX}{folder.name}"
        os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(folder.name)
    for entry in home.iterdir():
        number = generation_number(entry.name)
        if number is not None and entry.is_dir() and not is_complete(entry) and \
                (live is None or number < (generation_number(live.name) or 0)):
            trash = home / f"{TRASH_PREFIX}{entry.name}"
            os.rename(entry, trash)
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(entry.name)
    return removed
