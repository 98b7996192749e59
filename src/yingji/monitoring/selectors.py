"""Queries over devices, readings, rules, alarms and fire danger; every one that returns owned rows takes
the user and applies the data scope."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from yingji.core.access import get_scoped_or_404, scope_root, scoped
from yingji.core.models import User
from yingji.monitoring.models import (
    Alarm,
    DeadLetter,
    Device,
    FireDangerDay,
    Reading,
    Rule,
    WarningSuggestion,
)
from yingji.monitoring.rules import RuleSpec


def device_list(
    *,
    user: User,
    q: str | None = None,
    type: str | None = None,
    status: str | None = None,
    org: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Device]:
    devices = scoped(Device.objects.all(), user)
    if not include_inactive:
        devices = devices.filter(active=True)
    if q:
        devices = devices.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(installation__icontains=q) | Q(address__icontains=q)
        )
    if type:
        devices = devices.filter(type=type)
    if status:
        devices = devices.filter(status=status)
    if org:
        devices = devices.filter(Q(org_id=org) | Q(installation_org_id=org))
    open_alarms = Count("alarms", filter=Q(alarms__status__in=["active", "acknowledged"]))
    return devices.select_related("org", "installation_org").annotate(open_alarms=open_alarms).order_by("code")


def device_get(*, user: User, code: str | None = None, device_id: int | None = None) -> Device:
    lookup: dict[str, Any] = {"code": code} if code is not None else {"pk": device_id}
    return get_scoped_or_404(Device.objects.select_related("org", "installation_org"), user, **lookup)


def readings_recent(*, device: Device, metric: str, since: datetime, limit: int = 2000) -> list[tuple[datetime, float]]:
    """A device's readings of one metric since a time, oldest first (the caller already holds the device,
    so the scope was checked)."""
    rows = (
        Reading.objects.filter(device_id=device.pk, metric=metric, ts__gte=since)
        .order_by("-ts")
        .values_list("ts", "value")[:limit]
    )
    return list(reversed(rows))


def latest_values(*, device: Device) -> dict[str, tuple[datetime, float]]:
    """The newest reading of each of the device's metrics."""
    latest = {}
    for metric in device.metric_codes:
        row = Reading.objects.filter(device_id=device.pk, metric=metric).order_by("-ts").values_list("ts", "value")[:1]
        if row:
            latest[metric] = row[0]
    return latest


def alarm_list(
    *,
    user: User,
    status: str | list[str] | None = None,
    device: str | None = None,
    level: str | None = None,
    rule: int | None = None,
    q: str | None = None,
) -> QuerySet[Alarm]:
    alarms = scoped(Alarm.objects.all(), user)
    if status == "open":
        alarms = alarms.filter(status__in=["active", "acknowledged"])
    elif isinstance(status, list):
        alarms = alarms.filter(status__in=status)
    elif status:
        alarms = alarms.filter(status=status)
    if device:
        alarms = alarms.filter(device__code=device)
    if level:
        alarms = alarms.filter(level=level)
    if rule:
        alarms = alarms.filter(rule_id=rule)
    if q:
        alarms = alarms.filter(Q(device__name__icontains=q) | Q(device__code__icontains=q) | Q(rule__name__icontains=q))
    return alarms.select_related("device", "rule", "org", "acknowledged_by", "assignee").order_by("-raised_at", "-id")


def alarm_get(*, user: User, alarm_id: int) -> Alarm:
    return get_scoped_or_404(
        Alarm.objects.select_related("device", "rule", "org", "acknowledged_by", "assignee", "closed_by"),
        user,
        pk=alarm_id,
    )


def rule_list(*, user: User, q: str | None = None, kind: str | None = None) -> QuerySet[Rule]:
    """Rules are district configuration: everyone may read them; device rules only within scope."""
    rules = Rule.objects.select_related("device").filter(
        Q(device__isnull=True) | Q(device__in=scoped(Device.objects.all(), user))
    )
    if user is None or not user.is_authenticated:
        return rules.none()
    if q:
        rules = rules.filter(Q(name__icontains=q) | Q(metric__icontains=q))
    if kind:
        rules = rules.filter(kind=kind)
    return rules.order_by("name", "id")


def rule_get(*, user: User, rule_id: int) -> Rule:
    try:
        return rule_list(user=user).get(pk=rule_id)
    except Rule.DoesNotExist:
        raise Http404 from None


def rule_specs() -> list[RuleSpec]:
    """Every active rule, as the evaluation module sees it."""
    return [
        RuleSpec(
            id=r.pk,
            kind=r.kind,
            metric=r.metric,
            device_id=r.device_id,
            device_type=r.device_type,
            direction=r.direction,
            thresholds=r.thresholds,
            deadband=r.deadband,
            level=r.level,
            rate_delta=r.rate_delta or 0.0,
            window_s=r.window_s,
            offline_minutes=r.offline_minutes,
        )
        for r in Rule.objects.filter(active=True)
    ]


def dead_letter_list(*, user: User) -> QuerySet[DeadLetter]:
    """Dead letters carry other owners' payloads: district staff only."""
    try:
        district_wide = user.is_authenticated and scope_root(user) is None
    except PermissionError:
        district_wide = False
    return DeadLetter.objects.all() if district_wide else DeadLetter.objects.none()


def fire_danger_list(*, user: User, date: date | None = None) -> QuerySet[FireDangerDay]:
    days = scoped(FireDangerDay.objects.select_related("device"), user)
    return days.filter(date=date) if date else days


def suggestion_list(*, user: User, event_type: str | None = None) -> QuerySet[WarningSuggestion]:
    suggestions = scoped(WarningSuggestion.objects.select_related("device", "alarm"), user)
    return suggestions.filter(event_type=event_type) if event_type else suggestions


def telemetry_devices_allowed(*, auth: User | Device, codes: set[str]) -> set[int]:
    """Ids of the devices a poster may send readings for: a device only itself, a person those in scope."""
    if isinstance(auth, Device):
        return {auth.pk}
    return set(scoped(Device.objects.filter(code__in=codes), auth).values_list("pk", flat=True))
