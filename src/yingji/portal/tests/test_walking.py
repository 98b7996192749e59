"""The shelter finder walks on the road graph: its order and distances match a brute-force search."""

import networkx as nx
import numpy as np
import pytest

from yingji.core.errors import ValidationFailed
from yingji.portal import selectors
from yingji.portal.tests.conftest import SIZE, SPACING_M
from yingji.portal.walking import DIRECT_MAX_M, WALK_SPEED_KMH, walk_from
from yingji.routing.geometry import haversine_m
from yingji.routing.models import RoadEdge, RoadNode
from yingji.routing.tests.conftest import offset


def brute_force(network, lat: float, lon: float, targets) -> dict:
    """Walking metres to each target: nearest node by checking every node, Dijkstra of networkx on the roads
    taken both ways, or the straight line when next door (150 m) and shorter than by road."""
    nodes = list(RoadNode.objects.filter(network=network).values_list("pk", "lat", "lon"))
    graph = nx.Graph()
    for source, target, length in RoadEdge.objects.filter(network=network).values_list(
        "source_id", "target_id", "length_m"
    ):
        if not graph.has_edge(source, target) or graph[source][target]["weight"] > length:
            graph.add_edge(source, target, weight=length)

    def snap(a: float, o: float) -> tuple[int, float]:
        return min(((pk, float(haversine_m(a, o, la, lo))) for pk, la, lo in nodes), key=lambda x: x[1])

    origin, origin_m = snap(lat, lon)
    lengths = nx.single_source_dijkstra_path_length(graph, origin, weight="weight")
    out = {}
    for key, a, o in targets:
        node, node_m = snap(a, o)
        road = origin_m + lengths.get(node, np.inf) + node_m
        straight = float(haversine_m(lat, lon, a, o))
        out[key] = straight if straight <= DIRECT_MAX_M and straight < road else road
    return out


@pytest.mark.parametrize("north,east", [(10, 10), (390, 30), (620, 770), (410, 590), (150, 640)])
def test_order_and_distance_match_brute_force(grid, north, east):
    rng = np.random.default_rng(7)
    targets = [(i, *offset(float(n), float(e))) for i, (n, e) in enumerate(rng.uniform(0, 800, size=(12, 2)))]
    lat, lon = offset(north, east)
    walks = walk_from(lat=lat, lon=lon, targets=targets)
    expected = brute_force(grid, lat, lon, targets)
    assert [w.key for w in walks] == sorted(expected, key=lambda k: (expected[k], k))
    for w in walks:
        assert w.distance_m == pytest.approx(expected[w.key], abs=0.5)
        assert w.eta_s == pytest.approx(expected[w.key] / (WALK_SPEED_KMH / 3.6), abs=0.5)


def test_walkers_ignore_one_way_streets(grid):
    # From the east end of the one-way middle row to its west end: 800 m straight along it on foot.
    lat, lon = offset(2 * SPACING_M, (SIZE - 1) * SPACING_M)
    (walk,) = walk_from(lat=lat, lon=lon, targets=[("west", *offset(2 * SPACING_M, 0))])
    assert walk.distance_m == pytest.approx(800, abs=1)
    assert walk.route["coordinates"][0] == [round(lon, 6), round(lat, 6)]


def test_nearest_shelters_skip_closed_and_full_ones_and_order_by_walking_time(shelters):
    lat, lon = offset(0, 0)
    found = selectors.nearest_shelters(lat=lat, lon=lon, limit=10)
    assert [s["id"] for s in found] == [shelters.near.pk, shelters.middle.pk, shelters.far.pk]
    assert [s["eta_s"] for s in found] == sorted(s["eta_s"] for s in found)
    assert found[0]["free_capacity"] == shelters.near.capacity


def test_a_point_outside_the_district_is_a_field_error(grid):
    with pytest.raises(ValidationFailed) as caught:
        walk_from(lat=31.5, lon=114.0, targets=[])
    assert "lat" in caught.value.errors
