"""A simulated gas leak turns into an alarm on the open duty desk: the real simulator and the real ingest run as
processes against the Mosquitto broker on 127.0.0.1:1883, the desk is served by uvicorn as `yingji serve` does."""

import os
import subprocess
import sys
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db import connection

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.monitoring.models import Alarm
from yingji.monitoring.services import device_create, rule_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BROKER = "mqtt://127.0.0.1:1883"


def subprocess_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def yingji(*args: str, client_id: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "YINGJI_MQTT_URL": BROKER,
        "YINGJI_MQTT_CLIENT_ID": client_id,
        "YINGJI_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "yingji.cli", *args], env=env)


def forget_session(client_id: str) -> None:
    """Drop the broker's persistent session of the test's ingest."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", 1883, clean_start=True)
    client.disconnect()


def test_simulated_gas_leak_appears_on_the_duty_desk(asgi_page, cast):
    device_create(
        by=None,
        code="GAS-X-01",
        name="甲化工储罐区可燃气体探测器",
        type="combustible_gas",
        org=cast.enterprise_x,
        lat=30.215,
        lon=115.085,
    )
    rule_create(
        by=None,
        name="可燃气体浓度",
        device_type="combustible_gas",
        metric="ch4_lel",
        blue=10,
        yellow=20,
        orange=35,
        red=50,
        deadband=2,  # the sensor's noise must not make the alarm flap between active and cleared
    )
    sign_in(asgi_page, "t_duty", PASSWORD)
    asgi_page.goto("/incidents/")
    asgi_page.wait_for_selector("#live-state.on")
    client_id = f"yingji-test-{uuid.uuid4().hex[:8]}"
    ingest = yingji("ingest", client_id=client_id)
    simulator = yingji("simulate", "--scenario", "gas-leak", "--rate", "10", "--duration", "40", client_id="")
    try:
        # The leak passes 10 %LEL after about 12 s; the alarm reaches the open desk without a reload.
        alarm = asgi_page.locator("#alarms li.fresh").first
        alarm.wait_for(timeout=45_000)
        assert "甲化工储罐区可燃气体探测器" in alarm.inner_text()
        statuses = set(Alarm.objects.filter(device__code="GAS-X-01").values_list("status", flat=True))
        assert statuses & {"active", "acknowledged"}, statuses
        ARTIFACTS.mkdir(exist_ok=True)
        asgi_page.screenshot(path=str(ARTIFACTS / "duty-desk-alarm.png"))
    finally:
        for process in (simulator, ingest):
            process.terminate()
            process.wait(timeout=20)
        forget_session(client_id)
