"""The demo plans load on the demo district, twice without duplicates, and answer the API."""

from yingji.core.models import User
from yingji.plans.demo import demo_load_plans
from yingji.plans.models import Drill, Plan, PlanStatus, Scenario
from yingji.resources.tests.conftest import demo_world  # noqa: F401 — shared fixture


def test_demo_plans_load_once_and_answer(demo_world, api, bearer):  # noqa: F811
    first = demo_load_plans(seed=2021, out=lambda line: None)
    assert first["plans"] >= 1 + 5 + 2 + 4 and first["drills"] == 2 and first["scenarios"] == 5
    assert demo_load_plans(seed=2021, out=lambda line: None) == {"plans": 0, "drills": 0, "scenarios": 0}
    overall = Plan.objects.get(title="黄石港区突发事件总体应急预案")
    assert overall.status == PlanStatus.FILED and overall.filing_number
    assert Plan.objects.filter(level="district_special", status=PlanStatus.FILED).count() == 5
    assert Plan.objects.filter(level="enterprise_comprehensive", status=PlanStatus.DRAFT).count() == 1
    scored = Drill.objects.exclude(score=None).get()
    # report 35 ≤ 60 min: 25; dispatch 8 ≤ 10: 25; arrival 41 > 30: 25 × (90 − 41) / 60 = 20.4; tasks 5/6: 20.8.
    assert scored.score == 91 and scored.metrics["parts"] == {
        "report": 25.0,
        "dispatch": 25.0,
        "arrival": 20.4,
        "tasks": 20.8,
    }
    duty = bearer(User.objects.get(username="duty"))
    cards = api.get(f"/api/v1/plans/{overall.pk}/cards", headers=duty).json()
    assert cards[0]["role"] == "总指挥" and cards[0]["steps"]
    flood = Scenario.objects.get(title="长江黄石段超警戒水位、城区内涝")
    rows = api.get(
        f"/api/v1/scenarios/{flood.pk}/readiness", {"lat": 30.2235, "lon": 115.0890, "minutes": 30}, headers=duty
    )
    assert rows.status_code == 200, rows.json()
    assert {row["kind"] for row in rows.json()} == {"team:flood", "equipment:pump", "equipment:boat"}
    enterprise = bearer(User.objects.get(username="enterprise"))
    own = User.objects.get(username="enterprise").org
    mine = api.get("/api/v1/plans", headers=enterprise).json()
    assert mine["count"] == Plan.objects.filter(org__path__startswith=own.path).count()
    assert all(p["org"] == own.pk for p in mine["items"])
