"""A street officer hands out relief on the event page in a real headless Chromium: the goods leave the warehouse,
a repeat is refused with the reason field highlighted, and goes through once a reason is given."""

import pytest

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.resources.models import StockBalance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_officer_hands_out_relief_and_a_repeat_needs_a_reason(page, cast, relief):
    page.goto("/login/")
    page.locator("#id_username").fill(cast.street_officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"/relief/events/{relief.event.pk}/")

    def hand_out(reason: str = "") -> None:
        page.locator("#id_household").select_option(str(relief.home_a.pk))
        page.locator("#id_material").select_option(str(relief.stock.water.pk))
        page.locator("#id_warehouse").select_option(str(relief.stock.warehouse_a.pk))
        page.locator("#id_quantity").fill("2")
        page.locator("#id_signed_by").fill("张三")
        page.locator("#id_override_reason").fill(reason)
        page.locator("form.distribution button[type=submit]").click()

    hand_out()
    page.wait_for_selector("text=已登记发放并出库")
    hand_out()
    assert "领取过本次灾害的瓶装饮用水" in page.locator("form.distribution").inner_text()
    hand_out(reason="家中新增转移安置人员")
    page.wait_for_selector("text=已登记发放并出库")
    assert StockBalance.objects.get(warehouse=relief.stock.warehouse_a, item=relief.stock.water).quantity == 96
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "relief-event.png"), full_page=True)
