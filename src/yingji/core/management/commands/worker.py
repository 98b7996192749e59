import signal

from django.core.management.base import BaseCommand

from yingji.core.processes import hold_pid_file
from yingji.core.worker import run_due, run_forever


class Command(BaseCommand):
    help = "Start the background worker (periodic jobs); --once runs what is due and exits."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, once: bool, **options):
        if once:
            for name in run_due():
                self.stdout.write(f"ran {name}")
            return
        hold_pid_file("worker")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        run_forever(should_stop=lambda: stopping)
