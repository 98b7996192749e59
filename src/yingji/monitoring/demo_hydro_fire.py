"""三防 and smart fire in the Huangshigang demo: the rain gauges and level stations of monitoring/demo.py become
hydrological stations (the Yangtze at 黄石港 with its 设防 22.80 m and 警戒 24.50 m, derived from 2020 news reports;
its 保证 level was not found and is left empty), an illustrative rainy week through ingest (a storm four days ago,
rain again now, a two-hour gap at 磁湖), three waterlogging points, fire-alarm controllers, electrical-fire monitors,
a fire-water unit and an independent smoke detector in demo venues, and two fire alarms: one verified false, one
real (which opens an incident on the duty desk)."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from yingji.core.models import Industry, OrgKind, OrgUnit, User
from yingji.monitoring.firealarm import alarm_verify
from yingji.monitoring.hydrology import RAINSTORM_SIGNAL_RULE, station_save
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.metrics import DeviceType
from yingji.monitoring.models import Alarm, Device, HydroStation, Reading, Rule
from yingji.monitoring.services import device_create, rule_create

STEP = timedelta(minutes=10)
WEEK = timedelta(days=7)

# Gauge → (the streets it serves by code, its share of the district's rain).
RAIN_GAUGES: dict[str, tuple[list[str], float]] = {
    "RAIN-YZ-01": (["420202400", "420202006"], 1.0),
    "RAIN-CH-01": (["420202070", "420202007"], 1.1),
    "RAIN-SJY-01": (["420202005"], 0.8),
}
# Level stations: kind, 设防, 警戒, 保证 (None: not known), the week's level from → to.
LEVEL_STATIONS: dict[str, tuple[str, float, float, float | None, float, float]] = {
    "WL-YZ-01": ("river", 22.80, 24.50, None, 22.0, 23.3),
    "WL-CH-01": ("lake", 18.5, 19.0, 20.0, 17.8, 18.3),  # illustrative levels
}
# Waterlogging points: code, name, street code, threshold (m), responsible person (illustrative), depth now.
WATERLOGGING: list[tuple[str, str, str, float, str, str, float]] = [
    ("WLG-HSG-01", "黄石港铁路桥下穿通道", "420202006", 0.25, "陈建国", "0714-6220001", 0.32),
    ("WLG-HH-01", "花湖大道低洼路段", "420202070", 0.30, "刘海燕", "0714-6220002", 0.12),
    ("WLG-SJY-01", "沈家营老街积水点", "420202005", 0.20, "王志强", "0714-6220003", 0.04),
]
FIRE_RULES: list[dict[str, Any]] = [
    # A 火警 is verified by the duty officer before anything else happens (GB 50440-2007).
    {
        "name": "火灾报警控制器火警",
        "device_type": DeviceType.FIRE_PANEL,
        "metric": "fire_alarm",
        "red": 1,
        "needs_verification": True,
    },
    {"name": "火灾报警控制器故障", "device_type": DeviceType.FIRE_PANEL, "metric": "fire_fault", "blue": 1},
    {
        "name": "独立烟感火警",
        "device_type": DeviceType.SMOKE,
        "metric": "fire_alarm",
        "red": 1,
        "needs_verification": True,
    },
    # GB 50116-2013 条文说明 9.2.3: the residual-current alarm setting 宜设置在300mA~500mA.
    {
        "name": "剩余电流超限",
        "device_type": DeviceType.ELECTRICAL_FIRE,
        "metric": "leak_ma",
        "yellow": 300,
        "orange": 500,
        "deadband": 20,
    },
    {
        "name": "线缆温度超限",
        "device_type": DeviceType.ELECTRICAL_FIRE,
        "metric": "cable_temp_c",
        "yellow": 60,
        "orange": 70,
        "red": 80,
        "deadband": 2,
    },
    {
        "name": "消防管网压力低",
        "device_type": DeviceType.FIRE_WATER,
        "metric": "water_pressure_mpa",
        "direction": "below",
        "yellow": 0.15,
        "orange": 0.10,
        "deadband": 0.02,
    },
    {
        "name": "消防水池液位低",
        "device_type": DeviceType.FIRE_WATER,
        "metric": "tank_level_m",
        "direction": "below",
        "yellow": 1.0,
        "orange": 0.5,
        "deadband": 0.05,
    },
]
VENUE_INDUSTRIES = [Industry.RETAIL, Industry.HOSPITALITY, Industry.TEXTILES, Industry.PRINTING, Industry.OTHER]


def _rain_per_step(hours_ago: float) -> float:
    """The illustrative week: drizzle six days ago, steady rain, a storm about 78 hours ago, rain again now."""
    if 140 < hours_ago <= 150:
        return 0.3
    if 94 < hours_ago <= 100:
        return 1.0
    if 77 < hours_ago <= 80:
        return 3.0  # 54 mm in three hours: an orange signal
    if 20 < hours_ago <= 30:
        return 0.8
    if hours_ago <= 6:
        return 1.4  # 50.4 mm in the last six hours: yellow
    return 0.0


def _feed(engine: IngestEngine, items: list[tuple[datetime, str, dict[str, float]]]) -> int:
    items.sort(key=lambda item: item[0])
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        engine.ingest(
            [Envelope("http", code, {"device": code, "ts": ts.isoformat(), "metrics": m}) for ts, code, m in chunk]
        )
    return len(items)


def _rules(specs: list[dict[str, Any]]) -> int:
    names = set(Rule.objects.values_list("name", flat=True))
    made = 0
    for spec in specs:
        if spec["name"] not in names:
            rule_create(by=None, **spec)
            made += 1
    return made


def _device(code: str, **fields: Any) -> tuple[Device, bool]:
    device = Device.objects.filter(code=code).first()
    if device is not None:
        return device, False
    return device_create(by=None, code=code, **fields), True


def demo_load_hydro_fire(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add what is missing: stations, the rainy week, waterlogging points, fire devices and the two fire alarms."""
    del seed  # fixed, illustrative data
    now = timezone.now().replace(second=0, microsecond=0)
    now -= timedelta(minutes=now.minute % 10)
    streets = {o.code: o for o in OrgUnit.objects.filter(kind=OrgKind.STREET)}
    rules = _rules([RAINSTORM_SIGNAL_RULE, *FIRE_RULES])
    devices = stations = readings = 0
    items: list[tuple[datetime, str, dict[str, float]]] = []

    for code, (serves, share) in RAIN_GAUGES.items():
        device = Device.objects.get(code=code)
        if not HydroStation.objects.filter(device=device).exists():
            station_save(by=None, device=device, kind="rain", serves=[streets[c] for c in serves if c in streets])
            stations += 1
        if Reading.objects.filter(device=device, metric="rain_mm").exists():
            continue
        t = now - WEEK
        while t <= now:
            hours_ago = (now - t).total_seconds() / 3600
            if not (code == "RAIN-CH-01" and 10 < hours_ago <= 12):  # two silent hours: a gap, shown not filled
                items.append((t, code, {"rain_mm": round(_rain_per_step(hours_ago) * share, 2)}))
            t += STEP

    for code, (kind, fortify, warning, guarantee, first, last) in LEVEL_STATIONS.items():
        device = Device.objects.get(code=code)
        if not HydroStation.objects.filter(device=device).exists():
            station_save(
                by=None,
                device=device,
                kind=kind,
                serves=[streets[c] for c in ("420202006", "420202400") if c in streets] if kind == "river" else [],
                fortify_level=fortify,
                warning_level=warning,
                guarantee_level=guarantee,
                level_deadband=0.05,
            )
            stations += 1
        if Reading.objects.filter(device=device, metric="water_level_m").exists():
            continue
        for hour in range(168, -1, -1):
            level = first + (last - first) * (168 - hour) / 168
            items.append((now - timedelta(hours=hour), code, {"water_level_m": round(level, 2)}))

    for code, name, street_code, threshold, person, phone, depth in WATERLOGGING:
        street = streets.get(street_code)
        if street is None:
            continue
        community = OrgUnit.objects.filter(parent=street, kind=OrgKind.COMMUNITY, lat__isnull=False).order_by("code")
        place = community.first() or street
        device, created = _device(
            code, name=name, type=DeviceType.WATERLOGGING, org=street, lat=place.lat, lon=place.lon, address=name
        )
        devices += created
        if created:
            station_save(
                by=None,
                device=device,
                kind="waterlogging",
                serves=[street],
                depth_threshold_m=threshold,
                responsible_name=person,
                responsible_phone=phone,
            )
            stations += 1
            for i in range(12, -1, -1):
                value = depth if i == 0 else round(depth * (12 - i) / 12, 3)
                items.append((now - timedelta(minutes=10 * i), code, {"water_depth_m": value}))

    venues = list(
        OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, industry__in=VENUE_INDUSTRIES, lat__isnull=False).order_by(
            "code"
        )[:3]
    )
    panels: list[Device] = []
    for i, venue in enumerate(venues):
        common = {"org": venue, "installation_org": venue, "lat": venue.lat, "lon": venue.lon, "address": venue.address}
        panel, created = _device(
            f"FAP-{venue.code}", name=f"{venue.name}火灾报警控制器", type=DeviceType.FIRE_PANEL, **common
        )
        devices += created
        if created:
            panels.append(panel)
        monitor, created = _device(
            f"EF-{venue.code}", name=f"{venue.name}电气火灾监控探测器", type=DeviceType.ELECTRICAL_FIRE, **common
        )
        devices += created
        if created:
            for hour in range(24, -1, -1):
                leak = 320.0 if (i == 2 and hour == 0) else 120.0 + 10 * ((hour + i) % 5)
                items.append((now - timedelta(hours=hour), monitor.code, {"leak_ma": leak, "cable_temp_c": 35.0 + i}))
        if i == 0:
            water, created = _device(
                f"FW-{venue.code}", name=f"{venue.name}消防水系统", type=DeviceType.FIRE_WATER, **common
            )
            devices += created
            if created:
                items.append((now, water.code, {"water_pressure_mpa": 0.32, "tank_level_m": 2.4}))
        if i == 1:
            smoke, created = _device(
                f"SMK-{venue.code}",
                name=f"{venue.name}独立式烟感",
                type=DeviceType.SMOKE,
                metrics=["fire_alarm", "battery_pct"],
                **common,
            )
            devices += created
            if created:
                items.append((now, smoke.code, {"fire_alarm": 0.0, "battery_pct": 86.0}))

    engine = IngestEngine(cache_ttl_s=0, clock=lambda: now + timedelta(minutes=1))
    readings += _feed(engine, items)

    alarms = _fire_alarms(engine, panels, now)
    out(f"monitoring: {stations} hydrological stations, {readings} demo readings, {alarms} fire alarms")
    return {"devices": devices, "rules": rules, "stations": stations, "fire_alarms": alarms}


def _fire_alarms(engine: IngestEngine, panels: list[Device], now: datetime) -> int:
    """A 火警 at the first new panel, verified a false alarm; one at the second, verified real."""
    duty = User.objects.filter(username="duty").first()
    made = 0
    outcomes = [
        ("false_alarm", timedelta(hours=3), "现场核实：厨房油烟触发感烟探测器，误报", 12),
        ("real", timedelta(minutes=40), "现场核实：二楼仓库电动自行车充电起火，已通知119", 7),
    ]
    for panel, (result, ago, note, address) in zip(panels, outcomes, strict=False):
        at = now - ago
        body = {
            "format": "fire_panel",
            "ts": at.isoformat(),
            "events": [{"event": "fire", "loop": 1, "address": address}],
        }
        engine.ingest([Envelope("mqtt", panel.code, body, panel.code)])
        alarm = Alarm.objects.filter(device=panel, metric="fire_alarm").first()
        if alarm is None:
            continue
        made += 1
        if duty is not None:
            alarm_verify(by=duty, alarm=alarm, result=result, note=note)
        if result == "false_alarm":
            reset = {
                "format": "fire_panel",
                "ts": (at + timedelta(minutes=5)).isoformat(),
                "events": [{"event": "reset"}],
            }
            engine.ingest([Envelope("mqtt", panel.code, reset, panel.code)])
    return made
