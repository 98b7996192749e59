"""`yingji run` starts the Modbus TCP poller (and MQTT ingest only with a broker), and the poller it starts reads a live
Modbus server on loopback into the platform's database; `yingji modbus` runs it alone and is counted as running."""

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from yingji.core.processes import supervised_processes
from yingji.core.tests.test_processes import _env, _free_port, _wait, running_processes_in
from yingji.monitoring.tests.test_modbus import LoopbackServer, sim_device

SETUP = """
import django; django.setup()
from yingji.core.services import org_create
from yingji.monitoring.modbus import modbus_endpoint_save
from yingji.monitoring.services import device_create
district = org_create(by=None, code="T420202", name="测试区", kind="district")
gauge = device_create(by=None, code="WL-MB-01", name="长江水位站", type="water_level", org=district)
modbus_endpoint_save(
    by=None, device=gauge, host="127.0.0.1", port={port}, unit_id=1, profile="water_level_rtu", interval_s=1
)
"""


def test_run_starts_the_modbus_poller_and_ingest_only_with_a_broker(settings):
    settings.MQTT_URL = ""
    assert [(p.name, p.command) for p in supervised_processes()] == [("modbus", ("modbus",))]
    settings.MQTT_URL = "mqtt://127.0.0.1:1883"
    assert [p.name for p in supervised_processes()] == ["ingest", "modbus"]


def _levels(data_dir: Path) -> list[float]:
    try:
        with sqlite3.connect(data_dir / "yingji.sqlite3", timeout=5) as db:
            rows = db.execute("SELECT value FROM monitoring_reading WHERE metric = 'water_level_m'").fetchall()
    except sqlite3.OperationalError:  # the table is being written or not there yet
        return []
    return [value for (value,) in rows]


def test_yingji_run_polls_a_live_modbus_server(tmp_path):
    server = LoopbackServer([sim_device(1, holding=[2287])])  # water_level_rtu: holding register 0 × 0.01 m
    env = _env(tmp_path)
    base = [sys.executable, "-m", "yingji.cli"]
    port = _free_port()
    log = (tmp_path / "run.log").open("w")
    platform = None
    try:
        subprocess.run([*base, "migrate", "--verbosity", "0"], env=env, check=True, timeout=600)
        subprocess.run([sys.executable, "-c", SETUP.format(port=server.port)], env=env, check=True, timeout=300)
        platform = subprocess.Popen(
            [*base, "run", "--port", str(port), "--no-demo"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        assert _wait(lambda: bool(_levels(tmp_path)), 300), (tmp_path / "run.log").read_text()
        assert _levels(tmp_path)[0] == 22.87
        assert "modbus" in running_processes_in(tmp_path)
    finally:
        if platform is not None:
            platform.terminate()
            platform.wait(timeout=60)
        log.close()
        server.stop()
    # Every child stopped with `run`: none is left holding its pid file.
    deadline = time.monotonic() + 10
    while running_processes_in(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert running_processes_in(tmp_path) == set()
