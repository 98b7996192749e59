"""The monitoring demo loads on top of the demo district, inside its boundary, idempotently."""

from yingji.core.geo import in_district
from yingji.demo.services import demo_load
from yingji.monitoring.demo import demo_load_monitoring
from yingji.monitoring.models import Device, Rule


def test_demo_devices_and_rules_load_once(db):
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    first = demo_load_monitoring(seed=2021, out=lambda s: None)
    assert first["devices"] >= 15 and first["rules"] == 11
    assert Device.objects.filter(type="combustible_gas", org__industry__in=["hazchem", "gas"]).count() >= 5
    assert Device.objects.filter(type="weather_station").count() == 2
    assert all(in_district(d.lat, d.lon) for d in Device.objects.all())
    assert Rule.objects.get(name="长江水位超警戒").device.code == "WL-YZ-01"
    assert demo_load_monitoring(seed=2021, out=lambda s: None) == {"devices": 0, "rules": 0}
