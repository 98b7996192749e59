"""The common cast plus a commander, and illustrative areas for the two streets."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from yingji.conftest import PASSWORD, Cast
from yingji.core.models import User
from yingji.core.roles import Role
from yingji.core.services import org_update, user_create
from yingji.warnings import services

DATA = Path(__file__).with_name("data")

# Two side-by-side squares: street A west of 115.08, street B east of it.
AREA_A = {
    "type": "Polygon",
    "coordinates": [[[115.06, 30.20], [115.08, 30.20], [115.08, 30.22], [115.06, 30.22], [115.06, 30.20]]],
}
AREA_B = {
    "type": "Polygon",
    "coordinates": [[[115.08, 30.20], [115.10, 30.20], [115.10, 30.22], [115.08, 30.22], [115.08, 30.20]]],
}
# A polygon inside street B only.
HILLS = {"type": "Polygon", "coordinates": [[[115.09, 30.205], [115.095, 30.205], [115.095, 30.21], [115.09, 30.205]]]}


@pytest.fixture
def commander(cast: Cast) -> User:
    return user_create(by=None, username="t_commander", password=PASSWORD, org=cast.bureau, roles=[Role.COMMANDER])


@pytest.fixture
def areas(cast: Cast) -> Cast:
    org_update(by=None, org=cast.street_a, area=AREA_A)
    org_update(by=None, org=cast.street_b, area=AREA_B)
    cast.street_a.refresh_from_db()
    cast.street_b.refresh_from_db()
    return cast


@pytest.fixture
def draft(cast: Cast):
    """A rainstorm draft by the duty officer for street A."""

    def make(**overrides):
        by = overrides.pop("by", cast.duty)
        fields = {
            "event_type": "rainstorm",
            "level": "yellow",
            "headline": "黄石港区气象台发布暴雨黄色预警",
            "description": "预计未来6小时内甲街道降雨量将达50毫米以上。",
            "instruction": "注意防范城市内涝，避免前往低洼地带。",
            "streets": [cast.street_a],
            "expires": timezone.now() + timedelta(hours=12),
            **overrides,
        }
        return services.warning_create(by=by, **fields)

    return make
