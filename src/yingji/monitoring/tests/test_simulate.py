"""The simulator: a gas leak ramps through every level; `yingji simulate` publishes to the real broker."""

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yingji.monitoring.models import Alarm, Reading
from yingji.monitoring.simulator import Scenario, Simulator
from yingji.monitoring.tests.test_mqtt import drain, forget_session, started


def test_gas_leak_ramp_crosses_every_level_within_about_a_minute():
    sim = Simulator(scenario=Scenario.GAS_LEAK)
    values = [
        sim.metrics(code="G", device_type="combustible_gas", metric_codes=[], elapsed_s=t, leaking=True)["ch4_lel"]
        for t in (0, 15, 30, 75)
    ]
    assert values[0] < 10 <= values[1] < 35 <= values[3] and values[3] >= 50
    quiet = sim.metrics(code="G", device_type="combustible_gas", metric_codes=[], elapsed_s=75, leaking=False)
    assert quiet["ch4_lel"] < 10


def test_flood_raises_the_river_and_rains():
    sim = Simulator(scenario=Scenario.FLOOD)
    early = sim.metrics(code="WL-YZ-01", device_type="water_level", metric_codes=[], elapsed_s=0, leaking=False)
    late = sim.metrics(code="WL-YZ-01", device_type="water_level", metric_codes=[], elapsed_s=300, leaking=False)
    assert late["water_level_m"] - early["water_level_m"] > 2.5
    assert sim.metrics(code="R", device_type="rainfall", metric_codes=[], elapsed_s=1, leaking=False)["rain_mm"] >= 4


def test_simulate_without_devices_exits_2(db):
    with pytest.raises(CommandError, match="run `yingji demo` first") as error:
        call_command("simulate", duration=1)
    assert error.value.returncode == 2


def test_simulate_publishes_over_mqtt_and_ingest_stores_it(plant, settings):
    settings.MQTT_URL = "mqtt://127.0.0.1:1883"
    client_id = f"yingji-test-{uuid.uuid4().hex[:8]}"
    ingest = started(client_id)
    try:
        call_command("simulate", rate=40, duration=1.0, scenario="gas-leak")
        drain(
            ingest,
            lambda: (
                Reading.objects.filter(device_id=plant.gas.pk).count() >= 5
                and Reading.objects.filter(device_id=plant.rain.pk).exists()
            ),
        )
    finally:
        ingest.stop()
        forget_session(client_id)
    assert Reading.objects.filter(device_id=plant.rain.pk, metric="rain_mm").exists()
    assert Reading.objects.filter(device_id=plant.gas.pk).count() >= 5
    assert not Alarm.objects.filter(device=plant.gas_y).exists()  # only one detector leaks
