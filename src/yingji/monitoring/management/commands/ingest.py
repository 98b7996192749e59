import logging
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingji.core.mqtt import parse_mqtt_url
from yingji.core.processes import hold_pid_file
from yingji.monitoring import conf
from yingji.monitoring.ingest import IngestResult
from yingji.monitoring.mqtt_ingest import MqttIngest, run_processes, worker_client_id

log = logging.getLogger("yingji.ingest")


def run_ingest(ingest: MqttIngest, should_stop: Callable[[], bool]) -> None:
    """Ingest until `should_stop()`, logging the totals once a minute."""
    last_report = time.monotonic()

    def report(result: IngestResult) -> None:
        nonlocal last_report
        if time.monotonic() - last_report >= 60:
            s = ingest.stats
            log.info(
                "ingest %s: %d messages, %d readings, %d rejected, %d alarms",
                ingest.client_id,
                s.messages,
                s.readings,
                s.rejected,
                s.raised,
            )
            last_report = time.monotonic()

    ingest.run(should_stop=should_stop, on_batch=report)


class Command(BaseCommand):
    help = "Start the MQTT ingest process: subscribe to yingji/telemetry/+ (QoS 1, persistent session)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000, help="messages per database write (default 2000)")
        parser.add_argument("--flush-ms", type=int, default=50, help="longest wait before writing a batch (default 50)")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="ingest processes sharing the work through an MQTT 5 shared subscription; each has its own "
            "session, client id <YINGJI_MQTT_CLIENT_ID>-1 … -N (default 1: one process, the client id itself)",
        )

    def handle(self, *args: Any, batch_size: int, flush_ms: int, processes: int, **options: Any) -> None:
        url = conf.mqtt_url()
        if not url:
            raise CommandError("YINGJI_MQTT_URL is not set: there is no broker to ingest from", returncode=2)
        if batch_size < 1 or flush_ms < 1:
            raise CommandError("--batch-size and --flush-ms must be at least 1", returncode=2)
        if processes < 1:
            raise CommandError("--processes must be at least 1", returncode=2)
        hold_pid_file("ingest")
        base_id = conf.mqtt_client_id()

        def make(index: int | None) -> MqttIngest:
            if index is None:
                return MqttIngest(url=url, batch_size=batch_size, flush_ms=flush_ms)
            client_id = worker_client_id(base_id, index)
            return MqttIngest(url=url, client_id=client_id, shared=True, batch_size=batch_size, flush_ms=flush_ms)

        try:
            parse_mqtt_url(url)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if processes > 1:
            first_id, last_id = worker_client_id(base_id, 1), worker_client_id(base_id, processes)
            self.stdout.write(
                f"ingesting from {url} in {processes} processes as {first_id} … {last_id} (shared subscription)"
            )
            run_processes(
                processes=processes,
                worker=lambda index, should_stop: run_ingest(make(index), should_stop),
                should_stop=lambda: stopping,
            )
            return
        ingest = make(None)
        self.stdout.write(f"ingesting from {url} as {ingest.client_id}")
        try:
            run_ingest(ingest, lambda: stopping)
        except OSError as exc:
            raise CommandError(f"cannot reach the broker at {url}: {exc}", returncode=1) from None
