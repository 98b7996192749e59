"""The demo road network: an illustrative street grid inside the real district boundary.

No public road data of Huangshigang is available here, so the demo generates a jittered grid of streets clipped to
the district polygon: every sixth street is an arterial, every third a secondary road, the rest residential; a few
residential streets are one-way in pairs; the separate parts of the district are joined to the main part by
illustrative bridges and riverside links, so that every node reaches every other. It is labelled illustrative
and becomes active only when no other network is.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.affinity import scale
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.prepared import prep

from yingji.core.geo import district_geometry
from yingji.core.models import OrgKind, OrgUnit
from yingji.routing.geometry import LocalProjection, haversine_m
from yingji.routing.models import BaseFeature, BaseKind, RoadClass, RoadNetwork
from yingji.routing.osm import OsmBase
from yingji.routing.services import base_features_store, network_create
from yingji.routing.speeds import CLASS_SPEED_KMH

DEMO_SOURCE = "generated: illustrative street grid of Huangshigang"
DEMO_NAME = "黄石港区示意路网"
SPACING_M = 150.0
JITTER_M = 25.0


@dataclass
class DemoRoads:
    """Nodes (lat, lon) and directed edges of the generated network."""

    lat: np.ndarray
    lon: np.ndarray
    sources: list[int]
    targets: list[int]
    classes: list[str]
    names: list[str]
    oneway: list[bool]


def _street_class(line: int) -> str:
    road_class = RoadClass.PRIMARY if line % 6 == 0 else RoadClass.SECONDARY if line % 3 == 0 else RoadClass.RESIDENTIAL
    return road_class.value


def demo_roads(*, seed: int) -> DemoRoads:
    """Generate the street network (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    district = district_geometry()
    projection = LocalProjection(district.centroid.y)
    area = scale(district, xfact=projection.kx, yfact=projection.ky, origin=(0, 0))
    inside, near = prep(area), prep(area.buffer(20))
    west, south, east, north = area.bounds
    rows, cols = int((north - south) // SPACING_M) + 1, int((east - west) // SPACING_M) + 1
    index: dict[tuple[int, int], int] = {}
    xy: list[tuple[float, float]] = []
    for i in range(rows):
        for j in range(cols):
            x, y = west + j * SPACING_M + rng.uniform(-JITTER_M, JITTER_M), south + i * SPACING_M
            y += rng.uniform(-JITTER_M, JITTER_M)
            if inside.contains(Point(x, y)):
                index[i, j] = len(xy)
                xy.append((x, y))
    # A part of the district too small for the grid still gets a junction of its own.
    for part in getattr(area, "geoms", [area]):
        if not any(part.contains(Point(p)) for p in xy):
            point = part.representative_point()
            xy.append((point.x, point.y))
    streets: list[tuple[int, int, str, str, bool]] = []  # a, b, class, name, one-way candidate
    for (i, j), a in index.items():
        for (di, dj), line, label in (((0, 1), i, "横"), ((1, 0), j, "纵")):
            b = index.get((i + di, j + dj))
            if b is not None and near.contains(LineString([xy[a], xy[b]])):
                road_class = _street_class(line)
                # A few residential streets run one-way in pairs of opposite direction, as couplets do.
                candidate = road_class == RoadClass.RESIDENTIAL and line % 12 in (2, 4)
                if candidate and line % 12 == 4:
                    a, b = b, a
                streets.append((a, b, road_class, f"示意道路{label}{line}", candidate))
    points = np.array(xy)
    streets += _bridges(points, streets)
    oneway = _keep_strongly_connected(len(points), streets)
    sources, targets, classes, names, flags = [], [], [], [], []
    for (a, b, road_class, name, _candidate), one in zip(streets, oneway, strict=True):
        for s, t in [(a, b)] if one else [(a, b), (b, a)]:
            sources.append(s)
            targets.append(t)
            classes.append(road_class)
            names.append(name)
            flags.append(one)
    return DemoRoads(
        lat=points[:, 1] / projection.ky,
        lon=points[:, 0] / projection.kx,
        sources=sources,
        targets=targets,
        classes=classes,
        names=names,
        oneway=flags,
    )


def _components(n: int, streets: list[tuple], directed: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    a = np.array([s[0] for s in streets], dtype=np.int64)
    b = np.array([s[1] for s in streets], dtype=np.int64)
    if directed is None:
        graph = csr_array((np.ones(len(a)), (a, b)), shape=(n, n))
        return connected_components(graph, directed=False)
    two_way = ~directed
    rows = np.concatenate([a, b[two_way]])
    cols = np.concatenate([b, a[two_way]])
    return connected_components(csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n)), connection="strong")


def _bridges(points: np.ndarray, streets: list[tuple]) -> list[tuple[int, int, str, str, bool]]:
    """Join every detached piece to the largest by a two-way link between their closest junctions."""
    bridges: list[tuple[int, int, str, str, bool]] = []
    while True:
        count, labels = _components(len(points), streets + bridges)
        if count == 1:
            return bridges
        main = np.bincount(labels).argmax()
        main_nodes = np.flatnonzero(labels == main)
        tree = cKDTree(points[main_nodes])
        others = np.flatnonzero(labels != main)
        gaps, nearest = tree.query(points[others])
        # The detached junction closest to the main network: its piece is joined first.
        k = int(np.argmin(gaps))
        bridges.append(
            (
                int(others[k]),
                int(main_nodes[nearest[k]]),
                RoadClass.BRIDGE.value,
                f"示意连接桥{len(bridges) + 1}",
                False,
            )
        )


def _keep_strongly_connected(n: int, streets: list[tuple]) -> list[bool]:
    """One-way flags for the candidate streets, turned back to two-way where one-way would strand a junction."""
    oneway = np.array([s[4] for s in streets], dtype=bool)
    while True:
        count, labels = _components(n, streets, oneway)
        if count == 1:
            return oneway.tolist()
        main = np.bincount(labels).argmax()
        stranded = np.array([labels[s[0]] != main or labels[s[1]] != main for s in streets])
        if not (oneway & stranded).any():
            return oneway.tolist()
        oneway &= ~stranded


# Illustrative water: 磁湖 on the district's southern edge, and the Yangtze's bank along its north-east.
LAKE_CENTRE, LAKE_RADII = (115.047, 30.2125), (0.013, 0.0045)
RIVER_WIDTH_DEG = 0.012
YANGTZE_LINE = [(115.066, 30.29), (115.088, 30.262), (115.108, 30.232), (115.117, 30.212), (115.128, 30.19)]


def demo_base_features() -> list[OsmBase]:
    """The demo network's base map: rough illustrative water (labelled 示意) and the org tree's place names."""
    district = district_geometry()
    angles = np.linspace(0, 2 * np.pi, 33)
    (cx, cy), (rx, ry) = LAKE_CENTRE, LAKE_RADII
    lake = Polygon([(cx + rx * np.cos(a) * (1 + 0.12 * np.sin(3 * a)), cy + ry * np.sin(a)) for a in angles])
    # The Yangtze runs north-west to south-east between the main part and 江北管理区 across the river.
    river = LineString(YANGTZE_LINE).buffer(RIVER_WIDTH_DEG / 2).difference(district.buffer(0.0004))
    river = max(getattr(river, "geoms", [river]), key=lambda part: part.area)
    features = [
        OsmBase(BaseKind.WATER, "磁湖（示意）", 0, list(lake.exterior.coords)),
        OsmBase(BaseKind.WATER, "长江（示意）", 0, list(river.exterior.coords)),
    ]
    # Water is named too; street names already show on the street areas, so the org tree gives the communities'.
    features += [
        OsmBase(BaseKind.PLACE, name, 2, [(shape_.representative_point().x, shape_.representative_point().y)])
        for name, shape_ in (("磁湖（示意）", lake), ("长江（示意）", river))
    ]
    ranks: dict[str, int] = {OrgKind.COMMUNITY: 4}
    for org in OrgUnit.objects.filter(kind__in=ranks, active=True).order_by("pk"):
        if org.area:
            point = shape(org.area).representative_point()
            lon, lat = point.x, point.y
        elif org.lat is not None and org.lon is not None:
            lon, lat = org.lon, org.lat
        else:
            continue
        features.append(OsmBase(BaseKind.PLACE, org.name, ranks[org.kind], [(lon, lat)]))
    return features


def demo_load_routing(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Create the illustrative demo network unless it exists; it becomes active when no network is. Its base map
    (illustrative water, place names from the org tree) is made with it, or added to a demo network without one."""
    existing = RoadNetwork.objects.filter(source=DEMO_SOURCE).first()
    if existing is not None:
        added = 0
        if not BaseFeature.objects.filter(network=existing).exists():
            added = base_features_store(network=existing, features=demo_base_features())
        return {"networks": 0, "nodes": 0, "edges": 0, "base_features": added}
    roads = demo_roads(seed=seed)
    lat, lon = roads.lat, roads.lon
    s, t = np.array(roads.sources), np.array(roads.targets)
    network = network_create(
        by=None,
        name=DEMO_NAME,
        source=DEMO_SOURCE,
        lats=lat,
        lons=lon,
        sources=s,
        targets=t,
        lengths_m=haversine_m(lat[s], lon[s], lat[t], lon[t]),
        road_classes=roads.classes,
        speeds_kmh=[CLASS_SPEED_KMH[c] for c in roads.classes],
        names=roads.names,
        oneway=roads.oneway,
        illustrative=True,
        serves_district=True,
        activate=not RoadNetwork.objects.filter(active=True).exists(),
    )
    added = base_features_store(network=network, features=demo_base_features())
    out(f"road network: {network.name} ({network.node_count} nodes, {network.edge_count} edges, illustrative)")
    return {"networks": 1, "nodes": network.node_count, "edges": network.edge_count, "base_features": added}
