"""Daily fire danger from a weather station's noon readings, carried from day to day, with a suggestion."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from yingji.monitoring.firedanger import fire_danger_compute, fire_danger_compute_due
from yingji.monitoring.models import FireDangerDay, Reading, WarningSuggestion
from yingji.monitoring.services import device_create

DAY = date(2026, 4, 13)


def noon_readings(device, day: date, *, temp: float, rh: float, wind_kmh: float, rain_mm: float) -> None:
    noon = timezone.make_aware(datetime.combine(day, time(12, 0)))
    rows = [
        Reading(device=device, metric="temp_c", ts=noon - timedelta(minutes=10), value=temp + 5),  # farther from noon
        Reading(device=device, metric="temp_c", ts=noon + timedelta(minutes=2), value=temp),
        Reading(device=device, metric="rh_pct", ts=noon, value=rh),
        Reading(device=device, metric="wind_ms", ts=noon, value=wind_kmh / 3.6),
        Reading(
            device=device, metric="rain_mm", ts=noon - timedelta(hours=50), value=50.0
        ),  # outside any 24 h window here
        Reading(device=device, metric="rain_mm", ts=noon - timedelta(hours=3), value=rain_mm),
    ]
    Reading.objects.bulk_create(rows)


@pytest.fixture
def station(cast):
    # At 46°N so the reference series' day-length factors apply.
    return device_create(
        by=None, code="AWS-T-01", name="测试林区气象站", type="weather_station", org=cast.bureau, lat=46.0, lon=115.0
    )


def test_noon_readings_give_the_reference_day_and_a_warning_suggestion(station):
    noon_readings(station, DAY, temp=17, rh=42, wind_kmh=25, rain_mm=0)
    assert fire_danger_compute_due(now=timezone.make_aware(datetime.combine(DAY, time(14, 0)))) == 1
    day = FireDangerDay.objects.get(device=station, date=DAY)
    for name, expected in {"ffmc": 87.7, "dmc": 8.5, "dc": 19.0, "isi": 10.9, "bui": 8.5, "fwi": 10.1}.items():
        assert abs(round(getattr(day, name), 1) - expected) <= 0.1
    assert day.level == 3 and day.suggest_warning and day.warning_level == "yellow"
    suggestion = WarningSuggestion.objects.get(fire_day=day)
    assert suggestion.event_type == "forest_fire" and "level=yellow" in suggestion.warning_url
    # Once a day: a second run changes nothing.
    assert fire_danger_compute_due(now=timezone.make_aware(datetime.combine(DAY, time(15, 0)))) == 0


def test_the_next_day_carries_yesterdays_codes(station):
    noon_readings(station, DAY, temp=17, rh=42, wind_kmh=25, rain_mm=0)
    noon_readings(station, DAY + timedelta(days=1), temp=20, rh=21, wind_kmh=25, rain_mm=2.4)
    fire_danger_compute(device=station, day=DAY)
    second = fire_danger_compute(device=station, day=DAY + timedelta(days=1))
    assert round(second.ffmc, 1) == 86.2 and abs(round(second.dmc, 1) - 10.4) <= 0.1 and round(second.dc, 1) == 23.6


def test_before_one_pm_yesterday_is_computed_and_missing_readings_skip(station):
    assert fire_danger_compute_due(now=timezone.make_aware(datetime.combine(DAY, time(9, 0)))) == 0
    assert not FireDangerDay.objects.exists()


def test_ingest_command_needs_a_broker(db, settings):
    settings.MQTT_URL = ""
    with pytest.raises(CommandError, match="YINGJI_MQTT_URL") as error:
        call_command("ingest")
    assert error.value.returncode == 2
