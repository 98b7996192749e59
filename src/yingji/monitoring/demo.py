"""Monitoring's part of the Huangshigang demo: gas detectors at the hazardous-chemical and gas enterprises,
water-level and rain gauges on the Yangtze bank and Cihu lake, weather stations in the wooded hills, and
the default alarm rules; 三防 and smart fire in demo_hydro_fire.py. Illustrative: positions are inside the real
district boundary, thresholds are typical values (GB/T 50493-2019 alarm settings for combustible gas; the Cihu
levels are made up)."""

from collections.abc import Callable
from dataclasses import dataclass

from yingji.core.models import Industry, OrgKind, OrgUnit
from yingji.monitoring.metrics import DeviceType
from yingji.monitoring.models import Device, Rule
from yingji.monitoring.services import device_create, rule_create

# The district's risk-monitoring section owns the public gauges and stations.
MONITORING_SECTION_CODE = "420202YJ03"
MAX_ENTERPRISES = 12


@dataclass(frozen=True)
class PublicDevice:
    code: str
    name: str
    type: str
    lat: float
    lon: float
    installation: str


PUBLIC_DEVICES = [
    PublicDevice("WL-YZ-01", "长江黄石港水位站", DeviceType.WATER_LEVEL, 30.2409, 115.1426, "长江干堤黄石港段"),
    PublicDevice("WL-CH-01", "磁湖水位站", DeviceType.WATER_LEVEL, 30.222, 115.035, "磁湖"),
    PublicDevice("RAIN-YZ-01", "江北雨量站", DeviceType.RAINFALL, 30.2405, 115.1420, "江北管理区"),
    PublicDevice("RAIN-CH-01", "磁湖雨量站", DeviceType.RAINFALL, 30.226, 115.040, "磁湖"),
    PublicDevice("RAIN-SJY-01", "沈家营雨量站", DeviceType.RAINFALL, 30.245, 115.040, "沈家营"),
    PublicDevice("AWS-TCS-01", "团城山林区气象站", DeviceType.WEATHER_STATION, 30.232, 115.025, "团城山林区"),
    PublicDevice("AWS-HJS-01", "黄荆山林区气象站", DeviceType.WEATHER_STATION, 30.216, 115.065, "黄荆山林区"),
]

# name → service fields; the devices named by code are resolved when the rule is created.
RULES: list[dict] = [
    {
        "name": "可燃气体浓度超限",
        "device_type": DeviceType.COMBUSTIBLE_GAS,
        "metric": "ch4_lel",
        "blue": 10,
        "yellow": 20,
        "orange": 35,
        "red": 50,
        "deadband": 2,
        "opens_incident": True,
        "escalate_after_minutes": 10,
    },
    {
        "name": "可燃气体浓度快速上升",
        "kind": "rate",
        "device_type": DeviceType.COMBUSTIBLE_GAS,
        "metric": "ch4_lel",
        "rate_delta": 10,
        "window_s": 120,
        "level": "orange",
        "deadband": 2,
    },
    {
        "name": "硫化氢浓度超限",
        "device_type": DeviceType.TOXIC_GAS,
        "metric": "h2s_ppm",
        "blue": 5,
        "yellow": 10,
        "orange": 20,
        "red": 50,
        "deadband": 1,
        "opens_incident": True,
    },
    {
        "name": "一氧化碳浓度超限",
        "device_type": DeviceType.TOXIC_GAS,
        "metric": "co_ppm",
        "blue": 24,
        "yellow": 50,
        "orange": 100,
        "red": 200,
        "deadband": 3,
    },
    {
        "name": "水位快速上涨",
        "kind": "rate",
        "device_type": DeviceType.WATER_LEVEL,
        "metric": "water_level_m",
        "rate_delta": 0.5,
        "window_s": 3600,
        "level": "yellow",
        "deadband": 0.05,
    },
    {
        "name": "1小时降雨量",
        "metric": "rain_1h_mm",
        "blue": 20,
        "yellow": 30,
        "orange": 50,
        "red": 80,
        "deadband": 1,
        "suggests_warning": "flood",
    },
    {
        "name": "3小时降雨量",
        "metric": "rain_3h_mm",
        "blue": 30,
        "yellow": 50,
        "orange": 80,
        "red": 100,
        "deadband": 1,
        "suggests_warning": "flood",
    },
    {
        "name": "24小时降雨量",
        "metric": "rain_24h_mm",
        "blue": 50,
        "yellow": 100,
        "orange": 150,
        "red": 250,
        "deadband": 2,
        "suggests_warning": "flood",
    },
    {"name": "设备离线", "kind": "offline", "offline_minutes": 30, "level": "blue"},
]


def demo_load_monitoring(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo devices and rules that are missing (devices by code, rules by name)."""
    # The demo devices are fixed; the enterprises they sit at come from the seeded district.
    existing = set(Device.objects.values_list("code", flat=True))
    section = OrgUnit.objects.get(code=MONITORING_SECTION_CODE)
    devices = 0
    enterprises = OrgUnit.objects.filter(
        kind=OrgKind.ENTERPRISE, industry__in=[Industry.HAZARDOUS_CHEMICALS, Industry.GAS], lat__isnull=False
    ).order_by("code")[:MAX_ENTERPRISES]
    for enterprise in enterprises:
        kinds = [(DeviceType.COMBUSTIBLE_GAS, "GAS", "可燃气体探测器")]
        if enterprise.industry == Industry.HAZARDOUS_CHEMICALS:
            kinds.append((DeviceType.TOXIC_GAS, "TOX", "有毒气体探测器"))
        for device_type, prefix, label in kinds:
            code = f"{prefix}-{enterprise.code}"
            if code in existing:
                continue
            device_create(
                by=None,
                code=code,
                name=f"{enterprise.name}{label}",
                type=device_type,
                org=enterprise,
                installation_org=enterprise,
                installation="储罐区" if enterprise.industry == Industry.HAZARDOUS_CHEMICALS else "加气区",
                lat=enterprise.lat,
                lon=enterprise.lon,
                address=enterprise.address,
            )
            devices += 1
    for spec in PUBLIC_DEVICES:
        if spec.code in existing:
            continue
        device_create(
            by=None,
            code=spec.code,
            name=spec.name,
            type=spec.type,
            org=section,
            installation=spec.installation,
            lat=spec.lat,
            lon=spec.lon,
        )
        devices += 1
    names = set(Rule.objects.values_list("name", flat=True))
    rules = 0
    for rule_spec in RULES:
        if rule_spec["name"] in names:
            continue
        fields = dict(rule_spec)
        if "device" in fields:
            fields["device"] = Device.objects.get(code=fields["device"])
        rule_create(by=None, **fields)
        rules += 1
    from yingji.monitoring.demo_hydro_fire import demo_load_hydro_fire

    extra = demo_load_hydro_fire(seed=seed, out=out)
    devices += extra.pop("devices")
    rules += extra.pop("rules")
    out(f"monitoring: {devices} devices, {rules} rules added")
    return {"devices": devices, "rules": rules, **extra}
