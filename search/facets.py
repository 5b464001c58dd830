"""Facet counts with multi-select semantics, and the date histogram.

Each facet is counted over the documents that match the query and every *other* facet's
filter, not its own: with two places selected the place list still shows every place the
other filters allow, so the user sees what else could be added (the selection is an OR).
The date histogram counts the documents that match everything but the date range, within
the range shown: the selected range if there is one, else the span of those documents; its
bucket (day, week, month, year) is the finest that keeps the bars at about a hundred or fewer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .columns import EPOCH, Columns, DayKilled, Pairs, day_number, day_text

FACET_SIZE = {"place": 40, "actor": 40, "source": 40}
DAY_LIMIT = 92
WEEK_LIMIT = 2 * 366
MONTH_LIMIT = 10 * 366
MAX_BUCKETS = 200


def top_values(counts: np.ndarray, values: list[str], selected: list[str], code_of: dict[str, int],
               size: int) -> list[tuple[str, int]]:
    """The SIZE values with most documents (count > 0; ties in code order), plus every selected
    value. Only the values that can make the list are sorted (a few dozen of thousands)."""
    if len(counts) > size:
        threshold = max(int(np.partition(counts, len(counts) - size)[len(counts) - size]), 1)
        candidates = np.nonzero(counts >= threshold)[0]
    else:
        candidates = np.nonzero(counts > 0)[0]
    order = candidates[np.argsort(-counts[candidates], kind="stable")]
    chosen = [(values[code], int(counts[code])) for code in order[:size].tolist()]
    present = {v for v, _ in chosen}
    for value in selected:
        if value not in present:
            code = code_of.get(value)
            chosen.append((value, int(counts[code]) if code is not None else 0))
            present.add(value)
    return chosen


def pair_facet(kind: str, pairs: Pairs, mask: np.ndarray, selected: list[str], entities) -> list[dict[str, Any]]:
    counts = pairs.counts(mask) if len(pairs.values) else np.zeros(0, dtype=np.int64)
    items = []
    chosen = set(selected)
    extra = "parents" if kind == "place" else "type"
    for value, count in top_values(counts, pairs.values, selected, pairs.code_of, FACET_SIZE[kind]):
        label_ar, label_en, detail = entities.facet_labels(kind, value)
        items.append({"value": value, "label_ar": label_ar, "label_en": label_en, "count": count,
                      "selected": value in chosen, extra: list(detail) if kind == "place" else detail})
    return items


def source_facet(columns: Columns, mask: np.ndarray, selected: list[str], entities) -> list[dict[str, Any]]:
    codes = columns.source[mask]
    counts = np.bincount(codes[codes >= 0], minlength=len(columns.sources))
    items = []
    chosen = set(selected)
    for value, count in top_values(counts, columns.sources, selected, columns.source_code, FACET_SIZE["source"]):
        label_ar, label_en, _ = entities.facet_labels("source", value)
        items.append({"value": value, "label_ar": label_ar, "label_en": label_en, "count": count,
                      "selected": value in chosen})
    return items


def event_facet(pairs: Pairs, mask: np.ndarray, selected: list[str], taxonomy) -> list[dict[str, Any]]:
    """Every event type and sub-event type with reports, in the taxonomy's order (types before
    their sub-types), each sub-type with its `parent` type, so the list groups like places."""
    counts = pairs.counts(mask) if len(pairs.values) else np.zeros(0, dtype=np.int64)
    chosen = set(selected)
    shown = {value: int(counts[code]) for value, code in pairs.code_of.items() if counts[code] > 0}
    for value in selected:
        shown.setdefault(value, 0)
    items = []
    def place_in_list(value: str) -> tuple:
        kind = taxonomy.type_of(value) or value
        return taxonomy.order.get(kind, len(taxonomy.order)), value != kind, taxonomy.order.get(value, 0), value

    for value in sorted(shown, key=place_in_list):
        label_ar, label_en, parent = taxonomy.labels(value)
        items.append({"value": value, "label_ar": label_ar, "label_en": label_en, "count": shown[value],
                      "selected": value in chosen, "parent": parent})
    return items


def choose_bucket(span_days: int) -> str:
    if span_days <= DAY_LIMIT:
        return "day"
    if span_days <= WEEK_LIMIT:
        return "week"
    if span_days <= MONTH_LIMIT:
        return "month"
    return "year"


def bucket_keys(days: np.ndarray, bucket: str) -> np.ndarray:
    """A sortable integer per day: the day itself, its week's Monday, year*12+month, or year."""
    if bucket == "day":
        return days
    if bucket == "week":
        return days - (days + 3) % 7  # 1970-01-01 was a Thursday; day 4 (1970-01-05) a Monday
    dates = days.astype("datetime64[D]")
    if bucket == "month":
        return dates.astype("datetime64[M]").astype(np.int64)
    return dates.astype("datetime64[Y]").astype(np.int64)


def bucket_label(key: int, bucket: str) -> str:
    if bucket in ("day", "week"):
        return day_text(key)
    if bucket == "month":
        return f"{1970 + key // 12:04d}-{key % 12 + 1:02d}"
    return f"{1970 + key:04d}"


def date_histogram(columns: Columns, mask: np.ndarray, date_field: str, start: dt.date | None,
                   end: dt.date | None, killed: np.ndarray | None = None,
                   event_killed: DayKilled | None = None) -> list[dict[str, Any]]:
    """Reports per bucket and, with KILLED (a per-document total, -1 where not stated), the killed
    per bucket: with date_field=published each report's total on its publication day; with
    date_field=event the rows of EVENT_KILLED (indexer.events.killed_days: per event, on the event's day,
    a report never counted twice), which the caller passes for that field."""
    if date_field == "event":
        keep = mask[columns.event_docs]
        docs, days = columns.event_docs[keep], columns.event_day[keep]
    else:
        docs = np.nonzero(mask & (columns.day >= 0))[0]
        days = columns.day[docs]
    dead_days = dead_weights = None
    if killed is not None and (date_field != "event" or event_killed is not None):
        if date_field == "event":
            rows = mask[event_killed.docs]
            dead_days, dead_weights = event_killed.days[rows], event_killed.killed[rows]
        else:
            dead_days, dead_weights = days, np.maximum(killed[docs], 0) if len(docs) else np.zeros(0, np.int64)
    low = day_number(start) if start else None
    high = day_number(end) if end else None
    if low is not None or high is not None:
        inside = within(days, low, high)
        docs, days = docs[inside], days[inside]
        if dead_days is not None:
            inside = within(dead_days, low, high)
            dead_days, dead_weights = dead_days[inside], dead_weights[inside]
    if dead_days is not None:  # only stated deaths place or fill a bucket
        stated = dead_weights > 0
        dead_days, dead_weights = dead_days[stated], dead_weights[stated]
    spans = [days] + ([dead_days] if dead_days is not None else [])
    seen = np.concatenate(spans) if any(len(s) for s in spans) else np.zeros(0, np.int64)
    if not len(seen) and (low is None or high is None):
        return []
    first = low if low is not None else int(seen.min())
    last = high if high is not None else int(seen.max())
    bucket = choose_bucket(last - first)
    edge = bucket_keys(np.array([first, last], dtype=np.int64), bucket)
    width = int(edge[1] - edge[0]) + 1
    if date_field == "event" and len(days):  # a document counts once per bucket
        keys = np.unique(np.stack([docs.astype(np.int64), bucket_keys(days.astype(np.int64), bucket)]), axis=1)[1]
        per_key = np.ones(len(keys))
    elif len(days):
        keys, per_key = per_day(days, bucket)
    else:
        keys, per_key = np.zeros(0, np.int64), np.zeros(0)
    counts = np.bincount(keys - edge[0], weights=per_key, minlength=width).astype(np.int64) if len(keys) \
        else np.zeros(width, dtype=np.int64)
    dead = None
    if dead_days is not None:
        dead = np.zeros(width)
        if len(dead_days):
            dead_keys, per_key_dead = per_day(dead_days, bucket, dead_weights.astype(np.float64))
            dead = np.bincount(dead_keys - edge[0], weights=per_key_dead, minlength=width)
    step = 7 if bucket == "week" else 1
    out = []
    first_offset = max(0, ((len(counts) - 1) // step + 1 - MAX_BUCKETS) * step)  # centuries of years: the latest
    for offset in range(first_offset, len(counts), step):
        item = {"value": bucket_label(int(edge[0]) + offset, bucket), "count": int(counts[offset]),
                "bucket": bucket}
        if dead is not None:
            item["killed"] = int(dead[offset])
        out.append(item)
    return out


def per_day(days: np.ndarray, bucket: str, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Bucket keys of every day from the first to the last, with the reports (or the sum of WEIGHTS)
    on each: only the days, not the reports, go through the bucket conversion."""
    start = int(days.min())
    on_day = np.bincount(days - start, weights=weights)
    return bucket_keys(np.arange(start, start + len(on_day), dtype=np.int64), bucket), on_day


def within(days: np.ndarray, low: int | None, high: int | None) -> np.ndarray:
    inside = np.ones(len(days), dtype=bool)
    if low is not None:
        inside &= days >= low
    if high is not None:
        inside &= days <= high
    return inside


__all__ = ["EPOCH", "date_histogram", "event_facet", "pair_facet", "source_facet"]
