"""A real round trip through the Mosquitto broker on 127.0.0.1:1883: publish, ingest, store, alarm; and a
restart of ingest loses nothing thanks to the persistent session."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest

from yingji.monitoring.models import Alarm, DeadLetter, Reading
from yingji.monitoring.mqtt_ingest import MqttIngest, subscription_topic
from yingji.monitoring.services import device_create

BROKER = "mqtt://127.0.0.1:1883"


def publisher() -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    return client


def publish(client: mqtt.Client, topic: str, payload: bytes) -> None:
    client.publish(topic, payload, qos=1).wait_for_publish(timeout=10)


def forget_session(client_id: str) -> None:
    """Drop the broker's persistent session so tests leave nothing behind."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", 1883, clean_start=True)
    client.loop_start()
    client.disconnect()
    client.loop_stop()


def drain(ingest: MqttIngest, done, *, within_s: float = 20.0) -> None:
    """Poll ingest until `done()` holds (or give up after `within_s`, and let the assertions say what is missing)."""
    give_up = time.monotonic() + within_s
    while not done() and time.monotonic() < give_up:
        ingest.poll()


def started(client_id: str) -> MqttIngest:
    ingest = MqttIngest(url=BROKER, client_id=client_id, shared=False, flush_ms=20)
    ingest.start()
    assert ingest.subscribed.wait(10), "no SUBACK from the broker"
    return ingest


@pytest.fixture
def unique(cast):
    suffix = uuid.uuid4().hex[:8]
    device = device_create(
        by=None, code=f"T-GAS-{suffix}", name="测试探测器", type="combustible_gas", org=cast.enterprise_x
    )
    client_id = f"yingji-test-{suffix}"
    yield device, client_id
    forget_session(client_id)


def message(minutes_ago: float, value: float) -> bytes:
    ts = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return json.dumps({"ts": ts.isoformat(), "metrics": {"ch4_lel": value}}).encode()


def test_readings_published_to_the_broker_are_stored_and_raise_an_alarm(plant, unique):
    device, client_id = unique
    ingest = started(client_id)
    topic = f"yingji/telemetry/{device.code}"
    sender = publisher()
    try:
        early = message(3, 5.0)
        publish(sender, topic, early)
        publish(sender, topic, early)  # a re-delivery by the device
        publish(sender, topic, b'{"ts": "soon", "metrics": {}}')
        publish(sender, topic, message(2, 40.0))
        drain(
            ingest,
            lambda: (
                Reading.objects.filter(device_id=device.pk).count() >= 2
                and DeadLetter.objects.filter(topic=topic).exists()
            ),
        )
    finally:
        sender.disconnect()
        sender.loop_stop()
        ingest.stop()
    assert Reading.objects.filter(device_id=device.pk).count() == 2
    assert DeadLetter.objects.get(topic=topic).reason.startswith("ts 'soon' is not ISO 8601")
    alarm = Alarm.objects.get(device=device)
    assert alarm.level == "orange" and alarm.status == "active" and alarm.value == 40.0


def test_readings_published_while_ingest_is_down_arrive_after_the_restart(plant, unique):
    device, client_id = unique
    topic = f"yingji/telemetry/{device.code}"
    first = started(client_id)
    first.stop()
    sender = publisher()
    try:
        for i in range(20):
            publish(sender, topic, message(20 - i, 1.0 + i / 10))
    finally:
        sender.disconnect()
        sender.loop_stop()
    second = started(client_id)
    try:
        drain(second, lambda: Reading.objects.filter(device_id=device.pk).count() >= 20)
    finally:
        second.stop()
    assert Reading.objects.filter(device_id=device.pk).count() == 20


def test_shared_subscription_topic():
    assert subscription_topic(shared=True) == "$share/yingji/yingji/telemetry/+"
    assert subscription_topic(shared=False) == "yingji/telemetry/+"
