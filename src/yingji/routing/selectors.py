"""Queries over road networks. Networks are district-wide infrastructure: any signed-in user may read them."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from shapely.geometry import MultiLineString, mapping
from shapely.ops import linemerge

from yingji.core.maplayers import Viewport
from yingji.core.models import User
from yingji.routing.models import BaseFeature, BaseKind, RoadClass, RoadEdge, RoadNetwork


def network_list(*, user: User, q: str | None = None, active: bool | None = None) -> QuerySet[RoadNetwork]:
    networks = RoadNetwork.objects.all()
    if q:
        networks = networks.filter(Q(name__icontains=q) | Q(source__icontains=q))
    if active is not None:
        networks = networks.filter(active=active)
    return networks


def network_get(*, user: User, network_id: int) -> RoadNetwork:
    return get_object_or_404(RoadNetwork, pk=network_id)


def network_geojson(*, network: RoadNetwork) -> dict[str, Any]:
    """The network's roads as one MultiLineString feature per road class (a two-way road drawn once)."""
    rows = RoadEdge.objects.filter(network=network).values_list(
        "road_class", "oneway", "source_id", "target_id", "source__lat", "source__lon", "target__lat", "target__lon"
    )
    lines: dict[str, list] = {}
    for road_class, oneway, source, target, lat1, lon1, lat2, lon2 in rows.iterator(chunk_size=5000):
        if not oneway and source > target:
            continue  # the other direction of a two-way road is drawn already
        lines.setdefault(road_class, []).append([[round(lon1, 6), round(lat1, 6)], [round(lon2, 6), round(lat2, 6)]])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": parts},
                "properties": {
                    "road_class": road_class,
                    "label": str(dict(RoadClass.choices).get(road_class, road_class)),
                    "network": network.pk,
                    "illustrative": network.illustrative,
                },
            }
            for road_class, parts in sorted(lines.items())
        ],
    }


EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}  # each layer adds its "name"
# Road classes drawn at a zoom below the key (a district view shows the arterials only, a street view all).
MAJOR = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "bridge"}
MIDDLE = MAJOR | {"secondary", "secondary_link", "tertiary", "tertiary_link"}
ROAD_ORDER = [c.value for c in RoadClass]


def _classes_at(zoom: float | None) -> set[str] | None:
    if zoom is None or zoom >= 15:
        return None
    return MAJOR if zoom < 12 else MIDDLE if zoom < 14 else MIDDLE | {"unclassified", "residential"}


def _tolerance(zoom: float | None) -> float:
    """Simplification tolerance in degrees: about a third of a screen pixel at that zoom."""
    return 0.0 if zoom is None or zoom >= 16 else 360 / (256 * 2**zoom) / 3


def active_network() -> RoadNetwork | None:
    return RoadNetwork.objects.filter(active=True).first()


def roads_layer(user: User, view: Viewport | None = None) -> dict[str, Any]:
    """Map layer "roads": the active network's roads as one simplified MultiLineString per road class, only the
    classes that matter at the view's zoom and only the edges touching its bounding box. Roads are district-wide
    infrastructure: every signed-in user sees them."""
    network = active_network()
    if network is None:
        return {**EMPTY, "name": _("Roads")}
    edges = RoadEdge.objects.filter(network=network)
    classes = _classes_at(view.zoom if view else None)
    if classes is not None:
        edges = edges.filter(road_class__in=classes)
    if view is not None:
        edges = edges.filter(
            source__lat__gte=view.south,
            source__lat__lte=view.north,
            source__lon__gte=view.west,
            source__lon__lte=view.east,
        )
    rows = edges.values_list(
        "road_class", "oneway", "source_id", "target_id", "source__lat", "source__lon", "target__lat", "target__lon"
    )
    lines: dict[str, list] = {}
    for road_class, oneway, source, target, lat1, lon1, lat2, lon2 in rows.iterator(chunk_size=5000):
        if not oneway and source > target:
            continue  # the other direction of a two-way road is drawn already
        lines.setdefault(road_class, []).append(((lon1, lat1), (lon2, lat2)))
    tolerance = _tolerance(view.zoom if view else None)
    labels = dict(RoadClass.choices)
    features = []
    for road_class in sorted(lines, key=lambda c: ROAD_ORDER.index(c) if c in ROAD_ORDER else len(ROAD_ORDER)):
        merged = linemerge(MultiLineString(lines[road_class]))
        if tolerance:
            merged = merged.simplify(tolerance, preserve_topology=False)
        geometry = mapping(merged)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
                "properties": {
                    "road_class": road_class,
                    "label": str(labels.get(road_class, road_class)),
                    "network": network.pk,
                    "illustrative": network.illustrative,
                },
            }
        )
    return {"type": "FeatureCollection", "name": _("Roads"), "features": features}


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    return [_rounded(v) for v in value]


def _base_layer(kinds: list[str], view: Viewport | None, name: str, max_rank: int | None = None) -> dict[str, Any]:
    network = active_network()
    if network is None:
        return {**EMPTY, "name": name}
    rows = BaseFeature.objects.filter(network=network, kind__in=kinds)
    if view is not None:
        rows = rows.filter(
            max_lat__gte=view.south, min_lat__lte=view.north, max_lon__gte=view.west, min_lon__lte=view.east
        )
    if max_rank is not None:
        rows = rows.filter(rank__lte=max_rank)
    labels = dict(BaseKind.choices)
    return {
        "type": "FeatureCollection",
        "name": name,
        "features": [
            {
                "type": "Feature",
                "id": row.pk,
                "geometry": row.geometry,
                "properties": {
                    "kind": row.kind,
                    "label": str(labels[row.kind]),
                    "name": row.name,
                    "rank": row.rank,
                    "illustrative": network.illustrative,
                },
            }
            for row in rows
        ],
    }


def water_layer(user: User, view: Viewport | None = None) -> dict[str, Any]:
    """Map layer "water": lakes, river areas and river lines of the active network's extract."""
    return _base_layer([BaseKind.WATER, BaseKind.RIVER], view, _("Water"))


def railways_layer(user: User, view: Viewport | None = None) -> dict[str, Any]:
    """Map layer "railways"."""
    return _base_layer([BaseKind.RAILWAY], view, _("Railways"))


def places_layer(user: User, view: Viewport | None = None) -> dict[str, Any]:
    """Map layer "places": place names, the minor ones only when the view is close enough to read them."""
    zoom = view.zoom if view else None
    max_rank = None if zoom is None or zoom >= 15 else 2 if zoom < 13 else 3
    return _base_layer([BaseKind.PLACE], view, _("Place names"), max_rank)
