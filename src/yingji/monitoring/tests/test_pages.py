"""Monitoring's pages: scoped lists and details, forms, permissions."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm, Device, Rule, WarningSuggestion


def leak(code: str, value: float) -> None:
    at = datetime.now(UTC) - timedelta(minutes=1)
    body = {"device": code, "ts": at.isoformat(), "metrics": {"ch4_lel": value}}
    IngestEngine().ingest([Envelope("http", code, body)])


def test_overview_and_lists_render_for_the_duty_officer(plant, cast, client, django_assert_max_num_queries):
    leak("GAS-X-01", 40)
    client.force_login(cast.duty)
    assert "甲化工储罐区可燃气体探测器" in client.get("/monitoring/").content.decode()
    with django_assert_max_num_queries(12):
        page = client.get("/monitoring/alarms/").content.decode()
    assert "甲化工储罐区可燃气体探测器" in page
    with django_assert_max_num_queries(12):
        page = client.get("/monitoring/devices/").content.decode()
    assert "RAIN-B-01" in page and "GAS-Y-01" in page
    assert client.get("/monitoring/rules/").status_code == 200
    assert client.get("/monitoring/fire-danger/").status_code == 200


def test_device_detail_draws_a_chart_of_recent_readings(plant, cast, client):
    for i, value in enumerate([3, 4, 5]):
        at = datetime.now(UTC) - timedelta(minutes=10 - i)
        IngestEngine().ingest(
            [Envelope("http", "GAS-X-01", {"device": "GAS-X-01", "ts": at.isoformat(), "metrics": {"ch4_lel": value}})]
        )
    client.force_login(cast.enterprise_manager)
    page = client.get("/monitoring/devices/GAS-X-01/").content.decode()
    assert "<svg" in page and 'd="M2.0,' in page and "yingji/telemetry/GAS-X-01" in page


def test_pages_are_scoped(plant, cast, client):
    leak("GAS-Y-01", 60)
    alarm = Alarm.objects.get()
    client.force_login(cast.enterprise_manager)
    assert client.get("/monitoring/devices/GAS-Y-01/").status_code == 404
    assert client.get(f"/monitoring/alarms/{alarm.pk}/").status_code == 404
    assert client.post(f"/monitoring/alarms/{alarm.pk}/ack/").status_code == 404
    assert "GAS-Y-01" not in client.get("/monitoring/devices/").content.decode()


def test_acknowledge_and_close_from_the_detail_page(plant, cast, client):
    leak("GAS-X-01", 40)
    alarm = Alarm.objects.get()
    client.force_login(cast.enterprise_manager)
    response = client.post(f"/monitoring/alarms/{alarm.pk}/ack/", {"comment": "已关阀"})
    assert response.status_code == 302
    alarm.refresh_from_db()
    assert alarm.status == "acknowledged" and alarm.ack_comment == "已关阀"
    client.post(f"/monitoring/alarms/{alarm.pk}/close/", {"comment": "处置完毕"})
    alarm.refresh_from_db()
    assert alarm.status == "closed"
    # An outside redirect target is ignored.
    response = client.post(f"/monitoring/alarms/{alarm.pk}/ack/", {"next": "https://evil.example/"})
    assert response.url == f"/monitoring/alarms/{alarm.pk}/"


def test_rule_form_validates_and_is_for_the_duty_desk_only(plant, cast, client):
    client.force_login(cast.enterprise_manager)
    assert client.get("/monitoring/rules/new/").status_code == 403
    client.force_login(cast.duty)
    data = {
        "name": "硫化氢",
        "kind": "threshold",
        "metric": "h2s_ppm",
        "direction": "above",
        "yellow": 20,
        "red": 10,
        "deadband": 0,
        "level": "yellow",
        "window_s": 300,
        "offline_minutes": 30,
        "active": "on",
    }
    response = client.post("/monitoring/rules/new/", data)
    assert response.status_code == 200 and "limits must rise" in response.content.decode()
    response = client.post("/monitoring/rules/new/", {**data, "yellow": 10, "red": 20})
    assert response.status_code == 302 and Rule.objects.filter(name="硫化氢").exists()


def test_enterprise_manager_registers_a_device_for_their_enterprise_only(plant, cast, client):
    client.force_login(cast.enterprise_manager)
    data = {"code": "GAS-X-02", "name": "二号探测器", "type": "toxic_gas", "org": cast.enterprise_x.pk, "active": "on"}
    assert client.post("/monitoring/devices/new/", data).status_code == 302
    assert Device.objects.get(code="GAS-X-02").metrics == ["h2s_ppm", "co_ppm"]
    response = client.post("/monitoring/devices/new/", {**data, "code": "GAS-Y-02", "org": cast.enterprise_y.pk})
    assert response.status_code == 200 and not Device.objects.filter(code="GAS-Y-02").exists()


def test_suggestion_links_prefill_the_warning_form(plant, cast, client):
    at = datetime.now(UTC) - timedelta(minutes=1)
    IngestEngine().ingest(
        [Envelope("http", "WL-B-01", {"device": "WL-B-01", "ts": at.isoformat(), "metrics": {"water_level_m": 25.7}})]
    )
    suggestion = WarningSuggestion.objects.get()
    assert suggestion.event_type == "flood" and suggestion.level == "orange"
    assert suggestion.warning_url.startswith("/warnings/new/?event_type=flood&level=orange&headline=")
    client.force_login(cast.duty)
    page = client.get("/monitoring/fire-danger/").content.decode()
    assert "/warnings/new/?event_type=flood&amp;level=orange" in page


@pytest.mark.parametrize("url", ["/monitoring/", "/monitoring/alarms/", "/monitoring/devices/"])
def test_pages_need_sign_in(client, url):
    assert client.get(url).status_code == 302


def test_overview_counts_every_device_by_status(plant, cast, client):
    """Issue 8: grouping an ordered queryset by status grouped by code too, so the overview showed one device."""
    Device.objects.filter(code__in=["GAS-X-01", "RAIN-B-01"]).update(status="online")
    Device.objects.filter(code="WL-B-01").update(status="offline")
    client.force_login(cast.duty)
    response = client.get("/monitoring/")
    assert response.context["device_total"] == 4
    assert response.context["device_counts"] == {"online": 2, "offline": 1, "unknown": 1}
