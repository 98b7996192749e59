"""Device formats: one adapter per format turns a decoded message into ingest's own shape,
`{"ts": …, "metrics": {name: number}}` (plus `"device"` over HTTP). The message names its format in `"format"`;
without one it is ingest's JSON, the first adapter. The Modbus poller (modbus.py) builds that shape itself.

The fire-alarm controller format carries the events a 火灾报警控制器 reports per loop and address (GB/T 26875.3
城市消防远程监控系统 报警传输网络通信协议 names 火警, 故障, 屏蔽, 监管 and 复位 among a component's states):

    {"format": "fire_panel", "ts": …, "events": [{"event": "fire", "loop": 1, "address": 23}, …]}

A fire alarm latches until the panel is reset (the controller's own behaviour), so each message sets the counts it
shows: `fire_alarm` (and `fire_fault`, `fire_disabled`, `fire_supervisory`) is the number of such points in the
message, `{"event": "reset"}` sets all four to 0, and `"restored": true` on a fault, disablement or supervisory
event sets that count to 0. The first fire point of a message is kept as `fire_point` = loop × 100000 + address, so
the alarm can name the detector (see firealarm.fire_point_of).
"""

from collections.abc import Callable
from typing import Any

FIRE_EVENTS: dict[str, str] = {
    "fire": "fire_alarm",
    "fault": "fire_fault",
    "disabled": "fire_disabled",
    "supervisory": "fire_supervisory",
}
MAX_EVENTS = 256
MAX_LOOP = 255
MAX_ADDRESS = 65535
POINT_BASE = 100000


def json_adapter(body: dict[str, Any]) -> dict[str, Any]:
    """Ingest's own JSON: unchanged."""
    return body


def fire_panel_adapter(body: dict[str, Any]) -> dict[str, Any]:
    """Fire-alarm controller events → point counts (see the module's docstring)."""
    events = body.get("events")
    if not isinstance(events, list) or not events or len(events) > MAX_EVENTS:
        raise ValueError(f"events must be a list of 1 to {MAX_EVENTS} events")
    metrics: dict[str, float] = {}
    points: dict[str, set[tuple[int, int]]] = {}
    for event in events:
        if not isinstance(event, dict):
            raise ValueError("each event must be an object")
        kind = event.get("event")
        if kind == "reset":
            metrics.update(dict.fromkeys(FIRE_EVENTS.values(), 0.0))
            points.clear()
            continue
        if kind not in FIRE_EVENTS:
            raise ValueError(f"unknown event {str(kind)[:20]!r}; use {', '.join([*FIRE_EVENTS, 'reset'])}")
        loop, address = event.get("loop"), event.get("address")
        if not isinstance(loop, int) or not isinstance(address, int) or isinstance(loop, bool):
            raise ValueError("loop and address must be whole numbers")
        if not (0 <= loop <= MAX_LOOP and 0 <= address <= MAX_ADDRESS):
            raise ValueError("loop or address out of range")
        metric = FIRE_EVENTS[kind]
        if event.get("restored") is True and kind != "fire":
            points.pop(metric, None)
            metrics[metric] = 0.0
            continue
        points.setdefault(metric, set()).add((loop, address))
        metrics[metric] = float(len(points[metric]))
        if kind == "fire" and "fire_point" not in metrics:
            metrics["fire_point"] = float(loop * POINT_BASE + address)
    out = {"ts": body.get("ts"), "metrics": metrics}
    if "device" in body:
        out["device"] = body["device"]
    return out


ADAPTERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "json": json_adapter,
    "fire_panel": fire_panel_adapter,
}


def adapt(body: dict[str, Any]) -> dict[str, Any]:
    """The message in ingest's shape, by its `format` (ValueError: the reason it cannot be used)."""
    name = body.get("format", "json")
    adapter = ADAPTERS.get(name) if isinstance(name, str) else None
    if adapter is None:
        raise ValueError(f"unknown format {str(name)[:20]!r}")
    return adapter(body)
