"""The Modbus TCP poller (`yingji modbus`): devices that do not push readings are read over Modbus TCP at their
endpoint's interval, by the register map of their profile, and their values go down the same ingest path as MQTT
and HTTP (stored, judged by the rules, alarms raised). A device that stops answering is marked offline after
`offline_after` failed polls in a row (and comes back online with its next reading).

A register map is data: for each metric the table (holding or input registers), the address (0-based, as in the
request), the data type (int16, uint16, int32, uint32, float32; 32-bit values span two registers, big-endian
words unless `word_order` is "little"), and `value = raw × scale + offset`.
"""

import logging
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusException

from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import ValidationFailed
from yingji.core.models import User
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Device, DeviceStatus, ModbusEndpoint
from yingji.monitoring.services import refuse_unknown

log = logging.getLogger("yingji.monitoring.modbus")

HOLDING, INPUT = "holding", "input"
WIDTH = {"int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2}
FORMAT = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f"}
MAX_READ = 125  # registers per request (Modbus application protocol, function codes 03 and 04)


@dataclass(frozen=True)
class Register:
    """Where one metric lives and how its raw value becomes the metric's unit."""

    metric: str
    table: str
    address: int
    data_type: str = "uint16"
    scale: float = 1.0
    offset: float = 0.0
    word_order: str = "big"

    def decode(self, words: list[int]) -> float:
        if self.word_order == "little":
            words = list(reversed(words))
        raw = struct.unpack(FORMAT[self.data_type], b"".join(w.to_bytes(2, "big") for w in words))[0]
        return round(raw * self.scale + self.offset, 6)


# Profiles: the register maps of the device models the district uses (illustrative, after common RTU layouts).
PROFILES: dict[str, tuple[Register, ...]] = {
    "water_level_rtu": (Register("water_level_m", HOLDING, 0, "uint16", scale=0.01),),
    "rain_gauge_rtu": (Register("rain_mm", INPUT, 0, "uint16", scale=0.1),),
    "waterlogging_depth": (Register("water_depth_m", INPUT, 0, "uint16", scale=0.001),),
    "electrical_fire_monitor": (
        Register("leak_ma", INPUT, 0, "uint16"),
        Register("cable_temp_c", INPUT, 1, "int16", scale=0.1),
    ),
    "fire_water": (
        Register("water_pressure_mpa", HOLDING, 0, "float32"),
        Register("tank_level_m", HOLDING, 2, "uint16", scale=0.01),
    ),
}


def check_profile(registers: Iterable[Register]) -> None:
    for r in registers:
        if r.table not in (HOLDING, INPUT) or r.data_type not in WIDTH or r.word_order not in ("big", "little"):
            raise ValueError(f"bad register {r}")
        if not 0 <= r.address <= 65535 - WIDTH[r.data_type] + 1:
            raise ValueError(f"address out of range in {r}")


def _spans(registers: Iterable[Register]) -> list[tuple[str, int, int]]:
    """Contiguous (table, start, count) reads covering the registers, at most MAX_READ registers each."""
    spans: list[tuple[str, int, int]] = []
    for table in (HOLDING, INPUT):
        ranges = sorted((r.address, r.address + WIDTH[r.data_type]) for r in registers if r.table == table)
        for start, end in ranges:
            if spans and spans[-1][0] == table and end - spans[-1][1] <= MAX_READ:
                last = spans[-1]
                spans[-1] = (table, last[1], max(last[2], end - last[1]))
            else:
                spans.append((table, start, end - start))
    return spans


def read_values(client: ModbusTcpClient, registers: tuple[Register, ...], unit_id: int) -> dict[str, float]:
    """Read a device's registers (one request per contiguous span) and decode them; ModbusException on failure."""
    words: dict[tuple[str, int], int] = {}
    for table, start, count in _spans(registers):
        read = client.read_holding_registers if table == HOLDING else client.read_input_registers
        response = read(start, count=count, device_id=unit_id)
        if response.isError():
            raise ModbusException(f"{table} {start}+{count}: {response}")
        for i, word in enumerate(response.registers):
            words[(table, start + i)] = word
    return {r.metric: r.decode([words[(r.table, r.address + i)] for i in range(WIDTH[r.data_type])]) for r in registers}


ENDPOINT_FIELDS = ("host", "port", "unit_id", "profile", "interval_s", "active")


@transaction.atomic
def modbus_endpoint_save(*, by: User | None, device: Device, **fields: object) -> ModbusEndpoint:
    """Give a device a Modbus TCP endpoint, or change it; the poller picks it up within a minute."""
    require_perm(by, "monitoring.change_device")
    refuse_unknown(fields, ENDPOINT_FIELDS)
    endpoint = ModbusEndpoint.objects.select_for_update().filter(device=device).first() or ModbusEndpoint(device=device)
    for field, value in fields.items():
        setattr(endpoint, field, value)
    if endpoint.profile not in PROFILES:
        raise ValidationFailed(_("unknown profile"), {"profile": [f"use one of: {', '.join(PROFILES)}"]})
    clean_or_fail(endpoint)
    endpoint.save()
    audit_append(
        actor=by,
        action="monitoring.modbusendpoint.save",
        obj=endpoint,
        summary=f"Modbus 采集点 {device.code}",
        payload={f: getattr(endpoint, f) for f in ENDPOINT_FIELDS},
    )
    return endpoint


@dataclass
class _Target:
    endpoint: ModbusEndpoint
    due: float = 0.0
    failures: int = 0
    client: ModbusTcpClient | None = None


class ModbusPoller:
    """Polls every active endpoint at its interval; one thread, one connection per endpoint kept open."""

    def __init__(
        self,
        *,
        engine: IngestEngine | None = None,
        clock: Callable[[], datetime] = timezone.now,
        timeout_s: float = 2.0,
        offline_after: int = 2,
        reload_s: float = 60.0,
    ) -> None:
        self.engine = engine or IngestEngine(clock=clock)
        self.clock = clock
        self.timeout_s = timeout_s
        self.offline_after = offline_after
        self.reload_s = reload_s
        self.targets: dict[int, _Target] = {}
        self._loaded_at = -float("inf")

    def load(self) -> None:
        """(Re)read the endpoints; keeps the schedule and connections of the unchanged ones."""
        endpoints = {
            e.pk: e for e in ModbusEndpoint.objects.filter(active=True, device__active=True).select_related("device")
        }
        for pk in set(self.targets) - set(endpoints):
            self._close(self.targets.pop(pk))
        for pk, endpoint in endpoints.items():
            if endpoint.profile not in PROFILES:
                log.error("Modbus endpoint %s: unknown profile %r", endpoint, endpoint.profile)
                continue
            target = self.targets.get(pk)
            if target is None or (target.endpoint.host, target.endpoint.port) != (endpoint.host, endpoint.port):
                if target is not None:
                    self._close(target)
                self.targets[pk] = _Target(endpoint)
            else:
                target.endpoint = endpoint
        self._loaded_at = time.monotonic()

    @staticmethod
    def _close(target: _Target) -> None:
        if target.client is not None:
            target.client.close()
            target.client = None

    def poll(self, target: _Target) -> bool:
        """Read one device and ingest its values; on failure count it and mark the device offline in time."""
        endpoint = target.endpoint
        device = endpoint.device
        try:
            if target.client is None:
                target.client = ModbusTcpClient(endpoint.host, port=endpoint.port, timeout=self.timeout_s, retries=0)
            if not target.client.connected and not target.client.connect():
                raise ModbusException(f"cannot connect to {endpoint.host}:{endpoint.port}")
            values = read_values(target.client, PROFILES[endpoint.profile], endpoint.unit_id)
        except (ModbusException, OSError, struct.error) as exc:
            self._close(target)
            target.failures += 1
            log.warning("Modbus %s: %s (%d in a row)", device.code, exc, target.failures)
            if target.failures >= self.offline_after:
                Device.objects.filter(pk=device.pk, status=DeviceStatus.ONLINE).update(status=DeviceStatus.OFFLINE)
                # The ingest engine caches devices: it must see the next reading bring the device back online.
                cached = self.engine.devices.get(device.code)
                if cached is not None:
                    cached.status = DeviceStatus.OFFLINE
            return False
        target.failures = 0
        body = {"ts": self.clock().isoformat(), "metrics": values}
        label = f"modbus://{endpoint.host}:{endpoint.port}/{endpoint.unit_id}"
        result = self.engine.ingest([Envelope("modbus", label, body, device.code)])
        return result.accepted == 1

    def poll_due(self) -> float:
        """Poll every endpoint that is due; the seconds until the next one is."""
        if time.monotonic() - self._loaded_at >= self.reload_s:
            self.load()
        now = time.monotonic()
        for target in list(self.targets.values()):
            if target.due <= now:
                self.poll(target)
                target.due = time.monotonic() + target.endpoint.interval_s
        upcoming = [t.due for t in self.targets.values()]
        return max(0.05, min(upcoming, default=now + 1.0) - time.monotonic())

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            close_old_connections()
            stop.wait(min(self.poll_due(), 1.0))
        for target in self.targets.values():
            self._close(target)


for _registers in PROFILES.values():
    check_profile(_registers)
