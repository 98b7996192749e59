import logging
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, NoReturn

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from yingji.core.management.commands._args import host_arg, port_arg
from yingji.core.models import OrgUnit
from yingji.core.processes import hold_pid_file, supervised_processes

log = logging.getLogger("yingji.run")

# Back-off between restarts of a process that keeps dying: 1 s, 2 s, 4 s … at most a minute.
BACKOFF_START_S = 1.0
BACKOFF_MAX_S = 60.0
# A process that stayed up this long counts as healthy again: its next failure restarts it at once.
HEALTHY_AFTER_S = 60.0


@dataclass
class Child:
    """One supervised process: its command, the running process, and when to restart it."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff_s: float = BACKOFF_START_S
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)
        self.started_at, self.restart_at = time.monotonic(), None
        log.info("started %s (pid %d)", self.name, self.process.pid)

    def check(self, now: float) -> None:
        """Restart the process if it died, after its back-off."""
        if self.process is not None and self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started_at >= HEALTHY_AFTER_S:
                self.backoff_s = BACKOFF_START_S
            log.error(
                "%s (pid %d) exited with code %s; restarting in %.0f s",
                self.name,
                self.process.pid,
                code,
                self.backoff_s,
            )
            self.restart_at = now + self.backoff_s
            self.backoff_s = min(self.backoff_s * 2, BACKOFF_MAX_S)
        if self.restart_at is not None and now >= self.restart_at:
            self.restarts += 1
            self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Command(BaseCommand):
    help = (
        "Set up and start the platform: migrate, load the demo district when empty, start web, worker and the apps' "
        "processes (the Modbus TCP poller; MQTT ingest when YINGJI_MQTT_URL is set); a process that dies is restarted "
        "with back-off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", type=host_arg, default=settings.HOST)
        parser.add_argument("--port", type=port_arg, default=settings.PORT)
        parser.add_argument(
            "--no-demo", action="store_true", help="do not load the demo district into an empty database"
        )

    def handle(self, *args: Any, host: str, port: int, no_demo: bool, **options: Any) -> None:
        hold_pid_file("run")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not OrgUnit.objects.exists():
            self.stdout.write("empty database: loading the Huangshigang demo district")
            call_command("demo")
        base = [sys.executable, "-m", "yingji.cli"]
        children = [
            Child("web", [*base, "serve", "--host", host, "--port", str(port), "--workers", str(settings.WEB_WORKERS)]),
            Child("worker", [*base, "worker"]),
            # The apps' own processes (MQTT ingest when a broker is configured, the Modbus TCP poller).
            *(Child(process.name, [*base, *process.command]) for process in supervised_processes()),
        ]
        for child in children:
            child.start()
        self.stdout.write(f"Yingji is running at http://{host}:{port}/  (Ctrl+C stops it)")
        self.stdout.flush()

        def stop(signum: int, frame: FrameType | None) -> NoReturn:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            # A process that dies is restarted: one crash must not leave the platform down (and it is logged).
            while True:
                now = time.monotonic()
                for child in children:
                    child.check(now)
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                child.stop()
            for child in children:
                child.wait()
