from yingji.demo.services import demo_load
from yingji.relief.demo import demo_load_relief
from yingji.relief.models import Distribution
from yingji.resources.demo import demo_load_resources
from yingji.resources.models import StockMovement


def test_demo_relief_loads_once_and_draws_on_stock(db):
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    demo_load_resources(seed=2021, out=lambda s: None)
    first = demo_load_relief(seed=2021, out=lambda s: None)
    assert first["relief_events"] == 1 and first["relief_reports"] == 3 and first["volunteers"] == 4
    assert first["social_organisations"] == 2 and first["distributions"] == 12 and first["callouts"] == 1
    movements = [m for d in Distribution.objects.all() for m in d.movements]
    assert StockMovement.objects.filter(pk__in=movements, kind="out").count() >= 12
    assert not any(demo_load_relief(seed=2021, out=lambda s: None).values())
