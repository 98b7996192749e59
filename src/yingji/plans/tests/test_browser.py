"""The plan registry in headless Chromium: a commander reviews, approves and files a plan, prints the receipt, and a
phone shows the response cards in one column."""

import pytest

from yingji.conftest import PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.plans.models import PlanStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commander_reviews_approves_and_files_a_plan(page, live_server, make_plan, commander):
    plan = make_plan(status=PlanStatus.UNDER_REVIEW)
    sign_in(page, commander.username, PASSWORD)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_label("评审意见").fill("要素齐全")
    page.get_by_label("评审结论").select_option("pass")
    page.get_by_role("button", name="保存评审").click()
    page.locator("button[data-to='approved']").click()
    page.wait_for_selector("button[data-to='filed']")
    page.locator("button[data-to='filed']").click()
    page.wait_for_selector("#plan-status >> text=已备案")
    number = page.locator("#filing-number").inner_text()
    assert number.startswith("黄石港应急预案备〔") and number.endswith("0001号")
    page.get_by_role("link", name="备案回执").click()
    assert number in page.locator("article.receipt").inner_text()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED and plan.filing_number == number


def test_cards_read_in_one_column_on_a_phone(page, live_server, make_plan, cast):
    plan = make_plan(status=PlanStatus.FILED)
    sign_in(page, cast.enterprise_manager.username, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/plans/{plan.pk}/cards/")
    cards = page.locator("article.card")
    assert cards.count() == 2
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"] - 1 and first["width"] <= 390
    assert "关闭泄漏点上游阀门" in cards.nth(1).inner_text()
