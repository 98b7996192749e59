"""Geography of the district: its real boundary and point-in-district tests. Coordinates are WGS84."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

BOUNDARY_FILE = Path(__file__).with_name("data") / "huangshigang.wgs84.geojson"


@cache
def district_feature() -> dict[str, Any]:
    """The district boundary (黄石港区, adcode 420202) as a GeoJSON Feature."""
    return json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"][0]


@cache
def district_geometry() -> BaseGeometry:
    return shape(district_feature()["geometry"])


@cache
def _prepared():
    return prep(district_geometry())


def in_district(lat: float, lon: float) -> bool:
    return bool(_prepared().covers(Point(lon, lat)))
