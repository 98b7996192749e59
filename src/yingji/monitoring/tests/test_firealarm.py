"""Smart fire: the fire-panel adapter, 火警 verification (API, rules, scope), escalation of unverified fire alarms
with frozen time, and false-alarm rates per venue and device."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from yingji.core.errors import Conflict
from yingji.core.models import Notification
from yingji.monitoring.adapters import adapt
from yingji.monitoring.firealarm import (
    alarm_verify,
    false_alarm_rates,
    fire_alarms_escalate_unverified,
    fire_point_of,
)
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm, AlarmEvent, Rule
from yingji.monitoring.services import alarms_escalate_unacknowledged, device_create, rule_create

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def panel(plant, cast):
    device = device_create(
        by=None,
        code="FAP-Y-01",
        name="乙建材火灾报警控制器",
        type="fire_panel",
        org=cast.enterprise_y,
        installation_org=cast.enterprise_y,
        address="乙建材办公楼",
    )
    rule_create(by=None, name="火警", device_type="fire_panel", metric="fire_alarm", red=1, needs_verification=True)
    return device


def fire(code: str = "FAP-Y-01", at: datetime | None = None, events: list | None = None) -> Alarm:
    at = at or datetime.now(UTC) - timedelta(seconds=5)
    body = {
        "format": "fire_panel",
        "ts": at.isoformat(),
        "events": events or [{"event": "fire", "loop": 1, "address": 23}],
    }
    IngestEngine(cache_ttl_s=0, clock=lambda: at + timedelta(seconds=5)).ingest([Envelope("mqtt", code, body, code)])
    return Alarm.objects.filter(device__code=code).order_by("-id").first()


def test_fire_panel_adapter_counts_points_per_loop_and_address():
    body = adapt(
        {
            "format": "fire_panel",
            "ts": "2026-05-01T08:00:00Z",
            "events": [
                {"event": "fire", "loop": 1, "address": 23},
                {"event": "fire", "loop": 1, "address": 23},
                {"event": "fire", "loop": 2, "address": 4},
                {"event": "fault", "loop": 3, "address": 9},
                {"event": "disabled", "loop": 3, "address": 10},
                {"event": "supervisory", "loop": 0, "address": 1},
            ],
        }
    )
    assert body["metrics"] == {
        "fire_alarm": 2.0,
        "fire_point": 100023.0,
        "fire_fault": 1.0,
        "fire_disabled": 1.0,
        "fire_supervisory": 1.0,
    }
    reset = adapt({"format": "fire_panel", "ts": 1, "events": [{"event": "reset"}]})["metrics"]
    assert reset == {"fire_alarm": 0.0, "fire_fault": 0.0, "fire_disabled": 0.0, "fire_supervisory": 0.0}
    restored = adapt(
        {"format": "fire_panel", "events": [{"event": "fault", "loop": 1, "address": 2, "restored": True}]}
    )
    assert restored["metrics"] == {"fire_fault": 0.0}
    assert adapt({"ts": 1, "metrics": {"x": 1}}) == {"ts": 1, "metrics": {"x": 1}}  # our JSON unchanged
    for bad in (
        {"format": "hjt212"},
        {"format": "fire_panel", "events": []},
        {"format": "fire_panel", "events": [{"event": "smoke", "loop": 1, "address": 1}]},
        {"format": "fire_panel", "events": [{"event": "fire", "loop": "1", "address": 1}]},
        {"format": "fire_panel", "events": [{"event": "fire", "loop": 999, "address": 1}]},
    ):
        with pytest.raises(ValueError):
            adapt(bad)


def test_a_bad_panel_message_is_a_dead_letter(panel):
    at = datetime.now(UTC)
    body = {"format": "fire_panel", "ts": at.isoformat(), "events": [{"event": "smoke", "loop": 1, "address": 1}]}
    result = IngestEngine().ingest([Envelope("mqtt", "FAP-Y-01", body, "FAP-Y-01")])
    assert result.rejected == 1 and "unknown event" in result.errors[0][1]


def test_a_fire_alarm_is_raised_and_asks_to_be_verified(panel, cast):
    alarm = fire()
    assert alarm.level == "red" and alarm.rule.needs_verification and alarm.verification == ""
    assert fire_point_of(alarm) == (1, 23)
    # The duty officers hear of it at once: they verify it.
    assert Notification.objects.filter(recipient=cast.duty, link=f"/monitoring/alarms/{alarm.pk}/").exists()


def test_verify_false_alarm_over_the_api(panel, cast, api, bearer):
    alarm = fire()
    url = f"/api/v1/alarms/{alarm.pk}/verify"
    payload = {"result": "false_alarm", "note": "厨房油烟误报"}
    assert (
        api.post(url, payload, content_type="application/json", headers=bearer(cast.street_officer)).status_code == 404
    )
    assert (
        api.post(url, payload, content_type="application/json", headers=bearer(cast.enterprise_manager)).status_code
        == 404
    )
    bad = api.post(url, {"result": "maybe"}, content_type="application/json", headers=bearer(cast.duty))
    assert bad.status_code in (400, 422)
    long = api.post(
        url, {"result": "test", "note": "x" * 501}, content_type="application/json", headers=bearer(cast.duty)
    )
    assert long.status_code in (400, 422)
    response = api.post(url, payload, content_type="application/json", headers=bearer(cast.duty))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["verification"], body["status"], body["verify_note"]) == ("false_alarm", "closed", "厨房油烟误报")
    kinds = list(AlarmEvent.objects.filter(alarm=alarm).values_list("kind", flat=True))
    assert kinds == ["raised", "verified", "closed"]
    again = api.post(url, {"result": "real"}, content_type="application/json", headers=bearer(cast.duty))
    assert again.status_code == 409


def test_verify_real_keeps_the_alarm_open_and_test_closes_it(panel, cast):
    alarm = alarm_verify(by=cast.duty, alarm=fire(), result="real", note="现场确认起火")
    assert (alarm.status, alarm.verified_by, alarm.acknowledged_by) == ("acknowledged", cast.duty, cast.duty)
    fire(events=[{"event": "reset"}])
    other = fire(at=datetime.now(UTC))
    assert other.pk != alarm.pk
    assert alarm_verify(by=cast.duty, alarm=other, result="test").status == "closed"


def test_only_fire_alarms_are_verified(panel, plant, cast):
    leak = datetime.now(UTC) - timedelta(seconds=5)
    IngestEngine().ingest(
        [Envelope("http", "GAS-X-01", {"device": "GAS-X-01", "ts": leak.isoformat(), "metrics": {"ch4_lel": 30}})]
    )
    gas_alarm = Alarm.objects.get(device=plant.gas)
    with pytest.raises(Conflict):
        alarm_verify(by=cast.duty, alarm=gas_alarm, result="real")


def test_unverified_fire_alarms_escalate_once_after_the_configured_minutes(panel, cast):
    with time_machine.travel(NOW, tick=False):
        alarm = fire(at=NOW)
        late = fire(code="FAP-Y-01", at=NOW)  # the same open alarm
        assert late.pk == alarm.pk
    with time_machine.travel(NOW + timedelta(minutes=2, seconds=59), tick=False):
        assert fire_alarms_escalate_unverified(now=NOW + timedelta(minutes=2, seconds=59)) == 0
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        assert fire_alarms_escalate_unverified(now=NOW + timedelta(minutes=3)) == 1
        assert fire_alarms_escalate_unverified(now=NOW + timedelta(minutes=4)) == 0
        # The generic unacknowledged escalation leaves fire alarms to this one.
        assert alarms_escalate_unacknowledged(now=NOW + timedelta(hours=2)) == 0
    alarm.refresh_from_db()
    assert alarm.verify_escalated_at == NOW + timedelta(minutes=3)
    assert AlarmEvent.objects.filter(alarm=alarm, kind="unverified").count() == 1
    assert Notification.objects.filter(recipient=cast.duty, title__startswith="火警 3 分钟未核实").exists()


def test_the_rule_sets_its_own_minutes_and_verified_alarms_never_escalate(panel, cast, settings):
    panel_rule = Rule.objects.get(name="火警")
    panel_rule.escalate_after_minutes = 10
    panel_rule.save()
    with time_machine.travel(NOW, tick=False):
        alarm = fire(at=NOW)
    assert fire_alarms_escalate_unverified(now=NOW + timedelta(minutes=9)) == 0
    assert fire_alarms_escalate_unverified(now=NOW + timedelta(minutes=10)) == 1
    panel_rule.escalate_after_minutes = None
    panel_rule.save()
    settings.FIRE_VERIFY_MINUTES = 1
    Alarm.objects.filter(pk=alarm.pk).update(verify_escalated_at=None)
    alarm_verify(by=cast.duty, alarm=alarm, result="real")
    assert fire_alarms_escalate_unverified(now=NOW + timedelta(hours=1)) == 0


def test_false_alarm_rates_per_venue_and_device(panel, cast, api, bearer):
    second = device_create(by=None, code="SMK-Y-01", name="乙建材独立烟感", type="fire_panel", org=cast.enterprise_y)
    results = ["false_alarm", "false_alarm", "real", "test"]
    for i, result in enumerate(results):
        alarm = fire(code="FAP-Y-01" if i < 3 else second.code)
        alarm_verify(by=cast.duty, alarm=alarm, result=result)
        if result == "real":
            fire(events=[{"event": "reset"}])
            Alarm.objects.filter(pk=alarm.pk).update(status="closed")
    fire(code="SMK-Y-01")  # pending
    rates = false_alarm_rates(user=cast.duty)
    venue = rates["venues"][0]
    assert (venue["name"], venue["false_alarm"], venue["real"], venue["test"], venue["pending"]) == (
        "乙建材有限公司",
        2,
        1,
        1,
        1,
    )
    assert venue["rate"] == pytest.approx(0.667)
    devices = {d["code"]: d for d in rates["devices"]}
    assert devices["FAP-Y-01"]["rate"] == pytest.approx(0.667) and devices["SMK-Y-01"]["rate"] is None
    # Street A sees none of street B's venue.
    assert false_alarm_rates(user=cast.street_officer) == {"venues": [], "devices": []}
    response = api.get("/api/v1/fire/false-alarm-rates?days=30", headers=bearer(cast.duty))
    assert response.status_code == 200 and response.json()["venues"][0]["false_alarm"] == 2
    assert api.get("/api/v1/fire/false-alarm-rates?days=0", headers=bearer(cast.duty)).status_code == 400


def test_the_worker_job_escalates_with_frozen_time(panel):
    from yingji.core.worker import JOBS
    from yingji.monitoring.tasks import escalate_unverified_fire_alarms

    assert any(job.func is escalate_unverified_fire_alarms for job in JOBS.values())
    with time_machine.travel(NOW, tick=False):
        fire(at=NOW)
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        assert escalate_unverified_fire_alarms() == 0
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert escalate_unverified_fire_alarms() == 1
