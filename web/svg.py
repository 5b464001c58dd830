"""Server-side SVG: the date histogram (bars are links) and the article's map of places.

Drawn on the server so the page works without JavaScript and ships no chart or tile library.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from markupsafe import Markup, escape

from .formatting import arabic_date

OUTLINE = Path(__file__).with_name("data") / "region_outline.json"


def histogram(buckets: Sequence[dict], link: Callable[[dict], str], *, width: int = 300,
              height: int = 90) -> Markup:
    if not buckets:
        return Markup("")
    peak = max(b["count"] for b in buckets) or 1
    step = width / len(buckets)
    bar = max(step - 2, 1)
    parts = [f'<svg class="histogram" viewBox="0 0 {width} {height + 14}" role="img" '
             f'aria-label="توزيع النتائج حسب التاريخ">']
    for i, bucket in enumerate(buckets):
        h = max(bucket["count"] / peak * height, 1 if bucket["count"] else 0)
        x = width - (i + 1) * step + 1  # right to left: the oldest bucket on the right
        label = f"{arabic_date(bucket['value'])}: {bucket['count']}"
        parts.append(
            f'<a href="{escape(link(bucket))}" aria-label="{escape(label)}">'
            f'<title>{escape(label)}</title>'
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="1"/></a>')
    first, last = buckets[0]["value"], buckets[-1]["value"]
    parts.append(f'<text x="{width}" y="{height + 12}" text-anchor="end">{escape(arabic_date(first))}</text>')
    if len(buckets) > 1:
        parts.append(f'<text x="0" y="{height + 12}" text-anchor="start">{escape(arabic_date(last))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@lru_cache(maxsize=1)
def outline() -> dict:
    return json.loads(OUTLINE.read_text("utf-8"))


def place_map(places: Sequence[dict], link: Callable[[dict], str], *, width: int = 320) -> Markup:
    """Dots for the places with coordinates, over the region's outline, framed on them."""
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

    parts = [f'<svg class="map" viewBox="0 0 {width} {width}" role="img" aria-label="خريطة الأماكن المذكورة" '
             f'><rect class="sea" width="{width}" height="{width}"/>']
    for country in outline()["countries"]:
        for ring in country["rings"]:
            if all(x < x0 or x > x1 for x, _ in ring) or all(y < y0 or y > y1 for _, y in ring):
                continue
            coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, y) for x, y in ring))
            parts.append(f'<polygon class="land" points="{coords}"/>')
    inside = [p for p in points if x0 <= p["lon"] <= x1 and y0 <= p["lat"] <= y1]
    for place in sorted(inside, key=lambda p: p["kind"] != "country"):
        x, y = xy(place["lon"], place["lat"])
        name = escape(place["name_ar"])
        parts.append(f'<a href="{escape(link(place))}"><title>{name}</title>'
                     f'<circle class="pin pin-{escape(place["kind"])}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>'
                     f'<text x="{x - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{name}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
