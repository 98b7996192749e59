"""Risk points, hazard units, inspections with the double-random draw, documents, commitments, indicators and the
four-colour layer through the API, with their scopes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from yingji.core.models import Notification
from yingji.core.services import org_create
from yingji.monitoring.models import Device
from yingji.risk import services
from yingji.risk.draw import double_random
from yingji.risk.models import Draw, HiddenDanger, Inspection, MissedCommitment
from yingji.risk.tests.conftest import JSON

SHANGHAI = ZoneInfo("Asia/Shanghai")


def point_body(org, **extra):
    return {"org": org.pk, "name": "液氯储罐区", "hazard": "液氯泄漏", "method": "lec", "l": 3, "e": 6, "c": 15,
            "control_level": "company", "responsible": "赵六", **extra}  # fmt: skip


def test_risk_point_lec_and_matrix(cast, api, bearer):
    answer = api.post("/api/v1/risk-points", point_body(cast.enterprise_x), content_type=JSON,
                      headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert answer.json()["score"] == 270 and answer.json()["colour"] == "orange"
    point = answer.json()["id"]
    changed = api.patch(f"/api/v1/risk-points/{point}", {"method": "matrix", "likelihood": 5, "severity": 5},
                        content_type=JSON, headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert changed.status_code == 200 and changed.json()["colour"] == "red" and changed.json()["l"] is None
    bad = api.post("/api/v1/risk-points", point_body(cast.enterprise_x, c=20), content_type=JSON,
                   headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert bad.status_code == 400 and "c_value" in bad.json()["errors"]


def test_risk_point_scopes(cast, api, bearer, street_b_officer):
    point = services.risk_point_create(by=None, org=cast.enterprise_x, name="a", hazard="b", method="matrix",
                                       likelihood=2, severity=2, control_level="team", responsible="c")  # fmt: skip
    assert api.get(f"/api/v1/risk-points/{point.pk}", headers=bearer(street_b_officer)).status_code == 404
    assert api.get("/api/v1/risk-points", headers=bearer(street_b_officer)).json()["count"] == 0
    assert api.get("/api/v1/risk-points", headers=bearer(cast.street_officer)).json()["count"] == 1
    other = api.post("/api/v1/risk-points", point_body(cast.enterprise_y), content_type=JSON,
                     headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert other.status_code == 400 and "org" in other.json()["errors"]


def test_hazard_unit_with_devices(cast, api, bearer, inspector):
    device = Device.objects.create(code="CL-1", name="氯气探测器", type="gas", org=cast.enterprise_x)
    foreign = Device.objects.create(code="Y-1", name="乙", type="gas", org=cast.enterprise_y)
    body = {"org": cast.enterprise_x.pk, "name": "液氯库", "kind": "storage", "exposed_people": 120,
            "items": [{"name": "液氯", "quantity_t": 20}], "devices": [device.pk]}  # fmt: skip
    answer = api.post("/api/v1/hazard-units", body, content_type=JSON, headers=bearer(cast.enterprise_manager))
    assert answer.status_code == 201, answer.json()
    unit = answer.json()
    assert unit["is_major"] and unit["grade"] == 3 and unit["s"] == 4 and unit["devices"] == [device.pk]
    not_mine = api.patch(f"/api/v1/hazard-units/{unit['id']}", {"devices": [foreign.pk]}, content_type=JSON,
                         headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert not_mine.status_code == 400 and "devices" in not_mine.json()["errors"]
    less = api.patch(f"/api/v1/hazard-units/{unit['id']}", {"items": [{"name": "氯", "quantity_t": 4}]},
                     content_type=JSON, headers=bearer(inspector))  # fmt: skip
    assert less.json()["is_major"] is False and less.json()["grade"] is None
    bad = api.post("/api/v1/hazard-units", {**body, "items": [{"name": "x", "quantity_t": 1}]}, content_type=JSON,
                   headers=bearer(inspector))  # fmt: skip
    assert bad.status_code == 400 and "items.0.name" in bad.json()["errors"]
    assert api.get(f"/api/v1/hazard-units/{unit['id']}", headers=bearer(cast.street_officer)).status_code == 200
    # A unit may be registered inactive (schemathesis found `active` answering 500); it still needs a substance.
    idle = api.post("/api/v1/hazard-units", {**body, "devices": [], "active": False}, content_type=JSON,
                    headers=bearer(inspector))  # fmt: skip
    assert idle.status_code == 201, idle.json()
    assert idle.json()["active"] is False
    empty = api.post("/api/v1/hazard-units", {**body, "items": [], "active": False}, content_type=JSON,
                     headers=bearer(inspector))  # fmt: skip
    assert empty.status_code == 400 and list(empty.json()["errors"]) == ["items"]


def _many_enterprises(cast, n=6):
    for i in range(n):
        org = org_create(by=None, code=f"T-E{i}", name=f"企业{i}", kind="enterprise", parent=cast.street_a)
        services.enterprise_create(by=None, code=org.code, name=org.name)


def test_double_random_draw_is_recorded_and_reproducible(cast, api, bearer, inspector, profiles):
    _many_enterprises(cast)
    from yingji.conftest import PASSWORD
    from yingji.core.services import user_create

    second = user_create(by=None, username="t_insp2", password=PASSWORD, org=cast.bureau, roles=["inspector"])
    plan = api.post("/api/v1/inspection-plans", {"year": 2026, "title": "2026年度执法检查计划", "planned": 4},
                    content_type=JSON, headers=bearer(inspector)).json()  # fmt: skip
    drawn = api.post(f"/api/v1/inspection-plans/{plan['id']}/draws", {"seed": "2026-第1批", "count": 4},
                     content_type=JSON, headers=bearer(inspector))  # fmt: skip
    assert drawn.status_code == 201, drawn.json()
    draw = drawn.json()
    assert len(draw["enterprise_pool"]) == 8 and draw["inspector_pool"] == sorted([inspector.pk, second.pk])
    again = double_random(seed=draw["seed"], enterprises=draw["enterprise_pool"], inspectors=draw["inspector_pool"],
                          count=draw["count"], inspectors_per=draw["inspectors_per"])  # fmt: skip
    assert [{"enterprise": a.enterprise, "inspectors": list(a.inspectors)} for a in again] == draw["result"]
    assert Inspection.objects.filter(draw_id=draw["id"]).count() == 4
    assert api.get(f"/api/v1/draws/{draw['id']}", headers=bearer(cast.street_officer)).status_code == 404
    short = api.post(f"/api/v1/inspection-plans/{plan['id']}/draws", {"seed": "x", "count": 4, "inspectors_per": 3},
                     content_type=JSON, headers=bearer(inspector))  # fmt: skip
    assert short.status_code == 400 and "inspectors_per" in short.json()["errors"]
    assert Draw.objects.count() == 1


def test_inspection_record_turns_findings_into_dangers_and_documents_are_numbered(cast, api, bearer, inspector):
    inspection = api.post("/api/v1/inspections", {"org": cast.enterprise_x.pk}, content_type=JSON,
                          headers=bearer(inspector)).json()  # fmt: skip
    recorded = api.post(
        f"/api/v1/inspections/{inspection['id']}/record",
        {"checklist": [{"item": "安全出口畅通", "ok": False}], "summary": "发现隐患2处",
         "findings": [{"title": "安全出口堵塞"}, {"title": "液氯库无泄漏报警", "grade": "major"}],
         "reinspect_by": "2030-01-01"},
        content_type=JSON, headers=bearer(inspector),
    )  # fmt: skip
    assert recorded.status_code == 200 and recorded.json()["status"] == "done"
    assert HiddenDanger.objects.filter(inspection_id=inspection["id"], source="inspector").count() == 2
    again = api.post(f"/api/v1/inspections/{inspection['id']}/record", {}, content_type=JSON, headers=bearer(inspector))
    assert again.status_code == 409
    first = api.post("/api/v1/enforcement-documents", {"org": cast.enterprise_x.pk, "kind": "order", "body": "责令整改",
                     "inspection": inspection["id"]}, content_type=JSON, headers=bearer(inspector)).json()  # fmt: skip
    second = api.post("/api/v1/enforcement-documents", {"org": cast.enterprise_x.pk, "kind": "order", "body": "再次"},
                      content_type=JSON, headers=bearer(inspector)).json()  # fmt: skip
    year = timezone.localdate().year
    assert first["number"] == f"黄石港应急责改〔{year}〕1号" and second["number"] == f"黄石港应急责改〔{year}〕2号"
    assert Notification.objects.filter(recipient=cast.enterprise_manager, title=first["number"]).exists()
    by_enterprise = api.post("/api/v1/enforcement-documents", {"org": cast.enterprise_x.pk, "kind": "order",
                             "body": "x"}, content_type=JSON, headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert by_enterprise.status_code == 403
    assert api.get("/api/v1/enforcement-documents", headers=bearer(cast.enterprise_manager)).json()["count"] == 2


def test_commitments_and_missing_ones_flagged_at_ten(cast, api, bearer, inspector, profiles):
    morning = datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(morning, tick=False):
        assert services.commitments_flag_missing() == 0  # before 10:00
    with time_machine.travel(morning + timedelta(minutes=31), tick=False):
        assert services.commitments_flag_missing() == 1  # enterprise X is high-risk and has not committed
        assert services.commitments_flag_missing() == 0
        assert MissedCommitment.objects.get().org == cast.enterprise_x
        assert Notification.objects.filter(recipient=cast.street_officer, title__contains="1").exists()
        assert Notification.objects.filter(recipient=inspector).exists()
        body = {"org": cast.enterprise_x.pk, "items": {"major_hazards_controlled": True, "key_equipment_normal": False}}
        refused = api.post("/api/v1/commitments", body, content_type=JSON, headers=bearer(cast.enterprise_manager))
        assert refused.status_code == 400 and "exceptions" in refused.json()["errors"]
        made = api.post("/api/v1/commitments", {**body, "exceptions": "2号泵检修"}, content_type=JSON,
                        headers=bearer(cast.enterprise_manager))  # fmt: skip
        assert made.status_code == 201 and made.json()["day"] == "2026-12-02"
        twice = api.post("/api/v1/commitments", {**body, "exceptions": "x"}, content_type=JSON,
                         headers=bearer(cast.enterprise_manager))  # fmt: skip
        assert twice.status_code == 409
        other = api.post("/api/v1/commitments", {**body, "org": cast.enterprise_y.pk, "exceptions": "x"},
                         content_type=JSON, headers=bearer(cast.enterprise_manager))  # fmt: skip
        assert other.status_code == 400


def test_four_colour_layer_and_indicators(cast, api, bearer, street_b_officer, profiles):
    for likelihood, severity in ((1, 1), (4, 4)):
        services.risk_point_create(by=None, org=cast.enterprise_x, name=f"p{likelihood}", hazard="h",
                                   method="matrix", likelihood=likelihood, severity=severity, control_level="team",
                                   responsible="r")  # fmt: skip
    layer = api.get("/api/v1/map/layers/risk", headers=bearer(cast.duty)).json()
    colours = {f["properties"]["name"]: f["properties"]["colour"] for f in layer["features"]}
    assert colours == {cast.enterprise_x.name: "orange", cast.enterprise_y.name: ""}
    # Each feature carries its map colour: the grade's, grey when nothing is assessed.
    hexes = {f["properties"]["name"]: f["properties"]["color"] for f in layer["features"]}
    assert hexes == {cast.enterprise_x.name: "#f79009", cast.enterprise_y.name: "#98a2b3"}
    theirs = api.get("/api/v1/map/layers/risk", headers=bearer(street_b_officer)).json()
    assert [f["properties"]["name"] for f in theirs["features"]] == [cast.enterprise_y.name]
    danger = services.danger_create(by=None, org=cast.enterprise_x, title="d")
    services.danger_transition(by=None, danger=danger, to="rectifying", measures="m", responsible="r", funds=0,
                               interim_measures="i", deadline=timezone.now() + timedelta(days=1))  # fmt: skip
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        data = api.get("/api/v1/risk/indicators", headers=bearer(cast.duty)).json()
    street_a = next(g for g in data["groups"] if g["group"] == cast.street_a.name)
    assert street_a["risk_points"] == {"red": 0, "orange": 1, "yellow": 0, "blue": 1}
    assert street_a["dangers_open"] == 1 and street_a["dangers_overdue"] == 1 and street_a["five_required"] == 1
    assert data["total"]["enterprises"] == 2 and data["total"]["five_rate"] == 0
    theirs = api.get("/api/v1/risk/indicators", headers=bearer(street_b_officer)).json()
    assert theirs["total"]["risk_points"]["orange"] == 0 and theirs["total"]["enterprises"] == 1


def test_list_endpoints_do_not_grow_queries_with_rows(cast, api, bearer, profiles, django_assert_max_num_queries):
    for i in range(30):
        services.risk_point_create(by=None, org=cast.enterprise_x if i % 2 else cast.enterprise_y, name=f"p{i}",
                                   hazard="h", method="matrix", likelihood=1 + i % 5, severity=2,
                                   control_level="team", responsible="r")  # fmt: skip
        services.danger_create(by=None, org=cast.enterprise_x if i % 2 else cast.enterprise_y, title=f"d{i}")
    headers = bearer(cast.duty)
    limits = {"/api/v1/hidden-dangers?page_size=50": 6, "/api/v1/risk-points?page_size=50": 6,
              "/api/v1/enterprises": 6, "/api/v1/map/layers/risk": 5, "/api/v1/risk/indicators": 10}  # fmt: skip
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert api.get(url, headers=headers).status_code == 200


def test_checklist_and_self_inspection(cast, api, bearer, street_b_officer):
    items = api.get("/api/v1/risk/checklists?industry=hazchem", headers=bearer(cast.enterprise_manager)).json()["items"]
    assert "重大危险源已辨识、评估、登记建档并备案" in items and items[0] == "安全生产责任制及管理制度健全"
    body = {"org": cast.enterprise_x.pk, "checklist": [{"item": items[0], "ok": True},
                                                       {"item": items[-1], "ok": False, "note": "未投用"}]}  # fmt: skip
    answer = api.post("/api/v1/self-inspections", body, content_type=JSON, headers=bearer(cast.enterprise_manager))
    assert answer.status_code == 201 and answer.json()["self_inspection"] is True
    danger = HiddenDanger.objects.get(inspection_id=answer.json()["id"])
    assert danger.source == "self" and danger.title == items[-1] and danger.description == "未投用"
    other = api.post("/api/v1/self-inspections", {**body, "org": cast.enterprise_y.pk}, content_type=JSON,
                     headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert other.status_code == 400
    assert (
        api.get(f"/api/v1/inspections?org={cast.enterprise_x.pk}", headers=bearer(street_b_officer)).json()["count"]
        == 0
    )


def test_reinspection_reminder_once(cast, inspector):
    inspection = services.inspection_create(by=inspector, org=cast.enterprise_x)
    services.inspection_record(by=inspector, inspection=inspection, checklist=[],
                               reinspect_by=timezone.localdate() + timedelta(days=1))  # fmt: skip
    assert services.reinspections_remind() == 1
    assert services.reinspections_remind() == 0
    assert Notification.objects.filter(recipient=inspector, link=f"/risk/inspections/{inspection.pk}/").exists()
