"""A statistic's result as what a page shows: figure cards (with last year's figure and the change) and tables.
Generic, like the Excel exporter, so a statistic registered later shows with no new template."""

from typing import Any

from yingji.analytics.excel import aligned, is_scalar, label
from yingji.analytics.stats import STATS, Result


def change(current: Any, previous: Any) -> float | None:
    if not isinstance(current, int | float) or not isinstance(previous, int | float) or not previous:
        return None
    return (current - previous) / previous


# Keys that are ids (kept in JSON and Excel for other systems, left off the page) and keys that are shares.
HIDDEN = {"id", "rule"}
SHARES = ("_share", "_rate", "_coverage")


def _cell(value: Any, key: str = "") -> Any:
    if isinstance(value, float) and key.endswith(SHARES):
        return f"{value:.1%}"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "—" if value is None else value


def present(name: str, result: Result) -> dict[str, Any]:
    previous = result.get("previous")
    cards, tables = [], []
    for key, value in result.items():
        if key == "previous":
            continue
        if is_scalar(value):
            before = previous.get(key) if previous else None
            cards.append(
                {
                    "key": key,
                    "label": label(key),
                    "value": _cell(value, key),
                    "previous": before,
                    "change": change(value, before),
                }
            )
        elif isinstance(value, dict) and all(is_scalar(v) for v in value.values()):
            before = aligned(key, value, previous.get(key, {})) if previous else None
            rows = [
                [label(k, key), v] + ([before.get(k, 0), change(v, before.get(k, 0))] if before is not None else [])
                for k, v in value.items()
            ]
            tables.append({"key": key, "title": label(key), "yoy": before is not None, "rows": rows, "head": []})
        elif isinstance(value, list):
            keys = [k for k, v in value[0].items() if is_scalar(v) and k not in HIDDEN] if value else []
            rows = [[_cell(record.get(k), k) for k in keys] for record in value]
            tables.append(
                {"key": key, "title": label(key), "yoy": False, "rows": rows, "head": [label(k) for k in keys]}
            )
    return {"name": name, "label": str(STATS[name].label), "cards": cards, "tables": tables}
