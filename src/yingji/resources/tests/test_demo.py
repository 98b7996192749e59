"""The demo resources load on the demo district, realistically and idempotently."""

from yingji.core.models import AuditEntry
from yingji.resources import selectors
from yingji.resources.demo import demo_load_resources
from yingji.resources.models import CommunityPopulation, Shelter, StockBalance, StockMovement, Team
from yingji.routing.travel import nearest


def test_demo_loads_every_registry(demo_world):
    assert demo_world["teams"] == 13 and demo_world["shelters"] == 8 and demo_world["warehouses"] == 6
    assert Team.objects.filter(org__code="T420202001", kind="part_time").exists()
    park = Shelter.objects.get(code="SH001")
    assert park.name.startswith("黄石人防主题公园") and park.capacity > 0 and park.illustrative
    # Stock came in through the ledger, and the ledger adds up.
    for balance in StockBalance.objects.filter(quantity__gt=0)[:10]:
        total = selectors.stock_on_hand_from_ledger(warehouse=balance.warehouse, item=balance.item)
        assert total == balance.quantity
    assert CommunityPopulation.objects.count() == 32
    assert abs(sum(CommunityPopulation.objects.values_list("population", flat=True)) - 241_589) < 32


def test_demo_is_idempotent(demo_world):
    counts = (Team.objects.count(), StockMovement.objects.count(), AuditEntry.objects.count())
    again = demo_load_resources(seed=2021, out=lambda line: None)
    assert set(again.values()) == {0}
    assert (Team.objects.count(), StockMovement.objects.count(), AuditEntry.objects.count()) == counts


def test_every_demo_resource_is_on_the_road_network(demo_world):
    teams = [(t.pk, t.org.lat, t.org.lon) for t in Team.objects.select_related("org")]
    shelters = [(s.pk, s.lat, s.lon) for s in Shelter.objects.all()]
    centre = Shelter.objects.get(code="SH004")
    assert len(nearest(lat=centre.lat, lon=centre.lon, targets=teams)) == len(teams)
    assert len(nearest(lat=centre.lat, lon=centre.lon, targets=shelters, direction="from_point")) == len(shelters)
