"""No double booking when two bookings of one facility arrive at once, and PostgreSQL's own constraint."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from yingji.core.errors import Conflict
from yingji.training import services
from yingji.training.models import Booking
from yingji.training.tests.conftest import tomorrow_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_overlapping_bookings_leave_exactly_one(base, cast):
    """Eight threads book overlapping slots of one facility at the same moment: one wins, seven get 409."""
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def book(offset: int) -> None:
        try:
            barrier.wait()
            services.booking_create(
                by=cast.enterprise_manager,
                facility=base.pool.pk,
                start=tomorrow_at(9, offset * 5),
                end=tomorrow_at(11, offset * 5),
                purpose=f"训练 {offset}",
            )
            outcomes.append("booked")
        except Conflict:
            outcomes.append("conflict")
        finally:
            # Each thread has its own connection: close it, or the test database cannot be dropped.
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["booked"] + ["conflict"] * 7
    assert Booking.objects.filter(facility=base.pool).count() == 1


def test_the_database_itself_refuses_an_overlap_where_it_can(base, cast):
    """PostgreSQL holds the rule in an exclusion constraint, whatever path writes; SQLite has none, so there a write
    past the service goes through and the service's serialised check (above) is the only guard."""
    Booking.objects.create(
        facility=base.pool, org=cast.enterprise_x, starts_at=tomorrow_at(9), ends_at=tomorrow_at(11), purpose="甲"
    )

    def overlap() -> Booking:
        return Booking.objects.create(
            facility=base.pool, org=cast.enterprise_y, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), purpose="乙"
        )

    if connection.vendor != "postgresql":
        assert not services.exclusion_constraint_enabled()
        overlap()
        assert Booking.objects.count() == 2
        return
    assert services.exclusion_constraint_enabled()
    with pytest.raises(IntegrityError, match="training_booking_no_overlap"), transaction.atomic():
        overlap()
    # A cancelled booking does not hold its slot.
    Booking.objects.update(status="cancelled")
    overlap()
    assert Booking.objects.filter(status="booked").count() == 1


def test_an_overlap_written_meanwhile_past_the_service_is_still_a_409(base, cast):
    """Another writer (not the service, so it takes no lock) holds an overlapping booking in an open transaction while
    the service books: on PostgreSQL the service's insert waits on the exclusion constraint and fails when the other
    commits; on SQLite the service waits for the write lock and then sees the row. Either way: 409, one booking."""
    holding, release = threading.Event(), threading.Event()

    def sneak() -> None:
        try:
            with transaction.atomic():
                Booking.objects.create(
                    facility=base.pool,
                    org=cast.enterprise_y,
                    starts_at=tomorrow_at(10),
                    ends_at=tomorrow_at(12),
                    purpose="别处写入",
                )
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=sneak)
    other.start()
    assert holding.wait(10)
    threading.Timer(0.5, release.set).start()
    with pytest.raises(Conflict):
        services.booking_create(
            by=cast.enterprise_manager, facility=base.pool, start=tomorrow_at(9), end=tomorrow_at(11), purpose="训练"
        )
    other.join(10)
    assert list(Booking.objects.values_list("purpose", flat=True)) == ["别处写入"]
