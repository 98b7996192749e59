"""Training, base and hall pages: the QR sign-in, booking with a clash shown on the form, the public hall and quiz."""

from django.test import Client

from yingji.conftest import PASSWORD
from yingji.training.models import Attendance, Booking, HallBooking
from yingji.training.tests.conftest import tomorrow_at


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_session_page_shows_a_server_drawn_qr_code_that_signs_in(base, cast):
    duty = client_for(cast.duty)
    page = duty.get(f"/training/sessions/{base.session.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and f"/training/sign-in/{base.session.signin_code}/" in text
    duty.post(
        f"/training/sessions/{base.session.pk}/",
        {"enroll-org": cast.enterprise_x.pk, "enroll-name": "周安全", "enroll-phone": "13600000000"},
    )
    assert Attendance.objects.filter(name="周安全").exists()
    # The trainee scans the code on a phone without an account and gives the enrolled phone.
    public = Client()
    signed = public.post(f"/training/sign-in/{base.session.signin_code}/", {"phone": "13600000000"})
    assert signed.status_code == 200 and "周安全" in signed.content.decode()
    assert Attendance.objects.get(name="周安全").signed_in_at is not None
    assert public.get("/training/sign-in/not-a-code/").status_code == 404


def test_booking_page_shows_a_clash_on_the_form(base, cast):
    manager = client_for(cast.enterprise_manager)
    form = {
        "facility": base.pool.pk,
        "start": tomorrow_at(9).strftime("%Y-%m-%dT%H:%M"),
        "end": tomorrow_at(11).strftime("%Y-%m-%dT%H:%M"),
        "people": 5,
        "purpose": "训练",
    }
    assert manager.post("/training/base/", form).status_code == 302
    clash = client_for(base.team_leader).post(
        "/training/base/", {**form, "start": tomorrow_at(10).strftime("%Y-%m-%dT%H:%M")}
    )
    assert clash.status_code == 200 and "甲化工有限公司" in clash.content.decode()
    assert Booking.objects.count() == 1
    calendar = manager.get(f"/training/base/?week={tomorrow_at(9).date().isoformat()}").content.decode()
    assert "09:00–11:00" in calendar
    assert client_for(cast.outsider).post("/training/base/", form).status_code == 403


def test_hall_and_quiz_pages_are_public(base, cast):
    public = Client()
    assert public.get("/training/hall/quiz/").status_code == 200
    page = public.get("/training/hall/")
    assert page.status_code == 200
    booked = public.post(
        "/training/hall/",
        {
            "slot": base.slot.pk,
            "group_name": "第一小学",
            "group_kind": "school",
            "contact": "张老师",
            "phone": "13800000000",
            "visitors": 30,
        },
    )
    assert booked.status_code == 200 and HallBooking.objects.get().code in booked.content.decode()
    over = public.post(
        "/training/hall/",
        {
            "slot": base.slot.pk,
            "group_name": "湖滨社区",
            "group_kind": "community",
            "contact": "李",
            "phone": "13800000001",
            "visitors": 20,
        },
    )
    assert HallBooking.objects.count() == 1 and "10" in over.content.decode()
    # The desk is not public.
    assert public.get("/training/hall/bookings/").status_code == 302
    desk = client_for(cast.duty)
    booking = HallBooking.objects.get()
    desk.post(f"/training/hall/bookings/{booking.pk}/check-in/")
    booking.refresh_from_db()
    assert booking.status == "checked_in"


def test_needs_and_certificates_pages(base, cast):
    street = client_for(cast.street_officer)
    needs = street.get("/training/needs/").content.decode()
    assert "甲化工有限公司" in needs and "乙建材有限公司" not in needs
    assert street.get("/training/certificates/").status_code == 200
    assert street.get("/training/").status_code == 200
