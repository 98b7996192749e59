"""The monitoring API: devices, HTTP telemetry batches, alarms and acknowledgement, fire danger."""

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from yingji.monitoring.models import Alarm, DeadLetter, Reading
from yingji.monitoring.services import device_token_issue

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def post_json(api, url, data, headers):
    return api.post(url, data=data, content_type="application/json", headers=headers)


def ts(minutes: float) -> str:
    return (NOW + timedelta(minutes=minutes)).isoformat()


@time_machine.travel(NOW, tick=False)
def test_batch_over_http_counts_accepted_and_rejected(plant, cast, api, bearer):
    batch = [
        {"device": "GAS-X-01", "ts": ts(-2), "metrics": {"ch4_lel": 4}},
        {"device": "GAS-X-01", "ts": int((NOW - timedelta(minutes=1)).timestamp() * 1000), "metrics": {"ch4_lel": 5}},
        {"device": "GAS-X-01", "ts": ts(-1), "metrics": {"ch4_lel": "n/a"}},
        {"device": "NOPE", "ts": ts(-1), "metrics": {"ch4_lel": 1}},
        "not an object",
    ]
    response = post_json(api, "/api/v1/telemetry", batch, bearer(cast.duty))
    assert response.status_code == 202
    body = response.json()
    assert (body["accepted"], body["rejected"], body["readings"]) == (2, 3, 2)
    assert [e["index"] for e in body["errors"]] == [2, 3, 4]
    assert body["errors"][1]["reason"] == "unknown device 'NOPE'"
    assert Reading.objects.count() == 2 and DeadLetter.objects.filter(source="http").count() == 3


@time_machine.travel(NOW, tick=False)
def test_street_officer_cannot_post_for_another_streets_device(plant, cast, api, bearer):
    batch = [{"device": "GAS-Y-01", "ts": ts(-1), "metrics": {"ch4_lel": 4}}]
    body = post_json(api, "/api/v1/telemetry", batch, bearer(cast.street_officer)).json()
    assert body["rejected"] == 1 and body["errors"][0]["reason"] == "unknown device 'GAS-Y-01'"


@time_machine.travel(NOW, tick=False)
def test_a_device_token_posts_only_its_own_readings(plant, api):
    token = device_token_issue(by=None, device=plant.gas)
    batch = [
        {"device": "GAS-X-01", "ts": ts(-1), "metrics": {"ch4_lel": 60}},
        {"device": "GAS-Y-01", "ts": ts(-1), "metrics": {"ch4_lel": 60}},
    ]
    body = post_json(api, "/api/v1/telemetry", batch, {"Authorization": f"Bearer {token}"}).json()
    assert (body["accepted"], body["rejected"]) == (1, 1)
    assert Alarm.objects.get().level == "red"
    assert post_json(api, "/api/v1/telemetry", batch, {"Authorization": "Bearer yjd_wrong"}).status_code == 401


def test_telemetry_body_must_be_an_array(plant, cast, api, bearer):
    response = post_json(api, "/api/v1/telemetry", {"device": "GAS-X-01"}, bearer(cast.duty))
    assert response.status_code == 400 and response.json()["errors"] == {"body": ["应为监测数据数组"]}
    response = api.post("/api/v1/telemetry", data=b"{", content_type="application/json", headers=bearer(cast.duty))
    assert response.status_code == 400


def test_devices_are_scoped_and_filtered(plant, cast, api, bearer, django_assert_max_num_queries):
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/devices", headers=headers).json()
    assert body["count"] == 4
    codes = [d["code"] for d in api.get("/api/v1/devices?type=rainfall", headers=headers).json()["items"]]
    assert codes == ["RAIN-B-01"]
    mine = api.get("/api/v1/devices", headers=bearer(cast.enterprise_manager)).json()
    assert [d["code"] for d in mine["items"]] == ["GAS-X-01"]
    assert mine["items"][0]["metrics"] == ["ch4_lel"]
    assert api.get("/api/v1/devices/GAS-Y-01", headers=bearer(cast.enterprise_manager)).status_code == 404
    assert api.get("/api/v1/devices/GAS-X-01", headers=bearer(cast.enterprise_manager)).status_code == 200
    assert api.get("/api/v1/devices?status=bogus", headers=headers).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_alarms_filter_and_acknowledge(plant, cast, api, bearer, django_assert_max_num_queries):
    post_json(
        api,
        "/api/v1/telemetry",
        [
            {"device": "GAS-X-01", "ts": ts(-1), "metrics": {"ch4_lel": 25}},
            {"device": "GAS-Y-01", "ts": ts(-1), "metrics": {"ch4_lel": 55}},
        ],
        bearer(cast.duty),
    )
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/alarms?status=active", headers=headers).json()
    assert body["count"] == 2
    only = api.get("/api/v1/alarms?status=active&device=GAS-X-01", headers=headers).json()["items"]
    assert len(only) == 1 and only[0]["level"] == "yellow" and only[0]["opens_incident"] is True
    alarm_id = only[0]["id"]
    ack = post_json(
        api, f"/api/v1/alarms/{alarm_id}/ack", {"comment": "已通知企业排查", "assignee": "t_enterprise"}, headers
    )
    assert ack.status_code == 200
    assert ack.json()["status"] == "acknowledged" and ack.json()["acknowledged_by"] == "t_duty"
    assert ack.json()["assignee"] == "t_enterprise"
    again = post_json(api, f"/api/v1/alarms/{alarm_id}/ack", {}, headers)
    assert again.status_code == 409
    assert api.get("/api/v1/alarms?status=active", headers=headers).json()["count"] == 1
    closed = post_json(api, f"/api/v1/alarms/{alarm_id}/close", {"comment": "阀门已关闭"}, headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


@time_machine.travel(NOW, tick=False)
def test_alarm_scope_and_role(plant, cast, api, bearer):
    post_json(
        api, "/api/v1/telemetry", [{"device": "GAS-Y-01", "ts": ts(-1), "metrics": {"ch4_lel": 55}}], bearer(cast.duty)
    )
    alarm = Alarm.objects.get()
    # Enterprise X's manager does not see enterprise Y's alarm: 404, like a missing one.
    response = post_json(api, f"/api/v1/alarms/{alarm.pk}/ack", {}, bearer(cast.enterprise_manager))
    assert response.status_code == 404
    assert api.get(f"/api/v1/alarms/{alarm.pk}", headers=bearer(cast.street_officer)).status_code == 404
    assert api.get("/api/v1/alarms", headers=bearer(cast.enterprise_manager)).json()["count"] == 0
    # An inspector sees district-wide alarms but may not acknowledge them.
    from yingji.core.services import user_create

    inspector = user_create(
        by=None, username="t_inspector", password="Correct-Horse-42", org=cast.bureau, roles=["inspector"]
    )
    assert post_json(api, f"/api/v1/alarms/{alarm.pk}/ack", {}, bearer(inspector)).status_code == 403
    assert post_json(api, "/api/v1/alarms/999999/ack", {}, bearer(cast.duty)).status_code == 404


def test_unknown_assignee_is_a_field_error(plant, cast, api, bearer):
    from yingji.monitoring.services import alarm_raise

    ref = alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="blue", value=12, at=NOW)
    response = post_json(api, f"/api/v1/alarms/{ref.id}/ack", {"assignee": "nobody"}, bearer(cast.duty))
    assert response.status_code == 400 and response.json()["errors"] == {"assignee": ["没有这个用户"]}


REFERENCE = Path(__file__).with_name("fwi_reference_first10days.csv")


def test_fire_danger_endpoint_reproduces_the_reference_series(cast, api, bearer):
    rows = list(csv.DictReader(REFERENCE.open(encoding="utf-8")))
    observations = [
        {
            "date": date(2026, int(r["month"]), int(r["day"])).isoformat(),
            "temp_c": float(r["temp_c"]),
            "rh_pct": float(r["rh_pct"]),
            "wind_kmh": float(r["wind_kmh"]),
            "rain_mm": float(r["rain_mm"]),
        }
        for r in rows
    ]
    payload = {"latitude": 46, "start": {"ffmc": 85, "dmc": 6, "dc": 15}, "observations": observations}
    response = post_json(api, "/api/v1/fire-danger/fwi", payload, bearer(cast.duty))
    assert response.status_code == 200
    days = response.json()["days"]
    assert len(days) == 10 and days[0]["date"] == "2026-04-13"
    for day, row in zip(days, rows, strict=True):
        for name in ("ffmc", "dmc", "dc", "isi", "bui", "fwi"):
            assert abs(day[name] - float(row[name])) <= 0.1 + 1e-9
    assert days[4]["level"] == 3 and days[4]["suggested_warning"] == "yellow"  # FWI 14.8
    assert days[9]["level"] == 1 and days[9]["suggested_warning"] is None  # FWI 0 after 9 mm of rain


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rh_pct": 120}, "observations.0.rh_pct"),
        ({"rain_mm": -1}, "observations.0.rain_mm"),
        ({"date": "2026-04-20"}, "observations"),
    ],
)
def test_fire_danger_input_is_validated_field_by_field(cast, api, bearer, change, field):
    first = {"date": "2026-04-13", "temp_c": 17, "rh_pct": 42, "wind_kmh": 25, "rain_mm": 0}
    second = {"date": "2026-04-14", "temp_c": 20, "rh_pct": 21, "wind_kmh": 25, "rain_mm": 2.4}
    if "date" in change:
        second = {**second, **change}
    else:
        first = {**first, **change}
    payload = {"latitude": 46, "start": {"ffmc": 85, "dmc": 6, "dc": 15}, "observations": [first, second]}
    response = post_json(api, "/api/v1/fire-danger/fwi", payload, bearer(cast.duty))
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


def test_api_needs_authentication(api):
    assert api.get("/api/v1/alarms").status_code == 401
    assert api.post("/api/v1/telemetry", data=[], content_type="application/json").status_code == 401


@time_machine.travel(NOW, tick=False)
def test_map_layers_show_devices_and_open_alarms_in_scope(plant, cast, api, bearer):
    post_json(
        api, "/api/v1/telemetry", [{"device": "GAS-X-01", "ts": ts(-1), "metrics": {"ch4_lel": 60}}], bearer(cast.duty)
    )
    alarms = api.get("/api/v1/map/layers/alarms", headers=bearer(cast.duty)).json()["features"]
    assert [f["properties"]["device"] for f in alarms] == ["GAS-X-01"] and alarms[0]["properties"]["level"] == "red"
    devices = api.get("/api/v1/map/layers/devices", headers=bearer(cast.enterprise_manager)).json()["features"]
    assert [f["properties"]["code"] for f in devices] == ["GAS-X-01"]
    assert api.get("/api/v1/map/layers/alarms", headers=bearer(cast.outsider)).json()["features"] == []
