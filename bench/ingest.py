"""Ingest benchmark (issue 5, Performance): 200,000 readings over MQTT on loopback.

Prints, from one run:
  * the broker's raw delivery rate to a bare paho subscriber (messages queued first, then drained), and,
    for comparison with several ingest processes, to as many bare subscribers sharing the subscription;
  * our sustained ingest rate (stored and rule-evaluated readings per second, drained the same way) on
    SQLite and on PostgreSQL with 1 and with N ingest processes (`yingji ingest --processes N`: one MQTT 5
    shared subscription), and its ratio to the raw rate;
  * alarm latency p50/p99 from publish to the alarm row (audit time of alarm.raise − the reading's publish
    time), measured while background load flows, through `yingji ingest --processes N`;
  * readings lost when `yingji ingest --processes N` (the parent and all its workers) is SIGKILLed
    mid-run and restarted.

Every rate counts the same 200,000 readings (50,000 messages of 4 metrics) from the same broker, timed from
the first message (bare subscriber) or the end of the first stored batch (ingest; that batch's readings
are then not counted) to the last.

It starts its own Mosquitto (the Debian binary) on a free loopback port with `max_queued_messages 0`: the
stock configuration keeps only 1000 queued messages per client and drops the rest, which no ingest can undo.
Databases are throwaway: a SQLite file in a temporary YINGJI_DATA_DIR and a new PostgreSQL database
(127.0.0.1:5432, user postgres) that is dropped at the end.

Run: .venv/bin/python bench/ingest.py [--readings 200000] [--processes 1,2] [--skip-postgres]
(the last of --processes is the configuration the latency and restart runs use)
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
from typing import Any

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


def mqtt_client(client_id: str = "", *, receive_maximum: int = 5000) -> tuple[Any, Any]:
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = receive_maximum
    return client, props


def payloads(count: int, *, start: datetime, prefix: str, value: float | None = None) -> list[tuple[str, bytes]]:
    """`count` messages round-robin over the bench devices, 4 metrics each, distinct timestamps."""
    out = []
    for i in range(count):
        device = f"{prefix}{i % DEVICES:03d}"
        ts = start + timedelta(milliseconds=i)
        gas = value if value is not None else 1.0 + (i % 7) * 0.3
        body = {"ts": ts.isoformat(), "metrics": {"ch4_lel": gas, "h2s_ppm": 0.3, "co_ppm": 3.0, "temp_c": 22.5}}
        out.append((f"yingji/telemetry/{device}", json.dumps(body).encode()))
    return out


def publish_all(
    port: int, messages: list[tuple[str, bytes]], progress: Any = None, pace_per_s: float | None = None
) -> float:
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


def _publisher_process(port: int, messages: list[tuple[str, bytes]], progress: Any, pace: float | None) -> None:
    publish_all(port, messages, progress, pace)


def publish_in_background(
    port: int, messages: list[tuple[str, bytes]], pace_per_s: float | None = None
) -> tuple[mp.Process, object]:
    progress = mp.Value("l", 0)
    process = mp.Process(target=_publisher_process, args=(port, messages, progress, pace_per_s))
    process.start()
    return process, progress


def forget_session(port: int, client_id: str) -> None:
    """Drop a persistent session, so the broker stops queueing copies of later messages for it."""
    client, props = mqtt_client(client_id)
    props.SessionExpiryInterval = 0
    client.connect("127.0.0.1", port, clean_start=True, properties=props)
    client.loop_start()
    client.disconnect()
    client.loop_stop()


def _bare_subscriber(port: int, client_id: str, topic: str, total: Any, ready: Any, times: Any) -> None:
    """A bare paho subscriber (network thread, automatic acknowledgement) counting into `total` until it
    reaches `times[2]`; records its first and last message times."""
    received = 0
    first = last = 0.0

    def on_message(c: Any, u: Any, m: Any) -> None:
        nonlocal received, first, last
        received += 1
        last = time.monotonic()
        if received == 1:
            first = last
        if received % 100 == 0:
            with total.get_lock():
                total.value += 100

    client, props = mqtt_client(client_id)
    client.on_message = on_message
    client.on_subscribe = lambda *args: ready.set()
    client.connect("127.0.0.1", port, clean_start=False, properties=props)
    client.loop_start()
    client.subscribe(topic, qos=1)
    give_up = time.monotonic() + 300
    while total.value < times[2] and time.monotonic() < give_up:
        time.sleep(0.05)
    client.loop_stop()
    client.disconnect()
    with times.get_lock():
        times[0] = min(times[0], first) if times[0] else first
        times[1] = max(times[1], last)


def raw_delivery_rate(port: int, count: int, subscribers: int) -> float:
    """Messages per second the broker delivers to `subscribers` bare subscribers (one process each; several
    share the subscription) draining a queue of `count`."""
    ids = [f"bench-bare-{subscribers}-{i}" for i in range(subscribers)]
    topic = "yingji/telemetry/+" if subscribers == 1 else "$share/bench/yingji/telemetry/+"
    for client_id in ids:
        client, props = mqtt_client(client_id)
        client.connect("127.0.0.1", port, clean_start=True, properties=props)
        client.loop_start()
        client.subscribe(topic, qos=1)
        time.sleep(0.3)
        client.loop_stop()
        client.disconnect()
    publish_all(port, payloads(count, start=datetime.now(UTC), prefix="BARE-"))
    total, times = mp.Value("l", 0), mp.Array("d", [0.0, 0.0, float(count - 100 * subscribers)])
    readies = [mp.Event() for _ in ids]
    processes = [
        mp.Process(target=_bare_subscriber, args=(port, client_id, topic, total, ready, times))
        for client_id, ready in zip(ids, readies, strict=True)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    for client_id in ids:
        forget_session(port, client_id)
    return total.value / (times[1] - times[0]) if times[1] > times[0] else float("nan")


# One database (runs in a child process with its own Django) ------------------------------------------


def _drain_worker(client_id: str, shared: bool, target: int, total: Any, counted: Any, times: Any) -> None:
    """One forked ingest worker: drain the queued messages until all workers together stored `target`
    readings; its rate is timed from the end of its first batch, whose readings are not counted."""
    from yingji.monitoring.mqtt_ingest import MqttIngest, ingest_process_setup

    ingest_process_setup()
    ingest = MqttIngest(url=os.environ["YINGJI_MQTT_URL"], client_id=client_id, shared=shared)
    ingest.start()
    first = last = 0.0
    give_up = time.monotonic() + 900
    while total.value < target and time.monotonic() < give_up:
        result = ingest.poll()
        if result is None:
            continue
        with total.get_lock():
            total.value += result.readings
        if first:
            last = time.monotonic()
            with counted.get_lock():
                counted.value += result.readings
        else:
            first = time.monotonic()
    ingest.stop()
    with times.get_lock():
        times[0] = min(times[0], first) if times[0] else first
        times[1] = max(times[1], last)


def child(db: str, port: int, readings: int, data_dir: str, database_url: str, process_counts: list[int]) -> None:
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
    from django.db import connections

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
            for p in [*(f"D{n}-" for n in process_counts), "LAT-", "RST-"]
            for i in range(DEVICES)
        ]
    )
    for spec in RULES:
        if "device" not in spec:
            rule_create(by=None, **spec)
    messages = readings // METRICS_PER_MESSAGE

    # 1. Sustained rate: queue every message at the broker, then drain it through 1 and through N ingest
    # processes (each the same MqttIngest as `yingji ingest`, after the same process setup).
    sustained = {}
    for n in process_counts:
        prefix = f"D{n}-"
        ids = [f"bench-ingest-{db}-n{n}-{i}" for i in range(1, n + 1)]
        for client_id in ids:  # create the sessions, so the broker queues for them
            ingest = MqttIngest(url=os.environ["YINGJI_MQTT_URL"], client_id=client_id, shared=n > 1)
            ingest.start()
            ingest.stop()
        publish_all(port, payloads(messages, start=datetime.now(UTC) - timedelta(hours=2), prefix=prefix))
        connections.close_all()
        target = messages * METRICS_PER_MESSAGE
        total, counted, times = mp.Value("l", 0), mp.Value("l", 0), mp.Array("d", [0.0, 0.0])
        workers = [
            mp.get_context("fork").Process(target=_drain_worker, args=(client_id, n > 1, target, total, counted, times))
            for client_id in ids
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        for client_id in ids:
            forget_session(port, client_id)
        stored = Reading.objects.filter(device__code__startswith=prefix).count()
        rate = counted.value / (times[1] - times[0]) if times[1] > times[0] else float("nan")
        sustained[n] = {"rate": rate, "stored": stored}
    processes = process_counts[-1]
    rate = sustained[processes]["rate"]

    # 2. Alarm latency under background load: 200 devices cross the limit once each.
    # Background load at a quarter of the sustained rate (at most 1000 messages/s) while alarms are timed.
    pace = max(50.0, min(1000.0, rate / METRICS_PER_MESSAGE / 4)) if rate == rate else 500.0
    env = dict(os.environ)
    command = [sys.executable, "-m", "yingji.cli", "ingest", "--processes", str(processes)]
    log = open(Path(data_dir) / "ingest.log", "ab")  # noqa: SIM115 (kept open for every run)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    time.sleep(3.0)
    load, _ = publish_in_background(
        port, payloads(int(pace * 8), start=datetime.now(UTC) - timedelta(minutes=30), prefix="D1-"), pace
    )
    time.sleep(1.0)
    alarm_count = DEVICES
    sender, props = mqtt_client()
    sender.connect("127.0.0.1", port, properties=props)
    sender.loop_start()
    for i in range(alarm_count):
        body = {"ts": datetime.now(UTC).isoformat(), "metrics": {"ch4_lel": 55.0}}
        sender.publish(f"yingji/telemetry/LAT-{i:03d}", json.dumps(body).encode(), qos=1)
        time.sleep(0.03)
    give_up = time.monotonic() + 60
    while Alarm.objects.filter(device__code__startswith="LAT-").count() < alarm_count and time.monotonic() < give_up:
        time.sleep(0.1)
    sender.loop_stop()
    sender.disconnect()
    load.join()
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    latencies = []
    raised = {a.pk: a.raised_at for a in Alarm.objects.filter(device__code__startswith="LAT-")}
    for entry in AuditEntry.objects.filter(action="alarm.raise", object_id__in=[str(k) for k in raised]):
        latencies.append((entry.at - raised[int(entry.object_id)]).total_seconds())
    latencies.sort()

    # 3. Loss across a crash: `yingji ingest` (parent and workers) is SIGKILLed mid-run and started again.
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    time.sleep(3.0)
    restart_messages = messages
    publisher, progress = publish_in_background(
        port, payloads(restart_messages, start=datetime.now(UTC) - timedelta(hours=1), prefix="RST-"), 10000
    )
    while progress.value < restart_messages * 0.4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(1.0)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
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
    process.wait(timeout=60)
    log.close()
    # The next database's run shares this broker: a member of the shared group left offline would keep
    # getting its share of that run's messages queued.
    for index in range(1, processes + 1):
        forget_session(port, f"{os.environ['YINGJI_MQTT_CLIENT_ID']}-{index}")
    forget_session(port, os.environ["YINGJI_MQTT_CLIENT_ID"])
    if count < expected:
        print((Path(data_dir) / "ingest.log").read_text(encoding="utf-8", errors="replace")[-2000:], file=sys.stderr)

    print(
        json.dumps(
            {
                "db": db,
                "sustained": sustained,
                "processes": processes,
                "latency_p50": statistics.median(latencies) if latencies else None,
                "latency_p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else None,
                "alarms": len(latencies),
                "background": pace * METRICS_PER_MESSAGE,
                "restart_expected": expected,
                "restart_stored": count,
            }
        )
    )


def run_child(db: str, port: int, args: argparse.Namespace, data_dir: Path, database_url: str) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            db,
            "--port",
            str(port),
            "--readings",
            str(args.readings),
            "--processes",
            args.processes,
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


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=200_000)
    parser.add_argument("--processes", default="1,2", help="ingest process counts to measure, e.g. 1,2")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--data-dir")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    process_counts = [int(n) for n in args.processes.split(",")]
    if args.child:
        child(args.child, args.port, args.readings, args.data_dir, args.database_url, process_counts)
        return

    workdir = Path(tempfile.mkdtemp(prefix="yingji-bench-"))
    broker, port = start_broker(workdir)
    results = []
    pg_db = f"yingji_bench_{os.getpid()}"
    messages = args.readings // METRICS_PER_MESSAGE
    try:
        raw = {n: raw_delivery_rate(port, messages, n) for n in sorted({1, *process_counts})}
        sqlite_dir = workdir / "sqlite"
        sqlite_dir.mkdir()
        results.append(run_child("sqlite", port, args, sqlite_dir, f"sqlite:///{sqlite_dir / 'bench.sqlite3'}"))
        if not args.skip_postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {pg_db}")
            try:
                pg_dir = workdir / "pg"
                pg_dir.mkdir()
                results.append(
                    run_child("postgresql", port, args, pg_dir, f"postgres://postgres@127.0.0.1:5432/{pg_db}")
                )
            finally:
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
    finally:
        broker.terminate()
        broker.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    raw_readings = raw[1] * METRICS_PER_MESSAGE
    print(
        f"Ingest benchmark: {args.readings:,} readings ({messages:,} MQTT messages of "
        f"{METRICS_PER_MESSAGE} metrics, QoS 1) on loopback, {os.cpu_count()} CPUs"
    )
    print(f"broker raw delivery to a bare subscriber: {raw[1]:,.0f} messages/s = {raw_readings:,.0f} readings/s")
    for n, rate in raw.items():
        if n > 1:
            print(
                f"  (for comparison, to {n} bare subscribers sharing one subscription: {rate:,.0f} messages/s = "
                f"{rate * METRICS_PER_MESSAGE:,.0f} readings/s)"
            )
    for r in results:
        print(f"\n[{r['db']}]")
        for n, s in r["sustained"].items():
            ratio = s["rate"] / raw_readings
            line = (
                f"  sustained ingest, {n} process{'es' if int(n) > 1 else ''}: {s['rate']:,.0f} readings/s "
                f"({s['stored']:,} of {args.readings:,} stored); ratio to raw: {ratio:.2f} "
                f"(target >= 0.50: {verdict(ratio >= 0.5)}"
            )
            if r["db"] == "postgresql":
                line += f"; target >= 10,000 readings/s: {verdict(s['rate'] >= 10_000)}"
            if int(n) > 1:
                line += f"; ratio to {n} bare subscribers: {s['rate'] / (raw[int(n)] * METRICS_PER_MESSAGE):.2f}"
            print(line + ")")
        print(f"  with `yingji ingest --processes {r['processes']}`:")
        if r["latency_p50"] is not None:
            print(
                f"  alarm latency publish→alarm row over {r['alarms']} alarms under load: "
                f"p50 {r['latency_p50'] * 1000:.0f} ms, p99 {r['latency_p99'] * 1000:.0f} ms "
                f"(target p99 <= 1000 ms: {verdict(r['latency_p99'] <= 1.0)})"
            )
        lost = r["restart_expected"] - r["restart_stored"]
        print(
            f"  ingest (all processes) SIGKILLed at 40% and restarted: {r['restart_stored']:,} of "
            f"{r['restart_expected']:,} readings stored, {lost:,} lost (target 0: {verdict(lost == 0)})"
        )


if __name__ == "__main__":
    main()
