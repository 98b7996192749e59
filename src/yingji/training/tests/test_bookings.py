"""Training-base bookings: overlaps refused with 409 (also when two arrive at once), scopes, capacity."""

from datetime import timedelta

import pytest

from yingji.training.models import Booking
from yingji.training.tests.conftest import tomorrow_at

JSON = "application/json"


def _book(api, headers, facility, start, end, **extra):
    body = {
        "facility": facility.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "purpose": "水域救援训练",
        **extra,
    }
    return api.post("/api/v1/training/bookings", body, content_type=JSON, headers=headers)


def test_an_overlapping_booking_answers_409_naming_the_holder(base, cast, api, bearer):
    first = _book(api, bearer(cast.enterprise_manager), base.pool, tomorrow_at(9), tomorrow_at(11), people=12)
    assert first.status_code == 201, first.json()
    assert first.json()["org_name"] == "甲化工有限公司" and first.json()["start"].startswith(str(tomorrow_at(9).date()))
    clash = _book(api, bearer(base.team_leader), base.pool, tomorrow_at(10), tomorrow_at(12))
    assert clash.status_code == 409
    assert "甲化工有限公司" in clash.json()["detail"] and "start" in clash.json()["errors"]
    # Back to back is no overlap ([start, end)), and another facility is free at the same time.
    assert _book(api, bearer(base.team_leader), base.pool, tomorrow_at(11), tomorrow_at(12)).status_code == 201
    assert _book(api, bearer(base.team_leader), base.tower, tomorrow_at(9), tomorrow_at(11)).status_code == 201


def test_a_cancelled_booking_frees_its_slot(base, cast, api, bearer):
    booking = _book(api, bearer(cast.enterprise_manager), base.pool, tomorrow_at(9), tomorrow_at(11)).json()
    cancel = api.post(f"/api/v1/training/bookings/{booking['id']}/cancel", headers=bearer(cast.enterprise_manager))
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert _book(api, bearer(base.team_leader), base.pool, tomorrow_at(9), tomorrow_at(11)).status_code == 201
    again = api.post(f"/api/v1/training/bookings/{booking['id']}/cancel", headers=bearer(cast.enterprise_manager))
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("start", "end", "people", "field"),
    [
        (tomorrow_at(11), tomorrow_at(9), 1, "end"),
        (tomorrow_at(9), tomorrow_at(9, 10), 1, "end"),
        (tomorrow_at(9) - timedelta(days=3), tomorrow_at(11) - timedelta(days=3), 1, "start"),
        (tomorrow_at(9), tomorrow_at(11), 21, "people"),
    ],
)
def test_bad_bookings_are_field_errors(base, cast, api, bearer, start, end, people, field):
    response = _book(api, bearer(cast.enterprise_manager), base.pool, start, end, people=people)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_bookings_are_scoped_and_the_outsider_cannot_book(base, cast, api, bearer):
    _book(api, bearer(cast.enterprise_manager), base.pool, tomorrow_at(9), tomorrow_at(11))
    _book(api, bearer(base.team_leader), base.tower, tomorrow_at(9), tomorrow_at(11))
    assert api.get("/api/v1/training/bookings", headers=bearer(cast.duty)).json()["count"] == 2
    # Street A's officer sees its enterprise's and its team's; the enterprise only its own.
    assert api.get("/api/v1/training/bookings", headers=bearer(cast.street_officer)).json()["count"] == 2
    assert api.get("/api/v1/training/bookings", headers=bearer(cast.enterprise_manager)).json()["count"] == 1
    theirs = Booking.objects.get(facility=base.tower)
    cancel = api.post(f"/api/v1/training/bookings/{theirs.pk}/cancel", headers=bearer(cast.enterprise_manager))
    assert cancel.status_code == 404
    assert _book(api, bearer(cast.outsider), base.pool, tomorrow_at(13), tomorrow_at(14)).status_code == 403
    # Booking for another unit than one's own scope is refused on the field.
    other = _book(
        api, bearer(cast.enterprise_manager), base.pool, tomorrow_at(13), tomorrow_at(14), org=cast.enterprise_y.pk
    )
    assert other.status_code == 400 and "org" in other.json()["errors"]
    # The base's facilities are the bureau's offer: everyone signed in sees them.
    assert api.get("/api/v1/training/facilities", headers=bearer(cast.enterprise_manager)).json()["count"] == 2
    assert api.get("/api/v1/training/facilities").status_code == 401


def test_booking_list_does_not_grow_queries_with_rows(base, cast, api, bearer, django_assert_max_num_queries):
    for hour in range(8, 18, 2):
        _book(api, bearer(cast.enterprise_manager), base.pool, tomorrow_at(hour), tomorrow_at(hour + 1))
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/training/bookings", headers=headers).json()["count"] == 5
