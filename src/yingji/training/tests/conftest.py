"""The common cast plus the training base's facilities, a course with a session, and hall slots."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from yingji.conftest import PASSWORD, Cast
from yingji.core.models import User
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.training import services
from yingji.training.models import Course, Facility, HallSlot, TrainingSession


@dataclass
class Base:
    pool: Facility
    tower: Facility
    course: Course
    session: TrainingSession
    slot: HallSlot
    team_leader: User


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def base(cast: Cast) -> Base:
    pool = services.facility_create(
        by=None, org=cast.bureau, code="F-W1", name="水域救援训练池", kind="water", capacity=20
    )
    tower = services.facility_create(
        by=None, org=cast.bureau, code="F-H1", name="高层救援训练塔", kind="high_rise", capacity=30
    )
    course = services.course_create(
        by=None,
        org=cast.bureau,
        code="C-SM",
        title="企业安全管理人员安全生产知识培训",
        audience="safety_managers",
        certificate_months=36,
    )
    session = services.session_create(
        by=None,
        course=course,
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(hours=3),
        place="区应急管理局培训室",
        instructors="王老师、李老师",
    )
    slot = services.hall_slot_create(
        by=None, org=cast.bureau, starts_at=tomorrow_at(9), ends_at=tomorrow_at(10, 30), capacity=40
    )
    team = user_create(by=None, username="t_team", password=PASSWORD, org=cast.street_a, roles=[Role.TEAM_LEADER])
    return Base(pool=pool, tower=tower, course=course, session=session, slot=slot, team_leader=team)


@pytest.fixture(autouse=True)
def fresh_rate_counts() -> None:
    """Each test starts with no request counted (the memory cache outlives a test)."""
    cache.clear()
