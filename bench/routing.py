"""Routing benchmark: nearest queries on the demo network and on a synthetic 100,000-node road graph (against
networkx and a bare scipy Dijkstra on the same graph), and evacuation of 5,000 blocks to 200 shelters (OR-Tools
min-cost flow against a HiGHS linear programme of the same problem).

Run: .venv/bin/python bench/routing.py [--seed N] [--queries N] [--million] [--only-nearest]. It uses a throwaway
data directory and database. Targets (issue 3): evacuation cost ratio exactly 1.000 in <= 5 s. Targets (issue 16):
nearest with 200 resources on the 100k-node graph p95 <= 5 ms and >= 4x faster than a bare scipy Dijkstra from the
same origin, every answer identical to the full search; on 1,000,000 nodes (--million) p95 <= 20 ms.
"""

import argparse
import os
import resource
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
from yingji.routing import graph as graph_module  # noqa: E402
from yingji.routing.demo import demo_load_routing  # noqa: E402
from yingji.routing.evacuation import assign_min_cost, assign_reference_lp  # noqa: E402
from yingji.routing.geometry import haversine_m  # noqa: E402
from yingji.routing.graph import Graph, active_graph  # noqa: E402
from yingji.routing.models import RoadNetwork  # noqa: E402
from yingji.routing.services import network_create  # noqa: E402
from yingji.routing.travel import evacuation_assign, evacuation_costs, nearest  # noqa: E402
from yingji.routing.trees import tree_cache  # noqa: E402


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


def synthetic_network(rng: np.random.Generator, side: int, *, store: bool = True) -> None:
    """A side x side jittered street grid (about 150 m apart) with arterials and some one-way streets. Stored in
    the database and activated, or (store=False, for a million nodes) built in memory as the process's active
    graph under an empty active network row: the same Graph the loader would build, without the hour of inserts."""
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
    lengths = haversine_m(lat[sources], lon[sources], lat[targets], lon[targets])
    if not store:
        RoadNetwork.objects.update(active=False)
        network = RoadNetwork.objects.create(
            name=f"synthetic {side}x{side} (in memory)", source="bench", active=True, node_count=side * side
        )
        # Vectorised travel_time_s (same formula, same floats).
        times = np.maximum(lengths / (np.concatenate(speeds) / 3.6), 0.01)
        graph_module._cache = Graph.build(
            lat=lat, lon=lon, sources=sources, targets=targets, times_s=times, lengths_m=lengths, uid=network.uid
        )
        return
    network_create(
        by=None,
        name=f"synthetic {side}x{side}",
        source="bench",
        lats=lat,
        lons=lon,
        sources=sources,
        targets=targets,
        lengths_m=lengths,
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


def same(a: list, b: list) -> bool:
    return [(r.key, r.eta_s, r.distance_m, r.route) for r in a] == [(r.key, r.eta_s, r.distance_m, r.route) for r in b]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_nearest(
    label: str, points: list[tuple[float, float]], rng: np.random.Generator, queries: int, resources: int = 20
) -> None:
    graph = active_graph()
    targets = [(k, *points[k]) for k in range(resources)]
    origins = [points[resources + q] for q in range(queries)]
    cache = tree_cache(graph)
    before_bytes, before_rss = cache.nbytes, rss_mb()
    start = time.perf_counter()
    nearest(lat=origins[0][0], lon=origins[0][1], targets=targets, limit=5)
    warm_s = time.perf_counter() - start
    ours, bare, full, mismatches = [], [], [], 0
    for lat, lon in origins:
        start = time.perf_counter()
        found = nearest(lat=lat, lon=lon, targets=targets, limit=5)
        ours.append(time.perf_counter() - start)
        assert found
        (node,), _m = graph.snap(lat, lon)
        start = time.perf_counter()
        dijkstra(graph.backward, indices=int(node), return_predecessors=True)
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        reference = nearest(lat=lat, lon=lon, targets=targets, limit=5, use_trees=False)
        full.append(time.perf_counter() - start)
        mismatches += not same(found, reference)
    (o50, o95), (b50, b95), (f50, f95) = ms(ours), ms(bare), ms(full)
    print(
        f"\n== nearest on {label}: {graph.size:,} nodes, {graph.forward.nnz:,} edges, {resources} targets, limit 5 =="
    )
    print(
        f"trees: {len(cache)} built in {warm_s:.2f} s (bound {cache.bound_s:.0f} s), "
        f"{(cache.nbytes - before_bytes) / 2**20:.1f} MiB of trees; "
        f"process peak RSS {before_rss:.0f} -> {rss_mb():.0f} MiB"
    )
    print(f"nearest() (trees)    p50 {o50:8.2f} ms   p95 {o95:8.2f} ms   ({len(ours)} queries)")
    print(
        f"nearest() full search p50 {f50:7.2f} ms   p95 {f95:8.2f} ms   (the reference every answer is checked against)"
    )
    print(f"bare scipy dijkstra  p50 {b50:8.2f} ms   p95 {b95:8.2f} ms   (same origins, with predecessors)")
    print(f"answers identical to the full search: {len(ours) - mismatches}/{len(ours)}")
    print(f"ratio bare scipy / nearest: p50 {b50 / o50:6.1f}x   p95 {b95 / o95:6.1f}x   (target >= 4x)")
    if graph.size <= 200_000:
        g = to_networkx(graph)
        slow = []
        for lat, lon in origins[: max(5, queries // 20)]:
            (node,), _m = graph.snap(lat, lon)
            start = time.perf_counter()
            nx.single_source_dijkstra(g, int(node), weight="weight")
            slow.append(time.perf_counter() - start)
        n50, _n95 = ms(slow)
        print(f"networkx dijkstra    p50 {n50:8.2f} ms   ratio networkx / nearest (p50): {n50 / o50:6.0f}x")


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
    parser.add_argument("--resources", type=int, default=200, help="resources of a kind on the synthetic graphs")
    parser.add_argument("--side", type=int, default=317, help="synthetic grid side (317 x 317 = 100,489 nodes)")
    parser.add_argument("--only-nearest", action="store_true", help="skip the demo network and the evacuation")
    parser.add_argument("--million", action="store_true", help="also a 1000 x 1000 grid, built in memory")
    parser.add_argument("--in-memory", action="store_true", help="build the --side grid in memory, not stored")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"data dir {DATA_DIR}")
    call_command("migrate", verbosity=0)
    if not args.only_nearest:
        demo_load_routing(seed=args.seed, out=print)
        bench_nearest("the demo network", district_points(rng, 20 + args.queries), rng, args.queries)
        bench_evacuation(rng, capacity_share=1.1)
        bench_evacuation(rng, capacity_share=0.8)
    sides = [args.side] + ([1000] if args.million else [])
    for side in sides:
        start = time.perf_counter()
        store = side == args.side and not args.in_memory
        synthetic_network(rng, side, store=store)
        print(
            f"\nsynthetic network {side}x{side} {'stored' if store else 'built in memory'} in "
            f"{time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        graph = active_graph()
        print(f"loaded into memory in {time.perf_counter() - start:.1f} s")
        south, west, north, east = graph.bounds
        n = args.resources + args.queries
        points = list(zip(rng.uniform(south, north, n), rng.uniform(west, east, n), strict=True))
        bench_nearest("a synthetic road graph", points, rng, args.queries, resources=args.resources)


if __name__ == "__main__":
    main()
