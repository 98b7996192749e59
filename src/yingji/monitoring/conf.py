"""Monitoring's settings, read from the project settings (each a YINGJI_* environment variable, see settings.py)."""

from django.conf import settings

TOPIC_PREFIX = "yingji/telemetry/"
SHARED_GROUP = "yingji"


def mqtt_url() -> str:
    return settings.MQTT_URL


def mqtt_client_id() -> str:
    """Fixed, so the broker keeps the persistent session (and the queued readings) across restarts."""
    return settings.MQTT_CLIENT_ID


def mqtt_shared() -> bool:
    """Several ingest processes share one MQTT 5 subscription ($share/yingji/…)."""
    return settings.MQTT_SHARED


def alarm_escalate_minutes() -> int:
    """Minutes an alarm may stay unacknowledged before the owner's staff and the duty officers are told."""
    return settings.ALARM_ESCALATE_MINUTES


def device_offline_minutes() -> int:
    """Minutes without data after which a device counts as offline when no offline rule covers it."""
    return settings.DEVICE_OFFLINE_MINUTES


def telemetry_topic() -> str:
    return "yingji/telemetry/+"


def fwi_bands() -> tuple:
    """Fire danger bands: YINGJI_FWI_BANDS="5,10,20,30" moves where levels 2-5 start."""
    from yingji.monitoring.fwi import DEFAULT_FWI_BANDS, Band

    raw = settings.FWI_BANDS
    if not raw:
        return DEFAULT_FWI_BANDS
    starts = [float(part) for part in raw.split(",")]
    if len(starts) != 4 or starts != sorted(starts):
        raise ValueError("YINGJI_FWI_BANDS needs four rising numbers, e.g. 5,10,20,30")
    return tuple(
        Band(band.level, start, band.name, band.colour, band.warning)
        for band, start in zip(DEFAULT_FWI_BANDS, [0.0, *starts], strict=True)
    )
