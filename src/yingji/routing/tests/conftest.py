"""Small road networks built through the services, inside the district unless a test says otherwise."""

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from yingji.routing.geometry import haversine_m
from yingji.routing.models import RoadNetwork
from yingji.routing.services import network_create

# A quiet corner of the main part of the district.
ORIGIN = (30.235, 115.05)
METRE_LAT = 1 / 111_195
METRE_LON = 1 / (111_195 * np.cos(np.radians(ORIGIN[0])))

Edge = tuple[int, int, float, bool]  # from, to, speed km/h, one-way


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    """The point `north_m` north and `east_m` east of ORIGIN."""
    return ORIGIN[0] + north_m * METRE_LAT, ORIGIN[1] + east_m * METRE_LON


def make_network(
    points: Sequence[tuple[float, float]], edges: Sequence[Edge], *, activate: bool = True, **extra
) -> RoadNetwork:
    """A network of `points` (lat, lon) and `edges`; a two-way edge is stored once each way."""
    sources, targets, speeds, oneway = [], [], [], []
    for u, v, speed, one in edges:
        for a, b in [(u, v)] if one else [(u, v), (v, u)]:
            sources.append(a)
            targets.append(b)
            speeds.append(speed)
            oneway.append(one)
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    s, t = np.array(sources), np.array(targets)
    return network_create(
        by=None,
        name=extra.pop("name", "test network"),
        source="tests",
        lats=lat,
        lons=lon,
        sources=s,
        targets=t,
        lengths_m=haversine_m(lat[s], lon[s], lat[t], lon[t]),
        road_classes=["residential"] * len(s),
        speeds_kmh=speeds,
        oneway=oneway,
        activate=activate,
        **extra,
    )


@pytest.fixture
def network_factory(db) -> Callable[..., RoadNetwork]:
    return make_network


@pytest.fixture
def line_network(db) -> RoadNetwork:
    """Five nodes 500 m apart west to east along one street at 36 km/h (50 s per stretch); the stretch 2 → 3 is
    one-way eastbound, so going west from 3 to 2 takes the slow bypass 3 → 5 → 2 (850 m + 472 m) at 18 km/h."""
    points = [offset(0, 500 * i) for i in range(5)] + [offset(-400, 750)]
    edges = [
        (0, 1, 36, False),
        (1, 2, 36, False),
        (2, 3, 36, True),
        (3, 4, 36, False),
        (3, 5, 18, False),
        (5, 2, 18, False),
    ]
    return make_network(points, edges)
