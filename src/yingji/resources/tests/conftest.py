"""Resources on top of the fixed cast: one of each registry in street A, one in street B."""

from dataclasses import dataclass

import pytest

from yingji.resources import services
from yingji.resources.models import Equipment, Expert, MaterialItem, Shelter, Team, Warehouse


@dataclass
class Stock:
    """Registries in street A (the `_a` rows) and street B (the `_b` rows)."""

    team_a: Team
    team_b: Team
    expert_a: Expert
    expert_b: Expert
    equipment_a: Equipment
    equipment_b: Equipment
    warehouse_a: Warehouse
    warehouse_b: Warehouse
    shelter_a: Shelter
    shelter_b: Shelter
    water: MaterialItem
    tent: MaterialItem


@pytest.fixture
def stock(cast) -> Stock:
    def team(code: str, name: str, parent, lat: float, lon: float) -> Team:
        return services.team_create(
            by=None, parent=parent, code=code, name=name, kind="water", lat=lat, lon=lon, headcount=20, on_duty=8
        )

    def expert(code: str, name: str, org) -> Expert:
        return services.expert_create(by=None, org=org, code=code, name=name, field="hazchem", phone="0714-6200000")

    def equipment(code: str, name: str, org, lat: float, lon: float) -> Equipment:
        return services.equipment_create(by=None, org=org, code=code, name=name, category="pump", lat=lat, lon=lon)

    def warehouse(code: str, name: str, org, lat: float, lon: float) -> Warehouse:
        return services.warehouse_create(by=None, org=org, code=code, name=name, lat=lat, lon=lon, keeper="王伟")

    def shelter(code: str, name: str, org, lat: float, lon: float) -> Shelter:
        return services.shelter_create(
            by=None,
            org=org,
            code=code,
            name=name,
            kind="outdoor",
            shelter_class="emergency",
            effective_area_m2=5000,
            lat=lat,
            lon=lon,
            is_open=True,
        )

    return Stock(
        team_a=team("TM-A", "甲街道水上救援队", cast.street_a, 30.215, 115.085),
        team_b=team("TM-B", "乙街道水上救援队", cast.street_b, 30.205, 115.075),
        expert_a=expert("EX-A", "张伟", cast.street_a),
        expert_b=expert("EX-B", "李敏", cast.street_b),
        equipment_a=equipment("EQ-A", "甲街道排涝泵车", cast.street_a, 30.216, 115.086),
        equipment_b=equipment("EQ-B", "乙街道排涝泵车", cast.street_b, 30.206, 115.076),
        warehouse_a=warehouse("WH-A", "甲街道物资储备库", cast.street_a, 30.214, 115.084),
        warehouse_b=warehouse("WH-B", "乙街道物资储备库", cast.street_b, 30.204, 115.074),
        shelter_a=shelter("SH-A", "甲街道广场", cast.street_a, 30.217, 115.087),
        shelter_b=shelter("SH-B", "乙街道公园", cast.street_b, 30.207, 115.077),
        water=services.material_create(
            by=None, code="M-WATER", name="瓶装饮用水", category="food", unit="箱", shelf_life_days=365
        ),
        tent=services.material_create(by=None, code="M-TENT", name="救灾帐篷", category="shelter", unit="顶"),
    )


DEMO_PASSWORD = "Demo-Password-2026"


@pytest.fixture
def demo_world(db) -> dict[str, int]:
    """The demo district with its illustrative road network and the demo resources."""
    from yingji.demo.services import demo_load
    from yingji.resources.demo import demo_load_resources
    from yingji.routing.demo import demo_load_routing

    demo_load(password=DEMO_PASSWORD, out=lambda line: None)
    demo_load_routing(seed=2021, out=lambda line: None)
    return demo_load_resources(seed=2021, out=lambda line: None)
