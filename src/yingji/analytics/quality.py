"""Alarm quality (告警质量): which devices, sites and rules cry wolf, and what threshold the readings suggest.

The figures per device, site and rule: alarms per day; the share that cleared within N minutes with nobody
acting (likely false); flapping (an alarm raised again soon after the previous one of the same device and rule
cleared); the time to acknowledge; the rules producing most alarms nobody acted on; a suggested threshold (a
quantile of the readings, lowered so that every alarm people acted on would still have been raised); and the
alarm rate before and after each change of a rule.

The pure functions take plain values and are tested without a database; `alarm_quality_stat` feeds them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.analytics.filters import StatFilters
from yingji.analytics.stats import Result, alarm_rows, in_scope, register
from yingji.core.models import AuditEntry, User
from yingji.monitoring.models import Alarm, Reading, Rule
from yingji.monitoring.rules import Direction, RuleKind

# An alarm raised again within this long after the previous one of the same device and rule cleared is a flap.
FLAP_WINDOW = timedelta(minutes=30)
# The share of readings a suggested threshold leaves below it (above it for a lower limit).
QUANTILE = 0.99
# Readings looked at per rule for a suggestion: the newest ones, enough for a stable 99th percentile.
READINGS_CAP = 100_000
# Rules given a suggestion and a trend, the busiest first: bounds the work however many rules exist.
RULES_ANALYSED = 10
TREND_DAYS = 30


@dataclass(frozen=True)
class AlarmFact:
    """What alarm quality needs of one alarm."""

    id: int
    device_id: int
    device: str
    site_id: int
    site: str
    rule_id: int
    rule: str
    raised_at: datetime
    cleared_at: datetime | None
    acknowledged_at: datetime | None
    acted: bool
    peak: float | None


def likely_false(alarm: AlarmFact, minutes: int) -> bool:
    """Cleared by itself within `minutes` of being raised, before anyone acknowledged it."""
    if alarm.cleared_at is None or alarm.cleared_at - alarm.raised_at > timedelta(minutes=minutes):
        return False
    return alarm.acknowledged_at is None or alarm.acknowledged_at >= alarm.cleared_at


def flap_count(alarms: Iterable[AlarmFact], window: timedelta = FLAP_WINDOW) -> int:
    """How many alarms were raised within `window` after the previous alarm of the same device and rule cleared."""
    by_pair: dict[tuple[int, int], list[AlarmFact]] = defaultdict(list)
    for alarm in alarms:
        by_pair[(alarm.device_id, alarm.rule_id)].append(alarm)
    flaps = 0
    for sequence in by_pair.values():
        sequence.sort(key=lambda a: a.raised_at)
        for before, after in zip(sequence, sequence[1:], strict=False):
            if before.cleared_at is not None and timedelta(0) <= after.raised_at - before.cleared_at <= window:
                flaps += 1
    return flaps


def group_figures(
    alarms: Sequence[AlarmFact],
    key: Callable[[AlarmFact], int],
    name: Callable[[AlarmFact], str],
    *,
    days: int,
    minutes: int,
) -> list[dict[str, Any]]:
    """One row per group (device, site or rule), the most alarms first."""
    groups: dict[int, list[AlarmFact]] = defaultdict(list)
    for alarm in alarms:
        groups[key(alarm)].append(alarm)
    rows = []
    for group_id, members in groups.items():
        false = sum(1 for a in members if likely_false(a, minutes))
        acks = [(a.acknowledged_at - a.raised_at).total_seconds() for a in members if a.acknowledged_at]
        rows.append(
            {
                "id": group_id,
                "name": name(members[0]),
                "alarms": len(members),
                "per_day": round(len(members) / max(days, 1), 3),
                "likely_false": false,
                "likely_false_share": round(false / len(members), 4),
                "flaps": flap_count(members),
                "unacted": sum(1 for a in members if not a.acted),
                "median_ack_s": round(median(acks), 1) if acks else None,
            }
        )
    rows.sort(key=lambda row: (-row["alarms"], row["name"]))
    return rows


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between the order statistics (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def suggest_threshold(
    *,
    readings: Sequence[float],
    current: float,
    direction: str,
    real_peaks: Sequence[float],
    false_peaks: Sequence[float],
    q: float = QUANTILE,
) -> dict[str, Any] | None:
    """A lowest alarm limit suggested by the reading history: the q-quantile of the readings (1 − q for a lower
    limit), moved back so that every real alarm's peak still reaches it, and never looser than `current`'s side
    (a suggestion only ever cuts alarms). None without readings."""
    if not readings:
        return None
    above = direction == Direction.ABOVE
    candidate = quantile(readings, q if above else 1 - q)
    if real_peaks:
        keep = min(real_peaks) if above else max(real_peaks)
        candidate = min(candidate, keep) if above else max(candidate, keep)
    suggested = max(candidate, current) if above else min(candidate, current)

    def raised(peak: float) -> bool:
        return peak >= suggested if above else peak <= suggested

    return {
        "current": current,
        "suggested": round(suggested, 3),
        "quantile": q,
        "readings": len(readings),
        "real_alarms": len(real_peaks),
        "real_kept": sum(1 for p in real_peaks if raised(p)),
        "false_alarms": len(false_peaks),
        "false_avoided": sum(1 for p in false_peaks if not raised(p)),
    }


def _facts(rows: Any) -> list[AlarmFact]:
    values = rows.order_by().values_list(
        "pk",
        "device_id",
        "device__name",
        "device__installation_org_id",
        "device__installation_org__name",
        "org_id",
        "org__name",
        "rule_id",
        "rule__name",
        "raised_at",
        "cleared_at",
        "acknowledged_at",
        "closed_by_id",
        "assignee_id",
        "peak_value",
    )
    facts = []
    for (
        pk,
        device_id,
        device,
        site_id,
        site,
        org_id,
        org,
        rule_id,
        rule,
        raised,
        cleared,
        acked,
        closed_by,
        assignee,
        peak,
    ) in values.iterator(chunk_size=5000):
        facts.append(
            AlarmFact(
                id=pk,
                device_id=device_id,
                device=device,
                site_id=site_id or org_id,
                site=site or org,
                rule_id=rule_id,
                rule=rule,
                raised_at=raised,
                cleared_at=cleared,
                acknowledged_at=acked,
                acted=bool(acked or closed_by or assignee),
                peak=peak,
            )
        )
    return facts


def _lowest_limit(rule: Rule) -> float | None:
    limits = list(rule.thresholds.values())
    if not limits:
        return None
    return min(limits) if rule.direction == Direction.ABOVE else max(limits)


def _suggestions(rules: list[Rule], facts: list[AlarmFact], filters: StatFilters) -> list[dict[str, Any]]:
    suggestions = []
    for rule in rules:
        current = _lowest_limit(rule)
        if rule.kind != RuleKind.THRESHOLD or current is None:
            continue
        mine = [a for a in facts if a.rule_id == rule.pk]
        devices = sorted({a.device_id for a in mine})
        readings = list(
            Reading.objects.filter(device_id__in=devices, metric=rule.metric, ts__gte=filters.start, ts__lt=filters.end)
            .order_by("-ts")
            .values_list("value", flat=True)[:READINGS_CAP]
        )
        real = [a.peak for a in mine if a.acted and not likely_false(a, filters.minutes) and a.peak is not None]
        false = [a.peak for a in mine if likely_false(a, filters.minutes) and a.peak is not None]
        figures = suggest_threshold(
            readings=readings, current=current, direction=rule.direction, real_peaks=real, false_peaks=false
        )
        if figures is not None:
            suggestions.append({"rule": rule.pk, "name": rule.name, "metric": rule.metric, **figures})
    return suggestions


def _trends(user: User | None, rules: list[Rule], filters: StatFilters) -> list[dict[str, Any]]:
    """Alarms per day in the 30 days before and after the latest change of each rule within the period."""
    changes = (
        AuditEntry.objects.filter(
            object_type="monitoring.rule",
            action="rule.update",
            object_id__in=[str(r.pk) for r in rules],
            at__gte=filters.start,
            at__lt=filters.end,
        )
        .order_by("object_id", "-at")
        .values_list("object_id", "at")
    )
    latest: dict[str, datetime] = {}
    for object_id, at in changes:
        latest.setdefault(object_id, at)
    now = timezone.now()
    trends = []
    for rule in rules:
        changed = latest.get(str(rule.pk))
        if changed is None:
            continue
        alarms = in_scope(Alarm.objects.filter(rule=rule), user)
        window = timedelta(days=TREND_DAYS)
        after_end = min(changed + window, now)
        counts = alarms.aggregate(
            before=Count("pk", filter=_between(changed - window, changed)),
            after=Count("pk", filter=_between(changed, after_end)),
        )
        days_after = max((after_end - changed).total_seconds() / 86400, 1 / 24)
        trends.append(
            {
                "rule": rule.pk,
                "name": rule.name,
                "changed_at": timezone.localtime(changed).isoformat(),
                "before_per_day": round(counts["before"] / TREND_DAYS, 3),
                "after_per_day": round(counts["after"] / days_after, 3),
                "days_after": round(days_after, 1),
            }
        )
    return trends


def _between(start: datetime, end: datetime) -> Q:
    return Q(raised_at__gte=start, raised_at__lt=end)


@register("alarm-quality", label=_("Alarm quality"), compare=False)
def alarm_quality_stat(user: User | None, filters: StatFilters) -> Result:
    """Alarm quality of the alarms raised in the period (see the module's docstring); `filters.minutes` is N."""
    facts = _facts(alarm_rows(user, filters).select_related(None))
    days, minutes = filters.days, filters.minutes
    by_rule = group_figures(facts, lambda a: a.rule_id, lambda a: a.rule, days=days, minutes=minutes)
    busiest = [row["id"] for row in by_rule[:RULES_ANALYSED]]
    rules = sorted(Rule.objects.filter(pk__in=busiest), key=lambda r: busiest.index(r.pk))
    false = sum(1 for a in facts if likely_false(a, minutes))
    return {
        "alarms": len(facts),
        "per_day": round(len(facts) / days, 3),
        "minutes": minutes,
        "likely_false": false,
        "likely_false_share": round(false / len(facts), 4) if facts else None,
        "flaps": flap_count(facts),
        "unacted": sum(1 for a in facts if not a.acted),
        "by_device": group_figures(facts, lambda a: a.device_id, lambda a: a.device, days=days, minutes=minutes),
        "by_site": group_figures(facts, lambda a: a.site_id, lambda a: a.site, days=days, minutes=minutes),
        "by_rule": by_rule,
        "most_unacted_rules": sorted(
            [row for row in by_rule if row["unacted"]], key=lambda row: (-row["unacted"], row["name"])
        )[:10],
        "suggestions": _suggestions(rules, facts, filters),
        "trends": _trends(user, rules, filters),
    }
