"""A statistic's result as what a page shows: figure cards (with last year's figure and the change) and tables.
Generic, like the Excel exporter, so a statistic registered later shows with no new template."""

from typing import Any

from yingji.analytics.excel import _is_scalar, label
from yingji.analytics.stats import STATS, Result


def change(current: Any, previous: Any) -> float | None:
    if not isinstance(current, int | float) or not isinstance(previous, int | float) or not previous:
        return None
    return (current - previous) / previous


def _cell(value: Any) -> Any:
    if isinstance(value, float) and 0 < abs(value) < 1 and value != round(value, 2):
        return round(value, 4)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "—" if value is None else value


def present(name: str, result: Result) -> dict[str, Any]:
    previous = result.get("previous")
    cards, tables = [], []
    for key, value in result.items():
        if key == "previous":
            continue
        if _is_scalar(value):
            before = previous.get(key) if previous else None
            cards.append(
                {
                    "key": key,
                    "label": label(key),
                    "value": _cell(value),
                    "previous": before,
                    "change": change(value, before),
                }
            )
        elif isinstance(value, dict) and all(_is_scalar(v) for v in value.values()):
            before = previous.get(key, {}) if previous else None
            rows = [
                [label(k, key), v] + ([before.get(k, 0), change(v, before.get(k, 0))] if before is not None else [])
                for k, v in value.items()
            ]
            tables.append({"key": key, "title": label(key), "yoy": before is not None, "rows": rows, "head": []})
        elif isinstance(value, list):
            keys = [k for k, v in value[0].items() if _is_scalar(v)] if value else []
            rows = [[_cell(record.get(k)) for k in keys] for record in value]
            tables.append(
                {"key": key, "title": label(key), "yoy": False, "rows": rows, "head": [label(k) for k in keys]}
            )
    return {"name": name, "label": str(STATS[name].label), "cards": cards, "tables": tables}
