"""Fixtures of the duty-desk tests: a commander, a shift on duty and a quick way to record an incident."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.incidents import services
from yingji.incidents.models import Incident, IncidentType


@pytest.fixture
def commander(cast):
    return user_create(by=None, username="t_commander", password=PASSWORD, org=cast.bureau, roles=[Role.COMMANDER])


@pytest.fixture
def leader(cast):
    return user_create(by=None, username="t_leader", password=PASSWORD, org=cast.bureau, roles=[Role.DUTY_OFFICER])


@pytest.fixture
def shift(cast, leader):
    now = timezone.now()
    return services.shift_create(
        by=cast.admin,
        org=cast.bureau,
        starts_at=now - timedelta(hours=4),
        ends_at=now + timedelta(hours=20),
        officer=cast.duty,
        leader=leader,
    )


@pytest.fixture
def record(cast):
    """Record an incident as the duty officer; keyword arguments override the defaults."""

    def make(**overrides) -> Incident:
        by = overrides.pop("by", cast.duty)
        type_code = overrides.pop("type_code", "hazchem_leak")
        incident_type = IncidentType.objects.get(code=type_code)
        fields = {
            "title": "甲化工储罐泄漏",
            "category": incident_type.category,
            "type": incident_type,
            "occurred_at": timezone.now() - timedelta(minutes=20),
            "lat": 30.215,
            "lon": 115.085,
            "enterprise": cast.enterprise_x,
            "reporter_name": "张三",
            "reporter_phone": "13800000000",
        }
        fields.update(overrides)
        return services.incident_create(by=by, **fields)

    return make


def local(*args: int) -> datetime:
    """A Beijing-time moment."""
    return timezone.make_aware(datetime(*args))


from yingji.resources.tests.conftest import demo_world, stock  # noqa: E402, F401 — shared fixtures
