"""Daily fire danger per weather station: the FWI System from the station's noon readings (see fwi.py),
carried from the previous day's codes, with a forest-fire warning suggested at level 3 and above."""

import logging
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yingji.core.audit import audit_append
from yingji.monitoring.conf import fwi_bands
from yingji.monitoring.fwi import START_DC, START_DMC, START_FFMC, Codes, Weather, danger_band, fwi_day
from yingji.monitoring.metrics import DeviceType
from yingji.monitoring.models import Device, FireDangerDay, Reading, WarningSuggestion

log = logging.getLogger("yingji.monitoring")

NOON_TOLERANCE = timedelta(minutes=60)
# Huangshi's latitude, for stations registered without coordinates.
DEFAULT_LATITUDE = 30.2
# Weather stations report wind in m/s; the FWI System takes km/h.
MS_TO_KMH = 3.6


def local_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def noon_weather(*, device: Device, day: date) -> Weather | None:
    """The station's readings nearest local noon (within an hour) and its rain of the 24 hours to noon;
    None when something is missing."""
    noon = local_noon(day)
    values = {}
    for metric in ("temp_c", "rh_pct", "wind_ms"):
        rows = Reading.objects.filter(
            device_id=device.pk, metric=metric, ts__gte=noon - NOON_TOLERANCE, ts__lte=noon + NOON_TOLERANCE
        ).values_list("ts", "value")
        nearest = min(rows, key=lambda row: abs((row[0] - noon).total_seconds()), default=None)
        if nearest is None:
            return None
        values[metric] = nearest[1]
    rain = sum(
        Reading.objects.filter(
            device_id=device.pk, metric="rain_mm", ts__gt=noon - timedelta(hours=24), ts__lte=noon
        ).values_list("value", flat=True)
    )
    return Weather(
        day.month, values["temp_c"], min(max(values["rh_pct"], 0.0), 100.0), values["wind_ms"] * MS_TO_KMH, rain
    )


@transaction.atomic
def fire_danger_compute(*, device: Device, day: date) -> FireDangerDay | None:
    """Compute (or recompute) one station's day; None when its noon readings are missing."""
    weather = noon_weather(device=device, day=day)
    if weather is None:
        return None
    previous = FireDangerDay.objects.filter(device=device, date=day - timedelta(days=1)).first()
    codes = Codes(previous.ffmc, previous.dmc, previous.dc) if previous else Codes(START_FFMC, START_DMC, START_DC)
    result = fwi_day(codes, weather, latitude=device.lat if device.lat is not None else DEFAULT_LATITUDE)
    band = danger_band(result.fwi, fwi_bands())
    record, created = FireDangerDay.objects.update_or_create(
        device=device,
        date=day,
        defaults={
            "org_id": device.org_id,
            "temp_c": weather.temp_c,
            "rh_pct": weather.rh_pct,
            "wind_kmh": weather.wind_kmh,
            "rain_mm": weather.rain_mm,
            "ffmc": result.ffmc,
            "dmc": result.dmc,
            "dc": result.dc,
            "isi": result.isi,
            "bui": result.bui,
            "fwi": result.fwi,
            "level": band.level,
            "level_name": band.name,
            "suggest_warning": band.warning is not None,
            "warning_level": band.warning or "",
        },
    )
    if created and band.warning:
        WarningSuggestion.objects.create(
            event_type=WarningSuggestion.EventType.FOREST_FIRE,
            level=band.warning,
            headline=f"{device.name}：森林火险{band.level}级（{band.name}）",
            basis=f"{day:%Y-%m-%d} FWI {result.fwi:.1f}，FFMC {result.ffmc:.1f}，BUI {result.bui:.1f}",
            device=device,
            org_id=device.org_id,
            fire_day=record,
        )
    if created:
        audit_append(
            actor=None,
            action="monitoring.firedanger.compute",
            obj=record,
            summary=f"{device.code} {day} 森林火险{band.level}级",
            payload={"fwi": round(result.fwi, 1), "level": band.level},
        )
    return record


def fire_danger_compute_due(*, now: datetime) -> int:
    """Compute today's fire danger for every weather station once noon readings are in (from 13:00 local);
    before that, yesterday's if it is still missing."""
    local = timezone.localtime(now)
    day = local.date() if local.hour >= 13 else local.date() - timedelta(days=1)
    stations = Device.objects.filter(type=DeviceType.WEATHER_STATION, active=True).exclude(fwi_days__date=day)
    computed = 0
    for station in stations:
        if fire_danger_compute(device=station, day=day) is not None:
            computed += 1
        else:
            log.info("fire danger: %s has no noon readings for %s", station.code, day)
    return computed
