"""Reading the drivable road graph out of an OpenStreetMap extract (.osm.pbf) with pyosmium.

Every node of a drivable way becomes a graph node, so routes follow the roads' real shape and ways meet where
they share a node. Two-way roads give an edge each way; one-way roads one edge in their direction.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import osmium
from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed
from yingji.routing.geometry import haversine_m
from yingji.routing.models import RoadClass
from yingji.routing.speeds import road_speed_kmh

# `highway` values cars may drive on; footway, cycleway, path, steps, pedestrian, track, bridleway, busway,
# construction and the like are left out.
DRIVABLE = {c.value for c in RoadClass} - {RoadClass.BRIDGE}
# Service roads that lead nowhere a rescue vehicle needs to pass through.
EXCLUDED_SERVICE = {"parking_aisle", "drive-through", "driveway", "emergency_access_no"}
NO_ACCESS = {"no"}
ONEWAY_FORWARD = {"yes", "true", "1"}
ONEWAY_BACKWARD = {"-1", "reverse"}
# These run one-way unless tagged otherwise (OSM convention).
IMPLIED_ONEWAY_CLASSES = {"motorway"}
IMPLIED_ONEWAY_JUNCTIONS = {"roundabout", "circular"}


# Base-map features kept besides the roads: what a map needs to be read (water, railways, place names).
WATER_AREAS = {("natural", "water"), ("landuse", "reservoir"), ("landuse", "basin"), ("waterway", "riverbank")}
RIVER_LINES = {"river", "canal"}
RAIL_LINES = {"rail", "light_rail", "subway", "narrow_gauge"}
# Place kinds named on the map, by rank (a city shows at lower zooms than a neighbourhood).
PLACE_RANKS = {
    "city": 0,
    "town": 1,
    "district": 2,
    "borough": 2,
    "suburb": 2,
    "village": 3,
    "quarter": 3,
    "neighbourhood": 4,
}


@dataclass
class OsmBase:
    """One base-map feature read from the extract: kind (water/river/railway/place), name, rank, and its points
    as (lon, lat); a water area's points form a closed ring."""

    kind: str
    name: str
    rank: int
    points: list[tuple[float, float]]


def base_kind(tags: dict[str, str]) -> str | None:
    """ "water", "river" or "railway" for a way worth drawing on the base map, else None."""
    if any((key, tags.get(key)) in WATER_AREAS for key in ("natural", "landuse", "waterway")):
        return "water"
    if tags.get("waterway") in RIVER_LINES:
        return "river"
    if tags.get("railway") in RAIL_LINES and not tags.get("service"):
        return "railway"
    return None


def _name(tags: dict[str, str]) -> str:
    return (tags.get("name:zh") or tags.get("name", ""))[:200]


@dataclass
class OsmRoads:
    """The drivable graph of an extract: node OSM ids with coordinates, and directed edges between them."""

    node_ids: list[int] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)  # indexes into node_ids
    targets: list[int] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    speeds_kmh: list[float] = field(default_factory=list)
    oneway: list[bool] = field(default_factory=list)
    ways: int = 0
    base: list[OsmBase] = field(default_factory=list)  # water, railways and place names for the base map

    def lengths_m(self) -> np.ndarray:
        lat, lon = np.asarray(self.lats), np.asarray(self.lons)
        s, t = np.asarray(self.sources, dtype=np.int64), np.asarray(self.targets, dtype=np.int64)
        return haversine_m(lat[s], lon[s], lat[t], lon[t])


def way_direction(tags: dict[str, str]) -> int:
    """+1 one-way along the way, -1 one-way against it, 0 both ways."""
    oneway = tags.get("oneway", "").strip().lower()
    if oneway in ONEWAY_FORWARD:
        return 1
    if oneway in ONEWAY_BACKWARD:
        return -1
    if oneway == "no":
        return 0
    implied = tags.get("highway") in IMPLIED_ONEWAY_CLASSES or tags.get("junction") in IMPLIED_ONEWAY_JUNCTIONS
    return 1 if implied else 0


def is_drivable(tags: dict[str, str]) -> bool:
    """True for ways a car (or fire engine) may use."""
    if tags.get("highway") not in DRIVABLE or tags.get("area") == "yes":
        return False
    if tags.get("highway") == "service" and tags.get("service") in EXCLUDED_SERVICE:
        return False
    return not any(tags.get(key) in NO_ACCESS for key in ("access", "motor_vehicle", "motorcar", "vehicle"))


class _Handler(osmium.SimpleHandler):
    def __init__(self) -> None:
        super().__init__()
        self.roads = OsmRoads()
        self.index: dict[int, int] = {}

    def _node(self, ref: int, lat: float, lon: float) -> int:
        index = self.index.get(ref)
        if index is None:
            index = self.index[ref] = len(self.roads.node_ids)
            self.roads.node_ids.append(ref)
            self.roads.lats.append(lat)
            self.roads.lons.append(lon)
        return index

    def node(self, node: osmium.osm.Node) -> None:
        place = node.tags.get("place")
        name = node.tags.get("name:zh") or node.tags.get("name")
        if place in PLACE_RANKS and name and node.location.valid():
            point = (node.location.lon, node.location.lat)
            self.roads.base.append(OsmBase("place", name[:200], PLACE_RANKS[place], [point]))

    def _base(self, way: osmium.osm.Way, tags: dict[str, str]) -> None:
        kind = base_kind(tags)
        if kind is None:
            return
        points = [(n.location.lon, n.location.lat) for n in way.nodes if n.location.valid()]
        if kind == "water" and (len(points) < 4 or points[0] != points[-1]):
            return  # an open ring is half of a multipolygon: left out rather than drawn wrong
        if len(points) >= 2:
            self.roads.base.append(OsmBase(kind, _name(tags), 0, points))

    def way(self, way: osmium.osm.Way) -> None:
        tags = {tag.k: tag.v for tag in way.tags}
        if not is_drivable(tags):
            self._base(way, tags)
            return
        direction = way_direction(tags)
        road_class = tags["highway"]
        speed = road_speed_kmh(road_class, tags.get("maxspeed"))
        name = tags.get("name:zh") or tags.get("name", "")
        roads = self.roads
        roads.ways += 1
        previous = None
        for node in way.nodes:
            # A way clipped by the extract's border references nodes it does not contain: split it there.
            if not node.location.valid():
                previous = None
                continue
            current = self._node(node.ref, node.location.lat, node.location.lon)
            if previous is not None and previous != current:
                pairs = [(previous, current)] if direction >= 0 else []
                if direction <= 0:
                    pairs.append((current, previous))
                for s, t in pairs:
                    roads.sources.append(s)
                    roads.targets.append(t)
                    roads.classes.append(road_class)
                    roads.names.append(name[:200])
                    roads.speeds_kmh.append(speed)
                    roads.oneway.append(direction != 0)
            previous = current


def read_osm_roads(path: Path) -> OsmRoads:
    """The drivable graph of the extract at `path`; ValidationFailed names the problem with the file."""
    if not path.is_file():
        raise ValidationFailed(f"no such file: {path}", {"file": [_("no such file")]})
    handler = _Handler()
    try:
        handler.apply_file(str(path), locations=True)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ValidationFailed(f"cannot read {path} as an OpenStreetMap extract: {exc}", {"file": [str(exc)]}) from None
    if not handler.roads.sources:
        raise ValidationFailed(f"{path} holds no drivable roads", {"file": [_("no drivable roads")]})
    return handler.roads
