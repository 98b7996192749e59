"""The ingest engine: parsing, dead letters, idempotent re-delivery, alarms from readings."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from yingji.monitoring.ingest import BadMessage, Envelope, IngestEngine, device_code_from_topic, parse_body
from yingji.monitoring.models import Alarm, AlarmStatus, DeadLetter, Device, Reading, WarningSuggestion

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def mqtt(code: str, ts, **metrics) -> Envelope:
    body = json.dumps({"ts": ts, "metrics": metrics}).encode()
    return Envelope("mqtt", f"yingji/telemetry/{code}", body, code)


def iso(minutes: float) -> str:
    return (NOW + timedelta(minutes=minutes)).isoformat()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"metrics": {"ch4_lel": 1}}', "ts is missing"),
        (b'{"ts": "yesterday", "metrics": {"ch4_lel": 1}}', "not ISO 8601"),
        (b'{"ts": "2026-05-01T08:00:00", "metrics": {"ch4_lel": 1}}', "UTC offset"),
        (b'{"ts": 1e30, "metrics": {"ch4_lel": 1}}', "out of range"),
        (b'{"ts": "2036-05-01T08:00:00Z", "metrics": {"ch4_lel": 1}}', "implausible"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {}}', "non-empty"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {"ch4_lel": "high"}}', "not a finite number"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {"ch4_lel": true}}', "not a finite number"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {"CH4 LEL": 1}}', "not valid"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {"ch4_lel": 1, "CH4 LEL": 1}}', "not valid"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {"ch4_lel": 1' + b"0" * 400 + b"}}", "not a finite number"),
        (b'{"ts": "2026-05-01T08:00:00Z", "metrics": {"ch4_lel": NaN}}', "not a finite number"),
    ],
)
def test_malformed_payloads_are_refused_with_a_reason(body, reason):
    with pytest.raises(BadMessage, match=reason):
        parse_body(body, device_code="GAS-X-01", now=NOW)


def test_epoch_milliseconds_and_iso_times_are_both_accepted():
    ms = int(NOW.timestamp() * 1000)
    a = parse_body(json.dumps({"ts": ms, "metrics": {"ch4_lel": 1}}).encode(), device_code="D", now=NOW)
    b = parse_body(
        {"device": "D", "ts": "2026-05-01T16:00:00+08:00", "metrics": {"ch4_lel": 1}}, device_code=None, now=NOW
    )
    assert a.ts == b.ts == NOW and b.device_code == "D"


def test_times_with_surrounding_blanks_take_the_slow_path_and_still_parse():
    item = parse_body(b'{"ts": " 2026-05-01T16:00:00+08:00 ", "metrics": {"ch4_lel": 2}}', device_code="D", now=NOW)
    assert item.ts == NOW and item.metrics == {"ch4_lel": 2.0}


def test_topic_names_the_device():
    assert device_code_from_topic("yingji/telemetry/GAS-X-01") == "GAS-X-01"
    for topic in ("other/GAS", "yingji/telemetry/", "yingji/telemetry/a/b"):
        with pytest.raises(BadMessage):
            device_code_from_topic(topic)


@time_machine.travel(NOW, tick=False)
def test_bad_messages_go_to_dead_letters_and_the_rest_is_stored(plant):
    engine = IngestEngine()
    result = engine.ingest(
        [
            mqtt("GAS-X-01", iso(-1), ch4_lel=3.5),
            Envelope("mqtt", "yingji/telemetry/GAS-X-01", b"garbage", "GAS-X-01"),
            mqtt("NO-SUCH-DEVICE", iso(-1), ch4_lel=1),
            mqtt("GAS-X-01", iso(0), ch4_lel=4.0),
        ]
    )
    assert (result.accepted, result.rejected, result.readings) == (2, 2, 2)
    assert Reading.objects.filter(device_id=plant.gas.pk).count() == 2
    reasons = sorted(DeadLetter.objects.values_list("reason", flat=True))
    assert reasons[0].startswith("payload is not JSON") and reasons[1] == "unknown device 'NO-SUCH-DEVICE'"
    assert DeadLetter.objects.get(reason__startswith="payload").payload == "garbage"
    gas = Device.objects.get(pk=plant.gas.pk)
    assert gas.status == "online" and gas.last_seen_at == NOW


@time_machine.travel(NOW, tick=False)
def test_redelivered_readings_are_stored_once_and_counted_once(plant):
    engine = IngestEngine()
    message = mqtt("GAS-X-01", iso(0), ch4_lel=25.0)
    engine.ingest([message])
    engine.ingest([message, message])
    # A restarted ingest process has no memory: the table itself refuses the copy.
    IngestEngine().ingest([message])
    assert Reading.objects.filter(device_id=plant.gas.pk).count() == 1
    alarm = Alarm.objects.get()
    assert alarm.repeat_count == 1 and Alarm.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_gas_leak_raises_escalates_repeats_and_clears_one_alarm(plant):
    engine = IngestEngine()
    values = [5, 12, 15, 22, 38, 55, 40, 30, 10, 8.5, 7.9, 5]
    for i, value in enumerate(values):
        engine.ingest([mqtt("GAS-X-01", iso(i - len(values)), ch4_lel=value)])
    alarm = Alarm.objects.get()
    assert alarm.level == "red" and alarm.peak_value == 55
    assert alarm.status == AlarmStatus.CLEARED and alarm.cleared_at is not None
    assert alarm.repeat_count == 9  # 12 … 8.5: the deadband keeps 8.5 in blue; 7.9 clears
    kinds = list(alarm.events.values_list("kind", flat=True))
    assert kinds == ["raised", "escalated", "escalated", "escalated", "cleared"]


@time_machine.travel(NOW, tick=False)
def test_a_batch_is_judged_in_time_order(plant):
    engine = IngestEngine()
    engine.ingest([mqtt("GAS-X-01", iso(-1), ch4_lel=60), mqtt("GAS-X-01", iso(-2), ch4_lel=15)])
    alarm = Alarm.objects.get()
    assert alarm.level == "red" and list(alarm.events.values_list("level", flat=True)) == ["blue", "red"]


@time_machine.travel(NOW, tick=False)
def test_rain_totals_suggest_a_flood_warning(plant):
    engine = IngestEngine()
    # 5-minute rain amounts: 12 readings of 3 mm = 36 mm in the hour.
    for i in range(12):
        engine.ingest([mqtt("RAIN-B-01", iso(-60 + 5 * i), rain_mm=3.0)])
    alarm = Alarm.objects.get(device=plant.rain)
    assert alarm.metric == "rain_1h_mm" and alarm.level == "yellow" and alarm.value == 36.0
    suggestion = WarningSuggestion.objects.filter(event_type="flood").order_by("id").last()
    assert suggestion.level == "yellow" and suggestion.device == plant.rain


@time_machine.travel(NOW, tick=False)
def test_rain_totals_are_warmed_from_stored_readings_after_a_restart(plant):
    for i in range(6):
        IngestEngine().ingest([mqtt("RAIN-B-01", iso(-30 + 5 * i), rain_mm=5.0)])
    assert Alarm.objects.get(device=plant.rain).value == 30.0


@time_machine.travel(NOW, tick=False)
def test_a_person_closing_an_alarm_lets_the_next_reading_raise_a_new_one(plant, cast):
    from yingji.monitoring.services import alarm_acknowledge, alarm_close

    engine = IngestEngine(cache_ttl_s=3600)
    engine.ingest([mqtt("GAS-X-01", iso(-3), ch4_lel=25)])
    alarm = Alarm.objects.get()
    alarm_acknowledge(by=cast.duty, alarm=alarm, comment="误报，标定中")
    alarm_close(by=cast.duty, alarm=alarm, comment="标定完成")
    engine.ingest([mqtt("GAS-X-01", iso(-2), ch4_lel=26)])
    engine.ingest([mqtt("GAS-X-01", iso(-1), ch4_lel=27)])
    assert Alarm.objects.filter(status="active").count() == 1
    assert Alarm.objects.count() == 2
