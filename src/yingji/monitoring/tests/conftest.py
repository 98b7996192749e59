"""Monitoring's fixtures on top of the shared cast: a gas detector at enterprise X, a rain gauge and a
water-level gauge on street B, and their rules."""

from dataclasses import dataclass
from typing import Any

import pytest

from yingji.monitoring.hydrology import station_save
from yingji.monitoring.models import Device, HydroStation, Rule
from yingji.monitoring.services import device_create, rule_create


@dataclass
class Plant:
    gas: Device
    gas_y: Device
    rain: Device
    river: Device
    gas_rule: Rule
    offline_rule: Rule
    rain_rule: Rule
    river_rule: Rule


@pytest.fixture
def plant(cast) -> Plant:
    gas = device_create(
        by=None,
        code="GAS-X-01",
        name="甲化工储罐区可燃气体探测器",
        type="combustible_gas",
        org=cast.enterprise_x,
        installation_org=cast.enterprise_x,
        installation="1号储罐区",
        lat=30.215,
        lon=115.085,
    )
    gas_y = device_create(
        by=None, code="GAS-Y-01", name="乙建材气体探测器", type="combustible_gas", org=cast.enterprise_y
    )
    rain = device_create(by=None, code="RAIN-B-01", name="乙街道雨量站", type="rainfall", org=cast.street_b)
    river = device_create(by=None, code="WL-B-01", name="长江水位站", type="water_level", org=cast.street_b)
    return Plant(
        gas=gas,
        gas_y=gas_y,
        rain=rain,
        river=river,
        gas_rule=rule_create(
            by=None,
            name="可燃气体浓度",
            device_type="combustible_gas",
            metric="ch4_lel",
            blue=10,
            yellow=20,
            orange=35,
            red=50,
            deadband=2,
            opens_incident=True,
        ),
        offline_rule=rule_create(by=None, name="设备离线", kind="offline", offline_minutes=30, level="blue"),
        rain_rule=rule_create(
            by=None,
            name="1小时降雨量",
            device_type="rainfall",
            metric="rain_1h_mm",
            blue=20,
            yellow=30,
            orange=50,
            red=80,
            suggests_warning="flood",
        ),
        river_rule=rule_create(
            by=None,
            name="长江水位",
            device_type="water_level",
            metric="water_level_m",
            blue=22.5,
            yellow=24.0,
            orange=25.5,
            red=26.5,
            deadband=0.1,
            suggests_warning="flood",
        ),
    )


@pytest.fixture
def river(plant: Plant, cast: Any) -> HydroStation:
    """The Yangtze gauge as a river station: 设防 22.8 m, 警戒 24.5 m, 保证 26.0 m, deadband 0.1 m."""
    return station_save(
        by=None,
        device=plant.river,
        kind="river",
        serves=[cast.street_b],
        fortify_level=22.8,
        warning_level=24.5,
        guarantee_level=26.0,
        level_deadband=0.1,
    )
