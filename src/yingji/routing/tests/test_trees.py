"""Nearest from cached shortest-path trees: the same answers as the full search from the point, whatever the
bound, limit, direction or ETA cap; trees follow resources that move and are dropped with the network."""

import numpy as np
import pytest

from yingji.routing import trees
from yingji.routing.graph import active_graph
from yingji.routing.tests.conftest import make_network, offset
from yingji.routing.tests.test_nearest import random_town
from yingji.routing.travel import nearest

pytestmark = pytest.mark.django_db


def answers(reaches) -> list[tuple]:
    return [(r.key, r.eta_s, r.distance_m, r.route) for r in reaches]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("bound_s", [np.inf, 120.0, 30.0])
def test_trees_answer_exactly_as_the_full_search(seed, bound_s, monkeypatch):
    points, edges, _times = random_town(seed)
    make_network(points, edges)
    monkeypatch.setattr(trees, "TREE_BOUND_S", bound_s)
    trees._caches.clear()
    rng = np.random.default_rng(seed)
    targets = [(i, *points[i]) for i in range(1, 30, 2)]
    for origin in range(0, 30, 3):
        lat, lon = points[origin]
        lat, lon = lat + rng.uniform(-2e-4, 2e-4), lon + rng.uniform(-2e-4, 2e-4)
        for direction in ("to_point", "from_point"):
            for limit, max_eta_s in ((1, None), (5, None), (None, None), (3, 100.0), (None, 400.0)):
                query = dict(lat=lat, lon=lon, targets=targets, direction=direction, limit=limit, max_eta_s=max_eta_s)
                assert answers(nearest(**query)) == answers(nearest(**query, use_trees=False)), query
    graph = active_graph()
    nodes, _m = graph.snap([t[1] for t in targets], [t[2] for t in targets])
    # One tree per target node and direction, built once for all the queries.
    assert trees.tree_cache(graph).built == len(set(nodes.tolist())) * 2


def test_a_query_settled_by_trees_does_not_search_from_the_point(line_network, monkeypatch):
    targets = [(i, *offset(0, 500 * i)) for i in range(5)]
    nearest(lat=targets[0][1], lon=targets[0][2], targets=targets, limit=2)
    searched = []
    monkeypatch.setattr(
        "yingji.routing.travel._nearest_by_search", lambda *a, **k: searched.append(1) or pytest.fail("searched")
    )
    found = nearest(lat=targets[4][1], lon=targets[4][2], targets=targets, limit=2)
    assert [(r.key, r.eta_s) for r in found] == [(4, 0.0), (3, 50.0)]
    assert searched == []


def test_beyond_the_bound_falls_back_to_the_full_search(line_network, monkeypatch):
    monkeypatch.setattr(trees, "TREE_BOUND_S", 60.0)
    trees._caches.clear()
    targets = [(i, *offset(0, 500 * i)) for i in range(5)]
    # The three nearest from the west end are 0, 50 and 100 s away: the third is beyond the 60 s trees.
    found = nearest(lat=targets[0][1], lon=targets[0][2], targets=targets, limit=3)
    assert trees.tree_cache(active_graph()).bound_s == 60.0
    assert [(r.key, r.eta_s) for r in found] == [(0, 0.0), (1, 50.0), (2, 100.0)]
    assert len(found[2].route["coordinates"]) > 2


def test_a_moved_resource_uses_its_new_place(line_network):
    west, east = offset(0, 0), offset(0, 2000)
    (before,) = nearest(lat=east[0], lon=east[1], targets=[("team", *west)], limit=1)
    (after,) = nearest(lat=east[0], lon=east[1], targets=[("team", *offset(0, 1500))], limit=1)
    assert before.eta_s == pytest.approx(200.0, abs=0.1)
    assert after.eta_s == pytest.approx(50.0, abs=0.1)


def test_another_network_starts_with_no_trees(line_network):
    targets = [(i, *offset(0, 500 * i)) for i in range(3)]
    nearest(lat=targets[0][1], lon=targets[0][2], targets=targets, limit=1)
    first = trees.tree_cache(active_graph())
    assert len(first) == 3
    points = [offset(0, 0), offset(0, 700)]
    make_network(points, [(0, 1, 36, False)], name="replacement")
    (reach,) = nearest(lat=points[0][0], lon=points[0][1], targets=[("x", *points[1])], limit=1)
    assert reach.eta_s == pytest.approx(70.0, abs=0.1)
    second = trees.tree_cache(active_graph())
    assert second is not first and len(second) == 1


def test_the_byte_budget_evicts_the_least_recently_used_trees(line_network):
    cache = trees.TreeCache(active_graph(), budget_bytes=1)
    cache.trees(np.array([0, 1, 2]), to_point=True)
    assert len(cache) == 3  # one build keeps what it was asked for
    (tree,) = cache.trees(np.array([4]), to_point=True)
    assert len(cache) == 1 and tree.time_at(4) == 0.0
    # From the east end westwards: round the one-way stretch by the bypass through node 5.
    assert tree.path(0) == [4, 3, 5, 2, 1, 0]
