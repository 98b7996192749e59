"""A drill's score from the platform's own logs: time to report, to dispatch, to arrival, and tasks done on time.

AQ/T 9009-2015 marks its checklist items yes or no and gives no number; this score is the platform's own measure,
set beside the form. Each part is worth 25 points, full marks within its target time and falling linearly to
zero at three times the target; tasks count by the share done on time.
"""

from dataclasses import dataclass, field

# Target times in minutes: the report is the statutory first hour (Order 493, art. 9), the rest are district goals.
TARGETS_MIN = {"report": 60.0, "dispatch": 10.0, "arrival": 30.0}
PART_POINTS = 25


@dataclass(frozen=True)
class Metrics:
    """Minutes from the start of the drill to the first report sent, the first dispatch and the first arrival
    (None: it never happened), and tasks in all and done by their deadline."""

    report_min: float | None = None
    dispatch_min: float | None = None
    arrival_min: float | None = None
    tasks_total: int = 0
    tasks_on_time: int = 0


@dataclass(frozen=True)
class Score:
    total: int
    parts: dict[str, float] = field(default_factory=dict)


def _timed(minutes: float | None, target: float) -> float:
    if minutes is None:
        return 0.0
    if minutes <= target:
        return float(PART_POINTS)
    return max(0.0, PART_POINTS * (3 * target - minutes) / (2 * target))


def score(metrics: Metrics) -> Score:
    """The drill's score out of 100 and each part's points."""
    parts = {
        "report": _timed(metrics.report_min, TARGETS_MIN["report"]),
        "dispatch": _timed(metrics.dispatch_min, TARGETS_MIN["dispatch"]),
        "arrival": _timed(metrics.arrival_min, TARGETS_MIN["arrival"]),
        "tasks": PART_POINTS * metrics.tasks_on_time / metrics.tasks_total if metrics.tasks_total else 0.0,
    }
    parts = {name: round(points, 1) for name, points in parts.items()}
    return Score(total=round(sum(parts.values())), parts=parts)
