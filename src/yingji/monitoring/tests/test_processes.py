"""Several ingest processes: the shared subscription splits the messages, `run_processes` supervises the
workers, and `yingji ingest --processes` checks its argument."""

import json
import multiprocessing
import os
import signal
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from yingji.monitoring import mqtt_ingest
from yingji.monitoring.models import Reading
from yingji.monitoring.mqtt_ingest import MqttIngest, run_processes, worker_client_id
from yingji.monitoring.services import device_create
from yingji.monitoring.tests.test_mqtt import BROKER, forget_session, publish, publisher


def wait_for(condition: Callable[[], bool], within_s: float = 20.0) -> bool:
    give_up = time.monotonic() + within_s
    while not condition() and time.monotonic() < give_up:
        time.sleep(0.05)
    return condition()


def test_two_ingest_processes_share_the_messages_and_store_each_once(plant, cast):
    suffix = uuid.uuid4().hex[:8]
    device = device_create(
        by=None, code=f"T-GAS-{suffix}", name="测试探测器", type="combustible_gas", org=cast.street_a
    )
    ids = [worker_client_id(f"yingji-test-{suffix}", i) for i in (1, 2)]
    workers = [MqttIngest(url=BROKER, client_id=client_id, shared=True, flush_ms=20) for client_id in ids]
    sender = publisher()
    try:
        for worker in workers:
            worker.start()
            assert worker.subscribed.is_set(), "no SUBACK from the broker"
        now = datetime.now(UTC)
        for i in range(20):
            body = {"ts": (now - timedelta(seconds=60 - i)).isoformat(), "metrics": {"ch4_lel": 1.0}}
            publish(sender, f"yingji/telemetry/{device.code}", json.dumps(body).encode())
        give_up = time.monotonic() + 20
        while Reading.objects.filter(device_id=device.pk).count() < 20 and time.monotonic() < give_up:
            for worker in workers:
                worker.poll()
    finally:
        sender.disconnect()
        sender.loop_stop()
        for worker in workers:
            worker.stop()
            forget_session(worker.client_id)
    assert Reading.objects.filter(device_id=device.pk).count() == 20
    # Mosquitto hands a shared subscription's messages round robin: both workers did part of the work.
    assert all(worker.stats.messages > 0 for worker in workers)
    assert sum(worker.stats.messages for worker in workers) == 20


def _record_and_wait(out: Path) -> Callable[[int, Callable[[], bool]], None]:
    def worker(index: int, should_stop: Callable[[], bool]) -> None:
        with (out / str(index)).open("a") as f:
            f.write(f"{os.getpid()}\n")
        while not should_stop():
            time.sleep(0.02)
        (out / f"{index}.stopped").touch()

    return worker


def test_run_processes_starts_each_worker_and_stops_them_all(tmp_path):
    started = multiprocessing.get_context("fork").Event()

    def stop_when_all_ran() -> bool:
        if all((tmp_path / str(i)).exists() for i in (1, 2, 3)):
            started.set()
        return started.is_set()

    run_processes(processes=3, worker=_record_and_wait(tmp_path), should_stop=stop_when_all_ran)
    pids = {(tmp_path / str(i)).read_text().strip() for i in (1, 2, 3)}
    assert len(pids) == 3 and str(os.getpid()) not in pids
    assert all((tmp_path / f"{i}.stopped").exists() for i in (1, 2, 3))


def test_a_worker_that_exits_is_started_again(tmp_path, monkeypatch):
    monkeypatch.setattr(mqtt_ingest, "WORKER_RESTART_DELAY_S", 0.1)

    def worker(index: int, should_stop: Callable[[], bool]) -> None:
        with (tmp_path / "runs").open("a") as f:
            f.write(f"{os.getpid()}\n")

    def two_runs() -> bool:
        runs = tmp_path / "runs"
        return runs.exists() and len(runs.read_text().split()) >= 2

    give_up = time.monotonic() + 20
    run_processes(processes=1, worker=worker, should_stop=lambda: two_runs() or time.monotonic() > give_up)
    assert len(set((tmp_path / "runs").read_text().split())) >= 2


def _supervise(out: str) -> None:
    run_processes(processes=2, worker=_record_and_wait(Path(out)), should_stop=lambda: False)


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def test_workers_stop_when_their_parent_is_killed(tmp_path):
    connections.close_all()  # the forked supervisor must not inherit (and then close) this process's connection
    parent = multiprocessing.get_context("fork").Process(target=_supervise, args=(str(tmp_path),))
    parent.start()
    try:
        assert wait_for(lambda: all((tmp_path / str(i)).exists() for i in (1, 2)))
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.join()
    pids = [int((tmp_path / str(i)).read_text()) for i in (1, 2)]
    assert wait_for(lambda: all(_gone(pid) for pid in pids))
    assert all((tmp_path / f"{i}.stopped").exists() for i in (1, 2))


def test_ingest_command_needs_at_least_one_process(db, settings):
    settings.MQTT_URL = BROKER
    with pytest.raises(CommandError, match="--processes") as error:
        call_command("ingest", processes=0)
    assert error.value.returncode == 2
