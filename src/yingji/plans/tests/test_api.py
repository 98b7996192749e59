"""The plans API: registry, body, transitions (409 naming the allowed), versions, cards, attachments, import, scope."""

import hashlib
import io

import pytest
from docx import Document

from yingji.core.services import user_create
from yingji.plans.models import PlanAttachment, PlanStatus
from yingji.plans.tests.conftest import BODY


def test_create_fill_submit_review_approve_file(api, bearer, cast, commander):
    manager, boss = bearer(cast.enterprise_manager), bearer(commander)
    created = api.post(
        "/api/v1/plans",
        {
            "org": cast.enterprise_x.pk,
            "title": "储罐泄漏现场处置方案",
            "level": "enterprise_onsite",
            "incident_types": ["hazchem_leak"],
        },
        content_type="application/json",
        headers=manager,
    )
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["allowed"] == ["under_review", "abolished"]
    body = api.put(f"/api/v1/plans/{plan_id}/body", BODY, content_type="application/json", headers=manager)
    assert body.status_code == 200, body.json()
    detail = body.json()
    assert [r["name"] for r in detail["roles"]] == ["总指挥", "现场处置组"]
    assert {t["level"] for t in detail["tiers"]} == {"IV", "II"} and detail["response_levels"] == ["II", "IV"]
    assert detail["steps"][0]["role"] in ("总指挥", "现场处置组") and len(detail["steps"]) == 5

    def move(to: str, headers):
        return api.post(
            f"/api/v1/plans/{plan_id}/transitions", {"to": to}, content_type="application/json", headers=headers
        )

    assert move("under_review", manager).status_code == 200
    review = api.post(
        f"/api/v1/plans/{plan_id}/review",
        {"comments": "同意", "conclusion": "pass"},
        content_type="application/json",
        headers=boss,
    )
    assert review.status_code == 200 and review.json()["conclusion"] == "pass"
    assert move("approved", manager).status_code == 403
    assert move("approved", boss).status_code == 200
    filed = move("filed", boss)
    assert filed.status_code == 200 and filed.json()["filing_number"].endswith("0001号")
    assert filed.json()["evaluation_due"] is not None


def test_invalid_transition_is_409_naming_the_allowed(api, bearer, make_plan, commander):
    plan = make_plan()
    response = api.post(
        f"/api/v1/plans/{plan.pk}/transitions",
        {"to": "filed"},
        content_type="application/json",
        headers=bearer(commander),
    )
    assert response.status_code == 409
    assert response.json()["allowed"] == ["under_review", "abolished"]
    assert "under_review, abolished" in response.json()["detail"]
    bad = api.post(
        f"/api/v1/plans/{plan.pk}/transitions",
        {"to": "published"},
        content_type="application/json",
        headers=bearer(commander),
    )
    assert bad.status_code == 400 and "to" in bad.json()["errors"]


def test_body_errors_name_the_field(api, bearer, make_plan, cast):
    plan = make_plan(body={})
    body = {"roles": [{"name": "总指挥"}], "steps": [{"level": "IV", "role": "副总指挥", "action": "到场"}]}
    response = api.put(
        f"/api/v1/plans/{plan.pk}/body", body, content_type="application/json", headers=bearer(cast.enterprise_manager)
    )
    assert response.status_code == 400 and "steps.0.role" in response.json()["errors"]
    response = api.put(
        f"/api/v1/plans/{plan.pk}/body",
        {"tiers": [{"level": "V", "trigger": "x"}]},
        content_type="application/json",
        headers=bearer(cast.enterprise_manager),
    )
    assert response.status_code == 400


def test_versions_and_diff(api, bearer, make_plan, cast):
    plan = make_plan(status=PlanStatus.FILED)
    manager = bearer(cast.enterprise_manager)
    api.post(
        f"/api/v1/plans/{plan.pk}/transitions", {"to": "revising"}, content_type="application/json", headers=manager
    )
    changed = {
        **BODY,
        "tiers": [{"level": "IV", "trigger": "少量泄漏"}, {"level": "II", "trigger": "大量泄漏或人员中毒"}],
    }
    api.put(f"/api/v1/plans/{plan.pk}/body", changed, content_type="application/json", headers=manager)
    api.post(
        f"/api/v1/plans/{plan.pk}/transitions", {"to": "under_review"}, content_type="application/json", headers=manager
    )
    versions = api.get(f"/api/v1/plans/{plan.pk}/versions", headers=manager).json()
    assert [v["number"] for v in versions] == [2, 1]
    diff = api.get(f"/api/v1/plans/{plan.pk}/diff", {"old": 1, "new": 2}, headers=manager).json()["diff"]
    assert "-- IV级: 少量泄漏，可在岗位处置" in diff and "+- IV级: 少量泄漏" in diff
    assert api.get(f"/api/v1/plans/{plan.pk}/diff", {"old": 1, "new": 9}, headers=manager).status_code == 404


def test_cards_per_role_with_steps_contacts_and_reports(api, bearer, make_plan, cast):
    plan = make_plan(status=PlanStatus.FILED)
    cards = api.get(f"/api/v1/plans/{plan.pk}/cards", headers=bearer(cast.duty)).json()
    chief = next(c for c in cards if c["role"] == "总指挥")
    assert chief["steps"] == [
        ["IV", ["赶赴现场确认险情（15 分钟内）"]],
        ["II", ["启动二级响应，请求区应急局支援（10 分钟内）"]],
    ]
    assert ["现场处置组 李明", "13900000002"] in chief["contacts"]
    assert chief["reports"] == ["事故简要情况 → 黄石港区应急管理局 0714-6200000，60 分钟内"]
    assert chief["triggers"][0] == ["IV", "少量泄漏，可在岗位处置"]
    crew = next(c for c in cards if c["role"] == "现场处置组")
    assert crew["steps"][1] == ["II", ["疏散下风向 500 米内人员（20 分钟内）", "设置警戒区"]]


def test_attachment_keeps_its_checksum(api, bearer, make_plan, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan()
    content = b"%PDF-1.4 plan"
    response = api.post(
        f"/api/v1/plans/{plan.pk}/attachments", {"file": io.BytesIO(content)}, headers=bearer(cast.enterprise_manager)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["sha256"] == hashlib.sha256(content).hexdigest() and response.json()["size"] == len(content)
    stored = PlanAttachment.objects.get()
    assert hashlib.sha256(stored.file.read()).hexdigest() == stored.sha256


def _docx() -> bytes:
    document = Document()
    document.add_heading("甲化工综合应急预案", level=0)
    document.add_heading("1 总则", level=1)
    document.add_paragraph("本预案适用于本公司生产安全事故。")
    document.add_heading("1.2 响应分级", level=2)
    document.add_paragraph("Ⅰ级响应：发生人员死亡或大面积泄漏。")
    document.add_paragraph("Ⅱ级响应：发生人员中毒。")
    document.add_paragraph("Ⅲ级响应：局部泄漏，需要全厂支援。")
    document.add_heading("2 应急组织机构及职责", level=1)
    document.add_paragraph("总指挥：全面指挥事故救援。")
    document.add_paragraph("（1）抢险组：负责堵漏和抢修。")
    document.add_heading("3.1 信息报告", level=2)
    document.add_paragraph("事故发生后 1 小时内报告区应急管理局。")
    document.add_heading("附件 应急物资装备名录", level=1)
    document.add_paragraph("空气呼吸器 10 具")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_import_maps_headings_to_parts(api, bearer, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = api.post(
        "/api/v1/plans/import",
        {"file": io.BytesIO(_docx()), "org": cast.enterprise_x.pk, "level": "enterprise_comprehensive"},
        headers=bearer(cast.enterprise_manager),
    )
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert plan["title"] == "甲化工综合应急预案" and plan["status"] == "draft"
    assert [(s["part"], s["heading"]) for s in plan["sections"]] == [
        ("general", "1 总则"),
        ("levels", "1.2 响应分级"),
        ("organisation", "2 应急组织机构及职责"),
        ("reporting", "3.1 信息报告"),
    ]
    assert [(r["name"], r["duties"]) for r in plan["roles"]] == [
        ("总指挥", "全面指挥事故救援。"),
        ("抢险组", "负责堵漏和抢修。"),
    ]
    assert sorted(t["level"] for t in plan["tiers"]) == ["I", "II", "III"]
    assert plan["annexes"] == [{"title": "附件 应急物资装备名录", "body": "空气呼吸器 10 具"}]
    attachment = PlanAttachment.objects.get()
    assert attachment.plan_id == plan["id"] and attachment.sha256 == hashlib.sha256(attachment.file.read()).hexdigest()


def test_import_of_a_non_docx_is_400(api, bearer, cast):
    response = api.post(
        "/api/v1/plans/import",
        {"file": io.BytesIO(b"not a zip"), "org": cast.enterprise_x.pk, "level": "enterprise_comprehensive"},
        headers=bearer(cast.enterprise_manager),
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_scope_street_b_cannot_see_street_a_plans(api, bearer, make_plan, cast):
    plan = make_plan()
    for user in (cast.street_officer, cast.enterprise_manager, cast.duty):
        assert api.get(f"/api/v1/plans/{plan.pk}", headers=bearer(user)).status_code == 200
    street_b = user_create(
        by=None, username="t_street_b", password="Correct-Horse-42", org=cast.street_b, roles=["street_officer"]
    )
    assert api.get(f"/api/v1/plans/{plan.pk}", headers=bearer(street_b)).status_code == 404
    assert api.get("/api/v1/plans", headers=bearer(street_b)).json()["count"] == 0
    assert api.get(f"/api/v1/plans/{plan.pk}", headers=bearer(cast.outsider)).status_code == 404
    moved = api.post(
        f"/api/v1/plans/{plan.pk}/transitions",
        {"to": "under_review"},
        content_type="application/json",
        headers=bearer(street_b),
    )
    assert moved.status_code == 404


def test_enterprise_cannot_register_a_plan_for_another_unit(api, bearer, cast):
    response = api.post(
        "/api/v1/plans",
        {"org": cast.enterprise_y.pk, "title": "x", "level": "enterprise_onsite"},
        content_type="application/json",
        headers=bearer(cast.enterprise_manager),
    )
    assert response.status_code == 400 and "org" in response.json()["errors"]
    huge = api.post(
        "/api/v1/plans",
        {"org": 2**64, "title": "x", "level": "street"},
        content_type="application/json",
        headers=bearer(cast.duty),
    )
    assert huge.status_code == 400


def test_stats_count_filings_and_overdue_per_street(api, bearer, make_plan, cast):
    make_plan(status=PlanStatus.FILED)
    body = api.get("/api/v1/plans-stats", headers=bearer(cast.duty)).json()
    street_a = next(row for row in body["streets"] if row["street"] == "甲街道")
    assert street_a["filed_this_year"] == 1 and street_a["in_force"] == 1 and street_a["overdue"] == 0
    assert body["industries"] == [{"industry": "危险化学品", "in_force": 1, "overdue": 0}]


def test_list_query_count_is_bounded(api, bearer, make_plan, cast, django_assert_max_num_queries):
    for i in range(5):
        make_plan(title=f"方案{i}", status=PlanStatus.FILED)
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/plans", headers=headers)
    assert response.json()["count"] == 5
    detail = api.get(f"/api/v1/plans/{response.json()['items'][0]['id']}", headers=headers).json()
    assert detail["filings"][0]["number"] == detail["filing_number"]
    stats = api.get("/api/v1/plans-stats", headers=headers).json()
    assert len(stats["undrilled_plans"]) == 5 and stats["undrilled_enterprises"] == [
        {"id": cast.enterprise_x.pk, "name": "甲化工有限公司"}
    ]


def test_body_links_registry_resources_and_review_names_experts(api, bearer, cast, commander, make_plan):
    from yingji.resources import services as resources

    team = resources.team_create(
        by=None,
        parent=cast.street_a,
        code="TM-A",
        name="甲街道救援队",
        kind="hazchem",
        phone="0714-6111111",
        lat=30.215,
        lon=115.085,
    )
    expert = resources.expert_create(by=None, org=cast.district, code="EX-1", name="张伟", field="hazchem")
    plan = make_plan(body={})
    body = {**BODY, "resources": [{"kind": "team", "id": team.pk, "note": "危化品处置"}]}
    response = api.put(
        f"/api/v1/plans/{plan.pk}/body", body, content_type="application/json", headers=bearer(cast.street_officer)
    )
    assert response.status_code == 200, response.json()
    assert response.json()["resources"] == [
        {"kind": "team", "id": team.pk, "name": "甲街道救援队", "note": "危化品处置"}
    ]
    cards = api.get(f"/api/v1/plans/{plan.pk}/cards", headers=bearer(cast.duty)).json()
    assert ["甲街道救援队", "0714-6111111"] in cards[0]["contacts"]
    outside = {**BODY, "resources": [{"kind": "team", "id": team.pk}]}
    refused = api.put(
        f"/api/v1/plans/{plan.pk}/body",
        outside,
        content_type="application/json",
        headers=bearer(cast.enterprise_manager),
    )
    assert refused.status_code == 400 and "resources.0.id" in refused.json()["errors"]
    api.post(
        f"/api/v1/plans/{plan.pk}/transitions",
        {"to": "under_review"},
        content_type="application/json",
        headers=bearer(cast.street_officer),
    )
    review = api.post(
        f"/api/v1/plans/{plan.pk}/review",
        {"experts": [expert.pk], "conclusion": "revise"},
        content_type="application/json",
        headers=bearer(commander),
    )
    assert review.status_code == 200 and review.json()["experts"] == ["张伟"]
    unknown = api.post(
        f"/api/v1/plans/{plan.pk}/review",
        {"experts": [10**12]},
        content_type="application/json",
        headers=bearer(commander),
    )
    assert unknown.status_code == 400 and "experts" in unknown.json()["errors"]


def test_nul_characters_are_a_400_not_a_crash(api, bearer, cast, make_plan):
    headers = bearer(cast.enterprise_manager)
    created = api.post(
        "/api/v1/plans",
        {"org": cast.enterprise_x.pk, "title": "a\x00b", "level": "enterprise_onsite"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 400
    plan = make_plan(body={})
    body = api.put(
        f"/api/v1/plans/{plan.pk}/body",
        {"roles": [{"name": "总指挥", "duties": "x\x00"}]},
        content_type="application/json",
        headers=headers,
    )
    assert body.status_code == 400
    # The services refuse them too, for callers other than the API (demo loaders, imports).
    from yingji.core.errors import ValidationFailed
    from yingji.plans import services

    with pytest.raises(ValidationFailed) as caught:
        services.plan_body_set(by=None, plan=plan, body={"roles": [{"name": "总指挥", "duties": "x\x00"}]})
    assert "roles.0.duties" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(by=None, org=cast.enterprise_x, title="ok", level="street", incident_types=["x\x00"])
    assert "incident_types" in caught.value.errors


def test_patch_null_is_a_400(api, bearer, cast, make_plan):
    plan = make_plan(body={})
    headers = bearer(cast.enterprise_manager)
    for field in ("title", "level", "incident_types", "response_levels", "scope"):
        response = api.patch(
            f"/api/v1/plans/{plan.pk}", {field: None}, content_type="application/json", headers=headers
        )
        assert response.status_code == 400 and field in response.json()["errors"], (field, response.json())
    ok = api.patch(f"/api/v1/plans/{plan.pk}", {"title": "新名称"}, content_type="application/json", headers=headers)
    assert ok.status_code == 200 and ok.json()["title"] == "新名称"
