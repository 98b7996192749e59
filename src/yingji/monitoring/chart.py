"""A small line chart of recent readings as SVG path data, drawn on the server: no chart library, no CDN."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Chart:
    path: str
    low: float
    high: float
    first: datetime
    last: datetime
    count: int
    width: int
    height: int
    guides: tuple[tuple[str, float, float], ...] = ()


def line_chart(
    points: Sequence[tuple[datetime, float]],
    *,
    width: int = 600,
    height: int = 120,
    guides: dict[str, float] | None = None,
) -> Chart | None:
    """Scale (time, value) points into a `width` × `height` box (2 px margin); None without points. `guides` are
    named horizontal lines (a station's 设防 / 警戒 / 保证 levels): the scale takes them in, and the chart gives each
    one's y."""
    if not points:
        return None
    t0, t1 = points[0][0].timestamp(), points[-1][0].timestamp()
    values = [v for _t, v in points] + list((guides or {}).values())
    low, high = min(values), max(values)
    span_t = (t1 - t0) or 1.0
    span_v = (high - low) or 1.0
    inner_w, inner_h = width - 4, height - 4
    commands = []
    for i, (t, v) in enumerate(points):
        x = 2 + (t.timestamp() - t0) / span_t * inner_w
        y = 2 + inner_h - (v - low) / span_v * inner_h
        commands.append(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}")
    lines = tuple(
        (name, value, round(2 + inner_h - (value - low) / span_v * inner_h, 1))
        for name, value in (guides or {}).items()
    )
    return Chart(" ".join(commands), low, high, points[0][0], points[-1][0], len(points), width, height, lines)
