"""Forest-area geometry: checking a GeoJSON polygon before it is stored, and the measures derived from it.

Pure functions over GeoJSON dicts (WGS84, [lon, lat] order as RFC 7946 §3.1.1 says); shapely does the
geometry. Every refusal is a `GeometryError` whose message says what is wrong in words a user can act on.
"""

import math
from typing import Any

from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import LineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from yingji.core.geo import district_geometry

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# Enough for any forest area of a district; a larger document is a mistake or an attack.
MAX_VERTICES = 20_000
EARTH_RADIUS_M = 6_371_008.8


class GeometryError(ValueError):
    """A geometry refused, with the reason."""


def _positions(coordinates: Any, depth: int) -> list[list[Any]]:
    """The positions of a GeoJSON coordinates array nested `depth` deep (2 for a Polygon, 3 for a MultiPolygon)."""
    if depth == 0:
        return [coordinates]
    if not isinstance(coordinates, list | tuple):
        raise GeometryError(_("Coordinates must be nested arrays."))
    out = []
    for item in coordinates:
        out.extend(_positions(item, depth - 1))
    return out


def _check_positions(positions: list[Any]) -> None:
    if len(positions) > MAX_VERTICES:
        raise GeometryError(_("Too many vertices (at most %(n)d).") % {"n": MAX_VERTICES})
    for position in positions:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise GeometryError(_("Each position must be [longitude, latitude]."))
        lon, lat = position[0], position[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
            raise GeometryError(_("Coordinates must be finite numbers."))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeometryError(
                _("Position out of range: [%(lon)s, %(lat)s] (expected [longitude, latitude], WGS84).")
                % {"lon": lon, "lat": lat}
            )


def polygon_shape(geometry: Any) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon as a valid shapely geometry inside the district, else GeometryError.

    Checks, in order: the type, the coordinates (finite, in range, [lon, lat]), closed rings of at least four
    positions, validity (no self-intersection; shapely names the place), a non-zero area, and that it lies
    at least partly inside the district.
    """
    if not isinstance(geometry, dict):
        raise GeometryError(_("Give a GeoJSON geometry (Polygon or MultiPolygon)."))
    kind = geometry.get("type")
    if kind == "Feature":
        return polygon_shape(geometry.get("geometry"))
    if kind not in POLYGON_TYPES:
        raise GeometryError(
            _("The geometry must be a Polygon or MultiPolygon, not %(kind)s.") % {"kind": str(kind)[:40]}
        )
    coordinates: Any = geometry.get("coordinates")
    _check_positions(_positions(coordinates, 2 if kind == "Polygon" else 3))
    rings = coordinates if kind == "Polygon" else [ring for polygon in coordinates for ring in polygon]
    if not rings:
        raise GeometryError(_("The polygon has no coordinates."))
    for ring in rings:
        if len(ring) < 4:
            raise GeometryError(_("Each ring needs at least 4 positions (the first repeated last)."))
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise GeometryError(_("A ring is not closed: its first and last positions must be the same."))
    try:
        geom = shape({"type": kind, "coordinates": coordinates})
    except (GEOSException, ValueError, TypeError, IndexError) as exc:
        raise GeometryError(_("The geometry cannot be read: %(e)s") % {"e": exc}) from None
    if not geom.is_valid:
        raise GeometryError(
            _("The polygon is invalid (self-intersecting or overlapping rings): %(why)s.")
            % {"why": explain_validity(geom)}
        )
    if geom.is_empty or geom.area <= 0:
        raise GeometryError(_("The polygon has no area."))
    if not geom.intersects(district_geometry()):
        raise GeometryError(_("The polygon lies outside the district."))
    return geom


def line_shape(geometry: Any) -> LineString:
    """A GeoJSON LineString (a patrol route) as shapely, else GeometryError."""
    if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
        raise GeometryError(_("A route must be a GeoJSON LineString."))
    positions = _positions(geometry.get("coordinates"), 1)
    _check_positions(positions)
    if len(positions) < 2:
        raise GeometryError(_("A route needs at least 2 positions."))
    return LineString([(p[0], p[1]) for p in positions])


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def line_length_m(coordinates: list[tuple[float, float]]) -> float:
    """Length of a [lon, lat] polyline in metres."""
    return sum(haversine_m(a[1], a[0], b[1], b[0]) for a, b in zip(coordinates, coordinates[1:], strict=False))


def area_hectares(geom: BaseGeometry) -> float:
    """Area in hectares on a local equirectangular projection (within a fraction of a percent at this size)."""
    lat0 = geom.representative_point().y
    kx = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    ky = math.radians(1) * EARTH_RADIUS_M
    return geom.area * kx * ky / 10_000


def inside_point(geom: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of a point guaranteed inside the area (a label point, and where resources travel to)."""
    point = geom.representative_point()
    return point.y, point.x


def normalised(geom: BaseGeometry) -> dict[str, Any]:
    """The geometry as plain GeoJSON (lists, not tuples) for a JSON field."""
    return _listify(mapping(geom))


def _listify(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value


def distance_to_area_m(geom: BaseGeometry, lat: float, lon: float) -> float:
    """Metres from a point to the area (0 inside it), measured to the nearest point of its boundary."""
    point = Point(lon, lat)
    if geom.covers(point):
        return 0.0
    nearest = geom.boundary.interpolate(geom.boundary.project(point))
    return haversine_m(lat, lon, nearest.y, nearest.x)
