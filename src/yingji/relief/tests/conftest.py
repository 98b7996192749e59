"""A flood event, a household in each street and stocked warehouses, on top of the fixed cast and the resources
app's registries (`stock`)."""

from dataclasses import dataclass
from datetime import date

import pytest

from yingji.conftest import Cast
from yingji.relief import services
from yingji.relief.models import DisasterEvent, Household
from yingji.resources import services as resources
from yingji.resources.tests.conftest import Stock, stock  # noqa: F401 — the fixture is used by name


@dataclass
class Relief:
    event: DisasterEvent
    home_a: Household
    home_b: Household
    stock: Stock


@pytest.fixture
def relief(cast: Cast, stock: Stock) -> Relief:  # noqa: F811
    for warehouse in (stock.warehouse_a, stock.warehouse_b):
        resources.stock_receive(by=None, warehouse=warehouse, item=stock.water, quantity=100, reason="储备")
        resources.stock_receive(by=None, warehouse=warehouse, item=stock.tent, quantity=10, reason="储备")
    event = services.event_create(
        by=None, org=cast.district, code="FL-2026-07", name="7月强降雨洪涝", hazard="flood", started_on=date(2026, 7, 5)
    )
    return Relief(
        event=event,
        home_a=services.household_create(
            by=None, org=cast.community_a, code="HA-001", head_name="张三", phone="13700000001"
        ),
        home_b=services.household_create(by=None, org=cast.street_b, code="HB-001", head_name="李四"),
        stock=stock,
    )
