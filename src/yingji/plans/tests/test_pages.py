"""The plans pages render for the right people and drive the services."""

import io

import pytest
from django.test import Client
from docx import Document

from yingji.conftest import PASSWORD
from yingji.plans.models import Plan, PlanStatus


@pytest.fixture
def signed_in():
    def login(user) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_list_detail_cards_diff_and_receipt(signed_in, make_plan, cast):
    plan = make_plan(status=PlanStatus.FILED)
    client = signed_in(cast.duty)
    listing = client.get("/plans/")
    assert listing.status_code == 200 and plan.title in listing.content.decode()
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "关闭泄漏点上游阀门" in detail and plan.filing_number in detail
    cards = client.get(f"/plans/{plan.pk}/cards/").content.decode()
    assert "赶赴现场确认险情" in cards and 'href="tel:13900000002"' in cards
    chief = plan.roles.get(name="总指挥")
    one = client.get(f"/plans/{plan.pk}/cards/?role={chief.pk}").content.decode()
    assert one.count('<article class="card">') == 1
    filing = plan.filings.get()
    assert filing.number in client.get(f"/plans/{plan.pk}/receipt/{filing.pk}/").content.decode()
    assert client.get(f"/plans/{plan.pk}/diff/?old=1&new=1").status_code == 200
    assert client.get(f"/plans/{plan.pk}/diff/?old=1&new=7").status_code == 404


def test_moves_on_the_page(signed_in, make_plan, cast, commander):
    plan = make_plan(status=PlanStatus.UNDER_REVIEW)
    boss = signed_in(commander)
    response = boss.post(f"/plans/{plan.pk}/review/", {"comments": "通过", "conclusion": "pass"})
    assert response.status_code == 302
    boss.post(f"/plans/{plan.pk}/move/", {"to": "approved"})
    boss.post(f"/plans/{plan.pk}/move/", {"to": "filed"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED and plan.filing_number
    refused = boss.post(f"/plans/{plan.pk}/move/", {"to": "draft"}, follow=True)
    assert "revising, abolished" in refused.content.decode()


def test_author_adds_a_step_and_street_b_sees_nothing(signed_in, make_plan, cast):
    plan = make_plan(body={})
    manager = signed_in(cast.enterprise_manager)
    manager.post(f"/plans/{plan.pk}/step/", {"level": "III", "role": "总指挥", "action": "组织撤离", "due_minutes": 10})
    assert plan.steps.get().role.name == "总指挥" and Plan.objects.get(pk=plan.pk).response_levels == ["III"]
    assert signed_in(cast.street_officer).get(f"/plans/{plan.pk}/").status_code == 200
    from yingji.core.services import user_create

    other = user_create(by=None, username="t_street_b", password=PASSWORD, org=cast.street_b, roles=["street_officer"])
    assert signed_in(other).get(f"/plans/{plan.pk}/").status_code == 404
    assert signed_in(other).get(f"/plans/{plan.pk}/cards/").status_code == 404


def test_import_page_creates_a_draft(signed_in, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document()
    document.add_heading("应急组织机构及职责", level=1)
    document.add_paragraph("总指挥：全面负责。")
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    out.name = "plan.docx"
    client = signed_in(cast.enterprise_manager)
    response = client.post(
        "/plans/import/", {"org": cast.enterprise_x.pk, "level": "enterprise_comprehensive", "file": out}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    plan = Plan.objects.get()
    assert plan.status == PlanStatus.DRAFT and plan.roles.get().name == "总指挥"


def test_stats_drills_scenarios_pages(signed_in, make_plan, cast):
    make_plan(status=PlanStatus.FILED)
    client = signed_in(cast.duty)
    stats = client.get("/plans/stats/").content.decode()
    assert "甲街道" in stats and "储罐区泄漏现场处置方案" in stats  # filed, and not drilled this year
    assert client.get("/plans/drills/").status_code == 200
    assert client.get("/plans/scenarios/").status_code == 200


def test_author_sets_a_trigger_and_plans_a_drill(signed_in, make_plan, cast):
    plan = make_plan(body={})
    manager = signed_in(cast.enterprise_manager)
    manager.post(f"/plans/{plan.pk}/tier/", {"level": "II", "trigger": "大量泄漏"})
    assert plan.tiers.get().trigger == "大量泄漏"
    response = manager.post(
        "/plans/drills/",
        {
            "org": cast.enterprise_x.pk,
            "title": "桌面推演",
            "plan": plan.pk,
            "content": "single",
            "form": "tabletop",
            "scheduled_for": "2026-06-01T09:00",
        },
    )
    assert response.status_code == 302
    assert manager.get(response["Location"]).content.decode().count('name="item-') == 2 * 16


def test_author_fills_in_a_role(signed_in, make_plan, cast):
    plan = make_plan(body={})
    manager = signed_in(cast.enterprise_manager)
    manager.post(
        f"/plans/{plan.pk}/role/",
        {
            "name": "总指挥",
            "duties": "全面负责",
            "org": cast.enterprise_x.pk,
            "contact": "王强",
            "phone": "13900000001",
        },
    )
    role = plan.roles.get()
    assert (role.name, role.org, role.phone) == ("总指挥", cast.enterprise_x, "13900000001")
    refused = manager.post(f"/plans/{plan.pk}/role/", {"name": "外单位", "org": cast.enterprise_y.pk})
    assert refused.status_code == 400 and plan.roles.count() == 1
