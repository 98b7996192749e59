"""Alarm lifecycle, the alarm_changed signal, escalation of unacknowledged alarms, offline detection."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from yingji.core.errors import Conflict, NotAllowed
from yingji.core.models import Notification
from yingji.monitoring.models import Alarm, AlarmStatus, Device
from yingji.monitoring.services import (
    alarm_acknowledge,
    alarm_assign,
    alarm_clear,
    alarm_close,
    alarm_escalate,
    alarm_raise,
    alarms_escalate_unacknowledged,
    devices_check_offline,
)
from yingji.monitoring.signals import alarm_changed

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def heard():
    events = []

    def receiver(sender, alarm, created, **kwargs):
        events.append((alarm.pk, alarm.status, alarm.level, created, alarm.rule.opens_incident))

    alarm_changed.connect(receiver)
    yield events
    alarm_changed.disconnect(receiver)


def test_lifecycle_active_acknowledged_cleared_closed(plant, cast, heard, django_capture_on_commit_callbacks):
    def step(action):
        # Each change commits on its own, as in production, and the signal reads the state it committed.
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    ref = step(
        lambda: alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="blue", value=12, at=NOW)
    )
    step(lambda: alarm_escalate(alarm_id=ref.id, level="orange", value=40, at=NOW + timedelta(seconds=5)))
    alarm = Alarm.objects.get(pk=ref.id)
    step(lambda: alarm_acknowledge(by=cast.enterprise_manager, alarm=alarm, comment="现场排查中"))
    step(lambda: alarm_clear(alarm_id=ref.id, at=NOW + timedelta(minutes=3), value=4))
    step(lambda: alarm_close(by=cast.duty, alarm=alarm, comment="泄漏点已封堵"))
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLOSED and alarm.level == "orange" and alarm.peak_value == 40
    assert alarm.acknowledged_by == cast.enterprise_manager and alarm.ack_comment == "现场排查中"
    assert alarm.closed_by == cast.duty
    assert [e[1:4] for e in heard] == [
        ("active", "blue", True),
        ("active", "orange", False),
        ("acknowledged", "orange", False),
        ("cleared", "orange", False),
        ("closed", "orange", False),
    ]
    assert heard[0][4] is True  # the gas rule asks the duty desk for an incident
    # The owner's staff heard of the raise in their inbox.
    assert Notification.objects.filter(recipient=cast.enterprise_manager, category="alarm").exists()


def test_signal_waits_for_the_commit(plant, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="blue", value=12, at=NOW)
    assert heard == [] and len(callbacks) == 1


def test_closing_needs_acknowledgement_or_clearing(plant, cast):
    ref = alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="blue", value=12, at=NOW)
    alarm = Alarm.objects.get(pk=ref.id)
    with pytest.raises(Conflict):
        alarm_close(by=cast.duty, alarm=alarm)
    with pytest.raises(NotAllowed):
        alarm_acknowledge(by=cast.outsider, alarm=alarm)


def test_a_second_raise_for_the_same_device_and_rule_reuses_the_open_alarm(plant):
    first = alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="blue", value=12, at=NOW)
    second = alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="red", value=60, at=NOW)
    assert second.id == first.id and second.level == "red" and not second.created
    assert Alarm.objects.count() == 1


def test_assign_within_scope_only(plant, cast):
    ref = alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="blue", value=12, at=NOW)
    alarm = Alarm.objects.get(pk=ref.id)
    alarm_assign(by=cast.duty, alarm=alarm, assignee=cast.enterprise_manager)
    assert Alarm.objects.get(pk=ref.id).assignee == cast.enterprise_manager
    from yingji.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        alarm_assign(by=cast.enterprise_manager, alarm=alarm, assignee=cast.duty)


def test_unacknowledged_alarm_escalates_once_to_owner_staff_and_duty_officers(plant, cast):
    with time_machine.travel(NOW, tick=False):
        alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="yellow", value=22, at=NOW)
        Notification.objects.all().delete()
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert alarms_escalate_unacknowledged(now=NOW + timedelta(minutes=14)) == 0
    with time_machine.travel(NOW + timedelta(minutes=15), tick=False):
        assert alarms_escalate_unacknowledged(now=NOW + timedelta(minutes=15)) == 1
        assert alarms_escalate_unacknowledged(now=NOW + timedelta(minutes=16)) == 0
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"t_enterprise", "t_duty"}
    alarm = Alarm.objects.get()
    assert alarm.escalated_at is not None and alarm.events.filter(kind="unacknowledged").count() == 1


def test_rule_minutes_override_the_default_escalation(plant, cast):
    from yingji.monitoring.services import rule_update

    rule_update(by=None, rule=plant.gas_rule, escalate_after_minutes=3)
    alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="yellow", value=22, at=NOW)
    assert alarms_escalate_unacknowledged(now=NOW + timedelta(minutes=3)) == 1


def test_acknowledged_alarm_does_not_escalate(plant, cast):
    ref = alarm_raise(device=plant.gas, rule=plant.gas_rule, metric="ch4_lel", level="yellow", value=22, at=NOW)
    alarm_acknowledge(by=cast.duty, alarm=Alarm.objects.get(pk=ref.id))
    assert alarms_escalate_unacknowledged(now=NOW + timedelta(hours=1)) == 0


def test_offline_detection_raises_and_clears_with_frozen_time(plant):
    import json

    from yingji.monitoring.ingest import Envelope, IngestEngine

    base = plant.gas.created_at + timedelta(minutes=1)

    def report(at: datetime) -> None:
        body = json.dumps({"ts": at.isoformat(), "metrics": {"ch4_lel": 1.0}}).encode()
        IngestEngine().ingest([Envelope("mqtt", "yingji/telemetry/GAS-X-01", body, "GAS-X-01")])

    with time_machine.travel(base, tick=False):
        report(base)
        assert Device.objects.get(pk=plant.gas.pk).status == "online"
    later = base + timedelta(minutes=29)
    with time_machine.travel(later, tick=False):
        devices_check_offline(now=later)
        assert not Alarm.objects.filter(device=plant.gas).exists()
    later = base + timedelta(minutes=30)
    with time_machine.travel(later, tick=False):
        devices_check_offline(now=later)
        alarm = Alarm.objects.get(device=plant.gas, rule=plant.offline_rule)
        assert alarm.status == "active" and alarm.level == "blue"
        assert Device.objects.get(pk=plant.gas.pk).status == "offline"
        # Devices that never reported count from their registration, and went silent too.
        assert Alarm.objects.filter(rule=plant.offline_rule).count() == 4
        devices_check_offline(now=later)
        assert Alarm.objects.filter(rule=plant.offline_rule).count() == 4
    back = base + timedelta(minutes=40)
    with time_machine.travel(back, tick=False):
        report(back)
        devices_check_offline(now=back)
        alarm.refresh_from_db()
        assert alarm.status == "cleared" and Device.objects.get(pk=plant.gas.pk).status == "online"
