"""A drill in headless Chromium: from the drill's page the duty officer drafts a drill warning, the commander
publishes it, and it is marked 演练 in the warnings list (desktop and phone) while the public API never shows it; the
drill's incident is marked on the incident list and the duty desk."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.incidents import activation
from yingji.incidents import services as incident_services
from yingji.incidents.models import IncidentType
from yingji.plans import services
from yingji.warnings.models import EarlyWarning

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_drill_warning_is_drafted_from_the_drill_and_marked_everywhere(page, live_server, cast, commander):
    drill = services.drill_create(
        by=None,
        org=cast.district,
        title="危化品泄漏综合演练",
        content="comprehensive",
        form="field",
        scheduled_for=timezone.now() + timedelta(days=1),
    )
    page.set_default_timeout(60_000)  # the machine is shared: allow for a slow moment
    sign_in(page, cast.duty.username, PASSWORD)
    page.goto(f"/plans/drills/{drill.pk}/")
    page.get_by_role("link", name="起草演练预警").click()
    assert page.get_by_label("演练").is_checked()
    assert page.get_by_label("标题").input_value() == drill.title
    page.get_by_label("预警内容").fill("演练：甲化工储罐区发生泄漏，请甲街道居民按演练方案疏散。")
    page.get_by_label(cast.street_a.name).check()
    expires = timezone.localtime() + timedelta(hours=3)
    page.get_by_label("失效时间").fill(expires.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="保存草稿").click()
    page.locator("h1 .tag.exercise", has_text="演练").wait_for()
    warning = EarlyWarning.objects.get(headline=drill.title)
    assert warning.exercise is True

    # Leave the page first: a late answer to one of its requests would set the session cookie again.
    page.goto("about:blank")
    page.context.clear_cookies()
    sign_in(page, commander.username, PASSWORD)
    page.goto(f"/warnings/{warning.pk}/")
    page.get_by_role("button", name="审批通过").click()
    page.get_by_role("button", name="发布").click()
    page.locator("#warning-status", has_text="已发布").wait_for()
    page.goto("/warnings/")
    row = page.locator("tr", has_text=drill.title)
    assert row.locator(".tag.exercise").inner_text() == "演练"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "exercise-warnings-1440.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "exercise-warnings-390.png"), full_page=True)
    # Outside the platform it does not exist.
    assert Client().get(f"/api/v1/warnings/{warning.pk}").status_code == 404

    incident = incident_services.incident_create(
        by=cast.duty,
        title="储罐泄漏（演练）",
        category="accident",
        type=IncidentType.objects.get(code="hazchem_leak"),
        occurred_at=timezone.now() - timedelta(minutes=5),
        lat=30.215,
        lon=115.085,
        enterprise=cast.enterprise_x,
    )
    activation.incident_mark_exercise(by=cast.duty, incident=incident)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/incidents/list/")
    assert page.locator("tr", has_text=incident.title).locator(".tag.exercise").count() == 1
    page.screenshot(path=str(ARTIFACTS / "exercise-incidents-1440.png"))
    page.goto("/incidents/")
    assert page.locator("#open-incidents tr", has_text=incident.title).locator(".tag.exercise").count() == 1
    page.screenshot(path=str(ARTIFACTS / "exercise-desk-1440.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/incidents/list/")
    page.screenshot(path=str(ARTIFACTS / "exercise-incidents-390.png"), full_page=True)
