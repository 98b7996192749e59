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


def test_duty_officer_starts_and_ends_a_response_after_confirming(page, cast):
    from yingji.relief.models import DisasterEvent, EventStatus

    page.goto("/login/")
    page.locator("#id_username").fill(cast.duty.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto("/relief/")
    page.locator("details.open-event summary").click()
    page.locator("#id_org").select_option(str(cast.district.pk))
    page.locator("#id_code").fill("BR-2026-09")
    page.locator("#id_name").fill("9月山洪")
    page.locator("#id_hazard").select_option("flood")
    page.locator("#id_started_on").fill("2026-09-01")
    # The page fixture accepts confirmations and keeps what they asked.
    page.locator("form.open-event button[type=submit]").click()
    page.wait_for_selector("#event-status")
    assert len(page.dialogs) == 1
    assert page.locator("#event-status").inner_text() == str(EventStatus.OPEN.label)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "relief-event-open.png"), full_page=True)

    page.locator("form.close-event button[type=submit]").click()
    page.wait_for_selector(f"#event-status:has-text('{EventStatus.CLOSED.label}')")
    assert DisasterEvent.objects.get(code="BR-2026-09").status == EventStatus.CLOSED
    assert page.locator("form.close-event").count() == 0 and len(page.dialogs) == 2
