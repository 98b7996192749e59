"""The duty desk in headless Chromium: record an incident on the map, report it, see it on the timeline."""

import pytest

from yingji.core.tests.test_browser import PASSWORD, sign_in
from yingji.incidents.models import Dispatch, Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duty_officer_records_an_incident_on_the_map_dispatches_and_reports_it(page, demo_world):
    sign_in(page, "duty", PASSWORD)
    page.get_by_role("link", name="值守应急").first.click()
    page.wait_for_selector("#map[data-boundary-loaded='true']")
    assert page.locator("h1").first.inner_text() == "值守应急"
    # Click inside the district: the form takes the point.
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.55)
    page.wait_for_selector("#map[data-picked]")
    assert page.locator("#intake-form [name=lat]").input_value() != ""
    page.get_by_label("标题").fill("储罐区可燃气体泄漏")
    page.get_by_label("事件类型").select_option("hazchem_leak")
    page.get_by_label("信息来源").select_option("transfer_119")
    page.get_by_label("报告人", exact=True).fill("王五")
    page.get_by_label("重伤人数").fill("10")
    page.get_by_role("button", name="登记").click()
    page.wait_for_selector("#timeline li")
    incident = Incident.objects.get()
    assert incident.grade == "III" and incident.lat is not None
    assert incident.org.kind in ("community", "street")
    assert "较大事故" in page.locator("h1").inner_text()
    assert "接报" in page.locator("#timeline").inner_text()
    # Recommended resources by travel time; one click dispatches the nearest.
    first = page.locator("#recommended tbody tr").first
    name = first.locator("td").nth(1).inner_text()
    first.get_by_role("button", name="调度").click()
    page.wait_for_selector("#dispatches tbody tr td >> text=已派出")
    dispatch = Dispatch.objects.get()
    assert dispatch.resource_name in name and dispatch.eta_s is not None
    assert f"调派 {dispatch.resource_name}" in page.locator("#timeline").inner_text()
    page.get_by_role("button", name="标记为已报送").click()
    page.wait_for_selector("#timeline li:nth-child(3)")
    assert "初报已报送黄石市应急管理局" in page.locator("#timeline").inner_text()
