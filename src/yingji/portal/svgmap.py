"""A route drawn as a small inline SVG: the shelter finder's map that needs no JavaScript, no tiles and a few
hundred bytes, so it shows on a weak connection."""

import math
from typing import Any


def route_svg(coordinates: list[list[float]], *, width: int = 320, height: int = 200, pad: int = 14) -> dict[str, Any]:
    """Screen points of a GeoJSON LineString's [lon, lat] pairs, fitted into width × height with north up and
    equal scale both ways: `points` for a polyline, `start`/`end` and the scale bar (`bar_px`, `bar_m`)."""
    if not coordinates:
        return {}
    lat0 = math.radians(sum(c[1] for c in coordinates) / len(coordinates))
    xs = [c[0] * math.cos(lat0) * 111_320 for c in coordinates]
    ys = [c[1] * 110_574 for c in coordinates]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 50.0)
    scale = min(width - 2 * pad, height - 2 * pad) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    points = [(width / 2 + (x - cx) * scale, height / 2 - (y - cy) * scale) for x, y in zip(xs, ys, strict=True)]
    # A round scale bar of about a quarter of the width.
    target_m = (width / 4) / scale
    bar_m = next((m for m in (50, 100, 200, 250, 500, 1000, 2000, 5000) if m >= target_m), 5000)
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        "start": {"x": round(points[0][0], 1), "y": round(points[0][1], 1)},
        "end": {"x": round(points[-1][0], 1), "y": round(points[-1][1], 1)},
        # The shelter's name reads away from the edge it is near.
        "end_anchor": "end" if points[-1][0] > width / 2 else "start",
        "end_dx": -10 if points[-1][0] > width / 2 else 10,
        "end_box": {"x": round(points[-1][0] - 6, 1), "y": round(points[-1][1] - 6, 1)},
        "bar_m": bar_m,
        "bar_px": round(bar_m * scale, 1),
        "bar_x2": round(10 + bar_m * scale, 1),
        "bar_y": height - 10,
        "label_y": height - 14,
        "north_x": width - 14,
    }
