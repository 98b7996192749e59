"""Illustrative geometry for the demo district: street and community areas and random points.

No public data gives the boundaries of Huangshigang's streets or communities, so these areas are
generated (Voronoi cells clipped to the real district boundary) and must be labelled illustrative.
Every function is pure: it takes geometry and a `random.Random` and returns new values.
"""

import random
from collections.abc import Sequence
from typing import Any, TypeAlias

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polylabel

from yingji.core.geo import random_points

# Coordinates are kept to 6 decimals (about 0.1 m); overlays snap to this grid so cells stay valid.
GRID = 1e-6
# A community seed is the best of this many random candidates (Mitchell's best-candidate sampling).
SEED_CANDIDATES = 12

Polygonal: TypeAlias = Polygon | MultiPolygon


def polygonal(geom: BaseGeometry) -> Polygonal:
    """The polygons of an overlay result, dropping the lines and points a snapped overlay may leave."""
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
        elif isinstance(part, Polygon) and not part.is_empty:
            polygons.append(part)
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def largest_part(geom: Polygonal) -> Polygon:
    return geom if isinstance(geom, Polygon) else max(geom.geoms, key=lambda p: p.area)


def label_point(geom: Polygonal) -> tuple[float, float]:
    """A well-inside (lat, lon) of the largest part, for map labels and unit coordinates."""
    point = polylabel(largest_part(geom), tolerance=1e-5)
    return round(point.y, 6), round(point.x, 6)


def voronoi_cells(area: Polygonal, seeds: Sequence[tuple[float, float]]) -> list[Polygonal]:
    """Split `area` into the Voronoi cells of `seeds` (lon, lat), in seed order, snapped to GRID."""
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(seeds)), extend_to=area, ordered=True)
    return [polygonal(shapely.intersection(cell, area, grid_size=GRID)) for cell in cells.geoms]


def split_streets(
    district: Polygonal, anchors: Sequence[tuple[float, float]], rng: random.Random, *, jitter: float = 0.06
) -> list[Polygonal]:
    """Split the district into one area per anchor, plus a last area made of the district's detached parcels.

    The main (largest) polygon is split into Voronoi cells around `anchors`, given as fractions (x, y)
    of its bounding box and moved by up to `jitter` of it at random; every other part of the district
    (the small riverside parcels) forms the last area.
    """
    district = shapely.set_precision(district, GRID)
    main = largest_part(district)
    minx, miny, maxx, maxy = main.bounds
    seeds = []
    for fx, fy in anchors:
        point = Point(
            minx + (fx + rng.uniform(-jitter, jitter)) * (maxx - minx),
            miny + (fy + rng.uniform(-jitter, jitter)) * (maxy - miny),
        )
        # A seed outside the polygon could leave its street without land: pull it onto the polygon.
        if not main.contains(point):
            point = nearest_points(main, point)[0]
        seeds.append((point.x, point.y))
    rest = polygonal(shapely.difference(district, main, grid_size=GRID))
    return [*voronoi_cells(main, seeds), rest]


def split_communities(area: Polygonal, count: int, rng: random.Random) -> list[Polygonal]:
    """Split a street area into `count` community cells around well-spread random seeds."""
    seeds: list[tuple[float, float]] = []
    for _ in range(count):
        candidates = random_points(area, rng, SEED_CANDIDATES)
        best = max(
            candidates,
            key=lambda c: min(((c[0] - s[0]) ** 2 + (c[1] - s[1]) ** 2 for s in seeds), default=0.0),
        )
        seeds.append(best)
    return voronoi_cells(area, seeds)


def to_geojson(geom: Polygonal) -> dict[str, Any]:
    """A GeoJSON geometry dict of plain lists and floats rounded to 6 decimals."""
    return _plain(mapping(geom))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return round(value, 6)
    return value
