import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yingji.core.processes import hold_pid_file
from yingji.monitoring.modbus import ModbusPoller

log = logging.getLogger("yingji.monitoring.modbus")


class Command(BaseCommand):
    help = (
        "Start the Modbus TCP poller: read every device with a Modbus endpoint at its interval and ingest the values."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="poll every endpoint once and exit")
        parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for a device (default 2)")

    def handle(self, *args: Any, once: bool, timeout: float, **options: Any) -> None:
        poller = ModbusPoller(timeout_s=max(0.1, timeout))
        if once:
            poller.load()
            ok = sum(poller.poll(target) for target in list(poller.targets.values()))
            self.stdout.write(f"modbus: {ok} of {len(poller.targets)} devices read")
            return
        hold_pid_file("modbus")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        log.info("modbus poller started")
        poller.run(stop)
