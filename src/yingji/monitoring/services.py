"""Commands that change devices, rules and alarms. One transaction each; alarm changes send
`alarm_changed` after commit."""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import org_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import apply_changes, clean_or_fail, require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import User
from yingji.core.notify import notify
from yingji.core.roles import GROUP_NAMES, Role
from yingji.core.scopes import scoped
from yingji.monitoring import conf
from yingji.monitoring.metrics import METRICS, RAINSTORM_SIGNAL, TYPE_METRICS, metric_label
from yingji.monitoring.models import (
    OPEN_STATUSES,
    Alarm,
    AlarmEvent,
    AlarmStatus,
    Device,
    DeviceStatus,
    Level,
    Rule,
    RuleKind,
    WarningSuggestion,
)
from yingji.monitoring.plan_links import check_plan
from yingji.monitoring.rules import LEVEL_ORDER, RANK, Direction
from yingji.monitoring.signals import alarm_changed_on_commit

DEVICE_FIELDS = (
    "code",
    "name",
    "type",
    "org",
    "installation",
    "installation_org",
    "metrics",
    "lat",
    "lon",
    "address",
    "active",
)
RULE_FIELDS = (
    "name",
    "kind",
    "device_type",
    "device",
    "metric",
    "direction",
    "blue",
    "yellow",
    "orange",
    "red",
    "deadband",
    "level",
    "rate_delta",
    "window_s",
    "offline_minutes",
    "escalate_after_minutes",
    "opens_incident",
    "opens_at_once",
    "suggests_warning",
    "plan",
    "needs_verification",
    "active",
)


def refuse_unknown(fields: Iterable[str], allowed: Iterable[str]) -> None:
    """ValidationFailed naming each field a command does not take (a caller never sets what it may not)."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationFailed(_("unknown field"), {f: [_("unknown field")] for f in unknown})


def _check_device(device: Device) -> None:
    unknown = [m for m in device.metrics if m not in METRICS]
    if unknown:
        raise ValidationFailed(
            _("unknown metric %(code)s") % {"code": unknown[0]},
            {"metrics": [_("unknown metric %(code)s") % {"code": m} for m in unknown]},
        )
    if not device.metrics:
        device.metrics = list(TYPE_METRICS.get(device.type, []))


# Devices ------------------------------------------------------------------------------------------


@transaction.atomic
def device_create(*, by: User | None, **fields: Any) -> Device:
    """Register a device under an owner org the user may see."""
    require_perm(by, "monitoring.add_device")
    refuse_unknown(fields, DEVICE_FIELDS)
    device = Device(**fields)
    org_in_scope(by, fields.get("org"), field="org")
    org_in_scope(by, fields.get("installation_org"), field="installation_org")
    _check_device(device)
    clean_or_fail(device)
    device.save()
    audit_append(
        actor=by,
        action="monitoring.device.create",
        obj=device,
        summary=f"登记设备 {device.code}",
        payload={"org": device.org_id},
    )
    return device


@transaction.atomic
def device_update(*, by: User | None, device: Device, **changes: Any) -> Device:
    """Change a device's registry entry."""
    require_perm(by, "monitoring.change_device")
    device = Device.objects.select_for_update().get(pk=device.pk)
    refuse_unknown(changes, DEVICE_FIELDS)
    for field, value in changes.items():
        setattr(device, field, value)
    org_in_scope(by, changes.get("org"), field="org")
    org_in_scope(by, changes.get("installation_org"), field="installation_org")
    _check_device(device)
    clean_or_fail(device)
    device.save()
    audit_append(
        actor=by,
        action="monitoring.device.update",
        obj=device,
        summary=f"修改设备 {device.code}",
        payload={k: str(v) for k, v in changes.items()},
    )
    return device


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def device_token_issue(*, by: User | None, device: Device) -> str:
    """Give a device its own token for HTTP ingest (replacing any earlier one); shown once."""
    require_perm(by, "monitoring.change_device")
    raw = "yjd_" + secrets.token_urlsafe(32)
    Device.objects.filter(pk=device.pk).update(token_prefix=raw[:10], token_hash=_digest(raw))
    audit_append(actor=by, action="monitoring.device.token", obj=device, summary=f"签发设备令牌 {device.code}")
    return raw


def device_authenticate(raw: str) -> Device | None:
    """The active device a device token belongs to, or None."""
    if not raw.startswith("yjd_"):
        return None
    return Device.objects.filter(token_hash=_digest(raw), active=True).first()


# Rules --------------------------------------------------------------------------------------------


def _check_rule(rule: Rule) -> None:
    errors: dict[str, list[str]] = {}
    if rule.kind != RuleKind.OFFLINE and rule.metric not in METRICS:
        errors["metric"] = ["unknown metric"]
    if rule.kind == RuleKind.THRESHOLD:
        limits = [getattr(rule, level) for level in LEVEL_ORDER if getattr(rule, level) is not None]
        if not limits:
            errors["yellow"] = ["give at least one level's limit"]
        rising = rule.direction == Direction.ABOVE
        if limits != sorted(limits, reverse=not rising):
            errors["red"] = [
                "limits must rise from blue to red" if rising else "limits must fall from blue to red (lower limits)"
            ]
    if rule.kind == RuleKind.RATE and not (rule.rate_delta and rule.rate_delta > 0):
        errors["rate_delta"] = ["give a positive change"]
    if rule.deadband < 0:
        errors["deadband"] = ["cannot be negative"]
    if rule.device_id and rule.device_type:
        errors["device_type"] = ["a rule is for one device or for a device type, not both"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)


def _rule_snapshot(rule: Rule) -> dict[str, Any]:
    return {f: getattr(rule, f"{f}_id" if f == "device" else f) for f in RULE_FIELDS}


@transaction.atomic
def rule_create(*, by: User | None, **fields: Any) -> Rule:
    """Add an alarm rule."""
    require_perm(by, "monitoring.add_rule")
    refuse_unknown(fields, RULE_FIELDS)
    rule = Rule(**fields)
    clean_or_fail(rule)
    _check_rule(rule)
    check_plan(rule.plan)
    rule.save()
    audit_append(
        actor=by,
        action="monitoring.rule.create",
        obj=rule,
        summary=f"新建报警规则 {rule.name}",
        payload=_rule_snapshot(rule),
    )
    return rule


@transaction.atomic
def rule_update(*, by: User | None, rule: Rule, **changes: Any) -> Rule:
    """Change an alarm rule; ingest picks it up within its rule cache's lifetime."""
    require_perm(by, "monitoring.change_rule")
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    rule, diff = apply_changes(
        by=by,
        instance=rule,
        changes=changes,
        fields=RULE_FIELDS,
        action="monitoring.rule.update",
        summary=f"修改报警规则 {rule.name}",
    )
    # Checked on the saved rule inside this transaction: a refusal takes the change and its audit entry back.
    _check_rule(rule)
    # A plan abolished since the rule named it does not block other edits; a newly named one must be in force.
    if "plan" in diff:
        check_plan(rule.plan)
    return rule


# Alarms: raised, escalated, repeated and cleared by ingest and the worker --------------------------


@dataclass(frozen=True)
class AlarmRef:
    """What ingest keeps in memory about an open alarm."""

    id: int
    level: str
    created: bool = False


def _event(alarm: Alarm, kind: str, at: datetime, *, by: User | None = None, comment: str = "") -> None:
    AlarmEvent.objects.create(
        alarm=alarm, at=at, kind=kind, level=alarm.level, value=alarm.value, by=by, comment=comment
    )


def _owner_staff(org_id: int) -> list[User]:
    return list(User.objects.filter(org_id=org_id, is_active=True))


def _served_staff(device: Device) -> list[User]:
    """Staff of the streets a hydrological station serves (a waterlogging point alerts its street)."""
    return list(
        User.objects.filter(org__hydro_stations__device=device, is_active=True).exclude(org_id=device.org_id).distinct()
    )


def _warning_suggestion(alarm: Alarm, rule: Rule) -> None:
    """A suggested warning when the rule asks for one: for the streets a hydrological station serves, and for a
    rainstorm signal with the criterion met and its defence guidance (防御指南) as the instruction."""
    if not rule.suggests_warning:
        return
    from yingji.monitoring.models import HydroStation

    device = alarm.device
    station = HydroStation.objects.filter(device=device).first()
    streets = list(station.serves.all()) if station else []
    where = f"（{'、'.join(s.name for s in streets)}）" if streets else ""
    label = METRICS[alarm.metric].label if alarm.metric in METRICS else alarm.metric
    headline = f"{device.name}{label}达到{Level(alarm.level).label}{where}"
    basis = f"{rule.name}: {label} = {alarm.value:g}"
    instruction = ""
    if alarm.metric == RAINSTORM_SIGNAL:
        from yingji.monitoring.hydrology import rainstorm_criteria

        met = [c for c in rainstorm_criteria() if c.level == alarm.level]
        criterion = min(met, key=lambda c: (c.hours, c.mm), default=None)
        headline = f"{device.name}降雨达到暴雨{Level(alarm.level).label}预警信号标准{where}"
        if criterion is not None:
            basis = f"{criterion.hours}小时内降雨量达{criterion.mm:g}毫米以上（中国气象局令第16号 暴雨预警信号标准）"
            instruction = criterion.guidance
    suggestion = WarningSuggestion.objects.create(
        event_type=rule.suggests_warning,
        level=alarm.level,
        headline=headline[:200],
        basis=basis[:300],
        instruction=instruction,
        device=device,
        org_id=alarm.org_id,
        alarm=alarm,
    )
    if streets:
        suggestion.streets.set(streets)


def alarm_raise(*, device: Device, rule: Rule, metric: str, level: str, value: float | None, at: datetime) -> AlarmRef:
    """Open an alarm, or, when another process opened one for the same device and rule first, take that
    one over (raising its level if this reading is worse). The conditional unique constraint decides."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    device=device,
                    rule=rule,
                    org_id=device.org_id,
                    metric=metric,
                    level=level,
                    value=value,
                    peak_value=value,
                    raised_at=at,
                    last_at=at,
                )
        except IntegrityError:
            existing = Alarm.objects.filter(device=device, rule=rule, status__in=OPEN_STATUSES).first()
            if existing is None:
                raise
            if RANK[level] > RANK[existing.level]:
                return alarm_escalate(alarm_id=existing.pk, level=level, value=value, at=at)
            return AlarmRef(existing.pk, existing.level)
        alarm.device, alarm.rule = device, rule
        _event(alarm, AlarmEvent.Kind.RAISED, at)
        _warning_suggestion(alarm, rule)
        # A fire alarm waits for the duty officers' verification: they hear of it at once.
        duty = _duty_officers() if rule.needs_verification else []
        notify(
            recipients=list({u.pk: u for u in [*_owner_staff(device.org_id), *_served_staff(device), *duty]}.values()),
            title=f"报警：{device.name} {rule.name}（{alarm.get_level_display()}）",
            body=f"{metric_label(metric)} = {value:g}" if value is not None else rule.name,
            link=f"/monitoring/alarms/{alarm.pk}/",
            category="alarm",
        )
        audit_append(
            actor=None,
            action="monitoring.alarm.raise",
            obj=alarm,
            summary=f"设备 {device.code} 报警：{rule.name}",
            payload={"level": level, "value": value, "metric": metric},
        )
        alarm_changed_on_commit(alarm.pk, created=True)
    return AlarmRef(alarm.pk, level, created=True)


@transaction.atomic
def alarm_escalate(*, alarm_id: int, level: str, value: float | None, at: datetime) -> AlarmRef:
    """Raise an open alarm's level (it never falls while the alarm is open)."""
    alarm = Alarm.objects.select_for_update().select_related("device", "rule").filter(pk=alarm_id).first()
    if alarm is None or not alarm.is_open:
        raise Conflict(_("the alarm is no longer open"))
    if RANK[level] <= RANK[alarm.level]:
        return AlarmRef(alarm.pk, alarm.level)
    alarm.level, alarm.value, alarm.last_at = level, value, at
    alarm.repeat_count += 1
    fields = ["level", "value", "last_at", "repeat_count"]
    if value is not None and (alarm.peak_value is None or _worse(alarm.rule.direction, value, alarm.peak_value)):
        alarm.peak_value = value
        fields.append("peak_value")
    alarm.save(update_fields=fields)
    _event(alarm, AlarmEvent.Kind.ESCALATED, at)
    _warning_suggestion(alarm, alarm.rule)
    audit_append(
        actor=None,
        action="monitoring.alarm.escalate",
        obj=alarm,
        summary=f"设备 {alarm.device.code} 报警升级为{alarm.get_level_display()}",
        payload={"level": level, "value": value},
    )
    alarm_changed_on_commit(alarm.pk, created=False)
    return AlarmRef(alarm.pk, level)


def _worse(direction: str, value: float, than: float) -> bool:
    return value > than if direction == Direction.ABOVE else value < than


@transaction.atomic
def alarm_clear(*, alarm_id: int, at: datetime, value: float | None = None) -> bool:
    """Back to normal: an open alarm becomes cleared. False when it was no longer open."""
    alarm = Alarm.objects.select_for_update().select_related("device").filter(pk=alarm_id).first()
    if alarm is None or not alarm.is_open:
        return False
    alarm.status, alarm.cleared_at = AlarmStatus.CLEARED, at
    if value is not None:
        alarm.value = value
    alarm.save(update_fields=["status", "cleared_at", "value"])
    _event(alarm, AlarmEvent.Kind.CLEARED, at)
    audit_append(actor=None, action="monitoring.alarm.clear", obj=alarm, summary=f"设备 {alarm.device.code} 报警解除")
    alarm_changed_on_commit(alarm.pk, created=False)
    return True


# Alarms: what people do ---------------------------------------------------------------------------


def _alarm_for_update(alarm: Alarm) -> Alarm:
    return Alarm.objects.select_for_update().select_related("device", "rule").get(pk=alarm.pk)


@transaction.atomic
def alarm_acknowledge(*, by: User, alarm: Alarm, comment: str = "", assignee: User | None = None) -> Alarm:
    """Someone has seen the alarm and takes it on; an optional assignee handles it."""
    require_perm(by, "monitoring.change_alarm")
    alarm = _alarm_for_update(alarm)
    if alarm.acknowledged_at is not None or alarm.status == AlarmStatus.CLOSED:
        raise Conflict(_("the alarm is already acknowledged"), {"status": [alarm.status]})
    if assignee is not None and not scoped(User.objects.filter(pk=assignee.pk), by).exists():
        raise ValidationFailed(_("unknown assignee"), {"assignee": [_("no such user")]})
    now = timezone.now()
    alarm.acknowledged_at, alarm.acknowledged_by, alarm.ack_comment = now, by, comment[:500]
    if alarm.status == AlarmStatus.ACTIVE:
        alarm.status = AlarmStatus.ACKNOWLEDGED
    fields = ["status", "acknowledged_at", "acknowledged_by", "ack_comment"]
    if assignee is not None:
        alarm.assignee = assignee
        fields.append("assignee")
    alarm.save(update_fields=fields)
    _event(alarm, AlarmEvent.Kind.ACKNOWLEDGED, now, by=by, comment=comment[:500])
    audit_append(
        actor=by,
        action="monitoring.alarm.acknowledge",
        obj=alarm,
        summary=f"确认报警 {alarm.device.code} {alarm.rule.name}",
        payload={"comment": comment[:500], "assignee": assignee.pk if assignee else None},
    )
    alarm_changed_on_commit(alarm.pk, created=False)
    return alarm


@transaction.atomic
def alarm_assign(*, by: User, alarm: Alarm, assignee: User) -> Alarm:
    """Hand an alarm to someone (who must be within the assigner's scope)."""
    require_perm(by, "monitoring.change_alarm")
    alarm = _alarm_for_update(alarm)
    if not scoped(User.objects.filter(pk=assignee.pk), by).exists():
        raise ValidationFailed(_("unknown assignee"), {"assignee": [_("no such user")]})
    alarm.assignee = assignee
    alarm.save(update_fields=["assignee"])
    now = timezone.now()
    _event(alarm, AlarmEvent.Kind.ASSIGNED, now, by=by, comment=assignee.get_username())
    audit_append(actor=by, action="monitoring.alarm.assign", obj=alarm, summary=f"报警指派给 {assignee.get_username()}")
    notify(
        recipients=[assignee],
        title=f"指派给您的报警：{alarm}",
        link=f"/monitoring/alarms/{alarm.pk}/",
        category="alarm",
    )
    return alarm


@transaction.atomic
def alarm_close(*, by: User, alarm: Alarm, comment: str = "") -> Alarm:
    """Close an alarm that is cleared or acknowledged (closing an acknowledged one records a false alarm
    or a handled condition; its comment says which)."""
    require_perm(by, "monitoring.change_alarm")
    alarm = _alarm_for_update(alarm)
    if alarm.status not in (AlarmStatus.ACKNOWLEDGED, AlarmStatus.CLEARED):
        raise Conflict(_("acknowledge the alarm before closing it"), {"status": [alarm.status]})
    now = timezone.now()
    alarm.status, alarm.closed_at, alarm.closed_by = AlarmStatus.CLOSED, now, by
    alarm.save(update_fields=["status", "closed_at", "closed_by"])
    _event(alarm, AlarmEvent.Kind.CLOSED, now, by=by, comment=comment[:500])
    audit_append(
        actor=by,
        action="monitoring.alarm.close",
        obj=alarm,
        summary=f"关闭报警 {alarm.device.code}",
        payload={"comment": comment},
    )
    alarm_changed_on_commit(alarm.pk, created=False)
    return alarm


def _duty_officers() -> list[User]:
    group = Group.objects.filter(name=GROUP_NAMES[Role.DUTY_OFFICER]).first()
    return list(group.user_set.filter(is_active=True)) if group else []


def escalate_waiting(
    alarms: Iterable[Alarm],
    *,
    now: datetime,
    default_minutes: int,
    still_waiting: dict[str, Any],
    mark: str,
    kind: str,
    message: Callable[[Alarm, int], tuple[str, str, list[User]]],
    action: str,
    summary: str,
    send_signal: bool = False,
) -> int:
    """Tell people about each alarm left waiting longer than its rule's `escalate_after_minutes` (else
    `default_minutes`): the alarm row is claimed by setting `mark` where it is `still_waiting`, so each escalates once
    even with two workers; then the message (`message(alarm, minutes)` → title, body, recipients), the alarm event of
    `kind` and the audit entry (`summary` with {minutes}). Returns how many escalated."""
    count = 0
    for alarm in alarms:
        minutes = alarm.rule.escalate_after_minutes or default_minutes
        if alarm.raised_at > now - timedelta(minutes=minutes):
            continue
        with transaction.atomic():
            if not Alarm.objects.filter(pk=alarm.pk, **still_waiting).update(**{mark: now}):
                continue
            title, body, recipients = message(alarm, minutes)
            link = f"/monitoring/alarms/{alarm.pk}/"
            notify(recipients=recipients, title=title, body=body, link=link, category="alarm")
            AlarmEvent.objects.create(alarm=alarm, at=now, kind=kind, level=alarm.level, comment=f"{minutes} min")
            audit_append(actor=None, action=action, obj=alarm, summary=summary.format(minutes=minutes))
            if send_signal:
                alarm_changed_on_commit(alarm.pk, created=False)
        count += 1
    return count


def alarms_escalate_unacknowledged(*, now: datetime) -> int:
    """Tell the owner's staff and the duty officers about each active alarm nobody acknowledged within its
    rule's minutes (or YINGJI_ALARM_ESCALATE_MINUTES). Each alarm escalates once."""
    candidates = (
        Alarm.objects.filter(status=AlarmStatus.ACTIVE, acknowledged_at__isnull=True, escalated_at__isnull=True)
        .exclude(rule__needs_verification=True)  # fire alarms escalate when unverified (firealarm.py)
        .select_related("device", "rule")
    )
    duty: list[User] = []

    def message(alarm: Alarm, minutes: int) -> tuple[str, str, list[User]]:
        if not duty:
            duty.extend(_duty_officers())
        return (
            f"报警 {minutes} 分钟未确认：{alarm.device.name} {alarm.rule.name}",
            f"{alarm.get_level_display()}，{metric_label(alarm.metric)} = {alarm.value}",
            [*_owner_staff(alarm.org_id), *duty],
        )

    return escalate_waiting(
        candidates.filter(raised_at__lte=now - timedelta(minutes=1)),
        now=now,
        default_minutes=conf.alarm_escalate_minutes(),
        still_waiting={"escalated_at__isnull": True, "acknowledged_at__isnull": True},
        mark="escalated_at",
        kind=AlarmEvent.Kind.UNACKNOWLEDGED,
        message=message,
        action="monitoring.alarm.unacknowledged",
        summary="报警 {minutes} 分钟未确认，已上报",
    )


def devices_check_offline(*, now: datetime) -> dict[str, int]:
    """The worker's no-data check: mark devices offline (raising the alarm of the offline rule covering them)
    and back online (clearing that alarm) by their last reading."""
    from yingji.monitoring.rules import offline_level, offline_rule_for
    from yingji.monitoring.selectors import rule_specs

    specs = [s for s in rule_specs() if s.kind == RuleKind.OFFLINE]
    rules = {r.pk: r for r in Rule.objects.filter(pk__in=[s.id for s in specs])}
    default_minutes = conf.device_offline_minutes()
    open_offline = {
        (a["device_id"], a["rule_id"]): a["id"]
        for a in Alarm.objects.filter(status__in=OPEN_STATUSES, rule__kind=RuleKind.OFFLINE).values(
            "id", "device_id", "rule_id"
        )
    }
    went_offline = came_online = 0
    for device in Device.objects.filter(active=True).only(
        "id", "type", "org_id", "status", "last_seen_at", "created_at"
    ):
        spec = offline_rule_for(specs, device_id=device.pk, device_type=device.type)
        minutes = spec.offline_minutes if spec else default_minutes
        reference = device.last_seen_at or device.created_at
        silent = (now - reference) >= timedelta(minutes=minutes)
        if spec is not None:
            key = (device.pk, spec.id)
            level = offline_level(spec, device.last_seen_at, device.created_at, now)
            if level and key not in open_offline:
                alarm_raise(device=device, rule=rules[spec.id], metric="", level=level, value=None, at=now)
            elif not level and key in open_offline:
                alarm_clear(alarm_id=open_offline[key], at=now)
        if silent and device.status == DeviceStatus.ONLINE:
            Device.objects.filter(pk=device.pk).update(status=DeviceStatus.OFFLINE)
            went_offline += 1
        elif not silent and device.status == DeviceStatus.OFFLINE:
            Device.objects.filter(pk=device.pk).update(status=DeviceStatus.ONLINE)
            came_online += 1
    # An alarm of an offline rule that no longer covers the device would stay open forever: clear it.
    for (_device_id, rule_id), alarm_id in open_offline.items():
        if rule_id not in rules:
            alarm_clear(alarm_id=alarm_id, at=now)
    return {"offline": went_offline, "online": came_online}
