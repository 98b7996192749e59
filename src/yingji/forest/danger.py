"""The day's fire danger of a forest area from the weather stations' levels, and the patrols it asks for.

Levels are the five forest fire danger levels of QX/T 77-2007 as monitoring computes them per station (see
monitoring/fwi.py). An area takes the highest level among the stations inside it; with none inside, the
nearest station within `MAX_STATION_DISTANCE_M`; beyond that it has no reading.

The Forest Fire Prevention Regulations (森林防火条例, State Council Order 541, art. 23-24) ask local
governments to strengthen patrols in high-danger periods but fix no number; `PATROLS_BY_LEVEL` is this
district's practice (one round a day normally, up to four at 极高火险), kept here as data to change.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from yingji.forest.geometry import distance_to_area_m

# A station farther than this from an area says nothing about it.
MAX_STATION_DISTANCE_M = 15_000.0
# From this level up (高火险, 极高火险) the responsible chain is notified.
HIGH_DANGER_LEVEL = 4
# Patrol rounds a day asked at each level; an area's own number is the floor.
PATROLS_BY_LEVEL: dict[int, int] = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}


@dataclass(frozen=True)
class StationDay:
    """One station's fire danger on a day."""

    station: str
    lat: float
    lon: float
    level: int
    level_name: str
    fwi: float


@dataclass(frozen=True)
class AreaDanger:
    """The danger an area takes, from which station, and how far the station is (0 inside)."""

    level: int
    level_name: str
    station: str
    fwi: float
    distance_m: float

    @property
    def high(self) -> bool:
        return self.level >= HIGH_DANGER_LEVEL


def area_danger(
    geom: BaseGeometry, stations: Sequence[StationDay], *, max_distance_m: float = MAX_STATION_DISTANCE_M
) -> AreaDanger | None:
    """The highest level among stations inside the area, else the nearest station's within reach, else None."""
    inside = [s for s in stations if geom.covers(Point(s.lon, s.lat))]
    if inside:
        worst = max(inside, key=lambda s: (s.level, s.fwi))
        return AreaDanger(worst.level, worst.level_name, worst.station, worst.fwi, 0.0)
    measured = [(distance_to_area_m(geom, s.lat, s.lon), s) for s in stations]
    near = [(d, s) for d, s in measured if d <= max_distance_m]
    if not near:
        return None
    distance, nearest = min(near, key=lambda pair: (pair[0], -pair[1].level))
    return AreaDanger(nearest.level, nearest.level_name, nearest.station, nearest.fwi, distance)


def patrols_required(level: int | None, base: int, table: Mapping[int, int] = PATROLS_BY_LEVEL) -> int:
    """Patrol rounds a day an area needs: the level's number, never fewer than the area's own."""
    if level is None:
        return base
    return max(base, table.get(level, max(table.values())))
