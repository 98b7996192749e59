"""In a real headless Chromium: the bureau creates a course and schedules its session through the pages, landing
on the session page with its sign-in QR code."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.training.models import Course, TrainingSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_creates_a_course_and_schedules_a_session(page, cast):
    sign_in(page, "t_duty", PASSWORD)
    page.goto("/training/")
    page.get_by_role("link", name="新建课程").click()
    page.get_by_label("编码").fill("C-FF")
    page.get_by_label("标题").fill("森林防火扑救培训")
    page.get_by_label("培训对象").select_option("rescue_teams")
    page.get_by_label("证书有效期（月）").fill("24")
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "training-course-form-desktop.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    assert "课程已创建" in page.locator(".messages").inner_text()
    course = Course.objects.get(code="C-FF")
    assert page.get_by_label("课程").input_value() == str(course.pk)
    day = timezone.localdate() + timedelta(days=3)
    page.get_by_label("开始时间").fill(f"{day:%Y-%m-%d}T09:00")
    page.get_by_label("结束时间").fill(f"{day:%Y-%m-%d}T17:00")
    page.get_by_label("位置").fill("区应急管理局培训室")
    page.get_by_label("授课教师").fill("王教官")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "training-session-form-phone.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    session = TrainingSession.objects.get()
    assert page.url.endswith(f"/training/sessions/{session.pk}/")
    assert page.locator("svg").count() >= 1 and session.course == course
