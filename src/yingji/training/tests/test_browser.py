"""In a real headless Chromium, without signing in: a school books a visit to the experience hall, and a visitor
takes the safety quiz on a phone-sized screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.conftest import ARTIFACTS
from yingji.core.models import OrgKind
from yingji.core.services import org_create
from yingji.training import services
from yingji.training.demo import _questions
from yingji.training.models import HallBooking, QuizAttempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_school_books_a_hall_visit_and_a_visitor_takes_a_quiz(page):
    district = org_create(by=None, code="420202", name="黄石港区", kind=OrgKind.DISTRICT)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=2)
    slot = services.hall_slot_create(
        by=None, org=district, starts_at=start, ends_at=start + timedelta(minutes=75), capacity=40
    )
    _questions()
    page.goto("/training/hall/")
    page.get_by_label("时段").select_option(str(slot.pk))
    page.get_by_label("团体（学校、企业、社区）").fill("黄石港区实验小学四年级")
    page.get_by_label("团体类型").select_option("school")
    page.get_by_label("联系人").fill("张老师")
    page.get_by_label("电话").fill("13812345678")
    page.get_by_label("人数").fill("35")
    page.get_by_role("button", name="提交预约").click()
    booking = HallBooking.objects.get()
    assert booking.code in page.locator("#hall-booked").inner_text()
    assert "剩余 5 个名额" in page.get_by_label("时段").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hall-booked.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/training/hall/quiz/")
    page.get_by_label("主题").select_option("fire")
    page.get_by_label("题数").select_option("5")
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_selector("#quiz[data-state='answering']")
    questions = page.locator("#questions > li")
    assert questions.count() == 5
    for i in range(5):
        questions.nth(i).locator("label.choice").first.click()
    page.get_by_role("button", name="交卷").click()
    page.wait_for_selector("#quiz[data-state='scored']")
    attempt = QuizAttempt.objects.get()
    assert page.locator("#score").inner_text() == str(attempt.score)
    assert page.locator("#questions .right").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "hall-quiz-phone.png"), full_page=True)
