"""Monitoring's periodic jobs in the worker: offline detection, escalation of unacknowledged alarms and of
unverified fire alarms, daily fire danger from weather stations, next month's readings partition, and the 三防
response level (ingest checks it at once when a level station crosses a stage; this catches the rest, such as a
station whose readings aged out)."""

from django.utils import timezone

from yingji.core.worker import periodic
from yingji.monitoring.firealarm import fire_alarms_escalate_unverified
from yingji.monitoring.firedanger import fire_danger_compute_due
from yingji.monitoring.hydrology import flood_response_check
from yingji.monitoring.partitions import reading_partitions_ensure
from yingji.monitoring.services import alarms_escalate_unacknowledged, devices_check_offline


@periodic(every_s=60)
def check_offline_devices() -> dict[str, int]:
    return devices_check_offline(now=timezone.now())


@periodic(every_s=60)
def escalate_unacknowledged_alarms() -> int:
    return alarms_escalate_unacknowledged(now=timezone.now())


@periodic(every_s=900)
def daily_fire_danger() -> int:
    return fire_danger_compute_due(now=timezone.now())


@periodic(every_s=6 * 3600)
def readings_partitions() -> list[str]:
    return reading_partitions_ensure(now=timezone.now())


@periodic(every_s=60)
def escalate_unverified_fire_alarms() -> int:
    return fire_alarms_escalate_unverified(now=timezone.now())


@periodic(every_s=300)
def check_flood_response() -> int | None:
    response = flood_response_check(now=timezone.now())
    return response.level if response else None
