"""The training pages that create things: courses, sessions, base facilities, hall slots and quiz questions, each
through its service with field errors in place; staff only."""

from datetime import timedelta

from django.utils import timezone

from yingji.training.models import Course, Facility, HallSlot, Question, TrainingSession
from yingji.training.tests.test_pages import client_for

LOCAL = "%Y-%m-%dT%H:%M"


def when(days: int, hour: int) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime(LOCAL)


def test_staff_create_a_course_then_schedule_its_session(cast):
    duty = client_for(cast.duty)
    assert duty.get("/training/").status_code == 200
    response = duty.post(
        "/training/courses/new/",
        {
            "org": cast.bureau.pk,
            "code": "C-FF",
            "title": "森林防火扑救培训",
            "audience": "rescue_teams",
            "hours": 16,
            "pass_score": 70,
            "certificate_months": 24,
        },
    )
    course = Course.objects.get(code="C-FF")
    assert response.status_code == 302 and response["Location"] == f"/training/sessions/new/?course={course.pk}"
    assert (course.org, course.hours, course.certificate_months) == (cast.bureau, 16, 24)
    form = duty.get(response["Location"])
    assert f'<option value="{course.pk}" selected>' in form.content.decode()
    response = duty.post(
        "/training/sessions/new/",
        {
            "course": course.pk,
            "starts_at": when(3, 9),
            "ends_at": when(3, 17),
            "place": "区应急管理局培训室",
            "instructors": "王教官",
            "capacity": 30,
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/training/sessions/{session.pk}/"
    assert session.org == cast.bureau and session.capacity == 30


def test_a_session_ending_before_it_starts_stays_on_the_form(cast):
    duty = client_for(cast.duty)
    course = Course.objects.create(org=cast.bureau, code="C-1", title="安全培训", audience="public")
    response = duty.post(
        "/training/sessions/new/",
        {
            "course": course.pk,
            "starts_at": when(3, 17),
            "ends_at": when(3, 9),
            "place": "培训室",
            "instructors": "王教官",
            "capacity": 30,
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_duplicate_course_code_is_a_field_error(cast):
    Course.objects.create(org=cast.bureau, code="C-1", title="安全培训", audience="public")
    duty = client_for(cast.duty)
    response = duty.post(
        "/training/courses/new/",
        {
            "org": cast.bureau.pk,
            "code": "C-1",
            "title": "又一门",
            "audience": "public",
            "hours": 8,
            "pass_score": 60,
            "certificate_months": 0,
        },
    )
    assert response.status_code == 200 and Course.objects.count() == 1
    assert "errorlist" in response.content.decode()


def test_staff_register_a_facility_and_open_a_hall_slot(cast):
    duty = client_for(cast.duty)
    response = duty.post(
        "/training/base/facilities/new/",
        {"org": cast.bureau.pk, "code": "F-T1", "name": "隧道救援训练场", "kind": "tunnel", "capacity": 25},
    )
    assert response.status_code == 302 and response["Location"] == "/training/base/"
    assert Facility.objects.get().kind == "tunnel"
    assert "隧道救援训练场" in duty.get("/training/base/").content.decode()
    response = duty.post(
        "/training/hall/slots/new/",
        {"org": cast.bureau.pk, "starts_at": when(2, 9), "ends_at": when(2, 10), "capacity": 45},
    )
    assert response.status_code == 302 and HallSlot.objects.get().capacity == 45
    # The public sees the new slot at once.
    assert "45" in client_for(cast.outsider).get("/training/hall/").content.decode()


def test_staff_add_a_quiz_question_counting_choices_from_one(cast):
    duty = client_for(cast.duty)
    response = duty.post(
        "/training/hall/questions/new/",
        {"topic": "gas", "text": "闻到燃气味首先应当？", "choices": "开灯查看\n关阀开窗\n\n打电话", "answer": 2},
    )
    assert response.status_code == 302 and response["Location"] == "/training/hall/questions/new/?topic=gas"
    question = Question.objects.get()
    assert question.choices == ["开灯查看", "关阀开窗", "打电话"] and question.answer == 1
    wrong = duty.post(
        "/training/hall/questions/new/", {"topic": "gas", "text": "另一题", "choices": "甲\n乙", "answer": 3}
    )
    assert wrong.status_code == 200 and Question.objects.count() == 1


def test_units_may_not_create_courses_facilities_slots_or_questions(cast):
    enterprise = client_for(cast.enterprise_manager)
    for url in (
        "/training/courses/new/",
        "/training/sessions/new/",
        "/training/base/facilities/new/",
        "/training/hall/slots/new/",
        "/training/hall/questions/new/",
    ):
        assert enterprise.get(url).status_code == 403, url
    assert enterprise.post("/training/courses/new/", {"code": "X"}).status_code == 403
    assert not Course.objects.exists()
