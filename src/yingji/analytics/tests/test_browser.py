"""The command dashboard in Chromium, served by uvicorn as `yingji serve` does: an incident recorded at the duty
desk reaches the open dashboard without a reload; and the report archive's progress bar turns into links."""

import pytest

from yingji.analytics import services
from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.incidents.models import IncidentType
from yingji.incidents.services import incident_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recorded_incident_updates_the_open_dashboard(asgi_page, cast):
    page = asgi_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, "t_duty", PASSWORD)
    page.goto("/dashboard/")
    page.wait_for_selector("#live-state.on")
    # The page's CSP forbids evaluating strings: wait on selectors (Playwright queries the DOM itself).
    page.wait_for_selector("#dashboard[data-refreshed]")
    assert page.locator("#kpi-open").inner_text() == "0"
    fire = IncidentType.objects.get(code="fire")
    incident_create(
        by=cast.duty,
        title="甲化工仓库火灾",
        category=fire.category,
        type=fire,
        occurred_at=cast.duty.date_joined,
        enterprise=cast.enterprise_x,
        lat=30.215,
        lon=115.085,
        address="甲化工有限公司仓库",
        serious_injuries=1,
    )
    page.wait_for_selector("#kpi-open:text-is('1')", timeout=15_000)
    assert "甲化工仓库火灾" in page.locator("#open-list").inner_text()
    page.wait_for_selector("#map[data-incidents='1']", state="attached", timeout=15_000)
    assert page.locator("#chart-grades").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-1920.png"))


def test_report_progress_turns_into_links(page, cast):
    report = services.report_request(by=cast.duty, kind="annual", period="2025")
    sign_in(page, "t_duty", PASSWORD)
    page.goto("/analytics/reports/")
    row = page.locator(f'tr[data-id="{report.pk}"]')
    assert row.locator(".progress").count() == 1
    services.reports_build_queued()
    row.locator("a", has_text="PDF").wait_for(timeout=10_000)
    assert row.get_attribute("data-status") == "done"
