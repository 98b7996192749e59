"""The `yingji` command: wrong arguments exit 2 with a message naming the problem."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yingji.core.models import User

# The code under test (a checkout's src on PYTHONPATH wins over the installed package).
CODE = {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}


def yingji(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {"YINGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **CODE}
    return subprocess.run(
        [sys.executable, "-m", "yingji.cli", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bogus",), "unknown command 'bogus'"),
        (("serve", "--port", "99999"), "port must be from 1 to 65535"),
        (("serve", "--port", "eighty"), "port must be a number"),
        (("serve", "--host", "not a host"), "host must be an IP address"),
        (("serve", "--workers", "0"), "workers must be from 1 to 64"),
        (("serve", "--workers", "many"), "workers must be a number"),
        (("demo", "--seed", "abc"), "invalid int value"),
        (("backup", "a", "b"), "unrecognized arguments"),
        (("createadmin",), "--username"),
    ],
)
def test_wrong_arguments_exit_2_with_a_clear_message(tmp_path, args, message):
    result = yingji(*args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_environment_exits_2_naming_the_variable(tmp_path):
    env = {"YINGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "YINGJI_PORT": "abc"}
    result = subprocess.run(
        [sys.executable, "-m", "yingji.cli", "check"], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert result.returncode == 2 and "YINGJI_PORT" in result.stderr


def test_help_lists_the_commands(tmp_path):
    result = yingji("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    for command in ("run", "serve", "worker", "demo", "createadmin", "audit", "backup", "restore", "check"):
        assert command in result.stdout


def test_check_passes_on_a_migrated_database(tmp_path):
    assert yingji("migrate", tmp_path=tmp_path).returncode == 0
    result = yingji("check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database: sqlite" in result.stdout


def test_check_fails_when_the_broker_is_unreachable(tmp_path):
    env = {"YINGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "YINGJI_MQTT_URL": "mqtt://127.0.0.1:1"}
    subprocess.run([sys.executable, "-m", "yingji.cli", "migrate"], env=env, capture_output=True, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "yingji.cli", "check"], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert result.returncode == 1 and "broker" in result.stderr


def test_check_reaches_the_real_broker(db, capsys, settings):
    settings.MQTT_URL = "mqtt://127.0.0.1:1883"
    call_command("check")
    assert "broker: mqtt://127.0.0.1:1883 ok" in capsys.readouterr().out


def test_createadmin_makes_a_superuser_with_the_admin_role(cast, tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text("Another-Long-Secret-7\n")
    call_command("createadmin", "--username", "chief", "--password-file", str(password_file))
    chief = User.objects.get(username="chief")
    assert chief.is_superuser and chief.check_password("Another-Long-Secret-7")
    assert chief.groups.filter(name="系统管理员").exists()


def test_createadmin_refuses_a_weak_password(db, tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text("123")
    with pytest.raises(CommandError) as err:
        call_command("createadmin", "--username", "chief", "--password-file", str(password_file))
    assert err.value.returncode == 2
    assert not User.objects.filter(username="chief").exists()


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115, PTH123
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_serve_with_two_workers_answers_from_two_processes(tmp_path):
    assert yingji("migrate", tmp_path=tmp_path).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"YINGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **CODE}
    env["YINGJI_WEB_WORKERS"] = "2"
    server = subprocess.Popen(
        [sys.executable, "-m", "yingji.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                    status = response.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        workers = [pid for pid in _children(server.pid) if b"spawn_main" in open(f"/proc/{pid}/cmdline", "rb").read()]  # noqa: SIM115, PTH123
        assert len(workers) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
