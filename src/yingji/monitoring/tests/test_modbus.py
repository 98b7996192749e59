"""The Modbus TCP poller against a live Modbus server on loopback (pymodbus's own server, started here): register
maps with scaling, offsets, signed and 32-bit values, ingest of the values with alarms, and a device that stops
answering going offline; the `yingji modbus --once` command."""

import asyncio
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.monitoring.modbus import (
    HOLDING,
    INPUT,
    ModbusPoller,
    Register,
    _spans,
    check_profile,
    modbus_endpoint_save,
)
from yingji.monitoring.models import Alarm, DeadLetter, Device, ModbusEndpoint, Reading
from yingji.monitoring.services import device_create, rule_create


def words(fmt: str, value) -> list[int]:
    raw = struct.pack(fmt, value)
    return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]


def sim_device(unit: int, *, holding: list[int] = (0,), inputs: list[int] = (0,)) -> SimDevice:
    bits = [SimData(0, values=[False] * 16, datatype=DataType.BITS)]
    registers = [SimData(0, values=list(holding), datatype=DataType.REGISTERS)]
    return SimDevice(
        id=unit, simdata=(bits, bits, registers, [SimData(0, values=list(inputs), datatype=DataType.REGISTERS)])
    )


class LoopbackServer:
    """A Modbus TCP server on 127.0.0.1 in its own thread and event loop."""

    def __init__(self, devices: list[SimDevice]) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.server: ModbusTcpServer | None = None
        self.thread = threading.Thread(target=self._run, args=(devices,), daemon=True)
        self.thread.start()
        assert self.ready.wait(5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise RuntimeError("the Modbus server did not start")

    def _run(self, devices: list[SimDevice]) -> None:
        asyncio.set_event_loop(self.loop)

        async def main() -> None:
            self.server = ModbusTcpServer(devices, address=("127.0.0.1", self.port))
            self.ready.set()
            await self.server.serve_forever()

        self.loop.run_until_complete(main())

    def stop(self) -> None:
        if self.thread.is_alive():
            asyncio.run_coroutine_threadsafe(self.server.shutdown(), self.loop).result(5)
            self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    # Three devices behind one gateway, unit ids 1-3: a level gauge (24.50 m), an electrical-fire monitor (350 mA,
    # -5.2 °C) and a fire-water unit (0.35 MPa as float32, tank 3.21 m).
    running = LoopbackServer(
        [
            sim_device(1, holding=[2450]),
            sim_device(2, inputs=[350, *words(">h", -52)]),
            sim_device(3, holding=[*words(">f", 0.35), 321]),
        ]
    )
    yield running
    running.stop()


def test_register_decoding_and_spans():
    assert Register("x", HOLDING, 0, "int16").decode(words(">h", -7)) == -7
    assert Register("x", HOLDING, 0, "uint32", scale=0.5).decode(words(">I", 100000)) == 50000
    assert Register("x", HOLDING, 0, "int32", offset=-10).decode(words(">i", -5)) == -15
    little = Register("x", HOLDING, 0, "float32", word_order="little")
    assert little.decode(list(reversed(words(">f", 1.5)))) == 1.5
    assert Register("x", INPUT, 0, "uint16", scale=0.1, offset=2).decode([123]) == pytest.approx(14.3)
    registers = [
        Register("a", HOLDING, 0, "float32"),
        Register("b", HOLDING, 2),
        Register("c", HOLDING, 200),
        Register("d", INPUT, 5),
    ]
    assert _spans(registers) == [(HOLDING, 0, 3), (HOLDING, 200, 1), (INPUT, 5, 1)]
    with pytest.raises(ValueError):
        check_profile([Register("a", "coil", 0)])
    with pytest.raises(ValueError):
        check_profile([Register("a", HOLDING, 65535, "float32")])


@pytest.fixture
def modbus_devices(cast, server):
    river = device_create(by=None, code="WL-MB-01", name="Modbus 水位站", type="water_level", org=cast.street_b)
    monitor = device_create(
        by=None, code="EF-MB-01", name="Modbus 电气火灾监控", type="electrical_fire", org=cast.enterprise_y
    )
    water = device_create(by=None, code="FW-MB-01", name="Modbus 消防水", type="fire_water", org=cast.enterprise_y)
    for unit, (device, profile) in enumerate(
        [(river, "water_level_rtu"), (monitor, "electrical_fire_monitor"), (water, "fire_water")], start=1
    ):
        modbus_endpoint_save(by=None, device=device, host="127.0.0.1", port=server.port, unit_id=unit, profile=profile)
    rule_create(by=None, name="剩余电流", device_type="electrical_fire", metric="leak_ma", yellow=300, orange=500)
    return river, monitor, water


def latest(code: str) -> dict[str, float]:
    rows = Reading.objects.filter(device__code=code).order_by("metric").values_list("metric", "value")
    return dict(rows)


def test_the_poller_reads_register_maps_into_ingest(modbus_devices):
    poller = ModbusPoller(timeout_s=1.0)
    poller.load()
    assert all(poller.poll(t) for t in poller.targets.values())
    assert latest("WL-MB-01") == {"water_level_m": 24.5}
    assert latest("EF-MB-01") == {"cable_temp_c": -5.2, "leak_ma": 350.0}
    water = latest("FW-MB-01")
    assert water["water_pressure_mpa"] == pytest.approx(0.35, abs=1e-6) and water["tank_level_m"] == 3.21
    assert set(Device.objects.filter(code__endswith="-MB-01").values_list("status", flat=True)) == {"online"}
    # The same ingest path judged the values: 350 mA is over the profile's 300 mA setting (GB 50116 9.2.3).
    alarm = Alarm.objects.get(device__code="EF-MB-01")
    assert (alarm.level, alarm.value) == ("yellow", 350.0)


def test_a_device_that_stops_answering_goes_offline_and_comes_back(modbus_devices, server):
    poller = ModbusPoller(timeout_s=0.5, offline_after=2)
    poller.load()
    target = next(t for t in poller.targets.values() if t.endpoint.device.code == "WL-MB-01")
    assert poller.poll(target)
    server.stop()
    assert not poller.poll(target)
    assert Device.objects.get(code="WL-MB-01").status == "online"  # one failure is not yet offline
    assert not poller.poll(target)
    assert Device.objects.get(code="WL-MB-01").status == "offline"
    assert not DeadLetter.objects.exists()
    # The device answers again (at its new address): the next poll reads and the device is back online.
    again = LoopbackServer([sim_device(1, holding=[2500])])
    ModbusEndpoint.objects.filter(device__code="WL-MB-01").update(port=again.port)
    poller.load()
    target = next(t for t in poller.targets.values() if t.endpoint.device.code == "WL-MB-01")
    try:
        assert poller.poll(target)
        assert Device.objects.get(code="WL-MB-01").status == "online"
        assert Reading.objects.filter(device__code="WL-MB-01", value=25.0).exists()
    finally:
        again.stop()


def test_the_modbus_command_polls_once(modbus_devices, capsys):
    call_command("modbus", "--once", "--timeout", "1")
    assert "3 of 3 devices read" in capsys.readouterr().out


def test_endpoints_are_checked(cast):
    device = device_create(by=None, code="WL-MB-09", name="水位站", type="water_level", org=cast.street_b)
    with pytest.raises(ValidationFailed) as exc:
        modbus_endpoint_save(by=None, device=device, host="10.0.0.9", profile="nope")
    assert "profile" in exc.value.errors
    with pytest.raises(ValidationFailed):
        modbus_endpoint_save(by=None, device=device, host="10.0.0.9", port=70000, profile="water_level_rtu")
    with pytest.raises(NotAllowed):
        modbus_endpoint_save(by=cast.street_officer, device=device, host="10.0.0.9", profile="water_level_rtu")
    endpoint = modbus_endpoint_save(by=cast.duty, device=device, host="10.0.0.9", profile="water_level_rtu")
    assert modbus_endpoint_save(by=cast.duty, device=device, interval_s=60).pk == endpoint.pk
