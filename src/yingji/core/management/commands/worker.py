import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yingji.core.processes import hold_pid_file
from yingji.core.worker import run_due, run_forever


class Command(BaseCommand):
    help = "Start the background worker (periodic jobs); --once runs what is due and exits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once:
            for name in run_due():
                self.stdout.write(f"ran {name}")
            return
        hold_pid_file("worker")
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        run_forever(should_stop=lambda: stopping)
