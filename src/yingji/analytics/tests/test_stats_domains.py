"""Dual prevention, plans and drills, relief and training statistics against hand-computed fixtures.

The period is CURRENT (2025-12-01 … 2026-01-31, local days); "previous" is 2024-12-01 … 2025-01-31. Street A holds
enterprise X and community A1; street B holds enterprise Y (building materials).
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from yingji.analytics.stats import STATS, compute
from yingji.analytics.tests.conftest import CURRENT, local
from yingji.plans.models import Drill, Plan, PlanFiling, PlanReview
from yingji.relief.models import Award, DisasterEvent, Distribution, Household, Volunteer
from yingji.resources.models import MaterialItem, Warehouse
from yingji.risk.models import EnforcementDocument, HazardUnit, HiddenDanger, Inspection, RiskPoint
from yingji.training.models import Attendance, Certificate, Course, TrainingSession

FAR = local(2099, 1, 1, 0, 0)


def test_the_new_statistics_are_registered():
    for name in ("risk-points", "hidden-dangers", "inspections", "plans", "drills", "relief", "training"):
        assert name in STATS


# ---- dual prevention ---------------------------------------------------------------------------------------


def point(org, colour: str, active: bool = True) -> RiskPoint:
    return RiskPoint.objects.create(
        org=org, name=f"{colour}点", hazard="危险", method="matrix", likelihood=3, severity=3, score=9,
        colour=colour, control_level="company", responsible="张三", active=active,
    )  # fmt: skip


def danger(org, key: str, found, *, grade="general", source="self", status="reported", deadline=None, **extra):
    return HiddenDanger.objects.create(
        org=org, title=f"隐患{key}", source=source, grade=grade, status=status, found_at=found, deadline=deadline,
        **extra,
    )  # fmt: skip


@pytest.fixture
def prevention(cast):
    x, y = cast.enterprise_x, cast.enterprise_y
    for org, colour in ((x, "red"), (x, "yellow"), (x, "yellow"), (y, "blue")):
        point(org, colour)
    point(x, "orange", active=False)
    HazardUnit.objects.create(org=x, name="罐区", kind="storage", is_major=True, grade=2)
    HazardUnit.objects.create(org=y, name="库房", kind="storage", is_major=True, grade=4)
    HazardUnit.objects.create(org=y, name="车间", kind="production", is_major=False)
    i1 = Inspection.objects.create(org=x, status="done", done_at=local(2026, 1, 5, 10, 0))
    Inspection.objects.create(org=y, status="done", done_at=local(2025, 12, 10, 10, 0), self_inspection=True)
    Inspection.objects.create(org=x, status="planned", planned_for=date(2026, 1, 20))
    Inspection.objects.create(org=x, status="done", done_at=local(2025, 11, 30, 23, 0))
    danger(x, "D1", local(2025, 12, 5, 9, 0), status="closed")
    danger(x, "D2", local(2026, 1, 10, 9, 0), grade="major", source="inspector", status="rectifying",
           deadline=local(2026, 1, 20, 0, 0), inspection=i1)  # fmt: skip
    danger(y, "D3", local(2026, 1, 31, 23, 30), source="public", status="accepted")
    danger(y, "D4", local(2026, 2, 1, 0, 10))  # after the period (local time)
    danger(x, "D5", local(2025, 1, 15, 9, 0), status="closed")  # a year earlier
    danger(x, "D6", local(2025, 12, 20, 9, 0), status="rectifying", deadline=FAR)
    for n, (org, kind, at) in enumerate(
        ((x, "order", local(2026, 1, 6, 9, 0)), (y, "penalty", local(2025, 12, 15, 9, 0)),
         (x, "order", local(2025, 6, 1, 9, 0))),
        start=1,
    ):  # fmt: skip
        EnforcementDocument.objects.create(
            org=org, kind=kind, year=at.year, seq=n, number=f"文书{n}", body="正文", issuer="应急管理局", issued_at=at
        )


def test_risk_points_by_level(prevention, cast):
    figures = compute("risk-points", user=cast.duty, filters=CURRENT)
    assert figures["count"] == 4
    assert figures["by_colour"] == {"red": 1, "orange": 0, "yellow": 2, "blue": 1}
    assert (figures["enterprises_with_points"], figures["major_hazard_units"]) == (2, 2)
    assert figures["by_hazard_grade"] == {"1": 0, "2": 1, "3": 0, "4": 1}
    assert "previous" not in figures
    assert compute("risk-points", user=cast.street_officer, filters=CURRENT)["count"] == 3


def test_hidden_dangers_found_rectified_overdue(prevention, cast):
    figures = compute("hidden-dangers", user=cast.duty, filters=CURRENT)
    assert (figures["found"], figures["rectified"], figures["closed"], figures["open"]) == (4, 2, 1, 3)
    assert (figures["overdue"], figures["major_open"], figures["rectification_rate"]) == (1, 1, 0.25)
    assert figures["by_danger_grade"] == {"general": 3, "major": 1}
    assert figures["by_source"] == {"self": 2, "inspector": 1, "public": 1}
    assert figures["by_month"] == {"2025-12": 2, "2026-01": 2}
    assert (figures["previous"]["found"], figures["previous"]["closed"]) == (1, 1)


def test_hidden_dangers_of_a_street_and_an_industry(prevention, cast):
    mine = compute("hidden-dangers", user=cast.street_officer, filters=CURRENT)
    assert (mine["found"], mine["rectified"], mine["overdue"], mine["rectification_rate"]) == (3, 1, 1, 0.3333)
    materials = compute("hidden-dangers", user=cast.duty, filters=replace(CURRENT, industry="building_materials"))
    assert (materials["found"], materials["rectified"], materials["rectification_rate"]) == (1, 1, 0.0)


def test_inspections_and_enforcement(prevention, cast):
    figures = compute("inspections", user=cast.duty, filters=CURRENT)
    assert (figures["count"], figures["by_authorities"], figures["self_inspections"]) == (2, 1, 1)
    assert figures["dangers_found"] == 1
    assert figures["by_document"] == {"order": 1, "penalty": 1}
    assert compute("inspections", user=cast.street_officer, filters=CURRENT)["by_document"] == {
        "order": 1,
        "penalty": 0,
    }


# ---- plans and drills --------------------------------------------------------------------------------------


@pytest.fixture
def preparedness(cast):
    x, y = cast.enterprise_x, cast.enterprise_y
    p1 = Plan.objects.create(org=x, title="甲综合预案", level="enterprise_comprehensive", status="filed")
    p2 = Plan.objects.create(org=y, title="乙专项预案", level="enterprise_special", status="approved")
    p3 = Plan.objects.create(org=cast.street_a, title="甲街道预案", level="street", status="draft")
    Plan.objects.create(org=cast.district, title="旧总体预案", level="district_overall", status="abolished")
    for plan, conclusion, at in (
        (p1, "pass", local(2025, 12, 10, 9, 0)), (p2, "revise", local(2026, 1, 5, 9, 0)),
        (p1, "pass", local(2025, 1, 10, 9, 0)),
    ):  # fmt: skip
        PlanReview.objects.create(plan=plan, version=1, conclusion=conclusion, started_at=at, concluded_at=at)
    PlanReview.objects.create(plan=p3, version=1, started_at=local(2026, 1, 6, 9, 0))  # not concluded
    PlanFiling.objects.create(plan=p1, version=1, year=2026, seq=1, number="备2026-1", filed_at=local(2026, 1, 8, 9, 0))

    def drill(org, plan, status, at, form="field", content="comprehensive", score=None):
        return Drill.objects.create(
            org=org, title="演练", plan=plan, status=status, scheduled_for=at, form=form, content=content, score=score
        )

    drill(x, p1, "done", local(2025, 12, 15, 9, 0), score=80)
    drill(y, None, "evaluated", local(2026, 1, 20, 9, 0), form="tabletop", content="single", score=90)
    drill(x, p1, "planned", local(2026, 1, 25, 9, 0))
    drill(x, p1, "cancelled", local(2026, 1, 26, 9, 0))


def test_plans_by_status_and_level(preparedness, cast):
    figures = compute("plans", user=cast.duty, filters=CURRENT)
    assert (figures["count"], figures["in_force"], figures["filed"]) == (4, 2, 1)
    assert figures["by_plan_status"] == {
        "draft": 1, "under_review": 0, "approved": 1, "filed": 1, "revising": 0, "abolished": 1,
    }  # fmt: skip
    assert {k: v for k, v in figures["by_plan_level"].items() if v} == {
        "enterprise_comprehensive": 1,
        "enterprise_special": 1,
        "street": 1,
    }
    assert compute("plans", user=cast.street_officer, filters=CURRENT)["count"] == 2


def test_reviews_filings_and_drills_held(preparedness, cast):
    figures = compute("drills", user=cast.duty, filters=CURRENT)
    assert (figures["reviews"], figures["filings"], figures["drills_held"]) == (2, 1, 2)
    assert figures["by_conclusion"] == {"pass": 1, "revise": 1, "fail": 0}
    assert (figures["drill_mean_score"], figures["plans_drilled"], figures["drill_coverage"]) == (85.0, 1, 0.5)
    assert figures["by_drill_form"] == {"tabletop": 1, "field": 1}
    assert figures["by_drill_content"] == {"comprehensive": 1, "single": 1}
    assert figures["by_month"] == {"2025-12": 1, "2026-01": 1}
    assert (figures["previous"]["reviews"], figures["previous"]["drills_held"]) == (1, 0)
    mine = compute("drills", user=cast.street_officer, filters=CURRENT)
    assert (mine["reviews"], mine["drills_held"], mine["drill_coverage"]) == (1, 1, 1.0)


# ---- relief ------------------------------------------------------------------------------------------------


@pytest.fixture
def relief(cast):
    def event(code, org, hazard, started):
        return DisasterEvent.objects.create(org=org, code=code, name=code, hazard=hazard, started_on=started)

    e1 = event("E1", cast.district, "flood", date(2026, 1, 2))
    event("E2", cast.district, "typhoon", date(2025, 6, 1))
    e3 = event("E3", cast.street_a, "hail", date(2025, 12, 20))
    h1 = Household.objects.create(org=cast.community_a, code="H1", head_name="李", members=3)
    h2 = Household.objects.create(org=cast.street_b, code="H2", head_name="王", members=2)
    store = Warehouse.objects.create(org=cast.street_a, code="W1", name="甲库")
    quilt = MaterialItem.objects.create(code="M1", name="棉被", category="living", unit="床")
    water = MaterialItem.objects.create(code="M2", name="矿泉水", category="living", unit="箱")
    for ev, household, item, quantity, at in (
        (e1, h1, quilt, 2, local(2026, 1, 3, 9, 0)), (e1, h1, water, 5, local(2026, 1, 3, 9, 5)),
        (e1, h2, quilt, 1, local(2026, 1, 4, 9, 0)), (e3, h1, water, 3, local(2026, 2, 2, 9, 0)),
    ):  # fmt: skip
        Distribution.objects.create(
            event=ev, household=household, material=item, warehouse=store, quantity=quantity, signed_by="本人",
            distributed_at=at, org=household.org,
        )  # fmt: skip
    volunteer = Volunteer.objects.create(
        org=cast.street_a, name="赵", phone="13800000000", consent_at=local(2025, 1, 1)
    )
    for status, amount, decided in (
        ("approved", "500.50", local(2026, 1, 10, 9, 0)), ("submitted", "100", None),
        ("approved", "900", local(2025, 11, 1, 9, 0)),
    ):  # fmt: skip
        Award.objects.create(
            org=cast.street_a, kind="reward", volunteer=volunteer, amount_yuan=Decimal(amount), reason="救援",
            status=status, decided_at=decided,
        )  # fmt: skip


def test_relief_events_recipients_materials_and_funds(relief, cast):
    figures = compute("relief", user=cast.duty, filters=CURRENT)
    assert (figures["events"], figures["distributions"]) == (2, 3)
    assert (figures["households_served"], figures["people_served"]) == (2, 5)
    assert (figures["awards_approved"], figures["awards_approved_yuan"]) == (1, 500.5)
    assert {k: v for k, v in figures["by_hazard"].items() if v} == {"flood": 1, "hail": 1}
    assert sorted(figures["materials"], key=lambda m: m["item"]) == sorted(
        [
            {"item": "棉被", "unit": "床", "quantity": 3, "handouts": 2},
            {"item": "矿泉水", "unit": "箱", "quantity": 5, "handouts": 1},
        ],
        key=lambda m: m["item"],
    )
    assert figures["previous"]["events"] == 0


def test_relief_of_a_street(relief, cast):
    mine = compute("relief", user=cast.street_officer, filters=CURRENT)
    assert (mine["events"], mine["distributions"], mine["households_served"], mine["people_served"]) == (2, 2, 1, 3)
    b = replace(CURRENT, street=cast.street_b.pk, street_path=cast.street_b.path)
    only_b = compute("relief", user=cast.duty, filters=b)
    assert (only_b["events"], only_b["distributions"], only_b["awards_approved"]) == (1, 1, 0)


# ---- training ----------------------------------------------------------------------------------------------


@pytest.fixture
def training(cast):
    c1 = Course.objects.create(org=cast.bureau, code="C1", title="安全管理人员培训", audience="safety_managers")
    c2 = Course.objects.create(org=cast.bureau, code="C2", title="主要负责人培训", audience="principals")

    def session(course, at, status="finished"):
        return TrainingSession.objects.create(
            course=course, org=cast.bureau, starts_at=at, ends_at=at + timedelta(hours=8), place="培训中心",
            instructors="讲师", status=status,
        )  # fmt: skip

    s1, s2 = session(c1, local(2026, 1, 8, 9, 0)), session(c2, local(2025, 12, 12, 9, 0))
    s3, s4 = session(c1, local(2026, 1, 30, 9, 0), "scheduled"), session(c1, local(2025, 1, 8, 9, 0))
    x, y = cast.enterprise_x, cast.enterprise_y
    for n, (s, org, signed, score) in enumerate(
        ((s1, x, True, 80), (s1, y, True, 50), (s1, x, False, None), (s2, x, True, 90), (s3, x, False, None),
         (s4, x, True, 70)),
    ):  # fmt: skip
        row = Attendance.objects.create(
            session=s, org=org, name=f"学员{n}", phone=f"1390000000{n}", score=score,
            passed=None if score is None else score >= 60, signed_in_at=s.starts_at if signed else None,
        )  # fmt: skip
        if score and score >= 60 and s.starts_at >= local(2025, 12, 1):
            Certificate.objects.create(
                course=s.course, attendance=row, org=org, holder=row.name, number=f"证{n}", issued_on=s.starts_at.date()
            )


def test_training_courses_trainees_and_pass_rate(training, cast):
    figures = compute("training", user=cast.duty, filters=CURRENT)
    assert (figures["sessions"], figures["courses"], figures["trainees"], figures["signed_in"]) == (2, 2, 4, 3)
    assert (figures["examined"], figures["passed"], figures["pass_rate"]) == (3, 2, 0.6667)
    assert figures["certificates"] == 2
    assert {k: v for k, v in figures["by_audience"].items() if v} == {"safety_managers": 3, "principals": 1}
    assert (figures["previous"]["trainees"], figures["previous"]["pass_rate"]) == (1, 1.0)


def test_training_of_a_street_counts_its_own_trainees(training, cast):
    mine = compute("training", user=cast.street_officer, filters=CURRENT)
    assert (mine["sessions"], mine["trainees"], mine["examined"], mine["passed"]) == (2, 3, 2, 2)
    materials = compute("training", user=cast.duty, filters=replace(CURRENT, industry="building_materials"))
    assert (materials["sessions"], materials["trainees"], materials["pass_rate"]) == (1, 1, 0.0)


def test_api_serves_a_new_statistic(prevention, cast, api, bearer):
    response = api.get(
        "/api/v1/stats/hidden-dangers?from=2025-12-01&to=2026-01-31", headers=bearer(cast.street_officer)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["found"], body["overdue"], body["previous"]["found"]) == (3, 1, 1)


def test_dashboard_shows_hidden_dangers_overdue(prevention, cast):
    from yingji.analytics.selectors import dashboard

    panel = dashboard(user=cast.duty)["panels"]["hidden_dangers_overdue"]
    assert (panel["value"], panel["url"]) == (1, "/risk/dangers/?overdue=true")
    HiddenDanger.objects.filter(title="隐患D6").update(deadline=local(2026, 1, 1, 0, 0))
    assert dashboard(user=cast.duty)["panels"]["hidden_dangers_overdue"]["value"] == 2
    assert dashboard(user=cast.enterprise_manager)["panels"]["hidden_dangers_overdue"]["value"] == 2


def test_statistics_page_shows_a_rate_as_a_percentage(prevention, cast, client):
    client.force_login(cast.duty)
    response = client.get("/analytics/?date_from=2025-12-01&date_to=2026-01-31")
    assert response.status_code == 200
    assert "整改销号率" in response.content.decode() and "25.0%" in response.content.decode()
