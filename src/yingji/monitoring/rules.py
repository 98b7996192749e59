"""Alarm rule evaluation: thresholds at four levels, rate of change over a window and no data (offline),
with a deadband (hysteresis) so a value hovering at a threshold does not flap.

Pure functions over plain values: the ingest process and the worker call them with cached rules and
in-memory alarm state, and the tests call them without a database.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four warning levels of the Emergency Response Law, art. 43: blue (IV) up to red (I)."""

    BLUE = "blue", _("Blue (IV)")
    YELLOW = "yellow", _("Yellow (III)")
    ORANGE = "orange", _("Orange (II)")
    RED = "red", _("Red (I)")


LEVEL_ORDER: tuple[str, ...] = (Level.BLUE, Level.YELLOW, Level.ORANGE, Level.RED)
RANK: dict[str, int] = {level: i + 1 for i, level in enumerate(LEVEL_ORDER)}


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", _("Threshold")
    RATE = "rate", _("Rate of change")
    OFFLINE = "offline", _("No data (offline)")


class Direction(models.TextChoices):
    ABOVE = "above", _("Above (upper limit / rise)")
    BELOW = "below", _("Below (lower limit / fall)")


@dataclass(frozen=True)
class RuleSpec:
    """A rule as evaluation sees it. `thresholds` maps a level to its limit; only set levels appear."""

    id: int
    kind: str
    metric: str = ""
    device_id: int | None = None
    device_type: str = ""
    direction: str = Direction.ABOVE
    thresholds: dict[str, float] = field(default_factory=dict)
    deadband: float = 0.0
    level: str = Level.YELLOW
    rate_delta: float = 0.0
    window_s: int = 300
    offline_minutes: int = 30

    @property
    def specificity(self) -> int:
        """A device's own rule beats its type's rule, which beats a rule for the metric alone."""
        return 2 if self.device_id is not None else 1 if self.device_type else 0

    def covers(self, *, device_id: int, device_type: str) -> bool:
        if self.device_id is not None:
            return self.device_id == device_id
        return self.device_type in ("", device_type)


def higher(a: str | None, b: str | None) -> str | None:
    """The more severe of two levels (None is normal)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if RANK[a] >= RANK[b] else b


def applicable_rules(rules: Iterable[RuleSpec], *, device_id: int, device_type: str, metric: str) -> list[RuleSpec]:
    """The value rules (threshold, rate) that judge one metric of one device: for each kind and
    direction only the most specific rule counts, so a device's calibrated limits replace its type's."""
    best: dict[tuple[str, str], RuleSpec] = {}
    for rule in rules:
        if rule.kind == RuleKind.OFFLINE or rule.metric != metric:
            continue
        if not rule.covers(device_id=device_id, device_type=device_type):
            continue
        key = (rule.kind, rule.direction)
        if key not in best or rule.specificity > best[key].specificity:
            best[key] = rule
    return sorted(best.values(), key=lambda r: r.id)


def offline_rule_for(rules: Iterable[RuleSpec], *, device_id: int, device_type: str) -> RuleSpec | None:
    """The most specific no-data rule covering a device, if any."""
    candidates = [
        r for r in rules if r.kind == RuleKind.OFFLINE and r.covers(device_id=device_id, device_type=device_type)
    ]
    return max(candidates, key=lambda r: (r.specificity, -r.id), default=None)


def _beyond(value: float, limit: float, direction: str) -> bool:
    return value >= limit if direction == Direction.ABOVE else value <= limit


def threshold_level(rule: RuleSpec, value: float, current: str | None) -> str | None:
    """The level a value reaches against the rule's four limits. Entering a level needs the limit itself;
    leaving a level the alarm already holds needs the value to pass back through the deadband."""
    sign = 1 if rule.direction == Direction.ABOVE else -1
    reached = None
    for level in LEVEL_ORDER:
        limit = rule.thresholds.get(level)
        if limit is None:
            continue
        if _beyond(value, limit, rule.direction):
            reached = level
        elif current is not None and RANK[level] <= RANK[current]:
            # Still inside the deadband of a level the alarm holds: stay there.
            if _beyond(value, limit - sign * rule.deadband, rule.direction):
                reached = level
    return reached


def rate_level(
    rule: RuleSpec, window: Sequence[tuple[datetime, float]], at: datetime, value: float, current: str | None
) -> str | None:
    """The rule's level when the value has risen (or fallen) by at least `rate_delta` from the extreme
    seen within the last `window_s` seconds; the deadband keeps a held alarm until the change drops below
    `rate_delta - deadband`."""
    recent = [v for t, v in window if 0 <= (at - t).total_seconds() <= rule.window_s]
    if not recent:
        return None
    change = value - min(recent) if rule.direction == Direction.ABOVE else max(recent) - value
    if change >= rule.rate_delta:
        return rule.level
    if current is not None and change > rule.rate_delta - rule.deadband:
        return current
    return None


def offline_level(rule: RuleSpec, last_seen: datetime | None, since: datetime, now: datetime) -> str | None:
    """The rule's level when nothing arrived for `offline_minutes` (counted from `since` when the device
    has never reported)."""
    reference = last_seen or since
    return rule.level if (now - reference).total_seconds() >= rule.offline_minutes * 60 else None


def evaluate(
    rule: RuleSpec,
    *,
    value: float,
    at: datetime,
    current: str | None,
    window: Sequence[tuple[datetime, float]] = (),
) -> str | None:
    """The level one reading reaches under one value rule (None: normal)."""
    if rule.kind == RuleKind.THRESHOLD:
        return threshold_level(rule, value, current)
    if rule.kind == RuleKind.RATE:
        return rate_level(rule, window, at, value, current)
    raise ValueError(f"{rule.kind} rules are not judged on a reading")
