"""Ingest benchmark (issue 5, Performance): 200,000 readings over MQTT on loopback.

Prints, from one run:
  * the broker's raw delivery rate to a bare paho subscriber (messages queued first, then drained);
  * our sustained ingest rate (stored and rule-evaluated readings per second, drained the same way) on
    SQLite and on PostgreSQL, and its ratio to the raw rate;
  * alarm latency p50/p99 from publish to the alarm row (audit time of alarm.raise − the reading's publish
    time), measured while background load flows;
  * readings lost when the `yingji ingest` process is SIGKILLed mid-run and restarted.

It starts its own Mosquitto (the Debian binary) on a free loopback port with `max_queued_messages 0`: the
stock configuration keeps only 1000 queued messages per client and drops the rest, which no ingest can undo.
Databases are throwaway: a SQLite file in a temporary YINGJI_DATA_DIR and a new PostgreSQL database
(127.0.0.1:5432, user postgres) that is dropped at the end.

Run: .venv/bin/python bench/ingest.py [--readings 200000] [--skip-postgres]
"""

import argparse
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
METRICS_PER_MESSAGE = 4
DEVICES = 200


# Broker and MQTT clients (no Django) ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(workdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    conf = workdir / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 0\nmax_queued_bytes 0\nmax_inflight_messages 0\n",
        encoding="utf-8",
    )
    broker = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return broker, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("mosquitto did not start")


def mqtt_client(client_id: str = "", *, receive_maximum: int = 5000):
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = receive_maximum
    return client, props


def payloads(count: int, *, start: datetime, prefix: str, value=None) -> list[tuple[str, bytes]]:
    """`count` messages round-robin over the bench devices, 4 metrics each, distinct timestamps."""
    out = []
    for i in range(count):
        device = f"{prefix}{i % DEVICES:03d}"
        ts = start + timedelta(milliseconds=i)
        gas = value if value is not None else 1.0 + (i % 7) * 0.3
        body = {"ts": ts.isoformat(), "metrics": {"ch4_lel": gas, "h2s_ppm": 0.3, "co_ppm": 3.0, "temp_c": 22.5}}
        out.append((f"yingji/telemetry/{device}", json.dumps(body).encode()))
    return out


def publish_all(port: int, messages: list[tuple[str, bytes]], progress=None, pace_per_s: float | None = None) -> float:
    """Publish with QoS 1 and wait for every PUBACK; returns the seconds it took."""
    client, props = mqtt_client()
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port, properties=props)
    client.loop_start()
    began = time.monotonic()
    last = None
    for i, (topic, body) in enumerate(messages):
        last = client.publish(topic, body, qos=1)
        if progress is not None and i % 1000 == 0:
            progress.value = i
        if pace_per_s:
            delay = began + i / pace_per_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    if last is not None:
        last.wait_for_publish(timeout=300)
    while client._out_messages:  # noqa: SLF001 (paho keeps no public count of unacknowledged messages)
        time.sleep(0.05)
    elapsed = time.monotonic() - began
    if progress is not None:
        progress.value = len(messages)
    client.loop_stop()
    client.disconnect()
    return elapsed


def _publisher_process(port: int, messages, progress, pace) -> None:
    publish_all(port, messages, progress, pace)


def publish_in_background(port: int, messages, pace_per_s: float | None = None) -> tuple[mp.Process, object]:
    progress = mp.Value("l", 0)
    process = mp.Process(target=_publisher_process, args=(port, messages, progress, pace_per_s))
    process.start()
    return process, progress


def raw_delivery_rate(port: int, count: int) -> float:
    """Messages per second the broker delivers to a bare subscriber draining a queue of `count`."""
    import paho.mqtt.client as mqtt

    client, props = mqtt_client("bench-bare")
    client.connect("127.0.0.1", port, clean_start=True, properties=props)
    client.loop_start()
    client.subscribe("yingji/telemetry/+", qos=1)
    time.sleep(0.5)
    client.loop_stop()
    client.disconnect()
    publish_all(port, payloads(count, start=datetime.now(UTC), prefix="BARE-"))
    received = 0
    first = last = 0.0

    def on_message(c, u, m) -> None:
        nonlocal received, first, last
        received += 1
        last = time.monotonic()
        if received == 1:
            first = last

    client, props = mqtt_client("bench-bare")
    client.on_message = on_message
    client.connect("127.0.0.1", port, clean_start=False, properties=props)
    client.loop_start()
    give_up = time.monotonic() + 300
    while received < count and time.monotonic() < give_up:
        time.sleep(0.05)
    client.loop_stop()
    client.disconnect()
    del mqtt
    return received / (last - first) if last > first else float("nan")


# One database (runs in a child process with its own Django) ------------------------------------------


def child(db: str, port: int, readings: int, data_dir: str, database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "yingji.settings",
            "YINGJI_DATA_DIR": data_dir,
            "DATABASE_URL": database_url,
            "YINGJI_MQTT_URL": f"mqtt://127.0.0.1:{port}",
            "YINGJI_MQTT_CLIENT_ID": f"bench-ingest-{db}",
            "YINGJI_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from yingji.core.models import AuditEntry, OrgKind
    from yingji.core.services import org_create
    from yingji.monitoring.demo import RULES
    from yingji.monitoring.models import Alarm, Device, Reading
    from yingji.monitoring.mqtt_ingest import MqttIngest
    from yingji.monitoring.services import rule_create

    call_command("migrate", verbosity=0)
    district = org_create(by=None, code="B420202", name="基准区", kind=OrgKind.DISTRICT)
    Device.objects.bulk_create(
        [
            Device(
                code=f"{p}{i:03d}",
                name=f"{p}{i:03d}",
                type="combustible_gas",
                org=district,
                lat=30.23,
                lon=115.06,
                address="基准测试",
                metrics=["ch4_lel", "h2s_ppm", "co_ppm", "temp_c"],
            )
            for p in ("DEV-", "LAT-", "RST-")
            for i in range(DEVICES)
        ]
    )
    for spec in RULES:
        if "device" not in spec:
            rule_create(by=None, **spec)
    messages = readings // METRICS_PER_MESSAGE

    # 1. Sustained rate: queue every message at the broker, then drain it through ingest.
    ingest = MqttIngest(url=os.environ["YINGJI_MQTT_URL"], batch_size=2000, flush_ms=50)
    ingest.start()
    ingest.subscribed.wait(10)
    ingest.stop()
    publish_all(port, payloads(messages, start=datetime.now(UTC) - timedelta(hours=2), prefix="DEV-"))
    ingest = MqttIngest(url=os.environ["YINGJI_MQTT_URL"], batch_size=2000, flush_ms=50)
    ingest.start()
    first = last = None
    give_up = time.monotonic() + 900
    while ingest.stats.readings < messages * METRICS_PER_MESSAGE and time.monotonic() < give_up:
        if ingest.poll() is not None:
            last = time.monotonic()
            first = first or last
    stored = Reading.objects.filter(device__code__startswith="DEV-").count()
    rate = ingest.stats.readings / (last - first) if first and last and last > first else float("nan")

    # 2. Alarm latency under background load: 200 devices cross the limit once each.
    # Background load at a quarter of the sustained rate (at most 1000 messages/s) while alarms are timed.
    pace = max(50.0, min(1000.0, rate / METRICS_PER_MESSAGE / 4)) if rate == rate else 500.0
    load, _ = publish_in_background(
        port, payloads(int(pace * 8), start=datetime.now(UTC) - timedelta(minutes=30), prefix="DEV-"), pace
    )
    time.sleep(1.0)
    alarm_count = DEVICES
    sender, props = mqtt_client()
    sender.connect("127.0.0.1", port, properties=props)
    sender.loop_start()
    for i in range(alarm_count):
        body = {"ts": datetime.now(UTC).isoformat(), "metrics": {"ch4_lel": 55.0}}
        sender.publish(f"yingji/telemetry/LAT-{i:03d}", json.dumps(body).encode(), qos=1)
        deadline = time.monotonic() + 0.03
        while time.monotonic() < deadline:
            ingest.poll()
    give_up = time.monotonic() + 60
    while Alarm.objects.filter(device__code__startswith="LAT-").count() < alarm_count and time.monotonic() < give_up:
        ingest.poll()
    sender.loop_stop()
    sender.disconnect()
    while load.is_alive():
        ingest.poll()
    ingest.stop()
    latencies = []
    raised = {a.pk: a.raised_at for a in Alarm.objects.filter(device__code__startswith="LAT-")}
    for entry in AuditEntry.objects.filter(action="alarm.raise", object_id__in=[str(k) for k in raised]):
        latencies.append((entry.at - raised[int(entry.object_id)]).total_seconds())
    latencies.sort()

    # 3. Loss across a crash: `yingji ingest` is SIGKILLed mid-run and started again.
    env = dict(os.environ)
    command = [sys.executable, "-m", "yingji.cli", "ingest"]
    log = open(Path(data_dir) / "ingest.log", "ab")  # noqa: SIM115 (kept open for both runs)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    time.sleep(2.0)
    restart_messages = messages
    publisher, progress = publish_in_background(
        port, payloads(restart_messages, start=datetime.now(UTC) - timedelta(hours=1), prefix="RST-"), 10000
    )
    while progress.value < restart_messages * 0.4:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(1.0)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    publisher.join()
    expected = restart_messages * METRICS_PER_MESSAGE
    give_up = time.monotonic() + 300
    count = 0
    while time.monotonic() < give_up:
        count = Reading.objects.filter(device__code__startswith="RST-").count()
        if count >= expected:
            break
        time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    log.close()
    if count < expected:
        print((Path(data_dir) / "ingest.log").read_text(encoding="utf-8", errors="replace")[-2000:], file=sys.stderr)

    print(
        json.dumps(
            {
                "db": db,
                "stored": stored,
                "rate": rate,
                "latency_p50": statistics.median(latencies) if latencies else None,
                "latency_p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else None,
                "alarms": len(latencies),
                "background": pace * METRICS_PER_MESSAGE,
                "restart_expected": expected,
                "restart_stored": count,
            }
        )
    )


def run_child(db: str, port: int, readings: int, data_dir: Path, database_url: str) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            db,
            "--port",
            str(port),
            "--readings",
            str(readings),
            "--data-dir",
            str(data_dir),
            "--database-url",
            database_url,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{db} run failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=200_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--data-dir")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.port, args.readings, args.data_dir, args.database_url)
        return

    workdir = Path(tempfile.mkdtemp(prefix="yingji-bench-"))
    broker, port = start_broker(workdir)
    results = []
    pg_db = f"yingji_bench_{os.getpid()}"
    try:
        raw = raw_delivery_rate(port, args.readings // METRICS_PER_MESSAGE)
        sqlite_dir = workdir / "sqlite"
        sqlite_dir.mkdir()
        results.append(
            run_child("sqlite", port, args.readings, sqlite_dir, f"sqlite:///{sqlite_dir / 'bench.sqlite3'}")
        )
        if not args.skip_postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {pg_db}")
            try:
                pg_dir = workdir / "pg"
                pg_dir.mkdir()
                results.append(
                    run_child("postgresql", port, args.readings, pg_dir, f"postgres://postgres@127.0.0.1:5432/{pg_db}")
                )
            finally:
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
    finally:
        broker.terminate()
        broker.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    raw_readings = raw * METRICS_PER_MESSAGE
    print(
        f"Ingest benchmark: {args.readings:,} readings ({args.readings // METRICS_PER_MESSAGE:,} MQTT messages of "
        f"{METRICS_PER_MESSAGE} metrics, QoS 1) on loopback, {os.cpu_count()} CPUs"
    )
    print(f"broker raw delivery to a bare subscriber: {raw:,.0f} messages/s = {raw_readings:,.0f} readings/s")
    for r in results:
        print(f"\n[{r['db']}]")
        print(
            f"  sustained ingest (stored + rule-evaluated): {r['rate']:,.0f} readings/s "
            f"({r['stored']:,} of {args.readings:,} stored); ratio to raw: {r['rate'] / raw_readings:.2f}"
        )
        if r["latency_p50"] is not None:
            print(
                f"  alarm latency publish→alarm row over {r['alarms']} alarms under load: "
                f"p50 {r['latency_p50'] * 1000:.0f} ms, p99 {r['latency_p99'] * 1000:.0f} ms"
            )
        lost = r["restart_expected"] - r["restart_stored"]
        print(
            f"  ingest SIGKILLed at 40% and restarted: {r['restart_stored']:,} of {r['restart_expected']:,} "
            f"readings stored, {lost:,} lost"
        )


if __name__ == "__main__":
    main()
