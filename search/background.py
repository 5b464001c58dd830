"""A table computed in a thread of its own after a generation opens, waited for on first use.

Some per-generation tables cost time in proportion to the whole index but are needed by few
requests: the did-you-mean table of frequent terms reads every segment's lexicon (seconds at a
few hundred thousand reports), and only a search that finds almost nothing consults it. Building
it before the generation is served made open time grow with the corpus; building it on first
use would make one unlucky user wait. So it is built right after open, in a daemon thread, while
requests are already served; a request that needs it before it is ready gets the same answer by a
slower way (a fallback) or, without one, waits for the rest.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any, Callable, Iterator

log = logging.getLogger("marsad.search")


class BackgroundMapping(Mapping):
    """A read-only mapping whose contents MAKE() computes in a daemon thread started at once."""

    def __init__(self, make: Callable[[threading.Event], Mapping], name: str,
                 fallback: Callable[[Any, Any], Any] | None = None) -> None:
        self._make = make
        self._fallback = fallback  # FALLBACK(key, default): the same answer, found another way, while building
        self._value: Mapping | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._run_lock = threading.Lock()
        self.stop = threading.Event()  # MAKE may give up when it is set (the generation is closing)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._run_lock:
            if self._ready.is_set():
                return
            try:
                self._value = self._make(self.stop)
            except BaseException as error:  # re-raised in the request that needs the table
                if not self.stop.is_set():
                    log.exception("building %s failed", self._thread.name)
                self._error = error
            finally:
                self._ready.set()

    def close(self) -> None:
        """Stop building (if it still is) and wait for the thread, before what it reads is closed."""
        self.stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait(self) -> Mapping:
        if not self._ready.is_set() and not self._thread.is_alive():
            self._run()  # a process forked before the thread finished: build it here
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError(f"{self._thread.name} failed: {self._error}") from self._error
        return self._value  # type: ignore[return-value]

    def get(self, key, default=None):  # type: ignore[override]
        """KEY's value; while the table is still being built, FALLBACK's answer (when there is one)
        rather than a wait that a busy machine could make long."""
        if self._fallback is not None and not self._ready.is_set() and self._thread.is_alive():
            return self._fallback(key, default)
        return self.wait().get(key, default)

    def __getitem__(self, key):
        return self.wait()[key]

    def __iter__(self) -> Iterator:
        return iter(self.wait())

    def __len__(self) -> int:
        return len(self.wait())
