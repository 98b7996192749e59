"""The monitoring demo loads on top of the demo district, inside its boundary, idempotently."""

from yingji.core.geo import in_district
from yingji.demo.services import demo_load
from yingji.monitoring.demo import demo_load_monitoring
from yingji.monitoring.models import Device, Rule


def test_demo_devices_and_rules_load_once(db):
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    first = demo_load_monitoring(seed=2021, out=lambda s: None)
    assert first["devices"] >= 15 and first["rules"] == 9 + 1 + 7  # general, rainstorm signal, smart fire
    assert Device.objects.filter(type="combustible_gas", org__industry__in=["hazchem", "gas"]).count() >= 5
    assert Device.objects.filter(type="weather_station").count() == 2
    assert all(in_district(d.lat, d.lon) for d in Device.objects.all())
    assert Rule.objects.get(name="长江黄石港水位站水位").device.code == "WL-YZ-01"
    again = demo_load_monitoring(seed=2021, out=lambda s: None)
    assert again == {"devices": 0, "rules": 0, "stations": 0, "fire_alarms": 0}


def test_demo_hydrology_and_fire(db):
    from yingji.core.models import User
    from yingji.monitoring.hydrology import flood_response, rain_summary, station_get
    from yingji.monitoring.models import Alarm, HydroStation, WarningSuggestion

    demo_load(password="Demo-Password-2026", out=lambda s: None)
    result = demo_load_monitoring(seed=2021, out=lambda s: None)
    assert result["stations"] == 3 + 2 + 3 and result["fire_alarms"] == 2
    assert all(in_district(d.lat, d.lon) for d in Device.objects.all())
    duty = User.objects.get(username="duty")
    # The rain of the last six hours makes a yellow signal at 江北; the storm four days ago was orange.
    summary = rain_summary(station=station_get(user=duty, code="RAIN-YZ-01"))
    assert summary["signal"].level == "yellow"
    assert Alarm.objects.filter(device__code="RAIN-YZ-01", metric="rainstorm_signal", level="orange").exists()
    assert WarningSuggestion.objects.filter(event_type="rainstorm", streets__code="420202400").exists()
    gappy = rain_summary(station=station_get(user=duty, code="RAIN-CH-01"))
    assert [w["complete"] for w in gappy["windows"]] == [True, True, True, False, False]
    # The Yangtze is over 设防: a blue alarm and response level Ⅳ proposed.
    assert flood_response(user=duty)["level"] == 4
    assert Alarm.objects.get(device__code="WL-YZ-01", status="active").level == "blue"
    assert HydroStation.objects.filter(kind="waterlogging").count() == 3
    assert Alarm.objects.filter(metric="water_depth_m", status="active").count() == 1
    verified = sorted(Alarm.objects.exclude(verification="").values_list("verification", flat=True))
    assert verified == ["false_alarm", "real"]
    assert Alarm.objects.filter(metric="leak_ma", level="yellow").count() == 1
