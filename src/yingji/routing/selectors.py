"""Queries over road networks. Networks are district-wide infrastructure: any signed-in user may read them."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yingji.core.models import User
from yingji.routing.models import RoadEdge, RoadNetwork


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
                "properties": {"road_class": road_class, "network": network.pk, "illustrative": network.illustrative},
            }
            for road_class, parts in sorted(lines.items())
        ],
    }


def active_network_layer(user: User) -> dict[str, Any]:
    """Map layer "roads": the active road network."""
    network = RoadNetwork.objects.filter(active=True).first()
    if network is None:
        return {"type": "FeatureCollection", "features": []}
    return network_geojson(network=network)
