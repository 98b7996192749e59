"""The forest demo on the demo district: three areas inside the district with their chain and a month of patrols."""

from datetime import timedelta

from django.utils import timezone
from shapely.geometry import shape

from yingji.core.geo import district_geometry
from yingji.demo.services import demo_load
from yingji.forest.demo import demo_load_forest
from yingji.forest.models import ChainMember, ForestArea, MissedPatrol, Patrol
from yingji.monitoring.demo import demo_load_monitoring
from yingji.monitoring.models import FireDangerDay


def test_demo_forest_is_inside_the_district_and_loads_once(db):
    demo_load(seed=2021, password="Demo-Password-2026", out=lambda line: None)
    demo_load_monitoring(seed=2021, out=lambda line: None)
    added = demo_load_forest(seed=2021, out=lambda line: None)
    assert added["forest_areas"] == 3 and added["patrols"] > 60
    areas = list(ForestArea.objects.all())
    assert sorted(a.name for a in areas) == ["团城山林区", "月亮山林区", "黄荆山林区"]
    district = district_geometry().buffer(1e-6)
    assert all(district.covers(shape(a.geometry)) for a in areas)
    for area in areas:
        levels = set(ChainMember.objects.filter(area=area).values_list("level", flat=True))
        assert levels == {"district", "street", "community", "ranger"}
    since = timezone.now() - timedelta(days=31)
    assert Patrol.objects.filter(started_at__lt=since).count() == 0
    assert Patrol.objects.filter(status="ended").count() == added["patrols"]
    assert FireDangerDay.objects.count() >= 58
    assert MissedPatrol.objects.count() == added["missed_patrols"]
    assert demo_load_forest(seed=2021, out=lambda line: None) == dict.fromkeys(added, 0)
