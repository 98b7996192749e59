"""The MQTT side of ingest: a persistent QoS 1 session on `yingji/telemetry/+` feeding the ingest engine in
batches, acknowledging each message only after its batch is stored (paho's manual ack), so a crash or a
restart loses nothing: the broker re-delivers what was not acknowledged and the table drops the copies.

Broker settings matter: Mosquitto by default holds at most 1000 queued messages per client
(`max_queued_messages`) and drops the rest; set it to 0 (no limit) or to what an outage may need.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from django.db import close_old_connections
from django.utils import timezone
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from yingji.core.mqtt import parse_mqtt_url
from yingji.monitoring import conf
from yingji.monitoring.ingest import BadMessage, Envelope, IngestEngine, IngestResult, device_code_from_topic
from yingji.monitoring.partitions import reading_partitions_ensure

log = logging.getLogger("yingji.ingest")

SESSION_EXPIRY_S = 7 * 24 * 3600
RECEIVE_MAXIMUM = 5000


@dataclass
class IngestStats:
    messages: int = 0
    readings: int = 0
    rejected: int = 0
    batches: int = 0
    raised: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, result: IngestResult) -> None:
        self.messages += result.accepted + result.rejected
        self.readings += result.readings
        self.rejected += result.rejected
        self.raised += result.raised
        self.batches += 1


def subscription_topic(*, shared: bool) -> str:
    topic = conf.telemetry_topic()
    return f"$share/{conf.SHARED_GROUP}/{topic}" if shared else topic


class MqttIngest:
    """Subscribes and feeds batches of up to `batch_size` messages, or whatever arrived within `flush_ms`,
    to the engine."""

    def __init__(
        self,
        *,
        url: str,
        client_id: str | None = None,
        shared: bool | None = None,
        batch_size: int = 2000,
        flush_ms: int = 50,
        engine: IngestEngine | None = None,
    ) -> None:
        self.host, self.port, self.username, self.password, self.tls = parse_mqtt_url(url)
        self.client_id = client_id or conf.mqtt_client_id()
        self.shared = conf.mqtt_shared() if shared is None else shared
        self.batch_size = batch_size
        self.flush_ms = flush_ms
        self.engine = engine or IngestEngine()
        self.stats = IngestStats()
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self._inbox: queue.SimpleQueue[mqtt.MQTTMessage] = queue.SimpleQueue()
        self.client = self._client()

    def _client(self) -> mqtt.Client:
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if self.username:
            client.username_pw_set(self.username, self.password)
        if self.tls:
            client.tls_set()
        client.on_connect = self._on_connect
        client.on_subscribe = lambda *args: self.subscribed.set()
        client.on_message = lambda _client, _userdata, message: self._inbox.put(message)
        client.on_disconnect = self._on_disconnect
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        return client

    def _on_connect(self, client: mqtt.Client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        log.info(
            "connected to %s:%s as %s (session present: %s)",
            self.host,
            self.port,
            self.client_id,
            flags.session_present,
        )
        client.subscribe(subscription_topic(shared=self.shared), qos=1)
        self.connected.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self.connected.clear()
        log.warning("disconnected from the broker (%s); reconnecting", reason_code)

    def start(self) -> None:
        """Connect (persistent session, MQTT 5 session expiry) and start paho's network thread."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY_S
        # How many unacknowledged messages the broker may have in flight to us: enough for whole batches.
        properties.ReceiveMaximum = RECEIVE_MAXIMUM
        self.client.connect(self.host, self.port, keepalive=30, clean_start=False, properties=properties)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def poll(self) -> IngestResult | None:
        """Collect one batch, store and judge it, then acknowledge its messages. None when nothing came."""
        batch: list[mqtt.MQTTMessage] = []
        deadline = time.monotonic() + self.flush_ms / 1000
        while len(batch) < self.batch_size:
            timeout = deadline - time.monotonic()
            try:
                batch.append(self._inbox.get(timeout=timeout) if timeout > 0 else self._inbox.get_nowait())
            except queue.Empty:
                break
        if not batch:
            return None
        result = self.engine.ingest([self._envelope(m) for m in batch])
        for message in batch:
            if message.qos > 0:
                self.client.ack(message.mid, message.qos)
        self.stats.add(result)
        return result

    @staticmethod
    def _envelope(message: mqtt.MQTTMessage) -> Envelope:
        topic = message.topic
        try:
            code = device_code_from_topic(topic)
        except BadMessage as exc:
            return Envelope("mqtt", topic, message.payload, None, error=str(exc))
        return Envelope("mqtt", topic, message.payload, code)

    def run(self, *, should_stop: Callable[[], bool], on_batch: Callable[[IngestResult], None] | None = None) -> None:
        """Ingest until `should_stop()`; creates next month's reading partition every hour."""
        self.start()
        next_housekeeping = 0.0
        try:
            while not should_stop():
                if time.monotonic() >= next_housekeeping:
                    close_old_connections()
                    reading_partitions_ensure(now=timezone.now())
                    next_housekeeping = time.monotonic() + 3600
                try:
                    result = self.poll()
                except Exception:  # a database outage: keep the messages unacknowledged and retry
                    log.exception("storing a batch failed; the broker will re-deliver it")
                    close_old_connections()
                    self._reconnect_for_redelivery()
                    continue
                if result is not None and on_batch is not None:
                    on_batch(result)
        finally:
            self.stop()

    def _reconnect_for_redelivery(self) -> None:
        # The broker re-delivers unacknowledged messages only on a new connection of the same session.
        self.client.disconnect()
        self.client.loop_stop()
        while not self._inbox.empty():
            self._inbox.get_nowait()
        time.sleep(1)
        self.client = self._client()
        self.start()
