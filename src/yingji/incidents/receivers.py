"""Links to apps below this one: alarms from monitoring reach the duty desk live, and an alarm whose rule opens
incidents records one."""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.core.live import publish
from yingji.incidents.models import EventKind, IncidentType, Status, TimelineEntry
from yingji.incidents.services import LIVE_CHANNEL, incident_create, timeline_append
from yingji.monitoring.signals import alarm_changed

log = logging.getLogger("yingji.incidents")

# Which incident type an alarm of each device type most likely announces.
TYPE_BY_DEVICE: dict[str, str] = {
    "combustible_gas": "gas",
    "toxic_gas": "hazchem_leak",
    "liquid_level": "hazchem_leak",
    "pressure": "explosion",
    "temperature": "fire",
    "smoke": "fire",
    "electrical_fire": "fire",
    "fire_panel": "fire",
    "water_level": "flood",
    "rainfall": "flood",
    "displacement": "building_collapse",
}


def alarm_summary(alarm: Any) -> dict[str, Any]:
    return {
        "id": alarm.pk,
        "title": f"{alarm.device.name} · {alarm.rule.name} · {alarm.get_level_display()}",
        "level": alarm.level,
        "status": alarm.status,
        "value": alarm.value,
        "raised_at": alarm.raised_at.isoformat(),
        "lat": alarm.device.lat,
        "lon": alarm.device.lon,
    }


def on_alarm_changed(*, alarm: Any, created: bool, **kwargs: Any) -> None:
    """Push the alarm to open duty desks; open an incident when its rule asks; log changes on linked incidents."""
    publish(LIVE_CHANNEL, "alarm", alarm_summary(alarm), scope=alarm.org.path)
    linked = TimelineEntry.objects.filter(kind=EventKind.ALARM, payload__alarm=alarm.pk).select_related("incident")
    incidents = {entry.incident_id: entry.incident for entry in linked}
    with transaction.atomic():
        for incident in incidents.values():
            if incident.status in (Status.OPEN, Status.RESPONDING) and not created:
                timeline_append(
                    incident=incident,
                    kind=EventKind.ALARM,
                    text=f"报警更新：{alarm_summary(alarm)['title']}（{alarm.get_status_display()}）",
                    payload={"alarm": alarm.pk, "status": alarm.status},
                )
        # A fire alarm (火警) opens one once the duty officer verifies it real (monitoring/firealarm.py).
        if ((created and alarm.rule.opens_incident) or alarm.verification == "real") and not incidents:
            _open_incident(alarm)


def _open_incident(alarm: Any) -> None:
    code = TYPE_BY_DEVICE.get(alarm.device.type, "other_accident")
    incident_type = IncidentType.objects.filter(code=code, active=True).first() or IncidentType.objects.get(
        code="other_accident"
    )
    enterprise = alarm.org if alarm.org.kind == "enterprise" else None
    incident = incident_create(
        by=None,
        title=f"{alarm.device.name}报警：{alarm.rule.name}",
        category=incident_type.category,
        type=incident_type,
        source="sensor",
        occurred_at=min(alarm.raised_at, timezone.now()),
        # A device without a location stands where its owner is.
        lat=alarm.device.lat if alarm.device.lat is not None else alarm.org.lat,
        lon=alarm.device.lon if alarm.device.lon is not None else alarm.org.lon,
        address=alarm.device.address or alarm.org.address or alarm.org.name,
        enterprise=enterprise,
        org=alarm.org,
        description=f"监测报警自动生成：{alarm_summary(alarm)['title']}，读数 {alarm.value}",
    )
    timeline_append(
        incident=incident,
        kind=EventKind.ALARM,
        text=f"关联报警：{alarm_summary(alarm)['title']}",
        payload={"alarm": alarm.pk},
    )


def connect() -> None:
    """Connect to `yingji.monitoring.signals.alarm_changed`."""
    alarm_changed.connect(on_alarm_changed, dispatch_uid="incidents.on_alarm_changed")
