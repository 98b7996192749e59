"""A walking grid in the district, shelters on it, and warnings in each state, on top of the fixed cast."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.conftest import Cast
from yingji.resources import services as resources
from yingji.resources.models import Shelter
from yingji.routing.models import RoadNetwork
from yingji.routing.tests.conftest import make_network, offset
from yingji.warnings import services as warnings

SPACING_M = 200
SIZE = 5  # a 5 × 5 grid of nodes, 200 m apart


def node(row: int, col: int) -> int:
    return row * SIZE + col


@pytest.fixture
def grid(db) -> RoadNetwork:
    """Streets 200 m apart in a 5 × 5 grid at 30 km/h; the middle row is one-way eastbound (drivers detour,
    walkers do not), and the north-east corner block has no road on its west side."""
    points = [offset(SPACING_M * r, SPACING_M * c) for r in range(SIZE) for c in range(SIZE)]
    edges = []
    for r in range(SIZE):
        for c in range(SIZE - 1):
            edges.append((node(r, c), node(r, c + 1), 30, r == 2))
    for r in range(SIZE - 1):
        for c in range(SIZE):
            if not (c == 3 and r == 3):
                edges.append((node(r, c), node(r + 1, c), 30, False))
    return make_network(points, edges, name="walking grid")


@dataclass
class Shelters:
    near: Shelter  # next to the origin corner
    middle: Shelter
    far: Shelter
    closed: Shelter
    full: Shelter


def shelter(cast: Cast, code: str, at: tuple[float, float], **extra) -> Shelter:
    fields = {
        "org": cast.street_a,
        "code": code,
        "name": f"避难场所{code}",
        "kind": "outdoor",
        "shelter_class": "emergency",
        "effective_area_m2": 2000,
        "lat": float(at[0]),
        "lon": float(at[1]),
        "is_open": True,
        "manager": "王管理员",
        "phone": "13800000000",
        **extra,
    }
    return resources.shelter_create(by=None, **fields)


@pytest.fixture
def shelters(cast: Cast, grid: RoadNetwork) -> Shelters:
    full = shelter(cast, "S-FULL", offset(0, 210))
    Shelter.objects.filter(pk=full.pk).update(occupancy=full.capacity)
    return Shelters(
        near=shelter(cast, "S-NEAR", offset(0, 400)),
        middle=shelter(cast, "S-MID", offset(400, 400)),
        far=shelter(cast, "S-FAR", offset(800, 800)),
        closed=shelter(cast, "S-CLOSED", offset(0, 200), is_open=False),
        full=full,
    )


@pytest.fixture
def warning_states(cast: Cast):
    """A published rainstorm warning in force, a draft, and an approved but unpublished one."""

    def make(headline: str, level: str = "yellow"):
        return warnings.warning_create(
            by=cast.duty,
            event_type="rainstorm",
            level=level,
            headline=headline,
            description="预计未来6小时内降雨量将达50毫米以上。",
            instruction="注意防范城市内涝。",
            streets=[cast.street_a],
            expires=timezone.now() + timedelta(hours=12),
        )

    published = make("暴雨黄色预警（已发布）")
    warnings.warning_approve(by=cast.admin, warning=published)
    published = warnings.warning_publish(by=cast.admin, warning=published)
    draft = make("暴雨红色预警（草稿）", level="red")
    approved = make("暴雨橙色预警（待发布）", level="orange")
    warnings.warning_approve(by=cast.admin, warning=approved)
    return {"published": published, "draft": draft, "approved": approved}
