"""Regenerate web/data/region_outline.json: simplified country outlines of the region for the
article map, drawn as inline SVG with no tiles and no network.

Source: Natural Earth 1:50m admin-0 countries (public domain) as redistributed in the npm
package `world-atlas` (ISC): `npm pack world-atlas@2`, then
`python -m web.build_outline package/countries-50m.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

BBOX = (9.0, 8.0, 64.0, 43.0)  # lon_min, lat_min, lon_max, lat_max: Libya to Iran, Sudan to Turkey
TOLERANCE = 0.08  # degrees: the map is a few hundred pixels wide
OUT = Path(__file__).with_name("data") / "region_outline.json"

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(indexes: Iterable[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def simplify_ring(points: list[Point], tolerance: float) -> list[Point]:
    """A closed ring starts and ends on one point, which gives Douglas-Peucker no baseline:
    split it at the point farthest from the start and simplify both halves."""
    if len(points) < 4:
        return points
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2)
    return simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative so long coastlines do not hit the recursion limit."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        best, best_index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if distance > best:
                best, best_index = distance, i
        if best_index is not None and best > tolerance:
            keep[best_index] = True
            stack += [(first, best_index), (best_index, last)]
    return [p for p, k in zip(points, keep) if k]


def touches_bbox(points: list[Point]) -> bool:
    lon_min, lat_min, lon_max, lat_max = BBOX
    return any(lon_min <= x <= lon_max and lat_min <= y <= lat_max for x, y in points)


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = []
        for polygon in polygons:
            outer = ring(polygon[0], arcs)
            if touches_bbox(outer):
                simple = simplify_ring(outer, TOLERANCE)
                if len(simple) >= 4:
                    rings.append([[round(x, 2), round(y, 2)] for x, y in simple])
        if rings:
            countries.append({"name": geometry.get("properties", {}).get("name", ""), "rings": rings})
    return {"bbox": BBOX, "source": "Natural Earth 1:50m admin-0 (public domain) via world-atlas",
            "countries": countries}


def main(argv: list[str]) -> None:
    topology = json.loads(Path(argv[1]).read_text("utf-8"))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(build(topology), ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv)
