"""Which platform processes are running on this machine, and which ones `yingji run` starts.

Each running process holds a locked pid file in `<data dir>/run/`: `yingji serve`, `worker`, `ingest`, `modbus` and
`run` take the lock for as long as they live; the operating system drops it when a process ends, however it ends, so
a stale file never counts. `yingji restore` refuses while any lock is held: replacing the database under running
writers loses their confirmed writes (SQLite) or deadlocks (PostgreSQL).

`yingji run` starts web and worker, and every process an app registers with `supervise()` from its
`AppConfig.ready()` (monitoring: MQTT ingest when a broker is configured, the Modbus TCP poller); core knows them
only by their `yingji` command.
"""

import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

_held: dict[str, IO[str]] = {}


def run_dir() -> Path:
    path = settings.DATA_DIR / "run"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def hold_pid_file(role: str) -> Path:
    """Mark this process as a running `role` (web, worker, ingest, run) until it exits."""
    path = run_dir() / f"{role}-{os.getpid()}.pid"
    handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 - held open for the life of the process
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _held[role] = handle
    return path


@dataclass(frozen=True)
class Running:
    role: str
    pid: int

    def __str__(self) -> str:
        return f"{self.role} (pid {self.pid})"


def running_processes() -> list[Running]:
    """The platform's processes alive now (pid files whose lock is held); stale files are removed."""
    found = []
    for path in sorted(run_dir().glob("*.pid")):
        role, _sep, pid = path.stem.rpartition("-")
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            handle = open(path, encoding="utf-8")  # noqa: SIM115
        except FileNotFoundError:
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                found.append(Running(role, int(pid)))
                continue
            path.unlink(missing_ok=True)
    return found


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Supervised:
    """A process `yingji run` starts and restarts beside web and worker: the `yingji` command and arguments that run
    it, and whether this installation wants it (asked when `run` starts)."""

    name: str
    command: tuple[str, ...]
    wanted: Callable[[], bool] = _always


_supervised: dict[str, Supervised] = {}


def supervise(name: str, command: tuple[str, ...], wanted: Callable[[], bool] = _always) -> None:
    """Have `yingji run` start `yingji <command…>` as process `name` when `wanted()` (registering a name again
    replaces it)."""
    _supervised[name] = Supervised(name, command, wanted)


def supervised_processes() -> list[Supervised]:
    """The registered processes this installation wants now, in the order they were registered."""
    return [process for process in _supervised.values() if process.wanted()]
