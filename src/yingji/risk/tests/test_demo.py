"""The demo prevention data: every hidden-danger state (some overdue), two major hazard units watched by devices,
a reproducible recorded draw, 30 days of commitments; loading twice adds nothing."""

from yingji.demo.services import demo_load
from yingji.monitoring.demo import demo_load_monitoring
from yingji.risk.demo import demo_load_risk
from yingji.risk.draw import double_random
from yingji.risk.models import Commitment, DangerStatus, Draw, EnterpriseProfile, HazardUnit, HiddenDanger, RiskPoint
from yingji.risk.selectors import danger_list
from yingji.risk.uscc import uscc_problem


def test_demo_prevention_data(db):
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    demo_load_monitoring(seed=2021, out=lambda s: None)
    added = demo_load_risk(seed=2021, out=lambda s: None)
    assert added["enterprise profiles"] == EnterpriseProfile.objects.count() > 30
    assert all(uscc_problem(code) is None for code in EnterpriseProfile.objects.values_list("uscc", flat=True))
    assert RiskPoint.objects.filter(colour="red").exists() and RiskPoint.objects.filter(colour="blue").exists()
    assert set(HiddenDanger.objects.values_list("status", flat=True)) == set(DangerStatus.values)
    from yingji.core.models import User

    assert danger_list(user=User.objects.get(username="admin"), overdue=True).exists()
    units = {u.name: u for u in HazardUnit.objects.prefetch_related("devices")}
    assert len(units) == 2 and all(u.is_major and u.grade for u in units.values())
    assert all(u.devices.exists() for u in units.values())
    draw = Draw.objects.get()
    again = double_random(seed=draw.seed, enterprises=draw.enterprise_pool, inspectors=draw.inspector_pool,
                          count=draw.count, inspectors_per=draw.inspectors_per)  # fmt: skip
    assert [{"enterprise": a.enterprise, "inspectors": list(a.inspectors)} for a in again] == draw.result
    assert Commitment.objects.values("day").distinct().count() == 30
    assert all(v == 0 for v in demo_load_risk(seed=2021, out=lambda s: None).values())
