import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError

from yingji.monitoring import conf
from yingji.monitoring.ingest import IngestResult
from yingji.monitoring.mqtt_ingest import MqttIngest

log = logging.getLogger("yingji.ingest")


class Command(BaseCommand):
    help = "Start the MQTT ingest process: subscribe to yingji/telemetry/+ (QoS 1, persistent session)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="messages per database write (default 2000)")
        parser.add_argument("--flush-ms", type=int, default=50, help="longest wait before writing a batch (default 50)")

    def handle(self, *args, batch_size: int, flush_ms: int, **options):
        url = conf.mqtt_url()
        if not url:
            raise CommandError("YINGJI_MQTT_URL is not set: there is no broker to ingest from", returncode=2)
        if batch_size < 1 or flush_ms < 1:
            raise CommandError("--batch-size and --flush-ms must be at least 1", returncode=2)
        try:
            ingest = MqttIngest(url=url, batch_size=batch_size, flush_ms=flush_ms)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_report = time.monotonic()

        def report(result: IngestResult) -> None:
            nonlocal last_report
            if time.monotonic() - last_report >= 60:
                s = ingest.stats
                log.info(
                    "ingest: %d messages, %d readings, %d rejected, %d alarms",
                    s.messages,
                    s.readings,
                    s.rejected,
                    s.raised,
                )
                last_report = time.monotonic()

        self.stdout.write(f"ingesting from {url} as {ingest.client_id}")
        try:
            ingest.run(should_stop=lambda: stopping, on_batch=report)
        except OSError as exc:
            raise CommandError(f"cannot reach the broker at {url}: {exc}", returncode=1) from None
