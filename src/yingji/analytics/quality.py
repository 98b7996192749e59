"""Alarm quality (告警质量): which devices, sites and rules cry wolf, and what threshold the readings suggest.

The figures per device, site and rule: alarms per day; the share that cleared within N minutes with nobody
acting (likely false); flapping (an alarm raised again soon after the previous one of the same device and rule
cleared); the time to acknowledge; the rules producing most alarms nobody acted on; a suggested threshold (a
quantile of the readings, lowered so that every alarm people acted on would still have been raised); and the
alarm rate before and after each change of a rule.

The pure functions take plain values and are tested without a database; `alarm_quality_stat` feeds them.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, Lag
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.analytics.filters import StatFilters
from yingji.analytics.stats import Result, alarm_rows, duration_seconds, in_scope, register
from yingji.core.models import AuditEntry, User
from yingji.monitoring.models import Alarm, Reading, Rule
from yingji.monitoring.rules import Direction, RuleKind

# An alarm raised again within this long after the previous one of the same device and rule cleared is a flap.
FLAP_WINDOW = timedelta(minutes=30)
# The share of readings a suggested threshold leaves below it (above it for a lower limit).
QUANTILE = 0.99
# Readings looked at per rule for a suggestion: the newest ones; 20,000 leave 200 above the 99th percentile.
READINGS_CAP = 20_000
# Devices whose readings are sampled for a rule's suggestion: those that alarmed most under it.
READING_DEVICES = 10
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


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between the order statistics (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def suggested_limit(
    *, readings: Sequence[float], current: float, direction: str, keep: float | None, q: float = QUANTILE
) -> float:
    """The q-quantile of the readings (1 − q for a lower limit), moved back to `keep` (the lowest peak of the
    alarms people acted on; the highest for a lower limit) so those would still be raised, and never looser
    than `current` on the side that cuts alarms."""
    above = direction == Direction.ABOVE
    candidate = quantile(readings, q if above else 1 - q)
    if keep is not None:
        candidate = min(candidate, keep) if above else max(candidate, keep)
    return max(candidate, current) if above else min(candidate, current)


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
    keep = (min(real_peaks) if above else max(real_peaks)) if real_peaks else None
    suggested = suggested_limit(readings=readings, current=current, direction=direction, keep=keep, q=q)

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


# ---- the same rules, as SQL over the alarms table (what the statistic runs) ----------------------------------


def _likely_false_q(minutes: int) -> Q:
    """`likely_false` as a filter."""
    return Q(cleared_at__isnull=False, cleared_at__lte=F("raised_at") + timedelta(minutes=minutes)) & (
        Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("cleared_at"))
    )


# Nobody acted: never acknowledged, assigned or closed by a person.
UNACTED = Q(acknowledged_at__isnull=True, assignee__isnull=True, closed_by__isnull=True)

GROUPS: dict[str, tuple[Any, Any]] = {
    "device": (F("device_id"), F("device__name")),
    "site": (
        Coalesce("device__installation_org_id", "org_id"),
        Coalesce("device__installation_org__name", "org__name"),
    ),
    "rule": (F("rule_id"), F("rule__name")),
}


def _flaps(rows: QuerySet[Alarm]) -> list[tuple[int, int, int]]:
    """(device, site, rule) of every alarm raised within FLAP_WINDOW after the previous alarm of the same device
    and rule cleared (`flap_count` as a window query: only the flaps leave the database)."""
    previous = Window(Lag("cleared_at"), partition_by=[F("device_id"), F("rule_id")], order_by=F("raised_at").asc())
    flagged = rows.annotate(prev_cleared=previous).filter(
        prev_cleared__isnull=False,
        raised_at__gte=F("prev_cleared"),
        raised_at__lte=F("prev_cleared") + FLAP_WINDOW,
    )
    # The window reads the alarms table alone; the few flaps then fetch their site.
    ids = list(flagged.values_list("pk", flat=True))
    site = GROUPS["site"][0]
    return list(Alarm.objects.filter(pk__in=ids).annotate(site=site).values_list("device_id", "site", "rule_id"))


def _pair_rows(rows: QuerySet[Alarm], minutes: int) -> list[dict[str, Any]]:
    """The alarms counted per device, rule and site in one pass over the table: what every group below is summed
    from (a device keeps its site; an alarm without an installation site is its owner's)."""
    ack = ExpressionWrapper(F("acknowledged_at") - F("raised_at"), output_field=DurationField())
    acked = Q(acknowledged_at__isnull=False)
    return list(
        rows.order_by()
        .values(
            "device_id",
            "rule_id",
            device_name=F("device__name"),
            rule_name=F("rule__name"),
            site_id=GROUPS["site"][0],
            site_name=GROUPS["site"][1],
        )
        .annotate(
            alarms=Count("pk"),
            likely_false=Count("pk", filter=_likely_false_q(minutes)),
            unacted=Count("pk", filter=UNACTED),
            acked=Count("pk", filter=acked),
            ack_sum=Sum(ack, filter=acked),
        )
    )


def _group_rows(pairs: list[dict[str, Any]], group: str, *, days: int, flaps: list) -> list[dict[str, Any]]:
    position = {"device": 0, "site": 1, "rule": 2}[group]
    flap_counts: dict[int, int] = defaultdict(int)
    for flap in flaps:
        flap_counts[flap[position]] += 1
    sums: dict[int, dict[str, Any]] = {}
    for pair in pairs:
        key = pair[f"{group}_id"]
        row = sums.setdefault(
            key, {"name": pair[f"{group}_name"], "alarms": 0, "likely_false": 0, "unacted": 0, "acked": 0, "ack_s": 0.0}
        )
        for figure in ("alarms", "likely_false", "unacted", "acked"):
            row[figure] += pair[figure]
        if pair["ack_sum"] is not None:
            row["ack_s"] += duration_seconds(pair["ack_sum"])
    result = [
        {
            "id": key,
            "name": row["name"],
            "alarms": row["alarms"],
            "per_day": round(row["alarms"] / max(days, 1), 3),
            "likely_false": row["likely_false"],
            "likely_false_share": round(row["likely_false"] / row["alarms"], 4),
            "flaps": flap_counts.get(key, 0),
            "unacted": row["unacted"],
            "mean_ack_s": round(row["ack_s"] / row["acked"], 1) if row["acked"] else None,
        }
        for key, row in sums.items()
    ]
    result.sort(key=lambda row: (-row["alarms"], row["name"]))
    return result


def _lowest_limit(rule: Rule) -> float | None:
    limits = list(rule.thresholds.values())
    if not limits:
        return None
    return min(limits) if rule.direction == Direction.ABOVE else max(limits)


def _busiest_devices(pairs: list[dict[str, Any]], rule: Rule) -> list[int]:
    """The devices that alarmed most under the rule (most alarms first, then by id)."""
    counts: dict[int, int] = defaultdict(int)
    for pair in pairs:
        if pair["rule_id"] == rule.pk:
            counts[pair["device_id"]] += pair["alarms"]
    return sorted(counts, key=lambda device: (-counts[device], device))[:READING_DEVICES]


def _rule_readings(rule: Rule, devices: list[int], filters: StatFilters) -> list[float]:
    """The newest readings of the rule's metric from the devices that alarmed most under it: a bounded sample,
    each device's slice read along the readings' (device, metric, time) key."""
    per_device = max(1, READINGS_CAP // max(len(devices), 1))
    values: list[float] = []
    for device in devices:
        values += (
            Reading.objects.filter(device_id=device, metric=rule.metric, ts__gte=filters.start, ts__lt=filters.end)
            .order_by("-ts")
            .values_list("value", flat=True)[:per_device]
        )
    return values


def _suggestions(
    rules: list[Rule], rows: QuerySet[Alarm], pairs: list[dict[str, Any]], filters: StatFilters
) -> list[dict[str, Any]]:
    suggestions = []
    false_q = _likely_false_q(filters.minutes)
    real_q = ~UNACTED & ~false_q & Q(peak_value__isnull=False)
    for rule in rules:
        current = _lowest_limit(rule)
        if rule.kind != RuleKind.THRESHOLD or current is None:
            continue
        readings = _rule_readings(rule, _busiest_devices(pairs, rule), filters)
        if not readings:
            continue
        above = rule.direction == Direction.ABOVE
        mine = rows.filter(rule=rule).order_by()
        peaks = mine.aggregate(
            keep=(Min if above else Max)("peak_value", filter=real_q),
            real=Count("pk", filter=real_q),
            false=Count("pk", filter=false_q & Q(peak_value__isnull=False)),
        )
        suggested = suggested_limit(readings=readings, current=current, direction=rule.direction, keep=peaks["keep"])
        reached = Q(peak_value__gte=suggested) if above else Q(peak_value__lte=suggested)
        counts = mine.aggregate(
            kept=Count("pk", filter=real_q & reached),
            avoided=Count("pk", filter=false_q & Q(peak_value__isnull=False) & ~reached),
        )
        suggestions.append(
            {
                "rule": rule.pk,
                "name": rule.name,
                "metric": rule.metric,
                "current": current,
                "suggested": round(suggested, 3),
                "quantile": QUANTILE,
                "readings": len(readings),
                "real_alarms": peaks["real"],
                "real_kept": counts["kept"],
                "false_alarms": peaks["false"],
                "false_avoided": counts["avoided"],
            }
        )
    return suggestions


def _trends(user: User | None, rules: list[Rule], filters: StatFilters) -> list[dict[str, Any]]:
    """Alarms per day in the 30 days before and after the latest change of each rule within the period."""
    changes = (
        AuditEntry.objects.filter(
            object_type="monitoring.rule",
            action="monitoring.rule.update",
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
    """Alarm quality of the alarms raised in the period (see the module's docstring); `filters.minutes` is N.
    Counted in the database: the rules above as filters, flapping as a window over each device and rule."""
    rows = alarm_rows(user, filters).order_by()
    days, minutes = filters.days, filters.minutes
    flaps = _flaps(rows)
    pairs = _pair_rows(rows, minutes)
    totals = {key: sum(pair[key] for pair in pairs) for key in ("alarms", "likely_false", "unacted")}
    by_rule = _group_rows(pairs, "rule", days=days, flaps=flaps)
    busiest = [row["id"] for row in by_rule[:RULES_ANALYSED]]
    rules = sorted(Rule.objects.filter(pk__in=busiest), key=lambda r: busiest.index(r.pk))
    return {
        "alarms": totals["alarms"],
        "per_day": round(totals["alarms"] / days, 3),
        "minutes": minutes,
        "likely_false": totals["likely_false"],
        "likely_false_share": round(totals["likely_false"] / totals["alarms"], 4) if totals["alarms"] else None,
        "flaps": len(flaps),
        "unacted": totals["unacted"],
        "by_device": _group_rows(pairs, "device", days=days, flaps=flaps),
        "by_site": _group_rows(pairs, "site", days=days, flaps=flaps),
        "by_rule": by_rule,
        "most_unacted_rules": sorted(
            [row for row in by_rule if row["unacted"]], key=lambda row: (-row["unacted"], row["name"])
        )[:10],
        "suggestions": _suggestions(rules, rows, pairs, filters),
        "trends": _trends(user, rules, filters),
    }
