"""The training demo: courses, certificates (some expiring), facilities with bookings, hall slots, 100 questions."""

from yingji.core.models import User
from yingji.demo.services import demo_load
from yingji.training import selectors
from yingji.training.demo import demo_load_training
from yingji.training.models import Booking, Course, Facility, HallSlot, Question


def test_demo_training_loads_once(db):
    demo_load(seed=2021, password="Demo-Password-2026", out=lambda line: None)
    added = demo_load_training(seed=2021, out=lambda line: None)
    assert Question.objects.count() == 100 and len(set(Question.objects.values_list("topic", flat=True))) == 8
    assert Course.objects.count() == 6 and Facility.objects.count() == 6
    assert Booking.objects.count() == added["bookings"] > 30
    assert HallSlot.objects.count() == added["hall_slots"] > 20
    duty = User.objects.get(username="duty")
    assert selectors.certificate_list(user=duty, expiring_within=30).count() >= 1
    assert demo_load_training(seed=2021, out=lambda line: None) == dict.fromkeys(added, 0)
