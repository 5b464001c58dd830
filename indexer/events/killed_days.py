"""Killed per day of one report, by its events' own days, for the histogram with date_field=event.

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

The rule runs once per report, when it is indexed: its (day, killed) pairs become terms of the
`killed_days` field, which search.segment_columns turns into columns. Reading them back from the
stored extractions at query time cost 0.5 ms a report, every generation anew.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from .numbers import count_or_none

SEPARATOR = ":"


def _day(text: Any) -> dt.date | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _one_incident(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("subtype") != b.get("subtype"):
        return False
    places_a, places_b = set(a.get("places") or ()), set(b.get("places") or ())
    return not places_a or not places_b or bool(places_a & places_b)


def killed_by_day(events: Iterable[dict[str, Any]], title_length: int, published: str | None
                  ) -> list[tuple[dt.date, int]]:
    """(day, killed) of one report's EVENTS, days in order (see the module's rule)."""
    fallback = _day(published)
    incidents: list[tuple[dt.date, dict[str, Any], int]] = []  # (day, first event, largest figure)
    heads: list[tuple[dt.date, int]] = []
    for event in events:
        killed = count_or_none(event.get("killed")) if isinstance(event, dict) else None
        if killed is None:
            continue
        day = _day(event.get("date")) or fallback
        if day is None:
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
    by_day: dict[dt.date, int] = {}
    for day, _, killed in incidents:
        by_day[day] = by_day.get(day, 0) + killed
    if heads:
        day, largest = max(heads, key=lambda h: (h[1], -h[0].toordinal()))
        beyond = largest - sum(by_day.values())
        if beyond > 0:
            by_day[day] = by_day.get(day, 0) + beyond
    return sorted((day, killed) for day, killed in by_day.items() if killed > 0)


def killed_day_terms(events: Iterable[dict[str, Any]], title_length: int, published: str | None) -> list[str]:
    """The report's `killed_days` terms: `YYYY-MM-DD:killed`, one per day with stated dead."""
    return [f"{day.isoformat()}{SEPARATOR}{killed}" for day, killed in killed_by_day(events, title_length, published)]

