"""The MQTT side of ingest: a persistent QoS 1 session on `yingji/telemetry/+` feeding the ingest engine in
batches, acknowledging each message only after its batch is stored (paho's manual ack), so a crash or a
restart loses nothing: the broker re-delivers what was not acknowledged and the table drops the copies.

One thread per process does everything: it drives paho's network loop itself (`client.loop`) between
batches. A paho network thread beside a busy ingest thread spent much of the time handing the GIL back
and forth, and measured slower than the one thread. Several processes share the work through an MQTT 5
shared subscription (`run_processes`, `yingji ingest --processes N`).

Broker settings matter: Mosquitto by default holds at most 1000 queued messages per client
(`max_queued_messages`) and drops the rest; set it to 0 (no limit) or to what an outage may need.
"""

import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import paho.mqtt.client as mqtt
from django.db import close_old_connections, connections
from django.utils import timezone
from paho.mqtt.client import ConnectFlags, DisconnectFlags
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from yingji.core.mqtt import parse_mqtt_url
from yingji.monitoring import conf
from yingji.monitoring.ingest import BadMessage, Envelope, IngestEngine, IngestResult, device_code_from_topic
from yingji.monitoring.partitions import reading_partitions_ensure

log = logging.getLogger("yingji.ingest")

SESSION_EXPIRY_S = 7 * 24 * 3600
RECEIVE_MAXIMUM = 5000
CONNECT_WAIT_S = 10.0
RECONNECT_DELAY_S = 1.0
# Young objects collected per GC pass: paho makes a dozen objects per message, and the default (700) ran a
# collection every few dozen messages.
GC_YOUNG_THRESHOLD = 10_000


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


def ingest_process_setup() -> None:
    """Tune the garbage collector for a long-running ingest process, once it has loaded everything:
    freezing what is there keeps full collections from walking Django's many long-lived objects again and
    again, and a higher young threshold collects per batch rather than per few messages. Together they
    took a third off the time per message in the benchmark."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


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
        self._inbox: list[mqtt.MQTTMessage] = []
        self._next_reconnect = 0.0
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
        # The hot path: per message, keep it and nothing else.
        client.on_message = lambda _client, _userdata, message: self._inbox.append(message)
        client.on_disconnect = self._on_disconnect
        return client

    def _on_connect(
        self,
        client: mqtt.Client,
        userdata: Any,
        flags: ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
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

    def _on_disconnect(
        self,
        client: mqtt.Client,
        userdata: Any,
        flags: DisconnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        self.connected.clear()
        log.warning("disconnected from the broker (%s); reconnecting", reason_code)

    def start(self) -> None:
        """Connect (persistent session, MQTT 5 session expiry) and run the network loop until the broker
        confirms the subscription (at most CONNECT_WAIT_S). Raises OSError when the broker is unreachable."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY_S
        # How many unacknowledged messages the broker may have in flight to us: enough for whole batches.
        properties.ReceiveMaximum = RECEIVE_MAXIMUM
        self.client.connect(self.host, self.port, keepalive=30, clean_start=False, properties=properties)
        give_up = time.monotonic() + CONNECT_WAIT_S
        while not self.subscribed.is_set() and time.monotonic() < give_up:
            self._network(0.05)

    def stop(self) -> None:
        """Disconnect cleanly; messages received but not yet stored stay unacknowledged for the next session."""
        self.client.disconnect()
        self._inbox.clear()

    def _network(self, timeout: float) -> None:
        """One turn of paho's network loop; after a lost connection, reconnect (at most once a second)."""
        if self.client.loop(timeout) == mqtt.MQTT_ERR_SUCCESS:
            return
        # Messages received on the lost connection are re-delivered on the next: never acknowledge them.
        self._inbox.clear()
        now = time.monotonic()
        if now < self._next_reconnect:
            time.sleep(min(timeout, self._next_reconnect - now))
            return
        self._next_reconnect = now + RECONNECT_DELAY_S
        try:
            self.client.reconnect()
        except OSError as exc:
            log.warning("cannot reach the broker at %s:%s (%s); retrying", self.host, self.port, exc)

    def poll(self) -> IngestResult | None:
        """Collect one batch, store and judge it, then acknowledge its messages. None when nothing came."""
        deadline = time.monotonic() + self.flush_ms / 1000
        while len(self._inbox) < self.batch_size:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                break
            self._network(timeout)
        if not self._inbox:
            return None
        batch, self._inbox = self._inbox[: self.batch_size], self._inbox[self.batch_size :]
        result = self.engine.ingest([self._envelope(m) for m in batch])
        ack = self.client.ack
        for message in batch:
            if message.qos > 0:
                ack(message.mid, message.qos)
        self.stats.add(result)
        return result

    @staticmethod
    def _envelope(message: mqtt.MQTTMessage) -> Envelope:
        try:
            topic = message.topic
        except UnicodeDecodeError:  # brokers check topics are UTF-8, but a message must never stop ingest
            return Envelope("mqtt", repr(message._topic)[:200], message.payload, None, error="topic is not UTF-8")
        try:
            code = device_code_from_topic(topic)
        except BadMessage as exc:
            return Envelope("mqtt", topic, message.payload, None, error=str(exc))
        return Envelope("mqtt", topic, message.payload, code)

    def run(self, *, should_stop: Callable[[], bool], on_batch: Callable[[IngestResult], None] | None = None) -> None:
        """Ingest until `should_stop()`; creates next month's reading partition every hour."""
        ingest_process_setup()
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
        self.stop()
        time.sleep(RECONNECT_DELAY_S)
        self.subscribed.clear()
        self.client = self._client()
        self.start()


def worker_client_id(base: str, index: int) -> str:
    """The client id of worker `index` of several: each keeps its own persistent session."""
    return f"{base}-{index}"


Worker = Callable[[int, Callable[[], bool]], None]
WORKER_RESTART_DELAY_S = 5.0


def _worker_main(worker: Worker, index: int, parent: int) -> None:
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # A worker whose parent is gone (killed, even with SIGKILL) stops too, rather than ingest unsupervised.
    worker(index, lambda: stopping or os.getppid() != parent)


def run_processes(*, processes: int, worker: Worker, should_stop: Callable[[], bool]) -> None:
    """Run `worker(index, should_stop)` for index 1 … `processes`, each in its own forked process, until
    `should_stop()`; a worker that exits is started again after WORKER_RESTART_DELAY_S. At the end every
    worker gets SIGTERM and is waited for."""
    context = multiprocessing.get_context("fork")
    connections.close_all()  # a forked child must open its own database connection
    parent = os.getpid()
    children: dict[int, multiprocessing.process.BaseProcess] = {}
    restart_at: dict[int, float] = {}

    def spawn(index: int) -> None:
        child = context.Process(target=_worker_main, args=(worker, index, parent), name=f"yingji-ingest-{index}")
        child.start()
        children[index] = child

    for index in range(1, processes + 1):
        spawn(index)
    try:
        while not should_stop():
            time.sleep(0.2)
            for index, child in children.items():
                if child.is_alive():
                    continue
                if index not in restart_at:
                    log.error("ingest worker %d exited (%s); starting it again", index, child.exitcode)
                    restart_at[index] = time.monotonic() + WORKER_RESTART_DELAY_S
            for index, at in list(restart_at.items()):
                if time.monotonic() >= at and not should_stop():
                    del restart_at[index]
                    spawn(index)
    finally:
        for child in children.values():
            if child.is_alive():
                child.terminate()
        for child in children.values():
            child.join(30)
            if child.is_alive():
                child.kill()
