"""No poison message stops ingest: every kind of bad message goes to the dead letters with its reason, and the
valid messages around it are stored and acknowledged, over the engine, the real Mosquitto broker and HTTP,
on whichever database the suite runs on (SQLite and PostgreSQL in CI)."""

import json
import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from yingji.monitoring import ingest as ingest_module
from yingji.monitoring.ingest import BadMessage, Envelope, IngestEngine, parse_body
from yingji.monitoring.models import DeadLetter, Reading
from yingji.monitoring.services import device_create
from yingji.monitoring.tests.test_mqtt import forget_session, publish, publisher, started

NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def body(ts: str, metrics: str) -> bytes:
    return f'{{"ts": "{ts}", "metrics": {metrics}}}'.encode()


def poisons(ts: str) -> list[tuple[bytes, str]]:
    """(payload, start of the dead letter's reason) for every kind of bad message a device can send."""
    return [
        (body(ts, '{"temp_c\\n": 1}'), "metric name"),  # `$` would accept the final newline
        (body(ts, '{"temp\\tc": 1}'), "metric name"),
        (body(ts, '{"ch4_lel": NaN}'), "metric ch4_lel is not a finite number"),
        (body(ts, '{"ch4_lel": Infinity}'), "metric ch4_lel is not a finite number"),
        (body(ts, '{"ch4_lel": -Infinity}'), "metric ch4_lel is not a finite number"),
        (body(ts, '{"ch4_lel": 1e400}'), "metric ch4_lel is not a finite number"),
        (body(ts, '{"ch4_lel": 1' + "0" * 30 + "}"), "metric ch4_lel is out of range"),
        (body(ts, '{"ch4_lel": "1"}'), "metric ch4_lel is not a finite number"),
        (body(ts, '{"ch4_lel": null}'), "metric ch4_lel is not a finite number"),
        (body(ts, "{}"), "metrics must be a non-empty object"),
        (body(ts, "[1]"), "metrics must be a non-empty object"),
        (body(ts, "{" + ", ".join(f'"m{i}": 1' for i in range(65)) + "}"), "more than 64 metrics"),
        (body("2026-05-01T08:00:00\\u0000Z", '{"ch4_lel": 1}'), "ts"),
        (body("\\ud800", '{"ch4_lel": 1}'), "ts"),
        (b'{"ts": 1e400, "metrics": {"ch4_lel": 1}}', "ts is not a finite number"),
        (b"\x00\x00\x00", "payload is not JSON"),  # a NUL byte in the stored payload would fail on PostgreSQL
        (b"\xff\xfe\x00", "payload is not UTF-8"),
        (b'{"ts": "', "payload is not JSON"),
        (b"[]", "payload must be a JSON object"),
        (b"null", "payload must be a JSON object"),
        (b" " * (64 * 1024 + 1), "payload larger than 64 KiB"),
    ]


def valid(ts: str, value: float) -> bytes:
    return body(ts, json.dumps({"ch4_lel": value, "temp_c": value}))


def test_metric_names_must_match_whole():
    with pytest.raises(BadMessage, match="metric name 'temp_c\\\\n' is not valid"):
        parse_body(body("2026-05-01T08:00:00Z", '{"temp_c\\n": 1}'), device_code="D", now=NOW)


@time_machine.travel(NOW, tick=False)
def test_every_kind_of_poison_goes_to_dead_letters_and_the_rest_of_the_batch_is_stored(plant):
    topic = f"yingji/telemetry/{plant.gas.code}"
    envelopes, expected = [], []
    for i, (payload, reason) in enumerate(poisons((NOW - timedelta(minutes=30)).isoformat())):
        envelopes.append(Envelope("mqtt", topic, valid((NOW - timedelta(minutes=i)).isoformat(), 1.0 + i), "GAS-X-01"))
        envelopes.append(Envelope("mqtt", topic, payload, "GAS-X-01"))
        expected.append(reason)
    result = IngestEngine().ingest(envelopes)
    assert (result.accepted, result.rejected) == (len(expected), len(expected))
    assert Reading.objects.filter(device=plant.gas).count() == 2 * len(expected)
    reasons = [r for _i, r in sorted(result.errors)]
    assert [r[: len(e)] for r, e in zip(reasons, expected, strict=True)] == expected
    assert DeadLetter.objects.count() == len(expected)
    assert not any("\x00" in text for text in DeadLetter.objects.values_list("payload", flat=True))


@time_machine.travel(NOW, tick=False)
def test_a_message_the_database_refuses_is_dead_lettered_alone(plant, monkeypatch):
    # The old check (`$` accepts a final newline, simulated here) let "temp_c\n" through to the COPY on
    # PostgreSQL, which
    # then failed the whole batch forever. Even should a check let something through again, only the
    # message the database refuses is lost.
    monkeypatch.setattr(ingest_module, "METRIC_NAME", re.compile(r"[a-z][a-z0-9_]*\n?"))
    monkeypatch.setattr(ingest_module, "_VALID_NAMES", set())
    monkeypatch.setattr(ingest_module.IngestEngine, "_judge", lambda self, good, result: None)
    topic = f"yingji/telemetry/{plant.gas.code}"
    envelopes = [
        Envelope("mqtt", topic, valid((NOW - timedelta(minutes=3)).isoformat(), 1.0), "GAS-X-01"),
        Envelope("mqtt", topic, body((NOW - timedelta(minutes=2)).isoformat(), '{"temp_c\\n": 1}'), "GAS-X-01"),
        Envelope("mqtt", topic, valid((NOW - timedelta(minutes=1)).isoformat(), 2.0), "GAS-X-01"),
    ]
    result = IngestEngine().ingest(envelopes)
    assert Reading.objects.filter(device=plant.gas, metric="ch4_lel").count() == 2
    assert Reading.objects.filter(device=plant.gas, metric="temp_c").count() == 2
    stored_newline = Reading.objects.filter(metric="temp_c\n").count()
    # SQLite stores the odd name; PostgreSQL's COPY refuses it and only that message is dead-lettered.
    assert stored_newline + result.rejected == 1
    if result.rejected:
        assert DeadLetter.objects.get().reason.startswith("the database refused the message")


def test_poison_published_to_the_broker_never_stops_ingest(cast):
    suffix = uuid.uuid4().hex[:8]
    device = device_create(
        by=None, code=f"P-GAS-{suffix}", name="毒消息测试", type="combustible_gas", org=cast.enterprise_x
    )
    client_id = f"yingji-poison-{suffix}"
    topic = f"yingji/telemetry/{device.code}"
    now = datetime.now(UTC)
    cases = poisons((now - timedelta(minutes=59)).isoformat())
    ingest = started(client_id)
    sender = publisher()
    try:
        for i, (payload, _reason) in enumerate(cases):
            publish(sender, topic, valid((now - timedelta(minutes=len(cases) - i)).isoformat(), 1.0 + i))
            publish(sender, topic, payload)
        publish(sender, "yingji/telemetry/NO-SUCH-DEVICE-" + suffix, valid(now.isoformat(), 1.0))
        give_up = time.monotonic() + 30
        while time.monotonic() < give_up and (
            Reading.objects.filter(device=device).count() < 2 * len(cases)
            or DeadLetter.objects.filter(topic__contains=suffix).count() < len(cases) + 1
        ):
            ingest.poll()  # a failing batch raises here: the test fails rather than spin
    finally:
        sender.disconnect()
        sender.loop_stop()
        ingest.stop()
        forget_session(client_id)
    assert Reading.objects.filter(device=device, metric="ch4_lel").count() == len(cases)
    assert Reading.objects.filter(device=device, metric="temp_c").count() == len(cases)
    reasons = list(DeadLetter.objects.filter(topic=topic).values_list("reason", flat=True))
    assert len(reasons) == len(cases)
    for _payload, reason in cases:
        assert any(r.startswith(reason) for r in reasons), reason
    assert DeadLetter.objects.get(topic__endswith=f"NO-SUCH-DEVICE-{suffix}").reason.startswith("unknown device")


def test_bad_items_over_http_are_rejected_and_the_valid_ones_kept(api, bearer, plant, cast):
    now = datetime.now(UTC)
    ts = (now - timedelta(minutes=1)).isoformat()
    good = [
        {"device": "GAS-X-01", "ts": (now - timedelta(minutes=m)).isoformat(), "metrics": {"ch4_lel": 1}}
        for m in (5, 4)
    ]
    raw = (
        "["
        + json.dumps(good[0])
        + f', {{"device": "GAS-X-01", "ts": "{ts}", "metrics": {{"temp_c\\n": 1}}}}'
        + f', {{"device": "GAS-X-01", "ts": "{ts}", "metrics": {{"ch4_lel": NaN}}}}'
        + f', {{"device": "GAS\\u0000X", "ts": "{ts}", "metrics": {{"ch4_lel": 1}}}}'
        + f', {{"device": "GAS\\ud800", "ts": "{ts}", "metrics": {{"ch4_lel": 1}}}}'
        + f', {{"device": "GAS-X-01", "ts": "{ts}", "metrics": {{"ch4_lel": 1e400}}}}'
        + ', "text", null'
        + ", "
        + json.dumps(good[1])
        + "]"
    )
    response = api.post("/api/v1/telemetry", data=raw, content_type="application/json", headers=bearer(cast.admin))
    assert response.status_code == 202, response.content
    out = response.json()
    assert (out["accepted"], out["rejected"]) == (2, 7)
    assert [e["index"] for e in out["errors"]] == [1, 2, 3, 4, 5, 6, 7]
    assert "metric name" in out["errors"][0]["reason"] and "not a finite number" in out["errors"][1]["reason"]
    assert out["errors"][2]["reason"] == out["errors"][3]["reason"] == "device is not a valid device code"
    assert Reading.objects.filter(device=plant.gas).count() == 2
    assert DeadLetter.objects.filter(source="http").count() == 7


def test_telemetry_sent_as_text_is_refused(api, bearer, plant, cast):
    item = [{"device": "GAS-X-01", "ts": datetime.now(UTC).isoformat(), "metrics": {"ch4_lel": 1}}]
    response = api.post(
        "/api/v1/telemetry", data=json.dumps(item), content_type="text/plain", headers=bearer(cast.admin)
    )
    assert response.status_code == 415 and response.json()["detail"] == "请求内容须为 application/json"
    assert not Reading.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_reading_that_trips_the_judging_is_stored_and_the_rest_judged(plant, monkeypatch, caplog):
    real = ingest_module.evaluate

    def evaluate(spec, *, value, **kwargs):
        if value == 13.0:
            raise ZeroDivisionError("a rule no value fits")
        return real(spec, value=value, **kwargs)

    monkeypatch.setattr(ingest_module, "evaluate", evaluate)
    topic = f"yingji/telemetry/{plant.gas.code}"
    envelopes = [
        Envelope("mqtt", topic, body((NOW - timedelta(minutes=m)).isoformat(), json.dumps({"ch4_lel": v})), "GAS-X-01")
        for m, v in ((3, 5.0), (2, 13.0), (1, 40.0))
    ]
    result = IngestEngine().ingest(envelopes)
    assert result.accepted == 3 and Reading.objects.filter(device=plant.gas).count() == 3
    assert result.raised == 1  # the 40 %LEL after the failing reading still raised its alarm
    assert any("judging GAS-X-01 ch4_lel=13.0" in r.getMessage() for r in caplog.records)
