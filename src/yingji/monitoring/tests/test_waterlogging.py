"""Waterlogging points: the depth threshold becomes the point's rule, a depth over it alerts the streets it serves
(inbox) and the duty desk (alarm_changed), and the nearest teams and pumps come by travel time."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.core.models import Notification
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.monitoring.hydrology import station_save, waterlogging_reach
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm, WarningSuggestion
from yingji.monitoring.services import device_create
from yingji.monitoring.signals import alarm_changed
from yingji.resources import services as resources
from yingji.routing.tests.conftest import make_network


@pytest.fixture
def underpass(cast):
    device = device_create(
        by=None,
        code="WLG-B-01",
        name="乙街道铁路桥下穿通道",
        type="waterlogging",
        org=cast.district,
        lat=30.2365,
        lon=115.0515,
    )
    return station_save(
        by=None,
        device=device,
        kind="waterlogging",
        serves=[cast.street_b],
        depth_threshold_m=0.3,
        responsible_name="陈建国",
        responsible_phone="13800000000",
    )


def test_depth_over_the_threshold_alerts_the_street_and_the_desk(underpass, cast, django_capture_on_commit_callbacks):
    officer_b = user_create(
        by=None, username="t_street_b", password="x" * 12, org=cast.street_b, roles=[Role.STREET_OFFICER]
    )
    heard = []
    alarm_changed.connect(
        lambda sender, alarm, created, **kw: heard.append((alarm.device.code, created)),
        weak=False,
        dispatch_uid="test-waterlogging",
    )
    try:
        engine = IngestEngine(cache_ttl_s=0)
        now = datetime.now(UTC)
        for i, depth in enumerate([0.1, 0.29]):
            body = {
                "device": "WLG-B-01",
                "ts": (now - timedelta(minutes=10 - i)).isoformat(),
                "metrics": {"water_depth_m": depth},
            }
            engine.ingest([Envelope("http", "WLG-B-01", body)])
        assert not Alarm.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            body = {
                "device": "WLG-B-01",
                "ts": (now - timedelta(minutes=1)).isoformat(),
                "metrics": {"water_depth_m": 0.3},
            }
            engine.ingest([Envelope("http", "WLG-B-01", body)])
    finally:
        alarm_changed.disconnect(dispatch_uid="test-waterlogging")
    alarm = Alarm.objects.get()
    assert (alarm.metric, alarm.level, alarm.value) == ("water_depth_m", "yellow", 0.3)
    assert heard == [("WLG-B-01", True)]
    assert Notification.objects.filter(recipient=officer_b, category="alarm").exists()
    assert not Notification.objects.filter(recipient=cast.street_officer).exists()  # street A is not served
    assert WarningSuggestion.objects.get().event_type == "waterlogging"


def test_nearest_teams_and_pumps_by_travel_time(underpass, cast):
    assert waterlogging_reach(user=cast.duty, station=underpass)["error"]  # no road network yet
    points = [(30.235 + 0.003 * i, 115.05 + 0.003 * j) for i in range(4) for j in range(4)]
    edges = [(i * 4 + j, i * 4 + j + 1, 30.0, False) for i in range(4) for j in range(3)]
    edges += [(i * 4 + j, (i + 1) * 4 + j, 30.0, False) for i in range(3) for j in range(4)]
    make_network(points, edges)
    resources.team_create(
        by=None, parent=cast.street_b, code="TM-B", name="乙街道排涝队", kind="water", lat=30.236, lon=115.051
    )
    resources.team_create(
        by=None, parent=cast.street_a, code="TM-A", name="甲街道排涝队", kind="water", lat=30.243, lon=115.058
    )
    for code, name, org, lat, lon in [
        ("EQ-B", "乙街道排涝泵车", cast.street_b, 30.237, 115.052),
        ("EQ-A", "甲街道排涝泵车", cast.street_a, 30.244, 115.059),
    ]:
        resources.equipment_create(by=None, org=org, code=code, name=name, category="pump", lat=lat, lon=lon)
    resources.equipment_create(
        by=None, org=cast.street_b, code="EQ-G", name="发电机", category="generator", lat=30.2365, lon=115.0515
    )
    reach = waterlogging_reach(user=cast.duty, station=underpass)
    assert reach["error"] == ""
    assert [t["name"] for t in reach["teams"]] == ["乙街道排涝队", "甲街道排涝队"]
    assert [p["name"] for p in reach["pumps"]] == ["乙街道排涝泵车", "甲街道排涝泵车"]
    assert reach["pumps"][0]["eta_s"] < reach["pumps"][1]["eta_s"]


def test_reach_api(underpass, plant, cast, api, bearer):
    response = api.get("/api/v1/hydrology/stations/WLG-B-01/reach", headers=bearer(cast.duty))
    assert response.status_code == 200 and response.json()["teams"] == [] and response.json()["error"]
    assert api.get("/api/v1/hydrology/stations/RAIN-B-01/reach", headers=bearer(cast.duty)).status_code == 404
    station_save(by=None, device=plant.rain, kind="rain")
    assert api.get("/api/v1/hydrology/stations/RAIN-B-01/reach", headers=bearer(cast.duty)).status_code == 400
    assert api.get("/api/v1/hydrology/stations/WLG-B-01/reach", headers=bearer(cast.street_officer)).status_code == 404
