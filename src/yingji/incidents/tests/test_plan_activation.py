"""Plans on an incident: matching order with reasons, activation creating the right tasks once, raising the level
adding only the new level's tasks, and scope."""

import pytest

from yingji.core.errors import Conflict
from yingji.core.services import user_create
from yingji.incidents import activation
from yingji.incidents.models import ActivationTask, Incident, PlanActivation, Task, TimelineEntry
from yingji.incidents.tests.conftest import local
from yingji.plans.models import PlanStatus
from yingji.plans.tests.conftest import make_plan  # noqa: F401 — shared fixture

FILED = PlanStatus.FILED


@pytest.fixture
def plans(cast, make_plan):  # noqa: F811
    district = cast.district
    return {
        "overall": make_plan(
            org=district, level="district_overall", title="区总体应急预案", incident_types=(), status=FILED
        ),
        "flood": make_plan(
            org=district, level="district_special", title="区防汛应急预案", incident_types=("flood",), status=FILED
        ),
        "hazchem": make_plan(
            org=district,
            level="district_special",
            title="区危险化学品事故应急预案",
            incident_types=("hazchem_leak", "explosion"),
            status=FILED,
        ),
        "street_a": make_plan(
            org=cast.street_a, level="street", title="甲街道应急预案", incident_types=(), status=PlanStatus.APPROVED
        ),
        "street_b": make_plan(
            org=cast.street_b, level="street", title="乙街道应急预案", incident_types=(), status=FILED
        ),
        "comprehensive": make_plan(
            level="enterprise_comprehensive", title="甲化工综合应急预案", incident_types=(), status=FILED
        ),
        "special": make_plan(level="enterprise_special", title="甲化工泄漏专项预案", status=FILED),
        "onsite": make_plan(level="enterprise_onsite", title="甲化工储罐区现场处置方案", status=FILED),
        "onsite_draft": make_plan(level="enterprise_onsite", title="甲化工装卸区现场处置方案（草稿）"),
        "other_enterprise": make_plan(
            org=cast.enterprise_y,
            level="enterprise_onsite",
            title="乙建材现场处置方案",
            incident_types=(),
            status=FILED,
        ),
    }


def test_matching_order_and_reasons(api, bearer, cast, record, plans):
    incident = record()
    body = api.get(f"/api/v1/incidents/{incident.pk}/plans", headers=bearer(cast.duty)).json()
    assert [p["title"] for p in body] == [
        "甲化工储罐区现场处置方案",
        "甲化工泄漏专项预案",
        "甲化工综合应急预案",
        "甲街道应急预案",
        "区危险化学品事故应急预案",
        "区总体应急预案",
    ]
    assert body[0]["reason"].startswith("事发企业甲化工有限公司的") and "危险化学品泄漏" in body[0]["reason"]
    assert body[3]["reason"] == "事发地属甲街道"
    assert body[0]["tiers"][0]["level"] in ("II", "IV") and body[0]["activation"] is None


def test_activation_creates_the_level_tasks_once(api, bearer, cast, record, plans):
    incident = record()
    plan = plans["onsite"]
    headers = bearer(cast.duty)
    first = api.post(
        f"/api/v1/incidents/{incident.pk}/activations",
        {"plan": plan.pk, "level": "IV"},
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 201, first.json()
    body = first.json()
    titles = [t["title"] for t in body["tasks"]]
    assert titles == [
        "【甲化工储罐区现场处置方案】总指挥：赶赴现场确认险情",
        "【甲化工储罐区现场处置方案】现场处置组：关闭泄漏点上游阀门",
    ]
    assert body["new_tasks"] == [t["id"] for t in body["tasks"]]
    assert all(t["assignee_org"] == cast.enterprise_x.pk for t in body["tasks"]) and body["tasks"][0]["due_at"]
    assert (
        TimelineEntry.objects.filter(
            incident=incident, text__contains="启动《甲化工储罐区现场处置方案》IV级响应"
        ).count()
        == 1
    )

    again = api.post(
        f"/api/v1/incidents/{incident.pk}/activations",
        {"plan": plan.pk, "level": "IV"},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"] and again.json()["new_tasks"] == []
    assert Task.objects.filter(incident=incident).count() == 2
    assert PlanActivation.objects.count() == 1


def test_raising_the_level_adds_only_the_new_level_tasks(cast, record, plans):
    incident = record()
    plan = plans["onsite"]
    activation.plan_activate(by=cast.duty, incident=incident, plan=plan, level="IV")
    raised = activation.plan_activate(by=cast.duty, incident=incident, plan=plan, level="II")
    assert not raised.created and raised.activation.level == "II" and raised.activation.levels == ["IV", "II"]
    assert [t.title.split("】")[1] for t in raised.tasks] == [
        "总指挥：启动二级响应，请求区应急局支援",
        "现场处置组：疏散下风向 500 米内人员",
        "现场处置组：设置警戒区",
    ]
    assert Task.objects.filter(incident=incident).count() == 5
    assert ActivationTask.objects.filter(level="II").count() == 3
    assert activation.plan_activate(by=cast.duty, incident=incident, plan=plan, level="II").tasks == []
    assert activation.plan_activate(by=cast.duty, incident=incident, plan=plan, level="IV").tasks == []
    assert Task.objects.filter(incident=incident).count() == 5


def test_a_lower_level_on_top_of_a_higher_one_is_a_conflict(cast, record, plans):
    incident = record()
    activation.plan_activate(by=cast.duty, incident=incident, plan=plans["onsite"], level="II")
    with pytest.raises(Conflict, match="lower level"):
        activation.plan_activate(by=cast.duty, incident=incident, plan=plans["onsite"], level="IV")
    assert Task.objects.filter(incident=incident).count() == 3


def test_bad_activations_are_4xx(api, bearer, cast, record, plans):
    incident = record()
    headers = bearer(cast.duty)

    def post(payload):
        return api.post(
            f"/api/v1/incidents/{incident.pk}/activations", payload, content_type="application/json", headers=headers
        )

    assert post({"plan": plans["onsite"].pk, "level": "I"}).status_code == 400  # the plan has no level I
    assert post({"plan": plans["onsite_draft"].pk, "level": "IV"}).status_code == 400  # not in force
    assert post({"plan": 2**63, "level": "IV"}).status_code == 400
    assert post({"plan": plans["onsite"].pk, "level": "V"}).status_code == 400
    assert Task.objects.count() == 0


def test_who_may_activate(api, bearer, cast, record, plans):
    incident = record()
    payload = {"plan": plans["onsite"].pk, "level": "IV"}
    street_b = user_create(
        by=None, username="t_street_b", password="Correct-Horse-42", org=cast.street_b, roles=["street_officer"]
    )
    url = f"/api/v1/incidents/{incident.pk}/activations"
    assert api.post(url, payload, content_type="application/json", headers=bearer(street_b)).status_code == 404
    assert api.get(f"/api/v1/incidents/{incident.pk}/plans", headers=bearer(street_b)).status_code == 404
    assert (
        api.post(url, payload, content_type="application/json", headers=bearer(cast.enterprise_manager)).status_code
        == 403
    )
    assert Task.objects.count() == 0


def test_a_drill_is_scored_from_the_incident_logs(api, bearer, cast, record, stock, commander):
    import time_machine

    from yingji.incidents import services
    from yingji.plans import services as plan_services

    drill = plan_services.drill_create(
        by=None,
        org=cast.district,
        title="危化品泄漏演练",
        content="comprehensive",
        form="field",
        scheduled_for=local(2026, 5, 12, 9, 0),
    )
    with time_machine.travel(local(2026, 5, 12, 9, 0), tick=False):
        incident = record(occurred_at=local(2026, 5, 12, 8, 58))
        real = api.post(
            f"/api/v1/incidents/{incident.pk}/drill-score",
            {"drill": drill.pk},
            content_type="application/json",
            headers=bearer(commander),
        )
        assert real.status_code == 409  # a real incident never scores a drill
        incident = activation.incident_mark_exercise(by=cast.duty, incident=incident)
    with time_machine.travel(local(2026, 5, 12, 9, 6), tick=False):
        dispatch = services.dispatch_create(by=cast.duty, incident=incident, team=stock.team_a)
        on_time = services.task_create(
            by=commander,
            incident=incident,
            title="设置警戒区",
            assignee_org=cast.street_a,
            due_at=local(2026, 5, 12, 9, 30),
        )
        late = services.task_create(
            by=commander,
            incident=incident,
            title="疏散群众",
            assignee_org=cast.street_a,
            due_at=local(2026, 5, 12, 9, 20),
        )
    with time_machine.travel(local(2026, 5, 12, 9, 25), tick=False):
        services.task_set_status(by=commander, task=on_time, status="done")
    with time_machine.travel(local(2026, 5, 12, 9, 40), tick=False):
        services.report_send(by=cast.duty, report=incident.reports.get())
        services.task_set_status(by=commander, task=late, status="done")
        for status in ("acknowledged", "en_route", "on_scene"):
            dispatch = services.dispatch_set_status(by=cast.duty, dispatch=dispatch, status=status)
    response = api.post(
        f"/api/v1/incidents/{incident.pk}/drill-score",
        {"drill": drill.pk},
        content_type="application/json",
        headers=bearer(commander),
    )
    assert response.status_code == 200, response.json()
    metrics = response.json()["metrics"]
    assert (metrics["report_min"], metrics["dispatch_min"], metrics["arrival_min"]) == (40.0, 6.0, 40.0)
    assert (metrics["tasks_total"], metrics["tasks_on_time"]) == (2, 1) and metrics["source"] == incident.code
    # report 25 + dispatch 25 + arrival 25 × (90 − 40) / 60 = 20.8 + tasks 12.5 = 83.3
    assert response.json()["score"] == 83


def test_incidents_api_accepts_and_returns_exercise(api, bearer, cast):
    payload = {
        "category": "accident",
        "type": "hazchem_leak",
        "title": "演练：储罐泄漏",
        "occurred_at": "2026-05-12T09:00:00+08:00",
        "lat": 30.215,
        "lon": 115.085,
        "exercise": True,
    }
    response = api.post("/api/v1/incidents", payload, content_type="application/json", headers=bearer(cast.duty))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["exercise"] is True
    assert TimelineEntry.objects.filter(incident_id=body["id"], text__startswith="演练").exists()
    real = api.post(
        "/api/v1/incidents",
        {**payload, "title": "储罐泄漏", "exercise": False},
        content_type="application/json",
        headers=bearer(cast.duty),
    ).json()
    assert real["exercise"] is False


def test_plans_list_query_count_is_bounded(api, bearer, cast, record, plans, django_assert_max_num_queries):
    incident = record()
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(12):
        body = api.get(f"/api/v1/incidents/{incident.pk}/plans", headers=headers).json()
    assert len(body) == 6 and all(p["tiers"] for p in body)


def test_a_red_alarm_proposes_the_plans_at_once(cast, make_plan, django_capture_on_commit_callbacks):  # noqa: F811
    from django.utils import timezone

    from yingji.core.models import Notification
    from yingji.monitoring.services import alarm_escalate, alarm_raise, device_create, rule_create

    plan = make_plan(title="甲化工可燃气体泄漏现场处置方案", incident_types=("gas",), status=PlanStatus.FILED)
    detector = device_create(
        by=None,
        code="GAS-X-01",
        name="储罐区可燃气体探测器",
        type="combustible_gas",
        org=cast.enterprise_x,
        lat=30.215,
        lon=115.085,
    )
    rule = rule_create(
        by=None,
        name="可燃气体浓度",
        device_type="combustible_gas",
        metric="ch4_lel",
        blue=10,
        yellow=20,
        orange=35,
        red=50,
        opens_incident=True,
        opens_at_once=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        ref = alarm_raise(device=detector, rule=rule, metric="ch4_lel", level="yellow", value=25, at=timezone.now())
    assert not Notification.objects.filter(category="plan_proposal").exists()
    with django_capture_on_commit_callbacks(execute=True):
        alarm_escalate(alarm_id=ref.id, level="red", value=60, at=timezone.now())
        alarm_escalate(alarm_id=ref.id, level="red", value=70, at=timezone.now())
    note = Notification.objects.get(category="plan_proposal", recipient=cast.duty)
    incident = Incident.objects.get()
    assert plan.title in note.body and note.link == f"/incidents/{incident.pk}/"
