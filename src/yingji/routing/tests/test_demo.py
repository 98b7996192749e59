"""The illustrative demo network: inside the district, strongly connected, idempotent."""

import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components

from yingji.core.geo import district_geometry, in_district
from yingji.demo.services import demo_load
from yingji.routing.demo import DEMO_SOURCE, demo_load_routing
from yingji.routing.graph import active_graph
from yingji.routing.models import RoadEdge, RoadNetwork, RoadNode
from yingji.routing.tests.conftest import offset
from yingji.routing.travel import nearest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_network() -> RoadNetwork:
    lines = []
    counts = demo_load_routing(seed=2021, out=lines.append)
    assert counts["networks"] == 1 and counts["nodes"] > 1000 and lines
    return RoadNetwork.objects.get(source=DEMO_SOURCE)


def test_demo_network_is_illustrative_active_and_idempotent(demo_network):
    # On top of the demo district, as `yingji demo` runs it.
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    assert demo_network.illustrative and demo_network.active and demo_network.serves_district
    edges = RoadEdge.objects.count()
    assert demo_load_routing(seed=2021, out=lambda s: None) == {
        "networks": 0,
        "nodes": 0,
        "edges": 0,
        "base_features": 0,
    }
    assert RoadNetwork.objects.count() == 1 and RoadEdge.objects.count() == edges


def test_demo_network_lies_inside_the_district(demo_network):
    points = RoadNode.objects.filter(network=demo_network).values_list("lat", "lon")
    assert all(in_district(lat, lon) for lat, lon in points)


def test_every_junction_reaches_every_other(demo_network):
    graph = active_graph()
    count, _labels = connected_components(graph.forward, connection="strong")
    assert count == 1


def test_demo_network_has_arterials_one_way_streets_and_bridges(demo_network):
    edges = RoadEdge.objects.filter(network=demo_network)
    assert {"primary", "secondary", "residential", "bridge"} <= set(edges.values_list("road_class", flat=True))
    oneway = edges.filter(oneway=True).count()
    assert 0 < oneway < 0.2 * edges.count()
    primary = edges.filter(road_class="primary").first()
    residential = edges.filter(road_class="residential").first()
    assert primary.length_m / primary.travel_time_s > residential.length_m / residential.travel_time_s


def test_all_four_parts_of_the_district_are_reachable(demo_network):
    # A point in each part of the district's MultiPolygon is reached from the district's main part.
    parts = [part.representative_point() for part in district_geometry().geoms]
    main = parts[0]
    found = nearest(lat=main.y, lon=main.x, targets=[(i, p.y, p.x) for i, p in enumerate(parts)])
    assert sorted(r.key for r in found) == [0, 1, 2, 3]
    assert all(np.isfinite(r.eta_s) for r in found)


def test_demo_does_not_take_over_from_an_imported_network(network_factory):
    real = network_factory([offset(0, 0), offset(0, 300)], [(0, 1, 30, False)], name="real")
    demo_load_routing(seed=2021, out=lambda s: None)
    real.refresh_from_db()
    assert real.active and not RoadNetwork.objects.get(source=DEMO_SOURCE).active
