"""The incident page in headless Chromium: the commander requests materials from a warehouse and sees them on the
timeline."""

import re

import pytest

from yingji.conftest import PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.incidents.models import MaterialRequest
from yingji.resources.services import stock_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commander_requests_materials_on_the_incident_page(page, cast, commander, record, stock):
    stock_receive(by=None, warehouse=stock.warehouse_a, item=stock.water, quantity=10, reason="入库")
    incident = record()
    sign_in(page, commander.username, PASSWORD)
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"/incidents/{incident.pk}/")
    form = page.locator("#material-form")
    # A field wrapped in its label is named by the label and its current value: match the label's start.
    form.get_by_label(re.compile(r"^储备库")).select_option(str(stock.warehouse_a.pk))
    form.get_by_label(re.compile(r"^物资")).select_option(str(stock.water.pk))
    form.get_by_label(re.compile(r"^数量")).fill("12")
    form.get_by_label("事由", exact=True).fill("现场人员饮水")
    form.get_by_role("button", name="申请调拨物资").click()
    # More than is on hand: the field says so in Chinese and nothing is issued.
    page.wait_for_selector("#material-form .errors")
    assert "可用库存仅 10" in form.inner_text()
    assert MaterialRequest.objects.count() == 0
    form.get_by_label(re.compile(r"^数量")).fill("4")
    form.get_by_role("button", name="申请调拨物资").click()
    page.wait_for_selector("#materials tbody tr td >> text=现场人员饮水")
    assert "调拨物资" in page.locator("#timeline").inner_text()
    assert "现场人员饮水" in page.locator("#timeline").inner_text()
    assert MaterialRequest.objects.get().requested_by == commander
