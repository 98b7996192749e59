"""Walking to shelters on the road network: the shortest distance along the roads (walkers ignore one-way rules)
divided by a walking speed. The routing app's graph gives the roads; the walking profile is this module's.

Kept simple on purpose: no slopes, stairs or crossings; the speed is a planning value for people of all ages.
"""

import threading
import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from django.utils.translation import gettext as _
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from yingji.core.errors import ValidationFailed
from yingji.routing.geometry import haversine_m
from yingji.routing.graph import Graph, active_graph

# 4 km/h: slower than a fit adult (about 5 km/h) so the time holds for the elderly and for children.
WALK_SPEED_KMH = 4.0
# A point further than this from any road is off the walking network.
MAX_SNAP_M = 1000.0
# Straight across only for a shelter next door: further away, blocks and buildings stand in the way.
DIRECT_MAX_M = 150.0


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Walk(Generic[K]):
    """How a target is reached on foot: seconds, metres, and the path as a GeoJSON LineString."""

    key: K
    eta_s: float
    distance_m: float
    route: dict


_lengths: dict[uuid.UUID, csr_array] = {}
_lock = threading.Lock()


def _length_matrix(graph: Graph) -> csr_array:
    """Edge lengths in metres as a sparse matrix, built once per road network and process."""
    matrix = _lengths.get(graph.uid)
    if matrix is None:
        with _lock:
            n = graph.size
            u, v = graph.edge_keys // n, graph.edge_keys % n
            matrix = csr_array((np.maximum(graph.edge_lengths, 0.01), (u, v)), shape=(n, n))
            _lengths.clear()
            _lengths[graph.uid] = matrix
    return matrix


def seconds_on_foot(metres: float, speed_kmh: float = WALK_SPEED_KMH) -> float:
    return metres / (speed_kmh / 3.6)


def walk_from(
    *,
    lat: float,
    lon: float,
    targets: Sequence[tuple[K, float, float]],
    limit: int | None = None,
    speed_kmh: float = WALK_SPEED_KMH,
) -> list[Walk[K]]:
    """Targets (key, lat, lon) ordered by walking time from the point; unreachable ones are left out. A point off
    the network or outside the area it serves is a ValidationFailed on lat/lon; no network is a 409."""
    if not (np.isfinite(lat) and np.isfinite(lon)):
        message = _("Coordinates must be numbers.")
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})
    graph = active_graph()
    if not graph.covers(lat, lon):
        message = (
            _("The point lies outside the district.")
            if graph.serves_district
            else _("The point lies outside the road network.")
        )
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})
    (origin,), (origin_m,) = graph.snap(lat, lon)
    if origin_m > MAX_SNAP_M:
        message = _("No road within %(m)d m of this point.") % {"m": MAX_SNAP_M}
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})
    if not targets:
        return []
    target_lat = np.array([t[1] for t in targets], dtype=float)
    target_lon = np.array([t[2] for t in targets], dtype=float)
    target_nodes, target_m = graph.snap(target_lat, target_lon)
    metres, predecessors = dijkstra(
        _length_matrix(graph), directed=False, indices=int(origin), return_predecessors=True
    )
    total = metres[target_nodes] + origin_m + target_m
    total[target_m > MAX_SNAP_M] = np.inf
    straight = haversine_m(lat, lon, target_lat, target_lon)
    # Next door is nearer straight across than by way of the nearest road nodes.
    direct = (straight <= DIRECT_MAX_M) & (straight < total)
    total = np.where(direct, straight, total)
    chosen = np.flatnonzero(np.isfinite(total))
    chosen = chosen[np.argsort(total[chosen], kind="stable")][:limit]
    walks: list[Walk[K]] = []
    for i in chosen:
        if direct[i]:
            line = [[round(lon, 6), round(lat, 6)], [round(float(target_lon[i]), 6), round(float(target_lat[i]), 6)]]
        else:
            nodes = [int(target_nodes[i])]
            while (previous := predecessors[nodes[-1]]) >= 0:
                nodes.append(int(previous))
            nodes.reverse()
            line = [
                [round(lon, 6), round(lat, 6)],
                *graph.coordinates(nodes),
                [round(float(target_lon[i]), 6), round(float(target_lat[i]), 6)],
            ]
        walks.append(
            Walk(
                key=targets[int(i)][0],
                eta_s=round(seconds_on_foot(float(total[i]), speed_kmh), 1),
                distance_m=round(float(total[i]), 1),
                route={"type": "LineString", "coordinates": line},
            )
        )
    return walks
