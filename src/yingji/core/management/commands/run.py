import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yingji.core.management.commands._args import host_arg, port_arg
from yingji.core.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Set up and start the platform: migrate, load the demo district when empty, start web and worker "
        "(and MQTT ingest when YINGJI_MQTT_URL is set)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", type=host_arg, default=settings.HOST)
        parser.add_argument("--port", type=port_arg, default=settings.PORT)

    def handle(self, *args, host: str, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not OrgUnit.objects.exists():
            self.stdout.write("empty database: loading the Huangshigang demo district")
            call_command("demo")
        base = [sys.executable, "-m", "yingji.cli"]
        processes = {
            "web": subprocess.Popen([*base, "serve", "--host", host, "--port", str(port)]),
            "worker": subprocess.Popen([*base, "worker"]),
        }
        if settings.MQTT_URL:
            processes["ingest"] = subprocess.Popen([*base, "ingest"])
        self.stdout.write(f"Yingji is running at http://{host}:{port}/  (Ctrl+C stops it)")

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            # One process ending ends the platform: a half-running platform hides failures.
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in processes.values():
                if p.poll() is None:
                    p.terminate()
            for p in processes.values():
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [name for name, p in processes.items() if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            self.stderr.write(f"stopped: {', '.join(failed)} exited with an error")
            sys.exit(1)
