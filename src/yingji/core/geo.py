"""Geography of the district: its real boundary and point-in-district tests. Coordinates are WGS84."""

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

BOUNDARY_FILE = Path(__file__).with_name("data") / "huangshigang.wgs84.geojson"


@cache
def district_feature() -> dict[str, Any]:
    """The district boundary (黄石港区, adcode 420202) as a GeoJSON Feature."""
    return json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"][0]


@cache
def district_geometry() -> BaseGeometry:
    return shape(district_feature()["geometry"])


@cache
def _prepared() -> PreparedGeometry:
    return prep(district_geometry())


def in_district(lat: float, lon: float) -> bool:
    return bool(_prepared().covers(Point(lon, lat)))


# How far inside an area generated demo points stay from its edge (degrees, about 2 m).
EDGE_MARGIN = 2e-5


def random_points(area: BaseGeometry, rng: random.Random, count: int) -> list[tuple[float, float]]:
    """`count` uniformly random (lon, lat) points inside `area`, at least EDGE_MARGIN from its edge."""
    inner = area.buffer(-EDGE_MARGIN)
    if inner.is_empty:
        inner = area
    shapely.prepare(inner)
    minx, miny, maxx, maxy = inner.bounds
    points: list[tuple[float, float]] = []
    while len(points) < count:
        lon, lat = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
        if shapely.contains_xy(inner, lon, lat):
            points.append((lon, lat))
    return points


def distance_label(metres: float) -> str:
    """A distance as people read it: metres under 1 km ("850 m"), else kilometres to one decimal ("2.2 km")."""
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"
