"""`yingji restore` refuses while the platform runs; `yingji run` restarts a process that dies (issue 10: restore
under writers lost confirmed writes, and the platform stayed down when its web process died)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yingji.core.processes import hold_pid_file, running_processes


def _env(data_dir: Path) -> dict[str, str]:
    return {
        "YINGJI_DATA_DIR": str(data_dir),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data_dir),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "DJANGO_SETTINGS_MODULE": "yingji.settings",
    }


HOLDER = (
    "import sys, time, django; django.setup(); from yingji.core.processes import hold_pid_file; "
    "hold_pid_file('web'); print('ready', flush=True); time.sleep(120)"
)


def test_restore_refuses_while_a_platform_process_runs(tmp_path, settings, db):
    settings.DATA_DIR = tmp_path
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], env=_env(tmp_path), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert [p.role for p in running_processes()] == ["web"]
        with pytest.raises(CommandError) as err:
            call_command("restore", str(tmp_path / "any.backup"))
        assert err.value.returncode == 2
        assert "running" in str(err.value) and f"web (pid {holder.pid})" in str(err.value)
    finally:
        holder.kill()
        holder.wait()
    # A process that died leaves its file behind, but no lock: it does not count, and the file goes.
    assert running_processes() == []
    assert list((tmp_path / "run").glob("*.pid")) == []


def test_own_pid_file_does_not_block(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    path = hold_pid_file("restore-test")
    assert path.exists() and running_processes() == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def _web_pids(data_dir: Path) -> set[int]:
    return {int(p.stem.rsplit("-", 1)[1]) for p in (data_dir / "run").glob("web-*.pid")}


def test_run_restarts_a_web_process_that_dies(tmp_path):
    port = _free_port()
    log = (tmp_path / "run.log").open("w")
    platform = subprocess.Popen(
        [sys.executable, "-m", "yingji.cli", "run", "--port", str(port), "--no-demo"],
        env=_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _wait(lambda: _healthy(port), 300), (tmp_path / "run.log").read_text()
        (first,) = _web_pids(tmp_path)
        os.kill(first, signal.SIGKILL)
        assert _wait(lambda: not _healthy(port), 10)
        assert _wait(lambda: _healthy(port), 60), (tmp_path / "run.log").read_text()
        assert running_processes_in(tmp_path) >= {"web", "worker", "run"}
        assert first not in _web_pids(tmp_path) or not _pid_alive(first)
    finally:
        platform.send_signal(signal.SIGTERM)
        platform.wait(timeout=30)
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert f"web (pid {first}) exited with code -9; restarting" in output


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def running_processes_in(data_dir: Path) -> set[str]:
    from django.test import override_settings

    with override_settings(DATA_DIR=data_dir):
        return {p.role for p in running_processes()}


def test_data_directory_and_database_are_private(db, tmp_path, settings):
    from django.conf import settings as live
    from django.db import connection

    assert live.DATA_DIR.stat().st_mode & 0o777 == 0o700
    if connection.vendor == "sqlite":
        assert Path(connection.settings_dict["NAME"]).stat().st_mode & 0o777 == 0o600
