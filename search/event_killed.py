"""Killed per day by the events' own dates, for the histogram with date_field=event.

With date_field=published a report's killed total counts in the bucket of its publication day.
With date_field=event the killed are counted per event, on the event's day (its resolved date,
else the report's publication day), each stated death once:

- a report's events of one sub-event type in one place on one day are one incident told again
  (its largest figure counts); incidents add up, on their own days;
- a headline's figure is the story's toll told again: it adds only what it states beyond the
  sum of the report's other events (on the headline event's day), so `مقتل 8` over a body telling
  5 and 3 on two days gives 5 and 3, and `مقتل 8` over a body telling 5 gives 5 and 3 more.

So a report with two events in one bucket adds both figures once, and a report whose events
fall in two buckets splits its dead between them instead of counting its total in each. The
bars can differ from the reports' totals (which `min_killed` and `sort=killed` use): a total
takes the larger of the headline's and the body's figures and groups incidents across days.

The index keeps only the totals; the per-event figures are read from the stored extractions of
the reports that state a total, each once per generation, when a histogram first needs them.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from .columns import day_number
from .events import count_or_none


@dataclass(frozen=True)
class DayKilled:
    """One row per (report, day) with killed: document numbers, day numbers, killed."""

    docs: np.ndarray
    days: np.ndarray
    killed: np.ndarray


def _day(text: Any) -> int | None:
    if not isinstance(text, str):
        return None
    try:
        return day_number(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return None


def _one_incident(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("subtype") != b.get("subtype"):
        return False
    places_a, places_b = set(a.get("places") or ()), set(b.get("places") or ())
    return not places_a or not places_b or bool(places_a & places_b)


def killed_by_day(events: Iterable[dict[str, Any]], title_length: int, published: str | None
                  ) -> list[tuple[int, int]]:
    """(day number, killed) of one report's EVENTS, days in order (see the module's rule)."""
    fallback = _day(published)
    incidents: list[tuple[int, dict[str, Any], int]] = []  # (day, first event, largest figure)
    heads: list[tuple[int, int]] = []
    for event in events:
        killed = count_or_none(event.get("killed")) if isinstance(event, dict) else None
        if killed is None:
            continue
        day = _day(event.get("date"))
        day = fallback if day is None else day
        if day is None or day < 0:
            continue
        start = event.get("start")
        if isinstance(start, int) and start < title_length:
            heads.append((day, killed))
            continue
        for n, (other_day, first, largest) in enumerate(incidents):
            if other_day == day and _one_incident(first, event):
                incidents[n] = (day, first, max(largest, killed))
                break
        else:
            incidents.append((day, event, killed))
    by_day: dict[int, int] = {}
    for day, _, killed in incidents:
        by_day[day] = by_day.get(day, 0) + killed
    if heads:
        day, largest = max(heads, key=lambda h: (h[1], -h[0]))
        beyond = largest - sum(by_day.values())
        if beyond > 0:
            by_day[day] = by_day.get(day, 0) + beyond
    return sorted((day, killed) for day, killed in by_day.items() if killed > 0)


def table(stored_of, docs: Iterable[int]) -> DayKilled:
    """The (report, day, killed) rows of DOCS, whose stored fields STORED_OF(docnum) gives."""
    rows: list[tuple[int, int, int]] = []
    for docnum in docs:
        stored = stored_of(docnum)
        extraction = stored.get("entities") or {}
        days = killed_by_day(extraction.get("events") or [], len(stored.get("title") or ""),
                             stored.get("published"))
        rows.extend((docnum, day, killed) for day, killed in days)
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return DayKilled(empty, empty, empty)
    docs_, days_, killed_ = (np.array(column, dtype=np.int64) for column in zip(*rows))
    return DayKilled(docs_, days_, killed_)


class KnownRows:
    """The rows of one generation's reports read so far: a search reads the reports it needs that
    no search has read yet (a query's few hundred hits cost a few hundred stored reads once; a
    search over everything reads every report with killed once, about 0.5 ms a report)."""

    def __init__(self, size: int) -> None:
        self.known = np.zeros(size, dtype=bool)
        self.rows = table(lambda docnum: {}, [])
        self.lock = threading.Lock()

    def covering(self, gen, mask: np.ndarray) -> DayKilled:
        """Every known row, including those of the reports in MASK that state a killed total."""
        columns = gen.columns
        with self.lock:
            missing = np.flatnonzero(mask & (columns.killed > 0) & ~self.known)
            if len(missing):
                fresh = table(gen.stored, missing.tolist())
                self.known[missing] = True
                self.rows = DayKilled(*(np.concatenate((getattr(self.rows, name), getattr(fresh, name)))
                                        for name in ("docs", "days", "killed")))
            return self.rows


_KNOWN: "weakref.WeakKeyDictionary[Any, KnownRows]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def rows_for(gen, mask: np.ndarray) -> DayKilled:
    """(report, day, killed) rows that cover the reports in MASK (and perhaps others: the histogram
    keeps the rows of its own reports), kept as long as the generation is."""
    with _LOCK:
        known = _KNOWN.get(gen)
        if known is None:
            known = _KNOWN[gen] = KnownRows(gen.columns.size)
    return known.covering(gen, mask)
