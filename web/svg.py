"""Server-side SVG: the date histogram (bars are links) and the article's map of places.

Drawn on the server so the page works without JavaScript and ships no chart or tile library.
The page is right-to-left and SVG text inherits that direction, so every label states its
direction and anchors for it: in RTL, "start" is the right edge of the text.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from markupsafe import Markup, escape

from .formatting import arabic_date, bucket_range

OUTLINE = Path(__file__).with_name("data") / "region_outline.json"
MAX_BARS = 40
LABEL_EM = 0.62  # average advance of Naskh letters and digits, in ems: enough to keep labels apart


# histogram ------------------------------------------------------------------------------------
def merged_buckets(buckets: Sequence[dict], most: int = MAX_BARS) -> list[dict]:
    """At most MOST bars: runs of neighbouring buckets merged, each keeping the days it covers,
    so a bar is wide enough to see and to click whatever span the search has."""
    spans = [{"start": s, "end": e, "count": b["count"], "killed": b.get("killed") or 0, "value": b["value"]}
             for b in buckets for s, e in [bucket_range(b["value"], b.get("bucket"))]]
    size = max(1, math.ceil(len(spans) / most))
    if size == 1:
        return spans
    merged = []
    for i in range(0, len(spans), size):
        run = spans[i:i + size]
        merged.append({"start": run[0]["start"], "end": run[-1]["end"], "count": sum(r["count"] for r in run),
                       "killed": sum(r["killed"] for r in run), "value": run[0]["value"]})
    return merged


def span_label(span: dict) -> str:
    """'مارس 2023' for a bucket that is one month, '1 مارس 2023 – 31 مايو 2023' for a merged run."""
    value = span["value"]
    if (span["start"], span["end"]) == bucket_range(value) and len(value) in (4, 7, 10):
        return arabic_date(value)
    return f"{arabic_date(span['start'])} – {arabic_date(span['end'])}"


MEASURES = {"count": "عدد التقارير", "killed": "عدد القتلى"}


def histogram(buckets: Sequence[dict], link: Callable[[str, str], str], *, width: int = 300,
              height: int = 80, measure: str = "count") -> Markup:
    """Bars for BUCKETS (reports, or MEASURE="killed": the killed totals those reports state),
    oldest on the right as Arabic reads; each non-empty bar links to LINK(first_day, last_day)
    and the whole column is its target."""
    spans = merged_buckets(buckets)
    if not spans or not any(s[measure] for s in spans):
        return Markup("")
    peak = max(s[measure] for s in spans)
    step = width / len(spans)
    gap = min(2.0, step * 0.25)
    parts = [f'<svg class="histogram" data-measure="{measure}" viewBox="0 0 {width} {height + 18}" role="group" '
             f'aria-label="{MEASURES[measure]} حسب التاريخ، من {escape(span_label(spans[0]))} '
             f'إلى {escape(span_label(spans[-1]))}">']
    for i, span in enumerate(spans):
        if not span[measure]:
            continue
        h = max(span[measure] / peak * (height - 4), 2)
        x = width - (i + 1) * step  # right to left: the oldest bucket on the right
        label = f"{span_label(span)}: {span[measure]}"
        parts.append(
            f'<a href="{escape(link(span["start"], span["end"]))}" aria-label="{escape(label)}">'
            f'<title>{escape(label)}</title>'
            f'<rect class="target" x="{x:.1f}" y="0" width="{step:.1f}" height="{height}"/>'
            f'<rect class="bar" x="{x + gap / 2:.1f}" y="{height - h:.1f}" width="{step - gap:.1f}" '
            f'height="{h:.1f}" rx="1"/></a>')
    parts.append(f'<line class="axis" x1="0" x2="{width}" y1="{height + .5}" y2="{height + .5}"/>')
    parts.append(f'<text x="{width}" y="{height + 15}" direction="rtl" text-anchor="start">'
                 f'{escape(arabic_date(spans[0]["start"]))}</text>')
    if len(spans) > 1:
        parts.append(f'<text x="0" y="{height + 15}" direction="rtl" text-anchor="end">'
                     f'{escape(arabic_date(spans[-1]["end"]))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# map ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def outline() -> dict:
    return json.loads(OUTLINE.read_text("utf-8"))


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def label_positions(pins: Sequence[tuple[float, float, str]], size: float, font: float = 11) -> list[tuple[float, str] | None]:
    """For each pin (x, y, text), in priority order: where its label goes, as (x, anchor) for
    right-to-left text, or None when it would cover a pin or a label placed before it."""
    taken: list[Box] = [(x - 4, y - 4, x + 4, y + 4) for x, y, _ in pins]
    placed: list[tuple[float, str] | None] = []
    for index, (x, y, text) in enumerate(pins):
        width = len(text) * font * LABEL_EM
        top, bottom = y - font * 0.75, y + font * 0.4
        choice = None
        for box, spot in (((x - 6 - width, top, x - 6, bottom), (x - 6, "start")),   # left of the pin
                          ((x + 6, top, x + 6 + width, bottom), (x + 6, "end"))):    # right of the pin
            inside = box[0] >= 1 and box[2] <= size - 1 and box[1] >= 1 and box[3] <= size - 1
            others = [b for i, b in enumerate(taken) if i != index]
            if inside and not any(_overlaps(box, other) for other in others):
                choice = spot
                taken.append(box)
                break
        placed.append(choice)
    return placed


KIND_PRIORITY = {"city": 0, "town": 0, "site": 1, "district": 1, "governorate": 2, "region": 3, "country": 4}


def place_map(places: Sequence[dict], link: Callable[[dict], str], *, width: int = 320) -> Markup:
    """Dots for the places with coordinates, over the region's outline, framed on them; a name
    is written where it fits, the others keep theirs as a tooltip and in the list beside."""
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    lon_min, lat_min, lon_max, lat_max = outline()["bbox"]
    points = [p for p in located if lon_min <= p["lon"] <= lon_max and lat_min <= p["lat"] <= lat_max]
    if not points:
        return Markup("")
    framing = [p for p in points if p["kind"] != "country"] or points
    lons = [p["lon"] for p in framing]
    lats = [p["lat"] for p in framing]
    span = max(max(lons) - min(lons), max(lats) - min(lats), 4.0) * 1.3
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    x0, x1, y0, y1 = cx - span / 2, cx + span / 2, cy - span / 2, cy + span / 2
    scale = width / span

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - x0) * scale, (y1 - lat) * scale

    parts = [f'<svg class="map" viewBox="0 0 {width} {width}" role="group" aria-label="خريطة الأماكن المذكورة">'
             f'<rect class="sea" width="{width}" height="{width}"/>']
    for country in outline()["countries"]:
        for ring in country["rings"]:
            if all(x < x0 or x > x1 for x, _ in ring) or all(y < y0 or y > y1 for _, y in ring):
                continue
            coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, y) for x, y in ring))
            parts.append(f'<polygon class="land" points="{coords}"/>')
    inside = [p for p in points if x0 <= p["lon"] <= x1 and y0 <= p["lat"] <= y1]
    order = sorted(range(len(inside)), key=lambda i: (KIND_PRIORITY.get(inside[i]["kind"], 2), i))
    ranked = [inside[i] for i in order]
    pins = [(*xy(p["lon"], p["lat"]), p["name_ar"]) for p in ranked]
    labels = label_positions(pins, width)
    for place, (x, y, name), label in sorted(zip(ranked, pins, labels), key=lambda t: t[0]["kind"] != "country"):
        text = ""
        if label is not None:
            text = (f'<text x="{label[0]:.1f}" y="{y + 4:.1f}" direction="rtl" text-anchor="{label[1]}">'
                    f'{escape(name)}</text>')
        parts.append(f'<a href="{escape(link(place))}" aria-label="{escape(name)}"><title>{escape(name)}</title>'
                     f'<circle class="pin pin-{escape(place["kind"])}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>{text}</a>')
    parts.append("</svg>")
    return Markup("".join(parts))
