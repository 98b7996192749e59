"""The active road network in memory: sparse matrices of travel times (both directions) and a KD-tree for
snapping points to the nearest road node. Each process keeps one copy and reloads it when another network
becomes active (every request asks the database which network is active: one indexed query)."""

import threading
import uuid
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _
from numpy.typing import ArrayLike
from scipy.sparse import csr_array
from scipy.spatial import cKDTree

from yingji.core.errors import Conflict
from yingji.core.geo import in_district
from yingji.routing.geometry import LocalProjection
from yingji.routing.models import RoadEdge, RoadNetwork, RoadNode

# scipy's csgraph reads an explicit zero as "no edge"; a real road takes at least this long.
MIN_EDGE_TIME_S = 0.01


class NoRoadNetwork(Conflict):
    """No road network is active: nothing can be routed."""


def no_road_network() -> NoRoadNetwork:
    return NoRoadNetwork(
        _("No road network is loaded: run `yingji demo` or `yingji roads import FILE.osm.pbf --activate`."),
        {"network": [_("no active road network")]},
    )


@dataclass(frozen=True, eq=False)
class Graph:
    """A directed road graph. Nodes are numbered 0..n-1; `forward[u, v]` is the travel time of the fastest edge
    u → v and `backward` its transpose (to search "who reaches this point" from the point)."""

    uid: uuid.UUID
    serves_district: bool
    bounds: tuple[float, float, float, float]  # south, west, north, east
    lat: np.ndarray
    lon: np.ndarray
    forward: csr_array
    backward: csr_array
    edge_keys: np.ndarray  # sorted u * n + v of every kept edge
    edge_lengths: np.ndarray  # metres, aligned with edge_keys
    projection: LocalProjection
    tree: cKDTree

    @property
    def size(self) -> int:
        return len(self.lat)

    @classmethod
    def build(
        cls,
        *,
        lat: np.ndarray,
        lon: np.ndarray,
        sources: np.ndarray,
        targets: np.ndarray,
        times_s: np.ndarray,
        lengths_m: np.ndarray,
        serves_district: bool = False,
        uid: uuid.UUID | None = None,
    ) -> "Graph":
        """A graph from node coordinates and edge arrays (node indexes); of parallel edges the fastest is kept."""
        n = len(lat)
        sources, targets = np.asarray(sources, dtype=np.int64), np.asarray(targets, dtype=np.int64)
        times = np.maximum(np.asarray(times_s, dtype=np.float64), MIN_EDGE_TIME_S)
        lengths = np.asarray(lengths_m, dtype=np.float64)
        keep = sources != targets
        keys = sources[keep] * n + targets[keep]
        times, lengths = times[keep], lengths[keep]
        # Sort by (u, v, time) and keep the first of each (u, v): a CSR matrix would add duplicates up.
        order = np.lexsort((times, keys))
        keys, times, lengths = keys[order], times[order], lengths[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        keys, times, lengths = keys[first], times[first], lengths[first]
        u, v = keys // n, keys % n
        forward = csr_array((times, (u, v)), shape=(n, n))
        backward = csr_array((times, (v, u)), shape=(n, n))
        lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
        projection = LocalProjection(float(np.mean(lat)) if n else 0.0)
        bounds = (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())) if n else (0, 0, 0, 0)
        return cls(
            uid=uid or uuid.uuid4(),
            serves_district=serves_district,
            bounds=bounds,
            lat=lat,
            lon=lon,
            forward=forward,
            backward=backward,
            edge_keys=keys,
            edge_lengths=lengths,
            projection=projection,
            tree=cKDTree(projection.xy(lat, lon)),
        )

    def covers(self, lat: float, lon: float) -> bool:
        """Whether routing from this point makes sense: inside the district for a network that serves it,
        else inside the network's extent."""
        if self.serves_district:
            return in_district(lat, lon)
        south, west, north, east = self.bounds
        return south <= lat <= north and west <= lon <= east

    def snap(self, lat: ArrayLike, lon: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node index of each point and its distance in metres."""
        distance, index = self.tree.query(self.projection.xy(np.atleast_1d(lat), np.atleast_1d(lon)))
        return index.astype(np.int64), distance

    def lengths(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Length in metres of the kept edges u → v."""
        keys = np.asarray(u, dtype=np.int64) * self.size + np.asarray(v, dtype=np.int64)
        return self.edge_lengths[np.searchsorted(self.edge_keys, keys)]

    def coordinates(self, nodes: list[int]) -> list[list[float]]:
        index = np.asarray(nodes, dtype=np.int64)
        return np.round(np.column_stack((self.lon[index], self.lat[index])), 6).tolist()


def load_graph(network: RoadNetwork) -> Graph:
    """Read a network's nodes and edges from the database into a Graph."""
    nodes = np.array(
        RoadNode.objects.filter(network=network).order_by("pk").values_list("pk", "lat", "lon"), dtype=np.float64
    ).reshape(-1, 3)
    edges = np.array(
        RoadEdge.objects.filter(network=network).values_list("source_id", "target_id", "travel_time_s", "length_m"),
        dtype=np.float64,
    ).reshape(-1, 4)
    pks = nodes[:, 0].astype(np.int64)
    return Graph.build(
        lat=nodes[:, 1],
        lon=nodes[:, 2],
        sources=np.searchsorted(pks, edges[:, 0].astype(np.int64)),
        targets=np.searchsorted(pks, edges[:, 1].astype(np.int64)),
        times_s=edges[:, 2],
        lengths_m=edges[:, 3],
        serves_district=network.serves_district,
        uid=network.uid,
    )


_cache: Graph | None = None
_lock = threading.Lock()
_active_query: tuple[str, tuple] | None = None


def _active_sql() -> tuple[str, tuple]:
    """SQL of the active network's (uid, serves_district), built by the ORM once per process."""
    global _active_query
    if _active_query is None:
        query = RoadNetwork.objects.filter(active=True).order_by().values_list("uid", "serves_district")[:1]
        _active_query = query.query.sql_with_params()
    return _active_query


def active_graph() -> Graph:
    """The graph of the active network, loaded once per process and reloaded when the active one changes."""
    global _cache
    # The cheapest query that tells a switch apart: no ordering, two columns, compiled once per process.
    with connection.cursor() as cursor:
        sql, params = _active_sql()
        cursor.execute(sql, params)
        active = [(uid if isinstance(uid, uuid.UUID) else uuid.UUID(uid), bool(serves)) for uid, serves in cursor]
    if not active:
        raise no_road_network()
    cached = _cache
    if cached is not None and (cached.uid, cached.serves_district) == active[0]:
        return cached
    with _lock:
        if _cache is None or (_cache.uid, _cache.serves_district) != active[0]:
            _cache = load_graph(RoadNetwork.objects.get(uid=active[0][0]))
        return _cache
