"""Links to apps below this one: alarms from monitoring reach the duty desk live, and an alarm whose rule opens
incidents proposes one to the duty officer (or opens it at once when the rule says so)."""

import logging
from typing import Any

from django.db import transaction
from django.urls import reverse

from yingji.core.live import publish
from yingji.incidents.models import EventKind, Status, TimelineEntry
from yingji.incidents.proposals import alarm_title, proposal_from_alarm
from yingji.incidents.services import LIVE_CHANNEL, timeline_append
from yingji.monitoring.signals import alarm_changed

log = logging.getLogger("yingji.incidents")


def alarm_summary(alarm: Any) -> dict[str, Any]:
    return {
        "id": alarm.pk,
        "title": alarm_title(alarm),
        "url": reverse("monitoring:alarm-detail", args=[alarm.pk]),
        "level": alarm.level,
        "status": alarm.status,
        "status_label": alarm.get_status_display(),
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
        # A fire alarm (火警) proposes one once the duty officer verifies it real (monitoring/firealarm.py).
        if ((created and alarm.rule.opens_incident) or alarm.verification == "real") and not incidents:
            proposal_from_alarm(alarm=alarm)


def connect() -> None:
    """Connect to `yingji.monitoring.signals.alarm_changed`."""
    alarm_changed.connect(on_alarm_changed, dispatch_uid="incidents.on_alarm_changed")
