"""On the incident page a duty officer activates the proposed plan; its tasks and the commander's card appear."""

import pytest

from yingji.conftest import PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.incidents.models import PlanActivation, Task
from yingji.plans.models import PlanStatus
from yingji.plans.tests.conftest import make_plan  # noqa: F401 — shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duty_officer_activates_the_proposed_plan(page, live_server, cast, record, make_plan):  # noqa: F811
    plan = make_plan(status=PlanStatus.FILED, title="甲化工储罐区现场处置方案")
    incident = record()
    sign_in(page, cast.duty.username, PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    proposal = page.locator(f".plan-proposal[data-plan='{plan.pk}']")
    assert "事发企业甲化工有限公司" in proposal.inner_text()
    proposal.locator("select[name=level]").select_option("IV")
    proposal.locator("form.activate-plan button").click()
    page.wait_for_selector(".plan-tasks li")
    tasks = page.locator(".plan-tasks").inner_text()
    assert "总指挥：赶赴现场确认险情" in tasks and "现场处置组：关闭泄漏点上游阀门" in tasks
    card = page.locator(".plan-card")
    assert "总指挥" in card.locator("summary").inner_text() and "赶赴现场确认险情" in card.inner_text()
    assert PlanActivation.objects.get().level == "IV" and Task.objects.filter(incident=incident).count() == 2
    # Pressing again at the same level adds nothing.
    proposal.locator("form.activate-plan button").click()
    page.wait_for_load_state("networkidle")
    assert Task.objects.filter(incident=incident).count() == 2
