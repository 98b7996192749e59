"""River, lake and reservoir levels: the stages 设防 / 警戒 / 保证, the alarm level each stage raises, the margin to
each, the hourly trend, and the 三防 (防汛) response level the stations' state proposes.

Pure functions over plain values. The stage → alarm level table and the response rules are data: the bureau keeps
its own (the 湖北省防汛抗旱应急预案 triggers were not available; the defaults follow observed practice, Ⅳ when a
main-stem station passes 设防 and Ⅲ when one passes 警戒, and are illustrative).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.monitoring.rules import Level


class Stage(models.TextChoices):
    FORTIFY = "fortify", _("Fortification level (设防)")
    WARNING = "warning", _("Warning level (警戒)")
    GUARANTEE = "guarantee", _("Guaranteed level (保证)")


STAGE_ORDER: tuple[str, ...] = (Stage.FORTIFY, Stage.WARNING, Stage.GUARANTEE)
# Which alarm level crossing each stage raises (the rule synchronised from a station's levels).
STAGE_ALARM: dict[str, str] = {Stage.FORTIFY: Level.BLUE, Stage.WARNING: Level.YELLOW, Stage.GUARANTEE: Level.RED}


class ResponseLevel(models.IntegerChoices):
    """防汛 emergency response levels, Ⅳ (least) to Ⅰ (most severe)."""

    IV = 4, _("Level IV")
    III = 3, _("Level III")
    II = 2, _("Level II")
    I = 1, _("Level I")  # noqa: E741 (the level's name)


# The numeral each level is written with (and plans name their response levels by).
NUMERAL: dict[int, str] = {4: "IV", 3: "III", 2: "II", 1: "I"}


@dataclass(frozen=True)
class ResponseCriterion:
    """A response level proposed when at least `min_stations` stations of `station_kind` (any when blank) are at or
    over `stage`."""

    level: int
    stage: str
    min_stations: int = 1
    station_kind: str = ""


DEFAULT_RESPONSE_RULES: tuple[ResponseCriterion, ...] = (
    ResponseCriterion(ResponseLevel.IV, Stage.FORTIFY, 1, "river"),
    ResponseCriterion(ResponseLevel.III, Stage.WARNING, 1, "river"),
    ResponseCriterion(ResponseLevel.II, Stage.WARNING, 2, ""),
    ResponseCriterion(ResponseLevel.I, Stage.GUARANTEE, 1, ""),
)


@dataclass(frozen=True)
class StationState:
    code: str
    kind: str
    stage: str | None


def stages_of(levels: dict[str, float | None]) -> dict[str, float]:
    """The stages a station has values for, in order."""
    found: dict[str, float] = {}
    for stage in STAGE_ORDER:
        value = levels.get(stage)
        if value is not None:
            found[stage] = value
    return found


def stage_reached(value: float, levels: dict[str, float | None]) -> str | None:
    """The highest stage the level is at or over (None: below 设防)."""
    reached = None
    for stage, limit in stages_of(levels).items():
        if value >= limit:
            reached = stage
    return reached


def margins(value: float, levels: dict[str, float | None]) -> dict[str, float]:
    """Metres from the level to each stage (negative: below it)."""
    return {stage: round(value - limit, 3) for stage, limit in stages_of(levels).items()}


def hourly_trend(points: Sequence[tuple[datetime, float]], at: datetime, hours: int = 24) -> list[dict[str, Any]]:
    """For each of the last `hours` full hours before `at`, the last level of the hour and its change from the
    previous hour's last level (None where an hour has no reading)."""
    top = at.replace(minute=0, second=0, microsecond=0)
    rows = []
    previous: float | None = None
    for i in range(hours, 0, -1):
        start, end = top - timedelta(hours=i), top - timedelta(hours=i - 1)
        inside = [v for t, v in points if start <= t < end]
        last = inside[-1] if inside else None
        change = round(last - previous, 3) if last is not None and previous is not None else None
        rows.append({"hour": start, "level": last, "change": change})
        previous = last if last is not None else previous
    return rows


def rate_per_hour(points: Sequence[tuple[datetime, float]], at: datetime) -> float | None:
    """Metres per hour over the last hour (from the first to the last reading in it), None under two readings."""
    recent = [(t, v) for t, v in points if at - timedelta(hours=1) <= t <= at]
    if len(recent) < 2 or recent[-1][0] == recent[0][0]:
        return None
    hours = (recent[-1][0] - recent[0][0]).total_seconds() / 3600
    return round((recent[-1][1] - recent[0][1]) / hours, 3)


def propose_response(
    states: Iterable[StationState], rules: Iterable[ResponseCriterion] = DEFAULT_RESPONSE_RULES
) -> tuple[int | None, list[ResponseCriterion]]:
    """The most severe response level whose rule the stations meet (None: no response), with the rules met."""
    states = list(states)
    rank = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    met = []
    for rule in rules:
        count = sum(
            1
            for s in states
            if s.stage is not None
            and rank[s.stage] >= rank[rule.stage]
            and (not rule.station_kind or s.kind == rule.station_kind)
        )
        if count >= rule.min_stations:
            met.append(rule)
    return (min((r.level for r in met), default=None), met)
