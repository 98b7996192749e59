"""The incidents API: status codes, bodies, regrading, filters, timeline, transitions and scopes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.incidents.tests.conftest import local

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


def body(**overrides) -> dict:
    data = {
        "category": "accident",
        "type": "hazchem_leak",
        "title": "甲化工储罐泄漏",
        "lat": 30.215,
        "lon": 115.085,
        "occurred_at": "2026-05-01T08:40:00+08:00",
        "deaths": 0,
        "serious_injuries": 0,
        "direct_loss_yuan": 0,
    }
    data.update(overrides)
    return data


def post(api, headers, **overrides):
    return api.post(URL, body(**overrides), content_type="application/json", headers=headers)


def test_create_answers_201_with_grade_and_deadline_in_beijing_time(api, cast, bearer):
    headers = bearer(cast.duty)
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        response = post(api, headers, deaths=3, enterprise=cast.enterprise_x.pk)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["grade"] == "III"
    assert data["grade_label"] == "较大事故"
    assert data["report_deadline"] == "2026-05-01T11:00:00+08:00"
    assert data["occurred_at"] == "2026-05-01T08:40:00+08:00"
    assert data["org"] == cast.enterprise_x.pk and data["status"] == "open"


def test_grade_is_null_where_order_493_does_not_apply(api, cast, bearer):
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        response = post(api, bearer(cast.duty), category="natural_disaster", type="flood", deaths=12)
    assert response.status_code == 201
    assert response.json()["grade"] is None and response.json()["grade_label"] is None


def test_bad_input_gets_field_errors(api, cast, bearer):
    headers = bearer(cast.duty)
    assert post(api, headers, type="no_such").json()["errors"] == {"type": ["no such incident type"]}
    response = post(api, headers, category="natural_disaster")
    assert response.status_code == 400 and "type" in response.json()["errors"]
    response = post(api, headers, deaths=-1)
    assert response.status_code == 400 and "deaths" in response.json()["errors"]
    response = post(api, headers, category="weather")
    assert response.status_code == 400 and "category" in response.json()["errors"]


def test_roles_without_the_right_get_403(api, cast, bearer):
    team_leader = user_create(by=None, username="t_tl", password=PASSWORD, org=cast.bureau, roles=[Role.TEAM_LEADER])
    assert post(api, bearer(team_leader)).status_code == 403


def test_patch_casualties_regrades(api, cast, bearer):
    headers = bearer(cast.duty)
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        incident_id = post(api, headers).json()["id"]
        response = api.patch(
            f"{URL}/{incident_id}", {"serious_injuries": 50}, content_type="application/json", headers=headers
        )
    assert response.status_code == 200
    assert (response.json()["grade"], response.json()["grade_label"]) == ("II", "重大事故")
    timeline = api.get(f"{URL}/{incident_id}/timeline", headers=headers).json()
    assert [e["kind"] for e in timeline] == ["intake", "casualties", "grade"]
    assert timeline[2]["actor"] == "t_duty" and timeline[2]["at"].endswith("+08:00")
    reports = api.get(f"{URL}/{incident_id}/reports", headers=headers).json()
    assert [r["kind"] for r in reports] == ["initial", "progress"]


def test_invalid_status_transition_is_409_naming_allowed(api, cast, bearer):
    headers = bearer(cast.duty)
    incident_id = post(api, headers, occurred_at=(timezone.now() - timedelta(minutes=5)).isoformat()).json()["id"]
    api.patch(f"{URL}/{incident_id}", {"status": "responding"}, content_type="application/json", headers=headers)
    response = api.patch(f"{URL}/{incident_id}", {"status": "open"}, content_type="application/json", headers=headers)
    assert response.status_code == 409
    assert "允许：closed" in response.json()["detail"]
    response = api.patch(f"{URL}/{incident_id}", {"status": "closed"}, content_type="application/json", headers=headers)
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_commander_patch_and_tasks(api, cast, bearer, commander):
    duty, boss = bearer(cast.duty), bearer(commander)
    incident_id = post(api, duty, occurred_at=(timezone.now() - timedelta(minutes=5)).isoformat()).json()["id"]
    command = {"commander": commander.pk, "response_level": "IV", "post_address": "东门"}
    assert api.patch(f"{URL}/{incident_id}", command, content_type="application/json", headers=duty).status_code == 403
    response = api.patch(f"{URL}/{incident_id}", command, content_type="application/json", headers=boss)
    assert response.status_code == 200 and response.json()["response_level"] == "IV"
    task = {"title": "警戒疏散", "assignee_org": cast.street_a.pk}
    response = api.post(f"{URL}/{incident_id}/tasks", task, content_type="application/json", headers=boss)
    assert response.status_code == 201 and response.json()["status"] == "open"
    task_id = response.json()["id"]
    response = api.patch(f"/api/v1/tasks/{task_id}", {"status": "done"}, content_type="application/json", headers=duty)
    assert response.status_code == 200 and response.json()["done_at"]
    response = api.patch(f"/api/v1/tasks/{task_id}", {"status": "open"}, content_type="application/json", headers=duty)
    assert response.status_code == 409


def test_reports_close_and_review(api, cast, bearer):
    headers = bearer(cast.duty)
    incident_id = post(api, headers, occurred_at=(timezone.now() - timedelta(minutes=5)).isoformat()).json()["id"]
    final = api.post(
        f"{URL}/{incident_id}/reports", {"kind": "final"}, content_type="application/json", headers=headers
    )
    assert final.status_code == 201
    for report in api.get(f"{URL}/{incident_id}/reports", headers=headers).json():
        assert api.post(f"/api/v1/reports/{report['id']}/send", headers=headers).status_code == 200
    response = api.patch(f"{URL}/{incident_id}", {"status": "closed"}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["closed_at"]
    review = {"findings": "处置及时", "improvements": "加强巡检"}
    response = api.put(f"{URL}/{incident_id}/review", review, content_type="application/json", headers=headers)
    assert response.status_code == 200
    data = response.json()
    assert data["findings"] == "处置及时" and data["to_first_report_s"] >= 0 and data["total_s"] >= 0


def test_merge_duplicate(api, cast, bearer):
    headers = bearer(cast.duty)
    kept = post(api, headers).json()["id"]
    duplicate = post(api, headers, source="transfer_119").json()["id"]
    response = api.post(f"{URL}/{duplicate}/merge", {"into": kept}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["id"] == kept
    assert api.get(f"{URL}/{duplicate}", headers=headers).json()["merged_into"] == kept


def test_list_filters_and_query_count(api, cast, bearer, record, django_assert_max_num_queries):
    for n in range(5):
        record(title=f"泄漏{n}", deaths=n)
    record(type_code="flood", enterprise=None, title="内涝")
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(6):
        response = api.get(URL, headers=headers)
    assert response.json()["count"] == 6
    assert [i["title"] for i in api.get(f"{URL}?grade=III", headers=headers).json()["items"]] == ["泄漏4", "泄漏3"]
    assert api.get(f"{URL}?category=natural_disaster", headers=headers).json()["count"] == 1
    assert api.get(f"{URL}?q=内涝", headers=headers).json()["count"] == 1
    assert api.get(f"{URL}?open=false", headers=headers).json()["count"] == 0


def test_street_officer_sees_only_own_street(api, cast, bearer, record):
    mine = record(enterprise=cast.enterprise_x)
    theirs = record(enterprise=cast.enterprise_y)
    headers = bearer(cast.street_officer)
    ids = [i["id"] for i in api.get(URL, headers=headers).json()["items"]]
    assert ids == [mine.pk]
    assert api.get(f"{URL}/{theirs.pk}", headers=headers).status_code == 404
    assert api.get(f"{URL}/{theirs.pk}/timeline", headers=headers).status_code == 404
    assert api.get(f"{URL}/{mine.pk}/timeline", headers=headers).status_code == 200


def test_enterprise_manager_and_outsider_scopes(api, cast, bearer, record):
    mine = record(enterprise=cast.enterprise_x)
    record(enterprise=cast.enterprise_y)
    assert [i["id"] for i in api.get(URL, headers=bearer(cast.enterprise_manager)).json()["items"]] == [mine.pk]
    assert api.get(URL, headers=bearer(cast.outsider)).json()["count"] == 0
    assert api.get(f"{URL}/{mine.pk}", headers=bearer(cast.outsider)).status_code == 404


def test_duty_now(api, cast, bearer, shift):
    # Who is on duty at the district is known to every desk, a street's included.
    for user in (cast.street_officer, cast.duty):
        data = api.get("/api/v1/duty/now", headers=bearer(user)).json()
        assert [(s["officer"], s["leader"]) for s in data] == [("t_duty", "t_leader")]
