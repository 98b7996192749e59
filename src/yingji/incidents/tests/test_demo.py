"""The duty desk's demo data loads on the demo district, once."""

import pytest

from yingji.demo.services import demo_load
from yingji.incidents.demo import demo_load_incidents
from yingji.incidents.models import DutyShift, Incident, Status
from yingji.incidents.selectors import on_duty

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently():
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    first = demo_load_incidents(seed=2021, out=lambda s: None)
    assert first == {"shifts": 8, "incidents": 4}
    assert demo_load_incidents(seed=2021, out=lambda s: None) == {"shifts": 0, "incidents": 0}
    assert DutyShift.objects.count() == 8
    statuses = sorted(Incident.objects.values_list("status", flat=True))
    assert statuses == [Status.CLOSED, Status.CLOSED, Status.OPEN, Status.RESPONDING]
    closed = Incident.objects.filter(status=Status.CLOSED).first()
    assert closed.timeline.count() >= 4 and closed.review.findings
    duty = DutyShift.objects.first().officer
    assert len(on_duty(user=duty)) == 1
