"""Routing benchmark: nearest queries on the demo network and on a synthetic 100,000-node road graph (against
networkx and a bare scipy Dijkstra on the same graph), and evacuation of 5,000 blocks to 200 shelters (OR-Tools
min-cost flow against a HiGHS linear programme of the same problem).

Run: .venv/bin/python bench/routing.py [--seed N] [--queries N]. It uses a throwaway data directory and database.
Targets (issue 3): nearest p95 <= 50 ms at 100k nodes, >= 20x faster than networkx, <= 1.5x a bare scipy call;
evacuation cost ratio exactly 1.000 in <= 5 s.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

DATA_DIR = tempfile.mkdtemp(prefix="yingji-bench-routing-")
os.environ["YINGJI_DATA_DIR"] = DATA_DIR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from scipy.sparse.csgraph import dijkstra  # noqa: E402

from yingji.core.geo import district_geometry, in_district  # noqa: E402
from yingji.routing.demo import demo_load_routing  # noqa: E402
from yingji.routing.evacuation import assign_min_cost, assign_reference_lp  # noqa: E402
from yingji.routing.geometry import haversine_m  # noqa: E402
from yingji.routing.graph import Graph, active_graph  # noqa: E402
from yingji.routing.services import evacuation_assign, evacuation_costs, nearest, network_create  # noqa: E402


def ms(seconds: list[float]) -> tuple[float, float]:
    values = np.array(seconds) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))


def district_points(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    west, south, east, north = district_geometry().bounds
    points: list[tuple[float, float]] = []
    while len(points) < n:
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        if in_district(lat, lon):
            points.append((lat, lon))
    return points


def synthetic_network(rng: np.random.Generator, side: int) -> None:
    """A side x side jittered street grid (about 150 m apart) with arterials and some one-way streets."""
    spacing = 150.0
    i, j = np.divmod(np.arange(side * side), side)
    lat = 30.0 + (i * spacing + rng.uniform(-25, 25, side * side)) / 111_195
    lon = 114.8 + (j * spacing + rng.uniform(-25, 25, side * side)) / (111_195 * np.cos(np.radians(30.5)))
    node = np.arange(side * side).reshape(side, side)
    pairs, classes, speeds, oneway = [], [], [], []
    for a, b, line in (
        (node[:, :-1].ravel(), node[:, 1:].ravel(), np.repeat(np.arange(side), side - 1)),
        (node[:-1, :].ravel(), node[1:, :].ravel(), np.tile(np.arange(side), side - 1)),
    ):
        arterial = line % 6 == 0
        one = (line % 12 == 2) & ~arterial
        speed = np.where(arterial, 50.0, np.where(line % 3 == 0, 40.0, 25.0))
        for s, t, keep in ((a, b, np.ones_like(one)), (b, a, ~one)):
            pairs.append((s[keep], t[keep]))
            speeds.append(speed[keep])
            oneway.append(one[keep])
            classes += ["primary" if x else "residential" for x in arterial[keep]]
    sources = np.concatenate([p[0] for p in pairs])
    targets = np.concatenate([p[1] for p in pairs])
    network_create(
        by=None,
        name=f"synthetic {side}x{side}",
        source="bench",
        lats=lat,
        lons=lon,
        sources=sources,
        targets=targets,
        lengths_m=haversine_m(lat[sources], lon[sources], lat[targets], lon[targets]),
        road_classes=classes,
        speeds_kmh=np.concatenate(speeds),
        oneway=np.concatenate(oneway),
        serves_district=False,
        activate=True,
    )


def to_networkx(graph: Graph) -> nx.DiGraph:
    coo = graph.backward.tocoo()
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.size))
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    return g


def bench_nearest(label: str, points: list[tuple[float, float]], rng: np.random.Generator, queries: int) -> None:
    graph = active_graph()
    targets = [(k, *points[k]) for k in range(20)]
    origins = [points[20 + q] for q in range(queries)]
    ours, bare = [], []
    for lat, lon in origins:
        start = time.perf_counter()
        found = nearest(lat=lat, lon=lon, targets=targets, limit=5)
        ours.append(time.perf_counter() - start)
        assert found
        (node,), _m = graph.snap(lat, lon)
        start = time.perf_counter()
        dijkstra(graph.backward, indices=int(node), return_predecessors=True)
        bare.append(time.perf_counter() - start)
    g = to_networkx(graph)
    slow = []
    for lat, lon in origins[: max(5, queries // 10)]:
        (node,), _m = graph.snap(lat, lon)
        start = time.perf_counter()
        nx.single_source_dijkstra(g, int(node), weight="weight")
        slow.append(time.perf_counter() - start)
    (o50, o95), (b50, b95), (n50, n95) = ms(ours), ms(bare), ms(slow)
    print(f"\n== nearest on {label}: {graph.size:,} nodes, {graph.forward.nnz:,} edges, 20 targets, limit 5 ==")
    print(f"nearest()            p50 {o50:8.2f} ms   p95 {o95:8.2f} ms   ({len(ours)} queries)")
    print(f"bare scipy dijkstra  p50 {b50:8.2f} ms   p95 {b95:8.2f} ms   (same origins, with predecessors)")
    print(f"networkx dijkstra    p50 {n50:8.2f} ms   p95 {n95:8.2f} ms   ({len(slow)} queries)")
    print(f"ratio networkx / nearest (p50): {n50 / o50:6.1f}x   (target >= 20x)")
    print(f"ratio nearest / bare scipy (p50): {o50 / b50:5.2f}x   (p95: {o95 / b95:.2f}x; target <= 1.5x)")


def bench_evacuation(rng: np.random.Generator, capacity_share: float) -> None:
    points = district_points(rng, 5200)
    population = rng.integers(20, 400, 5000)
    blocks = [(b, *points[b], int(population[b])) for b in range(5000)]
    weights = rng.uniform(0.5, 1.5, 200)
    capacity = np.floor(weights / weights.sum() * population.sum() * capacity_share).astype(int)
    shelters = [(f"s{s}", *points[5000 + s], int(capacity[s])) for s in range(200)]
    start = time.perf_counter()
    plan = evacuation_assign(blocks=blocks, shelters=shelters)
    solve_s = time.perf_counter() - start
    cost = evacuation_costs(blocks=blocks, shelters=shelters)
    start = time.perf_counter()
    flow = assign_min_cost(cost, population, capacity)
    flow_s = time.perf_counter() - start
    start = time.perf_counter()
    reference = assign_reference_lp(cost, population, capacity)
    reference_s = time.perf_counter() - start
    reference_total = float((reference.people * np.where(np.isfinite(cost), np.round(cost, 1), 0)).sum())
    print(
        f"\n== evacuation: 5,000 blocks x 200 shelters, capacity {capacity_share:.0%} of {population.sum():,} people =="
    )
    print(f"evacuation_assign() end to end: {solve_s:6.2f} s  (min-cost flow alone {flow_s:.2f} s; target <= 5 s)")
    print(f"HiGHS reference LP:             {reference_s:6.2f} s")
    print(f"total travel cost (person-seconds): ours {plan.total_cost:,.1f}, reference {reference_total:,.1f}")
    print(f"cost ratio ours / reference: {plan.total_cost / reference_total:.6f}   (target 1.000)")
    print(
        f"solver objective (0.1 s units, with the unplaced penalty): ours {flow.objective:,}, "
        f"reference {reference.objective:,}, equal: {flow.objective == reference.objective}"
    )
    print(f"unassigned: ours {plan.unassigned:,}, reference {int(reference.unassigned.sum()):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--side", type=int, default=317, help="synthetic grid side (317 x 317 = 100,489 nodes)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"data dir {DATA_DIR}")
    call_command("migrate", verbosity=0)
    demo_load_routing(seed=args.seed, out=print)
    bench_nearest("the demo network", district_points(rng, 20 + args.queries), rng, args.queries)
    bench_evacuation(rng, capacity_share=1.1)
    bench_evacuation(rng, capacity_share=0.8)
    start = time.perf_counter()
    synthetic_network(rng, args.side)
    print(f"\nsynthetic network stored in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    graph = active_graph()
    print(f"loaded into memory in {time.perf_counter() - start:.1f} s")
    south, west, north, east = graph.bounds
    points = list(
        zip(rng.uniform(south, north, 20 + args.queries), rng.uniform(west, east, 20 + args.queries), strict=True)
    )
    bench_nearest("a synthetic road graph", points, rng, args.queries)


if __name__ == "__main__":
    main()
