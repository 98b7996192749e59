"""Pages of 三防 and smart fire: the overview, each kind of station, the fire page, verifying from a page, scope."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.monitoring.hydrology import RAINSTORM_SIGNAL_RULE, station_save
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm
from yingji.monitoring.services import device_create, rule_create


def send(code: str, metrics: dict, minutes_ago: float) -> None:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    IngestEngine(cache_ttl_s=0).ingest(
        [Envelope("http", code, {"device": code, "ts": at.isoformat(), "metrics": metrics})]
    )


@pytest.fixture
def stations(plant, cast):
    station_save(by=None, device=plant.rain, kind="rain", serves=[cast.street_b])
    rule_create(by=None, **RAINSTORM_SIGNAL_RULE)
    station_save(
        by=None, device=plant.river, kind="river", fortify_level=22.8, warning_level=24.5, guarantee_level=26.0
    )
    point = device_create(by=None, code="WLG-B-01", name="乙街道下穿通道", type="waterlogging", org=cast.street_b)
    station_save(by=None, device=point, kind="waterlogging", depth_threshold_m=0.3, responsible_name="陈建国")
    for i in range(6):
        send("RAIN-B-01", {"rain_mm": 10.0}, 60 - 10 * i)
        send("WL-B-01", {"water_level_m": 24.0 + 0.2 * i}, 60 - 10 * i)
    send("WLG-B-01", {"water_depth_m": 0.35}, 2)


def test_hydrology_pages_render(stations, cast, client):
    client.force_login(cast.duty)
    page = client.get("/monitoring/hydrology/").content.decode()
    assert "乙街道雨量站" in page and "长江水位站" in page and "乙街道下穿通道" in page
    assert 'data-response="3"' in page  # a river station over 警戒: Ⅲ by the default rules
    assert 'class="level lvl-orange"' in page  # 60 mm within the hour: orange (50 mm in 3 h)
    detail = client.get("/monitoring/hydrology/WL-B-01/").content.decode()
    assert 'class="guide guide-2"' in detail and "25.00" in detail  # level lines on the chart; latest 25.00 m
    rain = client.get("/monitoring/hydrology/RAIN-B-01/").content.decode()
    assert "60.0" in rain
    point = client.get("/monitoring/hydrology/WLG-B-01/").content.decode()
    assert "陈建国" in point and "0.35" in point


def test_hydrology_pages_scope(stations, cast, client):
    client.force_login(cast.street_officer)
    assert client.get("/monitoring/hydrology/WL-B-01/").status_code == 404
    assert "长江水位站" not in client.get("/monitoring/hydrology/").content.decode()


@pytest.fixture
def fire_panel(plant, cast):
    device_create(
        by=None,
        code="FAP-Y-01",
        name="乙建材火灾报警控制器",
        type="fire_panel",
        org=cast.enterprise_y,
        installation_org=cast.enterprise_y,
    )
    rule_create(by=None, name="火警", device_type="fire_panel", metric="fire_alarm", red=1, needs_verification=True)
    at = datetime.now(UTC) - timedelta(seconds=5)
    body = {"format": "fire_panel", "ts": at.isoformat(), "events": [{"event": "fire", "loop": 1, "address": 7}]}
    IngestEngine().ingest([Envelope("mqtt", "FAP-Y-01", body, "FAP-Y-01")])
    return Alarm.objects.get(device__code="FAP-Y-01")


def test_verify_from_the_fire_page(fire_panel, cast, client):
    client.force_login(cast.duty)
    page = client.get("/monitoring/fire/").content.decode()
    assert f'data-alarm="{fire_panel.pk}"' in page and '<span class="point">回路 1，地址 7</span>' in page
    response = client.post(
        f"/monitoring/alarms/{fire_panel.pk}/verify/",
        {"result": "false_alarm", "note": "烟雾测试", "next": "/monitoring/fire/"},
    )
    assert response.status_code == 302 and response["Location"] == "/monitoring/fire/"
    fire_panel.refresh_from_db()
    assert (fire_panel.verification, fire_panel.status) == ("false_alarm", "closed")
    page = client.get("/monitoring/fire/").content.decode()
    assert f'data-alarm="{fire_panel.pk}"' not in page and '<td class="false-count">1</td>' in page
    # A second verification is refused with a message, not a crash.
    response = client.post(f"/monitoring/alarms/{fire_panel.pk}/verify/", {"result": "real"}, follow=True)
    assert response.status_code == 200 and "already verified" in response.content.decode()


def test_verify_page_scope(fire_panel, cast, client):
    client.force_login(cast.street_officer)  # street A: enterprise Y is in street B
    assert client.post(f"/monitoring/alarms/{fire_panel.pk}/verify/", {"result": "real"}).status_code == 404
    client.force_login(cast.duty)
    detail = client.get(f"/monitoring/alarms/{fire_panel.pk}/").content.decode()
    assert "alarm-verify" not in detail and f"/monitoring/alarms/{fire_panel.pk}/verify/" in detail


def test_the_bureau_enters_a_station_levels_on_a_page(stations, plant, cast, client):
    client.force_login(cast.duty)
    assert client.get("/monitoring/hydrology/WL-B-01/edit/").status_code == 200
    data = {
        "kind": "river",
        "serves": [cast.street_b.pk],
        "max_gap_minutes": "20",
        "fortify_level": "23.0",
        "warning_level": "24.0",
        "guarantee_level": "25.0",
        "level_deadband": "0.05",
        "depth_threshold_m": "",
        "responsible_name": "",
        "responsible_phone": "",
    }
    response = client.post("/monitoring/hydrology/WL-B-01/edit/", data)
    assert response.status_code == 302
    plant.river.station.rule.refresh_from_db()
    assert (plant.river.station.rule.blue, plant.river.station.rule.red) == (23.0, 25.0)
    bad = client.post("/monitoring/hydrology/WL-B-01/edit/", {**data, "warning_level": "26.0"})
    assert bad.status_code == 200 and "设防 ≤ 警戒 ≤ 保证" in bad.content.decode()
    client.force_login(cast.street_officer)
    assert client.get("/monitoring/hydrology/WL-B-01/edit/").status_code in (403, 404)
