"""Smart fire (智慧消防) on the alarm machinery: a 火警 from a fire-alarm controller or a smoke detector is raised by a
rule that `needs_verification`; the duty officer verifies it (GB 50440-2007 城市消防远程监控系统技术规范 2.0.1: the
monitoring centre passes on only 经确认的火灾报警信息):

- real → the alarm is acknowledged and stays open; `alarm_changed` tells the duty desk, which opens an incident
  at the building (incidents/receivers.py);
- false alarm → closed with the reason; test → closed.

No standard read sets a time to verify within, so the minutes are configuration: the rule's
`escalate_after_minutes`, else YINGJI_FIRE_VERIFY_MINUTES (default 3). False-alarm rates per venue and per device
count verified alarms (tests are left out: they are neither real nor false).
"""

import os
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import scoped
from yingji.core.audit import audit_append
from yingji.core.commands import require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import User
from yingji.core.roles import GROUP_NAMES, Role
from yingji.monitoring.adapters import POINT_BASE
from yingji.monitoring.models import OPEN_STATUSES, Alarm, AlarmEvent, AlarmStatus, Reading, Verification
from yingji.monitoring.services import escalate_waiting
from yingji.monitoring.signals import alarm_changed_on_commit

DEFAULT_VERIFY_MINUTES = 3


def verify_minutes() -> int:
    """Minutes a fire alarm may stay unverified before it is escalated (YINGJI_FIRE_VERIFY_MINUTES)."""
    value = getattr(settings, "FIRE_VERIFY_MINUTES", None) or os.environ.get("YINGJI_FIRE_VERIFY_MINUTES")
    return int(value) if value else DEFAULT_VERIFY_MINUTES


@transaction.atomic
def alarm_verify(*, by: User, alarm: Alarm, result: str, note: str = "") -> Alarm:
    """Record what a fire alarm turned out to be (see the module's docstring)."""
    require_perm(by, "monitoring.change_alarm")
    if result not in Verification.values:
        raise ValidationFailed(_("unknown result"), {"result": [f"use one of: {', '.join(Verification.values)}"]})
    alarm = Alarm.objects.select_for_update().select_related("device", "rule").get(pk=alarm.pk)
    if not alarm.rule.needs_verification:
        raise Conflict(_("this alarm is not one to verify"), {"result": [_("only fire alarms are verified")]})
    if alarm.verification:
        raise Conflict(_("the alarm is already verified"), {"result": [_("the alarm is already verified")]})
    if alarm.status == AlarmStatus.CLOSED:
        raise Conflict(_("the alarm is closed"), {"status": [alarm.status]})
    now = timezone.now()
    note = note[:500]
    alarm.verification, alarm.verified_at, alarm.verified_by, alarm.verify_note = result, now, by, note
    fields = ["verification", "verified_at", "verified_by", "verify_note"]
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at, alarm.acknowledged_by = now, by
        fields += ["acknowledged_at", "acknowledged_by"]
    if result == Verification.REAL:
        if alarm.status == AlarmStatus.ACTIVE:
            alarm.status = AlarmStatus.ACKNOWLEDGED
    else:
        alarm.status, alarm.closed_at, alarm.closed_by = AlarmStatus.CLOSED, now, by
        fields += ["closed_at", "closed_by"]
    fields.append("status")
    alarm.save(update_fields=fields)
    label = Verification(result).label
    AlarmEvent.objects.create(
        alarm=alarm, at=now, kind=AlarmEvent.Kind.VERIFIED, level=alarm.level, by=by, comment=f"{label} {note}".strip()
    )
    if alarm.status == AlarmStatus.CLOSED:
        AlarmEvent.objects.create(
            alarm=alarm, at=now, kind=AlarmEvent.Kind.CLOSED, level=alarm.level, by=by, comment=note
        )
    audit_append(
        actor=by,
        action="monitoring.alarm.verify",
        obj=alarm,
        summary=f"核实火警 {alarm.device.code}：{label}",
        payload={"result": result, "note": note},
    )
    alarm_changed_on_commit(alarm.pk, created=False)
    return alarm


def _escalation_recipients(alarm: Alarm) -> list[User]:
    names = [GROUP_NAMES[Role.DUTY_OFFICER], GROUP_NAMES[Role.COMMANDER]]
    people = User.objects.filter(is_active=True, groups__name__in=names)
    owners = User.objects.filter(is_active=True, org_id=alarm.org_id)
    return list({u.pk: u for u in [*people, *owners]}.values())


def fire_alarms_escalate_unverified(*, now: datetime) -> int:
    """Tell the duty officers, the commanders and the venue's staff about each open fire alarm nobody verified in
    time (each once); the worker runs it every minute."""
    candidates = Alarm.objects.filter(
        status__in=OPEN_STATUSES, rule__needs_verification=True, verification="", verify_escalated_at__isnull=True
    ).select_related("device", "rule")

    def message(alarm: Alarm, minutes: int) -> tuple[str, str, list[User]]:
        return (
            f"火警 {minutes} 分钟未核实：{alarm.device.name}",
            f"{alarm.device.address or alarm.device.installation}，{alarm.rule.name}",
            _escalation_recipients(alarm),
        )

    return escalate_waiting(
        candidates,
        now=now,
        default_minutes=verify_minutes(),
        still_waiting={"verification": "", "verify_escalated_at__isnull": True},
        mark="verify_escalated_at",
        kind=AlarmEvent.Kind.UNVERIFIED,
        message=message,
        action="monitoring.alarm.unverified",
        summary="火警 {minutes} 分钟未核实，已上报",
        send_signal=True,
    )


def false_alarm_rates(*, user: User, since: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Verified fire alarms per venue (the enterprise or unit a device watches, else its owner) and per device:
    real, false and test counts, pending ones, and the false-alarm rate (false / (real + false))."""
    alarms = scoped(Alarm.objects.filter(rule__needs_verification=True), user)
    if since is not None:
        alarms = alarms.filter(raised_at__gte=since)
    rows = alarms.values(
        "verification",
        "device__code",
        "device__name",
        "device__org_id",
        "device__org__name",
        "device__installation_org_id",
        "device__installation_org__name",
    )
    venues: dict[int, dict[str, Any]] = {}
    devices: dict[str, dict[str, Any]] = {}
    blank = {"real": 0, "false_alarm": 0, "test": 0, "pending": 0}
    for row in rows:
        venue_id = row["device__installation_org_id"] or row["device__org_id"]
        venue_name = row["device__installation_org__name"] or row["device__org__name"]
        venue = venues.setdefault(venue_id, {"id": venue_id, "name": venue_name, **blank})
        device = devices.setdefault(
            row["device__code"],
            {"code": row["device__code"], "name": row["device__name"], "venue": venue_name, **blank},
        )
        key = row["verification"] or "pending"
        venue[key] += 1
        device[key] += 1
    for entry in [*venues.values(), *devices.values()]:
        judged = entry["real"] + entry["false_alarm"]
        entry["rate"] = round(entry["false_alarm"] / judged, 3) if judged else None
    return {
        "venues": sorted(venues.values(), key=lambda v: (-v["false_alarm"], v["name"])),
        "devices": sorted(devices.values(), key=lambda d: (-d["false_alarm"], d["code"])),
    }


def fire_point_of(alarm: Alarm) -> tuple[int, int] | None:
    """The (loop, address) of the detector whose fire alarm raised the alarm, when the panel reported it."""
    value = (
        Reading.objects.filter(device_id=alarm.device_id, metric="fire_point", ts=alarm.raised_at)
        .values_list("value", flat=True)
        .first()
    )
    return divmod(int(value), POINT_BASE) if value is not None else None


def fire_overview(*, user: User) -> dict[str, Any]:
    """The smart-fire page: fire alarms waiting for verification (with the detector's loop and address), the
    latest verified ones, and the rates."""
    alarms = scoped(Alarm.objects.filter(rule__needs_verification=True), user).select_related(
        "device", "device__installation_org", "rule", "verified_by"
    )
    pending = list(alarms.filter(status__in=OPEN_STATUSES, verification="").order_by("raised_at"))
    for alarm in pending:
        alarm.point = fire_point_of(alarm)
    return {
        "pending": pending,
        "verified": list(alarms.exclude(verification="").order_by("-verified_at")[:20]),
        "rates": false_alarm_rates(user=user),
    }
