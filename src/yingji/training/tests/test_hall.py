"""Hall visits: booking by the public within the slot's capacity, SMS confirmation, check-in, scopes."""

from yingji.core.models import ChannelConfig, Delivery
from yingji.training.models import HallBooking

JSON = "application/json"


def _visit(base, **extra):
    return {
        "slot": base.slot.pk,
        "group_name": "黄石港区第一小学四年级",
        "group_kind": "school",
        "contact": "张老师",
        "phone": "13812345678",
        "visitors": 30,
        **extra,
    }


def test_the_public_books_a_visit_and_gets_an_sms_confirmation(base, api):
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    slots = api.get("/api/v1/hall/slots").json()
    assert [(s["id"], s["left"]) for s in slots] == [(base.slot.pk, 40)]
    response = api.post("/api/v1/hall/bookings", _visit(base), content_type=JSON)
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    sms = Delivery.objects.get()
    assert sms.address == "13812345678" and code in sms.message.title
    assert api.get("/api/v1/hall/slots").json()[0]["left"] == 10
    booking = HallBooking.objects.get()
    assert booking.org is None and booking.booked_by is None


def test_a_slot_cannot_be_overbooked(base, api, bearer, cast):
    api.post("/api/v1/hall/bookings", _visit(base), content_type=JSON)
    full = api.post("/api/v1/hall/bookings", _visit(base, visitors=11, group_name="湖滨社区"), content_type=JSON)
    assert full.status_code == 409 and "visitors" in full.json()["errors"] and "10" in full.json()["detail"]
    fits = api.post(
        "/api/v1/hall/bookings",
        _visit(base, visitors=10, group_kind="enterprise"),
        content_type=JSON,
        headers=bearer(cast.enterprise_manager),
    )
    assert fits.status_code == 201
    # A signed-in booker's unit owns the booking and the confirmation lands in their inbox too.
    assert HallBooking.objects.get(pk=fits.json()["id"]).org == cast.enterprise_x
    assert cast.enterprise_manager.notifications.filter(title__contains=fits.json()["code"]).exists()


def test_bad_visits_are_field_errors(base, api):
    for extra, field in (
        ({"phone": "call me"}, "phone"),
        ({"visitors": 0}, "visitors"),
        ({"group_kind": "army"}, "group_kind"),
    ):
        response = api.post("/api/v1/hall/bookings", _visit(base, **extra), content_type=JSON)
        assert response.status_code == 400 and field in response.json()["errors"], extra
    assert api.post("/api/v1/hall/bookings", _visit(base, slot=2**62), content_type=JSON).status_code == 400


def test_check_in_by_the_hall_staff_only(base, api, bearer, cast):
    booking = api.post("/api/v1/hall/bookings", _visit(base), content_type=JSON).json()
    url = f"/api/v1/hall/bookings/{booking['id']}/check-in"
    # A public booking belongs to no unit: the enterprise does not see it at all.
    assert api.post(url, headers=bearer(cast.enterprise_manager)).status_code == 404
    assert api.post(url).status_code == 401
    checked = api.post(url, headers=bearer(cast.duty))
    assert checked.status_code == 200 and checked.json()["status"] == "checked_in"
    assert api.post(url, headers=bearer(cast.duty)).status_code == 409
    assert api.get("/api/v1/hall/bookings", headers=bearer(cast.duty)).json()["count"] == 1
    assert api.get("/api/v1/hall/bookings", headers=bearer(cast.street_officer)).json()["count"] == 0
