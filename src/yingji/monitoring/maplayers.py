"""Map layers of monitoring: devices and open alarms, scoped to the user."""

from typing import Any

from yingji.core.models import User
from yingji.core.scopes import scoped
from yingji.monitoring.models import OPEN_STATUSES, Alarm, Device

FeatureCollection = dict[str, Any]


def devices_layer(user: User | None) -> FeatureCollection:
    devices = scoped(Device.objects.filter(active=True, lat__isnull=False).select_related("org"), user)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.pk,
                "geometry": {"type": "Point", "coordinates": [d.lon, d.lat]},
                "properties": {
                    "id": d.pk,
                    "code": d.code,
                    "name": d.name,
                    "type": d.get_type_display(),
                    "status": d.status,
                    "owner": d.org.name,
                    "url": f"/monitoring/devices/{d.code}/",
                },
            }
            for d in devices
        ],
    }


def alarms_layer(user: User | None) -> FeatureCollection:
    alarms = scoped(
        Alarm.objects.filter(status__in=OPEN_STATUSES, device__lat__isnull=False).select_related("device", "rule"),
        user,
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": a.pk,
                "geometry": {"type": "Point", "coordinates": [a.device.lon, a.device.lat]},
                "properties": {
                    "id": a.pk,
                    "device": a.device.code,
                    "name": f"{a.device.name} · {a.rule.name}",
                    "level": a.level,
                    "level_label": str(a.get_level_display()),
                    "status": a.status,
                    "value": a.value,
                    "raised_at": a.raised_at.isoformat(),
                    "url": f"/monitoring/alarms/{a.pk}/",
                },
            }
            for a in alarms
        ],
    }


LAYERS = {"devices": devices_layer, "alarms": alarms_layer}
