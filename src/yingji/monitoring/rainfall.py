"""Rain accumulations and the rainstorm warning signal, as pure functions over a gauge's readings.

A rain gauge reports `rain_mm`, the rain since its previous reading (as tipping-bucket gauges do). The rain of a
window (start, end] is the sum of the readings whose time falls in it. Where the gauge was silent for longer than
the station's `max_gap`, the window has a gap: the gap is shown, never filled, and the window is not complete
(the rain of a reading that ends a long silence may have fallen before the window began).

The signal criteria are data (中国气象局令第16号《气象灾害预警信号发布与传播办法》, annex 暴雨预警信号): blue when
50 mm fall within 12 hours, yellow 50 mm within 6 hours, orange 50 mm within 3 hours, red 100 mm within 3 hours.
A signal is met by an observation ("已达…"); the highest level met is the signal. The bureau may replace the
criteria (local variants exist) with rows of `RainstormCriterion`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from yingji.monitoring.rules import RANK, Level

WINDOW_HOURS: tuple[int, ...] = (1, 3, 6, 12, 24)
MAX_HOURS = 24
DEFAULT_MAX_GAP = timedelta(minutes=20)


@dataclass(frozen=True)
class Criterion:
    """One level of the rainstorm signal: at least `mm` of rain within `hours`."""

    level: str
    hours: int
    mm: float
    guidance: str = ""


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        Level.BLUE,
        12,
        50.0,
        "政府及相关部门按照职责做好防暴雨准备工作；学校、幼儿园采取适当措施，保证学生和幼儿安全；驾驶人员应当注意道路积水和"
        "交通阻塞，确保安全；检查城市、农田、鱼塘排水系统，做好排涝准备。",
    ),
    Criterion(
        Level.YELLOW,
        6,
        50.0,
        "政府及相关部门按照职责做好防暴雨工作；交通管理部门应当根据路况在强降雨路段采取交通管制措施，在积水路段实行交通引导；"
        "切断低洼地带有危险的室外电源，暂停在空旷地方的户外作业，转移危险地带人员和危房居民到安全场所避雨；检查城市、农田、"
        "鱼塘排水系统，采取必要的排涝措施。",
    ),
    Criterion(
        Level.ORANGE,
        3,
        50.0,
        "政府及相关部门按照职责做好防暴雨应急工作；切断有危险的室外电源，暂停户外作业；处于危险地带的单位应当停课、停业，采取"
        "专门措施保护已到校学生、幼儿和其他上班人员的安全；做好城市、农田的排涝，注意防范可能引发的山洪、滑坡、泥石流等灾害。",
    ),
    Criterion(
        Level.RED,
        3,
        100.0,
        "政府及相关部门按照职责做好防暴雨应急和抢险工作；停止集会、停课、停业（除特殊行业外）；做好山洪、滑坡、泥石流等灾害的"
        "防御和抢险工作。",
    ),
)


@dataclass(frozen=True)
class Accumulation:
    """The rain of one window: `mm`, whether it is `complete` (no gap), and the gaps as (start, end) pairs."""

    mm: float
    start: datetime
    end: datetime
    complete: bool
    gaps: tuple[tuple[datetime, datetime], ...] = field(default_factory=tuple)
    readings: int = 0


def accumulate(
    readings: Sequence[tuple[datetime, float]],
    *,
    start: datetime,
    end: datetime,
    max_gap: timedelta = DEFAULT_MAX_GAP,
) -> Accumulation:
    """The rain in (start, end] from increments sorted by time. `readings` may include earlier ones: the last
    reading at or before `start` tells whether the first one inside covers only the window."""
    before = [t for t, _v in readings if t <= start]
    inside = [(t, v) for t, v in readings if start < t <= end]
    marks = [before[-1] if before else start, *(t for t, _v in inside), end]
    gaps = tuple(
        (max(a, start), min(b, end)) for a, b in zip(marks, marks[1:], strict=False) if b - a > max_gap and b > start
    )
    total = round(sum(v for _t, v in inside), 3)
    return Accumulation(total, start, end, not gaps, gaps, len(inside))


def window_signal(mm: float, hours: float, criteria: Iterable[Criterion] = DEFAULT_CRITERIA) -> str | None:
    """The signal an amount of rain within `hours` meets: a criterion of H hours is met by at least its
    millimetres within any span of at most H hours."""
    met = [c.level for c in criteria if hours <= c.hours and round(mm, 3) >= c.mm]
    return max(met, key=RANK.__getitem__, default=None)


def totals_at(readings: Sequence[tuple[datetime, float]], at: datetime, hours: Iterable[int]) -> dict[int, float]:
    """The rain of each of the last `hours` windows ending at `at` (readings at or before `at`)."""
    return {h: round(sum(v for t, v in readings if at - timedelta(hours=h) < t <= at), 3) for h in sorted(set(hours))}


def station_signal(totals: dict[int, float], criteria: Iterable[Criterion] = DEFAULT_CRITERIA) -> Criterion | None:
    """The highest criterion the station's totals meet (each criterion judged on its own window)."""
    met = [c for c in criteria if c.hours in totals and totals[c.hours] >= c.mm]
    return max(met, key=lambda c: (RANK[c.level], -c.hours), default=None)


def signal_rank(criterion: Criterion | None) -> int:
    """0 for no signal, 1 blue … 4 red: the value of the derived `rainstorm_signal` metric."""
    return RANK[criterion.level] if criterion else 0
