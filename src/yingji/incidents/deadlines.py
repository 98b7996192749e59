"""Reporting time limits of State Council Order 493 (生产安全事故报告和调查处理条例), art. 9-11 and 13.

- Art. 9: the unit's head reports to the county-level (here: district) safety authority within 1 hour.
- Art. 10: the authorities report upward level by level; the last level depends on the grade.
- Art. 11: each level of upward reporting takes no more than 2 hours.
- Art. 13: changes of casualty figures within 30 days of the accident are reported (7 days for road traffic
  and fire accidents).
Source: the text of Order 493, art. 9-13. The district bureau applies the same per-level
limit to incidents of every category (house rule: Order 493 itself covers production-safety accidents only).
"""

from datetime import datetime, timedelta
from typing import Final

UNIT_TO_DISTRICT: Final = timedelta(hours=1)
PER_LEVEL: Final = timedelta(hours=2)
SUPPLEMENTARY_WINDOW: Final = timedelta(days=30)
SHORT_SUPPLEMENTARY_WINDOW: Final = timedelta(days=7)
# Incident type codes of the taxonomy whose supplementary-report window is 7 days (art. 13).
SHORT_WINDOW_TYPES: Final = frozenset({"road_traffic", "fire"})

# Levels of government above the district, in reporting order, and the last level each grade goes to (art. 10).
LEVELS: Final = ("city", "province", "state")
LEVEL_LABELS: Final = {
    "city": "黄石市应急管理局",
    "province": "湖北省应急管理厅",
    "state": "应急管理部",
}
DESTINATION: Final = {"I": "state", "II": "state", "III": "province", "IV": "city"}


def enterprise_report_due(known_at: datetime) -> datetime:
    """When the enterprise must have reported to the district bureau (art. 9: within 1 hour)."""
    return known_at + UNIT_TO_DISTRICT


def upward_report_due(received_at: datetime) -> datetime:
    """When the district bureau must have reported to the next level up (art. 11: within 2 hours)."""
    return received_at + PER_LEVEL


def levels_to_report(grade: str | None) -> tuple[str, ...]:
    """The levels above the district that must hear of the accident (art. 10); one level when ungraded."""
    destination = DESTINATION.get(grade or "", "city")
    return LEVELS[: LEVELS.index(destination) + 1]


def chain_deadlines(*, known_at: datetime, grade: str | None) -> list[tuple[str, datetime]]:
    """Latest time each level may hear of it, counting from when the unit's head knew (1 h, then 2 h a level)."""
    due = enterprise_report_due(known_at)
    chain = [("district", due)]
    for level in levels_to_report(grade):
        due = due + PER_LEVEL
        chain.append((level, due))
    return chain


def upward_chain(*, first_due: datetime, grade: str | None) -> list[tuple[str, datetime]]:
    """Latest time each level above the district hears of it, from the district's own report deadline (the report
    row's `due_at`), then 2 hours a level (art. 11)."""
    return [(level, first_due + PER_LEVEL * n) for n, level in enumerate(levels_to_report(grade))]


def supplementary_window(type_code: str) -> timedelta:
    """How long after the accident changed casualty figures must be reported (art. 13)."""
    return SHORT_SUPPLEMENTARY_WINDOW if type_code in SHORT_WINDOW_TYPES else SUPPLEMENTARY_WINDOW


def in_supplementary_window(*, occurred_at: datetime, now: datetime, type_code: str) -> bool:
    """Whether a casualty change at `now` still falls inside the art. 13 window (its last moment included)."""
    return now <= occurred_at + supplementary_window(type_code)


def seconds_left(due_at: datetime, now: datetime) -> int:
    """Whole seconds until `due_at` (negative once overdue)."""
    return int((due_at - now).total_seconds() // 1)
