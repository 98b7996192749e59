import itertools
import json
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from types import FrameType
from typing import Any

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yingji.core.models import User
from yingji.core.mqtt import parse_mqtt_url
from yingji.core.services import token_issue, token_revoke
from yingji.monitoring import conf
from yingji.monitoring.metrics import DeviceType
from yingji.monitoring.models import Device
from yingji.monitoring.simulator import Scenario, Simulator

Send = Callable[[str, dict[str, Any]], None]
Close = Callable[[], None]


def positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"expected a number, not {value!r}", returncode=2) from None
    if number <= 0:
        raise CommandError(f"expected a positive number, not {value}", returncode=2)
    return number


class Command(BaseCommand):
    help = (
        "Publish simulated readings for the demo devices: over MQTT when YINGJI_MQTT_URL is set, else to the "
        "running web process's /api/v1/telemetry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rate", type=positive, default=10.0, help="messages per second (default 10)")
        parser.add_argument("--scenario", choices=Scenario.ALL, default=Scenario.NORMAL)
        parser.add_argument("--duration", type=positive, default=None, help="seconds to run (default: until stopped)")
        parser.add_argument("--url", default=None, help="web address for HTTP (default http://HOST:PORT)")
        parser.add_argument("--seed", type=int, default=2021)

    def handle(
        self, *args: Any, rate: float, scenario: str, duration: float | None, url: str | None, seed: int, **options: Any
    ) -> None:
        devices = list(Device.objects.filter(active=True).order_by("code"))
        if not devices:
            raise CommandError("no devices to simulate: run `yingji demo` first", returncode=2)
        leaking = (
            next((d.pk for d in devices if d.type == DeviceType.COMBUSTIBLE_GAS), None)
            if scenario == Scenario.GAS_LEAK
            else None
        )
        simulator = Simulator(scenario=scenario, seed=seed)
        send, close = self._mqtt() if conf.mqtt_url() else self._http(url)
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        started = time.monotonic()
        sent = 0
        self.stdout.write(f"simulating {len(devices)} devices, scenario {scenario}, {rate:g} messages/s")
        try:
            for device in itertools.cycle(devices):
                elapsed = time.monotonic() - started
                if stopping or (duration is not None and elapsed >= duration):
                    break
                metrics = simulator.metrics(
                    code=device.code,
                    device_type=device.type,
                    metric_codes=device.metric_codes,
                    elapsed_s=elapsed,
                    leaking=device.pk == leaking,
                )
                send(device.code, {"ts": timezone.now().isoformat(), "metrics": metrics})
                sent += 1
                time.sleep(max(0.0, started + sent / rate - time.monotonic()))
        finally:
            close()
        self.stdout.write(f"sent {sent} messages")

    def _mqtt(self) -> tuple[Send, Close]:
        host, port, username, password, tls = parse_mqtt_url(conf.mqtt_url())
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv5)
        if username:
            client.username_pw_set(username, password)
        if tls:
            client.tls_set()
        try:
            client.connect(host, port)
        except OSError as exc:
            raise CommandError(f"cannot reach the broker at {host}:{port}: {exc}", returncode=1) from None
        client.loop_start()

        def send(code: str, payload: dict) -> None:
            client.publish(f"{conf.TOPIC_PREFIX}{code}", json.dumps(payload), qos=1)

        def close() -> None:
            client.loop_stop()
            client.disconnect()

        return send, close

    def _http(self, url: str | None) -> tuple[Send, Close]:
        base = (url or f"http://{settings.HOST}:{settings.PORT}").rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError(f"--url must start with http:// or https://, not {base!r}", returncode=2)
        admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError("HTTP mode needs an active administrator to post as", returncode=2)
        token, raw = token_issue(user=admin, name="yingji simulate")

        def send(code: str, payload: dict) -> None:
            body = json.dumps([{"device": code, **payload}]).encode()
            request = urllib.request.Request(  # noqa: S310 (scheme checked above)
                f"{base}/api/v1/telemetry",
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {raw}"},
            )
            try:
                urllib.request.urlopen(request, timeout=10).read()  # noqa: S310 (scheme checked above)
            except (urllib.error.URLError, OSError) as exc:
                raise CommandError(f"cannot post to {base}: {exc}", returncode=1) from None

        def close() -> None:
            token_revoke(by=admin, token=token)

        return send, close
