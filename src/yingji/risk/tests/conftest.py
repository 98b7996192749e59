"""The common cast plus a bureau inspector and profiles for the two enterprises."""

import pytest
from django.conf import settings

from yingji.conftest import PASSWORD
from yingji.core.models import User
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.risk import services

JSON = "application/json"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VALID_USCC = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path):
    """Photos go to a fresh data directory per test."""
    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path / "uploads"
    yield settings.MEDIA_ROOT
    settings.MEDIA_ROOT = previous


@pytest.fixture
def inspector(cast) -> User:
    return user_create(by=None, username="t_inspector", password=PASSWORD, org=cast.bureau, roles=[Role.INSPECTOR])


@pytest.fixture
def street_b_officer(cast) -> User:
    return user_create(
        by=None, username="t_street_b", password=PASSWORD, org=cast.street_b, roles=[Role.STREET_OFFICER]
    )


@pytest.fixture
def profiles(cast):
    x = services.enterprise_create(by=None, code=cast.enterprise_x.code, name=cast.enterprise_x.name,
                                   uscc=VALID_USCC, scale="medium", high_risk=True, risk_flags=["hazchem"])  # fmt: skip
    y = services.enterprise_create(by=None, code=cast.enterprise_y.code, name=cast.enterprise_y.name, scale="small")
    return x, y
