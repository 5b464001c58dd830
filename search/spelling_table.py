"""The did-you-mean table of a generation (its frequent exact terms), computed in a child process.

Reading every segment's lexicon is pure Python work that grows with the corpus (seconds at a
few hundred thousand reports). Done in a thread of the serving process it held the interpreter
lock against the first searches after an open; in a child process at the lowest CPU priority it
only takes what the searches leave idle, and the server receives the finished table (one unpickling). The child opens the generation itself (its
files are immutable) and runs the same Postings.frequent_terms; if it cannot be started or fails,
the caller computes the table in process, as before.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = ("import os, sys; os.nice(NICENESS); sys.path.insert(0, sys.argv[1]); "
         "from search.spelling_table import main; main(sys.argv[2], sys.argv[3], int(sys.argv[4]))")
NICENESS = 19  # the table waits for idle CPU rather than slowing the searches of a busy server
POLL = 0.2


def main(folder: str, field: str, at_least: int) -> None:
    from whoosh.filedb.filestore import FileStorage

    from .index import INDEX_NAME
    from .postings import Postings

    ix = FileStorage(folder, supports_mmap=False, readonly=True).open_index(INDEX_NAME)
    with ix.reader() as reader:
        table = Postings(reader).frequent_terms(field, at_least)
    sys.stdout.buffer.write(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


def frequent_terms(folder: Path, field: str, at_least: int, stop: threading.Event) -> dict[str, int]:
    """FOLDER's terms of FIELD in AT_LEAST documents or more, computed by a child process (`-I`:
    neither the working directory nor PYTHONPATH can put another checkout's code first).
    Raises InterruptedError when STOP is set first, RuntimeError when the child fails."""
    command = [sys.executable, "-I", "-c", CHILD.replace("NICENESS", str(NICENESS)), str(ROOT), str(folder), field,
               str(at_least)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        while True:
            try:
                out, err = process.communicate(timeout=POLL)
                break
            except subprocess.TimeoutExpired:
                if stop.is_set():
                    raise InterruptedError("the generation is closing")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"spelling table child exited {process.returncode}: {err.decode(errors='replace')[-500:]}")
    table = pickle.loads(out)
    if not isinstance(table, dict):
        raise RuntimeError("spelling table child wrote no table")
    return table
