"""The routing queries every other app calls: nearest targets by travel time, evacuation assignment, and coverage
within a time limit (reads: nothing here writes)."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, TypeVar

import numpy as np
from django.utils.translation import gettext as _
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from yingji.core.errors import ValidationFailed
from yingji.core.inputs import MAX_QUANTITY
from yingji.routing.evacuation import assign_min_cost
from yingji.routing.geometry import haversine_m
from yingji.routing.graph import Graph, NoRoadNetwork, active_graph
from yingji.routing.trees import tree_cache

__all__ = [
    "EvacuationPlan",
    "NoRoadNetwork",
    "Reach",
    "evacuation_assign",
    "evacuation_costs",
    "nearest",
    "unreachable_within",
]

_Metres = TypeVar("_Metres", np.ndarray, float)

# The stretch between a point and its nearest road node is covered on foot.
ACCESS_SPEED_KMH = 5.0
# A point further than this from any road node is off the network.
MAX_SNAP_M = 1000.0


@dataclass(frozen=True)
class Reach:
    """How a target is reached: travel time, distance along the route, and the route as a GeoJSON LineString."""

    key: Hashable
    eta_s: float
    distance_m: float
    route: dict


@dataclass(frozen=True)
class EvacuationPlan:
    """People per (block, shelter) with their travel time, each shelter's load, and who found no place."""

    assignments: list[tuple[Hashable, Hashable, int, float]]  # (block key, shelter key, people, eta_s)
    shelter_load: dict[Hashable, int]
    unassigned: int
    total_cost: float  # sum of people * eta_s over assignments


def _access_s(distance_m: _Metres, speed_kmh: float) -> _Metres:
    return distance_m / (speed_kmh / 3.6)


def _coordinates(points: Sequence[tuple], field: str) -> tuple[np.ndarray, np.ndarray]:
    lat = np.array([p[1] for p in points], dtype=float)
    lon = np.array([p[2] for p in points], dtype=float)
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise ValidationFailed(_("Coordinates must be numbers."), {field: [_("bad coordinates")]})
    return lat, lon


def _walk_s(rows: Sequence[tuple], columns: Sequence[tuple], speed_kmh: float, max_m: float) -> np.ndarray:
    """Seconds on foot in a straight line from each row point to each column point up to `max_m` away (else inf)."""
    row_lat, row_lon = _coordinates(rows, "points")
    col_lat, col_lon = _coordinates(columns, "points")
    metres = haversine_m(row_lat[:, None], row_lon[:, None], col_lat[None, :], col_lon[None, :])
    return np.where(metres <= max_m, _access_s(metres, speed_kmh), np.inf)


def _check_point(graph: Graph, lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not graph.covers(lat, lon):
        message = (
            _("The point lies outside the district.")
            if graph.serves_district
            else _("The point lies outside the road network.")
        )
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})


def _path(predecessors: np.ndarray, target: int) -> list[int]:
    """Nodes from `target` back to the search's origin along the predecessor tree."""
    nodes = [target]
    while (previous := predecessors[nodes[-1]]) >= 0:
        nodes.append(int(previous))
    return nodes


def nearest(
    *,
    lat: float,
    lon: float,
    targets: Sequence[tuple[Hashable, float, float]],
    limit: int | None = None,
    direction: Literal["to_point", "from_point"] = "to_point",
    max_eta_s: float | None = None,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    max_snap_m: float = MAX_SNAP_M,
    use_trees: bool = True,
) -> list[Reach]:
    """Targets (key, lat, lon) ordered by travel time on the active road network. "to_point": travel from each
    target to the point (a team driving to an incident, respecting one-way streets); "from_point": from the point
    to each target (people walking/driving to a shelter). Unreachable targets are left out. Raises ValidationFailed
    (field "lat"/"lon") for a point outside the district, and NoRoadNetwork (409) when no road network is loaded.

    The ETA adds the walk between each point and its nearest road node at `access_speed_kmh`, or is the straight
    walk when that is quicker and under `max_snap_m`; a target further than `max_snap_m` from any road counts as
    unreachable. `max_eta_s` also bounds the search itself.

    Answers come from the targets' cached shortest-path trees (routing.trees) when those settle them, else from
    one full search from the point (`use_trees=False` forces it: the reference the benchmark checks against)."""
    if direction not in ("to_point", "from_point"):
        raise ValidationFailed(_("Unknown direction."), {"direction": [_("use to_point or from_point")]})
    if limit is not None and limit < 1:
        raise ValidationFailed(_("The limit must be at least 1."), {"limit": [_("must be at least 1")]})
    graph = active_graph()
    _check_point(graph, lat, lon)
    (origin,), (origin_m,) = graph.snap(lat, lon)
    if origin_m > max_snap_m:
        message = _("No road within %(m)d m of this point.") % {"m": max_snap_m}
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})
    if not targets:
        return []
    target_lat, target_lon = _coordinates(targets, "targets")
    target_nodes, target_m = graph.snap(target_lat, target_lon)
    origin_s = float(_access_s(origin_m, access_speed_kmh))
    to_point = direction == "to_point"
    # Next door is quicker on foot than by way of the nearest road nodes.
    walk_m = haversine_m(lat, lon, target_lat, target_lon)
    access = _Access(origin=int(origin), origin_m=float(origin_m), origin_s=origin_s, target_m=target_m, walk_m=walk_m)
    found = None
    if use_trees:
        found = _nearest_from_trees(
            graph, target_nodes, to_point, limit, max_eta_s, access_speed_kmh, max_snap_m, **access
        )
    if found is None:
        found = _nearest_by_search(
            graph, target_nodes, to_point, limit, max_eta_s, access_speed_kmh, max_snap_m, **access
        )
    chosen, eta, walk, paths = found
    return [
        _reach(
            graph,
            key=targets[i][0],
            # A walk in a straight line has no road part: the whole distance is the walk.
            point=(lat, lon, 0.0 if walk[i] else float(origin_m)),
            target=(float(target_lat[i]), float(target_lon[i]), float(walk_m[i] if walk[i] else target_m[i])),
            path=[] if walk[i] else paths(i),
            eta_s=float(eta[i]),
            to_point=to_point,
        )
        for i in chosen
    ]


def _rank(
    road_s: np.ndarray,
    *,
    origin_s: float,
    target_m: np.ndarray,
    walk_m: np.ndarray,
    limit: int | None,
    max_eta_s: float | None,
    access_speed_kmh: float,
    max_snap_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Targets in order of ETA (road time plus the walks at both ends, or the straight walk when quicker)."""
    eta = road_s + origin_s + _access_s(target_m, access_speed_kmh)
    eta[target_m > max_snap_m] = np.inf
    walk = (walk_m <= max_snap_m) & (_access_s(walk_m, access_speed_kmh) < eta)
    eta = np.where(walk, _access_s(walk_m, access_speed_kmh), eta)
    ok = np.isfinite(eta)
    if max_eta_s is not None:
        ok &= eta <= max_eta_s
    chosen = np.flatnonzero(ok)
    chosen = chosen[np.argsort(eta[chosen], kind="stable")][:limit]
    return chosen, eta, walk


class _Access(TypedDict):
    """How the origin point reaches the network, and each target's walk (the searches' shared keyword arguments)."""

    origin: int
    origin_m: float
    origin_s: float
    target_m: np.ndarray
    walk_m: np.ndarray


def _nearest_by_search(
    graph: Graph,
    target_nodes: np.ndarray,
    to_point: bool,
    limit: int | None,
    max_eta_s: float | None,
    access_speed_kmh: float,
    max_snap_m: float,
    *,
    origin: int,
    origin_m: float,
    origin_s: float,
    target_m: np.ndarray,
    walk_m: np.ndarray,
) -> tuple:
    """The full search: one Dijkstra from the point (against the roads' direction when targets come to it)."""
    search_limit = np.inf if max_eta_s is None else max(max_eta_s - origin_s, 0.0)
    times, predecessors = dijkstra(
        graph.backward if to_point else graph.forward,
        indices=origin,
        return_predecessors=True,
        limit=search_limit,
    )
    chosen, eta, walk = _rank(
        times[target_nodes],
        origin_s=origin_s,
        target_m=target_m,
        walk_m=walk_m,
        limit=limit,
        max_eta_s=max_eta_s,
        access_speed_kmh=access_speed_kmh,
        max_snap_m=max_snap_m,
    )
    return chosen, eta, walk, lambda i: _path(predecessors, int(target_nodes[i]))


def _nearest_from_trees(
    graph: Graph,
    target_nodes: np.ndarray,
    to_point: bool,
    limit: int | None,
    max_eta_s: float | None,
    access_speed_kmh: float,
    max_snap_m: float,
    *,
    origin: int,
    origin_m: float,
    origin_s: float,
    target_m: np.ndarray,
    walk_m: np.ndarray,
) -> tuple | None:
    """The same answer from the targets' cached shortest-path trees (routing.trees), or None when a target beyond
    the trees' bound could belong in it (the caller then searches)."""
    cache = tree_cache(graph)
    trees = cache.trees(target_nodes, to_point=to_point)
    road_s = np.fromiter((tree.time_at(origin) for tree in trees), dtype=np.float64, count=len(trees))
    chosen, eta, walk = _rank(
        road_s,
        origin_s=origin_s,
        target_m=target_m,
        walk_m=walk_m,
        limit=limit,
        max_eta_s=max_eta_s,
        access_speed_kmh=access_speed_kmh,
        max_snap_m=max_snap_m,
    )
    # A target missing from its tree takes longer than the bound by road: every ETA up to `sure` is exact.
    sure = cache.bound_s + origin_s
    exact = (max_eta_s is not None and max_eta_s <= sure) or (
        limit is not None and len(chosen) == limit and (len(chosen) == 0 or eta[chosen[-1]] <= sure)
    )
    if not exact:
        return None
    return chosen, eta, walk, lambda i: trees[i].path(origin)


def _reach(
    graph: Graph,
    *,
    key: Hashable,
    point: tuple[float, float, float],
    target: tuple[float, float, float],
    path: list[int],
    eta_s: float,
    to_point: bool,
) -> Reach:
    """The route of one target; `path` runs from the target's node back to the point's node (empty: on foot)."""
    nodes = np.asarray(path, dtype=np.int64)
    # The path's edges point target → point when people come to the point, point → target otherwise.
    tails, heads = (nodes[:-1], nodes[1:]) if to_point else (nodes[1:], nodes[:-1])
    road_m = float(graph.lengths(tails, heads).sum()) if len(nodes) > 1 else 0.0
    line = [
        [round(target[1], 6), round(target[0], 6)],
        *graph.coordinates(path),
        [round(point[1], 6), round(point[0], 6)],
    ]
    if not to_point:
        line.reverse()
    return Reach(
        key=key,
        eta_s=round(eta_s, 1),
        distance_m=round(road_m + point[2] + target[2], 1),
        route={"type": "LineString", "coordinates": line},
    )


def _counts(rows: Sequence[tuple], field: str) -> np.ndarray:
    counts = np.array([row[3] for row in rows], dtype=float)
    if len(counts) and (not np.all(np.isfinite(counts)) or counts.min() < 0 or np.any(counts != np.rint(counts))):
        raise ValidationFailed(_("People and capacities are whole numbers, not negative."), {field: [_("bad count")]})
    # The flow's costs are people times seconds in 64-bit integers: bounded counts keep them from overflowing.
    if len(counts) and counts.sum() > MAX_QUANTITY:
        message = _("At most %(n)d people or places in all.") % {"n": MAX_QUANTITY}
        raise ValidationFailed(message, {field: [message]})
    return counts.astype(np.int64)


def evacuation_assign(
    *,
    blocks: Sequence[tuple[Hashable, float, float, int]],
    shelters: Sequence[tuple[Hashable, float, float, int]],
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    max_snap_m: float = MAX_SNAP_M,
) -> EvacuationPlan:
    """Assign people (block key, lat, lon, population) to shelters (key, lat, lon, free capacity) minimising total
    travel time without exceeding any capacity: a min-cost flow; people who cannot be placed are counted."""
    population = _counts(blocks, "blocks")
    capacity = _counts(shelters, "shelters")
    if not blocks:
        return EvacuationPlan(assignments=[], shelter_load={s[0]: 0 for s in shelters}, unassigned=0, total_cost=0.0)
    cost = evacuation_costs(blocks=blocks, shelters=shelters, access_speed_kmh=access_speed_kmh, max_snap_m=max_snap_m)
    flow = assign_min_cost(cost, population, capacity)
    assignments = [
        (blocks[b][0], shelters[s][0], int(flow.people[b, s]), round(float(cost[b, s]), 1))
        for b, s in zip(*np.nonzero(flow.people), strict=True)
    ]
    load = flow.people.sum(axis=0)
    return EvacuationPlan(
        assignments=assignments,
        shelter_load={shelter[0]: int(load[s]) for s, shelter in enumerate(shelters)},
        unassigned=int(flow.unassigned.sum()),
        total_cost=round(sum(people * eta for _b, _s, people, eta in assignments), 1),
    )


def evacuation_costs(
    *,
    blocks: Sequence[tuple],
    shelters: Sequence[tuple],
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    max_snap_m: float = MAX_SNAP_M,
) -> np.ndarray:
    """Seconds from each block to each shelter on the active network (inf: unreachable), the walks to and from
    the roads included; a straight walk replaces the road trip when it is quicker."""
    graph = active_graph()
    if not shelters:
        return np.empty((len(blocks), 0))
    block_nodes, block_m = graph.snap(*_coordinates(blocks, "blocks"))
    shelter_nodes, shelter_m = graph.snap(*_coordinates(shelters, "shelters"))
    cost = _travel_times_to(graph, shelter_nodes, block_nodes)
    cost += _access_s(block_m, access_speed_kmh)[:, None] + _access_s(shelter_m, access_speed_kmh)[None, :]
    cost[block_m > max_snap_m, :] = np.inf
    cost[:, shelter_m > max_snap_m] = np.inf
    return np.minimum(cost, _walk_s(blocks, shelters, access_speed_kmh, max_snap_m), out=cost)


def _travel_times_to(graph: Graph, destinations: np.ndarray, origins: np.ndarray, chunk: int = 64) -> np.ndarray:
    """Seconds from each origin node to each destination node: one search per destination on the reversed graph,
    a few destinations at a time to bound memory on large networks."""
    unique, inverse = np.unique(destinations, return_inverse=True)
    times = np.empty((len(origins), len(unique)))
    for start in range(0, len(unique), chunk):
        rows = dijkstra(graph.backward, indices=unique[start : start + chunk])
        times[:, start : start + chunk] = rows[:, origins].T
    return times[:, inverse]


def unreachable_within(
    *,
    sources: Sequence[tuple[Hashable, float, float]],
    points: Sequence[tuple[Hashable, float, float]],
    limit_s: float,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    max_snap_m: float = MAX_SNAP_M,
) -> set[Hashable]:
    """Keys of the points that no source reaches within limit_s (sources travel to the points)."""
    if not limit_s > 0:
        raise ValidationFailed(_("The time limit must be positive."), {"limit_s": [_("must be positive")]})
    if not points:
        return set()
    graph = active_graph()
    point_nodes, point_m = graph.snap(*_coordinates(points, "points"))
    times = np.full(graph.size, np.inf)
    if sources:
        source_nodes, source_m = graph.snap(*_coordinates(sources, "sources"))
        on_network = source_m <= max_snap_m
        times = _from_any(graph, source_nodes[on_network], _access_s(source_m[on_network], access_speed_kmh), limit_s)
    eta = times[point_nodes] + _access_s(point_m, access_speed_kmh)
    eta[point_m > max_snap_m] = np.inf
    if sources:
        eta = np.minimum(eta, _walk_s(points, sources, access_speed_kmh, max_snap_m).min(axis=1))
    late = ~(eta <= limit_s)
    return {points[int(i)][0] for i in np.flatnonzero(late)}


def _from_any(graph: Graph, nodes: np.ndarray, start_s: np.ndarray, limit_s: float) -> np.ndarray:
    """Seconds to every node from the nearest of several starts, each with its own head start time: one search
    from an extra node joined to every start by an edge as long as that start's access time."""
    n = graph.size
    if not len(nodes):
        return np.full(n, np.inf)
    order = np.lexsort((start_s, nodes))
    nodes, start_s = nodes[order], start_s[order]
    first = np.ones(len(nodes), dtype=bool)
    first[1:] = nodes[1:] != nodes[:-1]
    nodes, start_s = nodes[first], np.maximum(start_s[first], 1e-6)
    forward = graph.forward
    augmented = csr_array(
        (
            np.concatenate([forward.data, start_s]),
            np.concatenate([forward.indices, nodes]),
            np.concatenate([forward.indptr, [forward.indptr[-1] + len(nodes)]]),
        ),
        shape=(n + 1, n + 1),
    )
    return dijkstra(augmented, indices=n, limit=limit_s)[:n]
