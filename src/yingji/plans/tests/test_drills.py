"""Drills: planning with the AQ/T 9009-2015 form, evaluation through the API and the page, the score rule, coverage,
and scenarios through the API."""

import pytest
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.plans import scoring, selectors
from yingji.plans.evaluation import ITEMS
from yingji.plans.models import PlanStatus


def _drill(api, headers, cast, **extra):
    payload = {
        "org": cast.enterprise_x.pk,
        "title": "储罐泄漏现场处置演练",
        "content": "single",
        "form": "field",
        "scheduled_for": "2026-06-01T09:00:00",
        **extra,
    }
    return api.post("/api/v1/drills", payload, content_type="application/json", headers=headers)


def test_drill_planned_with_the_evaluation_form_and_evaluated(api, bearer, cast, make_plan):
    plan = make_plan(status=PlanStatus.FILED)
    manager = bearer(cast.enterprise_manager)
    created = _drill(api, manager, cast, plan=plan.pk)
    assert created.status_code == 201, created.json()
    drill = created.json()
    assert [i["code"] for i in drill["items"]] == [i.code for i in ITEMS] and drill["status"] == "planned"
    evaluated = api.post(
        f"/api/v1/drills/{drill['id']}/evaluation",
        {"items": [{"code": "1.7", "result": "no", "reason": "初报超时"}], "findings": "报告迟缓"},
        content_type="application/json",
        headers=manager,
    )
    assert evaluated.status_code == 200
    item = next(i for i in evaluated.json()["items"] if i["code"] == "1.7")
    assert (item["result"], item["reason"]) == ("no", "初报超时") and evaluated.json()["findings"] == "报告迟缓"
    bad = api.post(
        f"/api/v1/drills/{drill['id']}/evaluation",
        {"items": [{"code": "9.9", "result": "yes"}]},
        content_type="application/json",
        headers=manager,
    )
    assert bad.status_code == 400 and "items.9.9" in bad.json()["errors"]


def test_drill_scope_and_bad_input(api, bearer, cast):
    assert _drill(api, bearer(cast.enterprise_manager), cast, org=cast.enterprise_y.pk).status_code == 400
    assert _drill(api, bearer(cast.enterprise_manager), cast, form="imaginary").status_code == 400
    drill = _drill(api, bearer(cast.duty), cast).json()
    assert api.get(f"/api/v1/drills/{drill['id']}", headers=bearer(cast.street_officer)).status_code == 200
    assert api.get(f"/api/v1/drills/{drill['id']}", headers=bearer(cast.outsider)).status_code == 404


def test_drill_page_records_the_form(api, bearer, cast, client):
    drill = _drill(api, bearer(cast.duty), cast).json()
    assert client.login(username=cast.duty.username, password=PASSWORD)
    response = client.post(f"/plans/drills/{drill['id']}/", {"item-2.2": "yes", "reason-2.2": "", "findings": "好"})
    assert response.status_code == 302
    body = api.get(f"/api/v1/drills/{drill['id']}", headers=bearer(cast.duty)).json()
    assert next(i for i in body["items"] if i["code"] == "2.2")["result"] == "yes" and body["findings"] == "好"


@pytest.mark.parametrize(
    ("metrics", "total"),
    [
        (scoring.Metrics(report_min=30, dispatch_min=5, arrival_min=20, tasks_total=4, tasks_on_time=4), 100),
        (scoring.Metrics(report_min=180, dispatch_min=30, arrival_min=90), 0),
        (scoring.Metrics(report_min=120, dispatch_min=None, arrival_min=None, tasks_total=2, tasks_on_time=1), 25),
        (scoring.Metrics(), 0),
    ],
)
def test_score_rule(metrics, total):
    # report 120 min: 25 × (180 − 120) / 120 = 12.5; tasks 1 of 2: 12.5.
    assert scoring.score(metrics).total == total


def test_undrilled_plans_and_enterprises(cast, make_plan):
    from yingji.plans import services

    plan = make_plan(status=PlanStatus.FILED)
    before = selectors.undrilled(user=cast.duty)
    assert plan in before["plans"] and cast.enterprise_x in before["enterprises"]
    drill = services.drill_create(
        by=None,
        org=cast.enterprise_x,
        title="演练",
        content="single",
        form="field",
        plan=plan,
        scheduled_for=timezone.now(),
    )
    services.drill_record_metrics(by=None, drill=drill, metrics={"report_min": 10})
    after = selectors.undrilled(user=cast.duty)
    assert plan not in after["plans"] and cast.enterprise_x not in after["enterprises"]


def test_scenarios_api(api, bearer, cast, commander):
    payload = {"org": cast.district.pk, "title": "商场火灾", "incident_type": "fire", "needs": {"team:fire_rescue": 2}}
    created = api.post("/api/v1/scenarios", payload, content_type="application/json", headers=bearer(commander))
    assert created.status_code == 201, created.json()
    assert created.json()["needs"] == [{"kind": "team:fire_rescue", "quantity": 2}]
    refused = api.post("/api/v1/scenarios", payload, content_type="application/json", headers=bearer(cast.duty))
    assert refused.status_code == 403
    bad = {**payload, "needs": {"team:fire_rescue": 0}}
    assert (
        api.post("/api/v1/scenarios", bad, content_type="application/json", headers=bearer(commander)).status_code
        == 400
    )
    listing = api.get("/api/v1/scenarios", headers=bearer(cast.street_officer)).json()
    assert listing["count"] == 0  # the district's library lies above a street's scope


def test_drill_time_out_of_range_is_400(api, bearer, cast):
    response = _drill(api, bearer(cast.duty), cast, scheduled_for="0001-01-01T00:00:00")
    assert response.status_code == 400 and "scheduled_for" in response.json()["errors"]
