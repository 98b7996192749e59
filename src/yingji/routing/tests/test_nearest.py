"""Nearest targets by travel time, checked against a brute-force all-pairs search on small graphs."""

import math

import numpy as np
import pytest

from yingji.core.errors import ValidationFailed
from yingji.routing.geometry import haversine_m
from yingji.routing.graph import NoRoadNetwork
from yingji.routing.speeds import travel_time_s
from yingji.routing.tests.conftest import make_network, offset
from yingji.routing.travel import ACCESS_SPEED_KMH, nearest

pytestmark = pytest.mark.django_db


def floyd_warshall(n: int, edges: list[tuple[int, int, float]]) -> list[list[float]]:
    """All-pairs travel times by the textbook triple loop: slow and obviously right."""
    times = [[0.0 if i == j else math.inf for j in range(n)] for i in range(n)]
    for u, v, t in edges:
        times[u][v] = min(times[u][v], t)
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if times[i][k] + times[k][j] < times[i][j]:
                    times[i][j] = times[i][k] + times[k][j]
    return times


def random_town(seed: int):
    """A random street graph of 30 junctions within 2 km, a third of its streets one-way."""
    rng = np.random.default_rng(seed)
    points = [offset(0, 0)] + [offset(*rng.uniform(-1000, 1000, 2)) for _ in range(29)]
    lat, lon = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    edges, directed = [], []
    for u in range(30):
        gaps = haversine_m(lat[u], lon[u], lat, lon)
        for v in np.argsort(gaps)[1:4]:
            one, speed = bool(rng.random() < 0.33), float(rng.uniform(20, 60))
            edges.append((u, int(v), speed, one))
            seconds = travel_time_s(float(gaps[v]), speed)
            directed += [(u, int(v), seconds)] + ([] if one else [(int(v), u, seconds)])
    return points, edges, floyd_warshall(30, directed)


def walk_s(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(haversine_m(a[0], a[1], b[0], b[1])) / (ACCESS_SPEED_KMH / 3.6)


def route_length_m(route: dict) -> float:
    coords = np.array(route["coordinates"])
    return float(haversine_m(coords[:-1, 1], coords[:-1, 0], coords[1:, 1], coords[1:, 0]).sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nearest_to_point_matches_brute_force(seed):
    points, edges, times = random_town(seed)
    make_network(points, edges)
    targets = [(f"t{i}", *points[i]) for i in range(1, 30)]
    found = nearest(lat=points[0][0], lon=points[0][1], targets=targets, direction="to_point")
    expected = {f"t{i}": min(times[i][0], walk_s(points[i], points[0])) for i in range(1, 30)}
    reachable = sorted((eta, key) for key, eta in expected.items() if math.isfinite(eta))
    assert [r.key for r in found] == [key for _eta, key in reachable]
    for reach in found:
        assert reach.eta_s == pytest.approx(expected[reach.key], abs=0.11)
        # The route runs from the target to the point, and the distance is measured along it.
        start, end = reach.route["coordinates"][0], reach.route["coordinates"][-1]
        assert (start[1], start[0]) == pytest.approx(points[int(reach.key[1:])], abs=1e-6)
        assert (end[1], end[0]) == pytest.approx(points[0], abs=1e-6)
        assert reach.distance_m == pytest.approx(route_length_m(reach.route), rel=1e-3, abs=0.5)


@pytest.mark.parametrize("seed", [4, 5])
def test_nearest_from_point_matches_brute_force(seed):
    points, edges, times = random_town(seed)
    make_network(points, edges)
    targets = [(i, *points[i]) for i in range(1, 30)]
    found = nearest(lat=points[0][0], lon=points[0][1], targets=targets, direction="from_point", limit=5)
    expected = sorted((min(times[0][i], walk_s(points[0], points[i])), i) for i in range(1, 30))[:5]
    assert [r.key for r in found] == [i for _eta, i in expected]
    assert [r.eta_s for r in found] == pytest.approx([eta for eta, _i in expected], abs=0.11)
    start = found[0].route["coordinates"][0]
    assert (start[1], start[0]) == pytest.approx(points[0], abs=1e-6)


def test_one_way_street_makes_the_two_directions_differ(line_network):
    west, east = offset(0, 1000), offset(0, 1500)
    # Eastbound on the one-way stretch: 50 s. Westbound the bypass 3 → 5 → 2 at 18 km/h (5 m/s).
    (there,) = nearest(lat=east[0], lon=east[1], targets=[("w", *west)], direction="to_point")
    (back,) = nearest(lat=east[0], lon=east[1], targets=[("w", *west)], direction="from_point")
    assert there.eta_s == pytest.approx(50.0, abs=0.1)
    assert back.eta_s == pytest.approx((math.hypot(400, 750) + math.hypot(400, 250)) / 5, rel=0.005)
    assert back.distance_m > 900


def test_max_eta_leaves_out_slow_targets(line_network):
    targets = [(i, *offset(0, 500 * i)) for i in range(5)]
    found = nearest(lat=targets[0][1], lon=targets[0][2], targets=targets, max_eta_s=120)
    assert [(r.key, r.eta_s) for r in found] == [(0, 0.0), (1, 50.0), (2, 100.0)]


def test_unreachable_targets_are_left_out(network_factory):
    points = [offset(0, 0), offset(0, 500), offset(3000, 3000), offset(3000, 3500)]
    network_factory(points, [(0, 1, 36, False), (2, 3, 36, False)])
    found = nearest(lat=points[0][0], lon=points[0][1], targets=[("near", *points[1]), ("island", *points[3])])
    assert [r.key for r in found] == ["near"]


def test_walking_next_door_beats_driving_round_the_block(line_network):
    # 30 m apart but snapped to nodes 500 m apart: the straight walk wins.
    a, b = offset(0, 240), offset(0, 270)
    (reach,) = nearest(lat=a[0], lon=a[1], targets=[("door", *b)])
    assert reach.distance_m == pytest.approx(30, abs=0.5)
    assert reach.eta_s == pytest.approx(30 / (ACCESS_SPEED_KMH / 3.6), abs=0.1)
    assert len(reach.route["coordinates"]) == 2


def test_point_outside_the_district_is_refused(line_network):
    with pytest.raises(ValidationFailed) as refused:
        nearest(lat=30.0, lon=115.0, targets=[("a", *offset(0, 0))])
    assert set(refused.value.errors) == {"lat", "lon"}


def test_network_elsewhere_bounds_points_by_its_extent(network_factory):
    # A network far from Huangshigang (Helsinki) routes within its own extent.
    points = [(60.17, 24.94), (60.17, 24.95), (60.175, 24.95)]
    network = network_factory(points, [(0, 1, 40, False), (1, 2, 40, False)])
    assert not network.serves_district
    (reach,) = nearest(lat=60.17, lon=24.94, targets=[("x", 60.175, 24.95)])
    assert reach.eta_s > 0
    with pytest.raises(ValidationFailed):
        nearest(lat=30.235, lon=115.05, targets=[("x", 60.175, 24.95)])


def test_point_far_from_any_road_is_refused(network_factory):
    network_factory([offset(0, 0), offset(0, 300)], [(0, 1, 30, False)])
    far = offset(0, 2500)
    with pytest.raises(ValidationFailed, match="1000") as refused:
        nearest(lat=far[0], lon=far[1], targets=[("a", *offset(0, 0))])
    assert set(refused.value.errors) == {"lat", "lon"}


def test_without_a_network_routing_says_so(db):
    with pytest.raises(NoRoadNetwork, match="roads import"):
        nearest(lat=30.235, lon=115.05, targets=[])


def test_bad_limit_and_direction_are_refused(line_network):
    with pytest.raises(ValidationFailed) as refused:
        nearest(lat=30.235, lon=115.05, targets=[], limit=0)
    assert "limit" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        nearest(lat=30.235, lon=115.05, targets=[], direction="sideways")
    assert "direction" in refused.value.errors
