"""Road networks: import, create, activate (the commands; the queries other apps call are in `travel`)."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from yingji.core.audit import audit_append
from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.core.geo import district_geometry
from yingji.core.models import User
from yingji.core.roles import is_system_admin
from yingji.routing.models import BaseFeature, BaseKind, RoadEdge, RoadNetwork, RoadNode
from yingji.routing.osm import OsmBase, read_osm_roads
from yingji.routing.speeds import travel_time_s

BULK = 5000


# --- networks -------------------------------------------------------------------------------------------------


@transaction.atomic
def network_create(
    *,
    by: User | None,
    name: str,
    source: str,
    lats: Sequence[float] | np.ndarray,
    lons: Sequence[float] | np.ndarray,
    sources: Sequence[int] | np.ndarray,
    targets: Sequence[int] | np.ndarray,
    lengths_m: Sequence[float] | np.ndarray,
    road_classes: Sequence[str],
    speeds_kmh: Sequence[float] | np.ndarray,
    names: Sequence[str] | None = None,
    oneway: Sequence[bool] | None = None,
    osm_ids: Sequence[int] | None = None,
    illustrative: bool = False,
    serves_district: bool | None = None,
    activate: bool = False,
) -> RoadNetwork:
    """Store a road network: nodes by coordinates, directed edges as node indexes (sources → targets).

    `serves_district` defaults to whether the network's extent overlaps the district."""
    lat, lon = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    src, dst = np.asarray(sources, dtype=np.int64), np.asarray(targets, dtype=np.int64)
    edges = len(src)
    if not len(lat) or len(lat) != len(lon):
        raise ValidationFailed(_("A road network needs nodes with coordinates."), {"nodes": [_("no nodes")]})
    if not edges or not (len(dst) == len(lengths_m) == len(road_classes) == len(speeds_kmh) == edges):
        raise ValidationFailed(_("A road network needs edges."), {"edges": [_("no edges or mismatched lists")]})
    if src.min() < 0 or dst.min() < 0 or max(src.max(), dst.max()) >= len(lat):
        raise ValidationFailed(_("An edge refers to a node that does not exist."), {"edges": [_("bad node index")]})
    if not (np.all(np.abs(lat) <= 90) and np.all(np.abs(lon) <= 180)):
        raise ValidationFailed(_("Coordinates out of range."), {"nodes": [_("latitude or longitude out of range")]})
    bounds = (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))
    if serves_district is None:
        serves_district = bool(box(bounds[1], bounds[0], bounds[3], bounds[2]).intersects(district_geometry()))
    network = RoadNetwork(
        name=name,
        source=source[:300],
        illustrative=illustrative,
        serves_district=serves_district,
        min_lat=bounds[0],
        min_lon=bounds[1],
        max_lat=bounds[2],
        max_lon=bounds[3],
        node_count=len(lat),
        edge_count=edges,
    )
    network.full_clean()
    network.save()
    nodes = [
        RoadNode(network=network, lat=float(a), lon=float(o), osm_id=None if osm_ids is None else int(osm_ids[i]))
        for i, (a, o) in enumerate(zip(lat, lon, strict=True))
    ]
    RoadNode.objects.bulk_create(nodes, batch_size=BULK)
    pks = [node.pk for node in nodes]
    speeds = np.asarray(speeds_kmh, dtype=float)
    RoadEdge.objects.bulk_create(
        (
            RoadEdge(
                network=network,
                source_id=pks[src[i]],
                target_id=pks[dst[i]],
                length_m=float(lengths_m[i]),
                travel_time_s=travel_time_s(float(lengths_m[i]), float(speeds[i])),
                road_class=road_classes[i],
                name=names[i] if names is not None else "",
                oneway=bool(oneway[i]) if oneway is not None else False,
            )
            for i in range(edges)
            if src[i] != dst[i]
        ),
        batch_size=BULK,
    )
    audit_append(
        actor=by,
        action="routing.network.create",
        obj=network,
        summary=f"导入路网 {network.name}",
        payload={"source": network.source, "nodes": network.node_count, "edges": network.edge_count},
    )
    if activate:
        network = network_activate(by=by, network=network)
    return network


def network_import_osm(*, by: User | None, path: Path, name: str = "", activate: bool = False) -> RoadNetwork:
    """Build a network from the drivable roads of an OpenStreetMap extract (.osm.pbf)."""
    roads = read_osm_roads(path)
    network = network_create(
        by=by,
        name=name or path.name.split(".")[0],
        source=path.name,
        lats=roads.lats,
        lons=roads.lons,
        osm_ids=roads.node_ids,
        sources=roads.sources,
        targets=roads.targets,
        lengths_m=roads.lengths_m(),
        road_classes=roads.classes,
        speeds_kmh=roads.speeds_kmh,
        names=roads.names,
        oneway=roads.oneway,
        activate=activate,
    )
    base_features_store(network=network, features=roads.base)
    return network


# Simplification tolerance of base-map geometry (degrees, about 5 m): the base map is for finding one's way.
SIMPLIFY_DEG = 5e-5


def _round(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _base_geometry(feature: OsmBase) -> BaseGeometry | None:
    if feature.kind == BaseKind.PLACE:
        return Point(feature.points[0])
    if feature.kind == BaseKind.WATER:
        shape = Polygon(feature.points)
        if not shape.is_valid:
            shape = shape.buffer(0)
    else:
        shape = LineString(feature.points)
    shape = shape.simplify(SIMPLIFY_DEG, preserve_topology=True)
    return None if shape.is_empty else shape


def base_features_store(*, network: RoadNetwork, features: Sequence[OsmBase]) -> int:
    """Keep the base-map features (water, rivers, railways, place names) of `network`, simplified; replaces what
    the network had. Part of a network's import or generation, not a user action of its own."""
    rows = []
    for feature in features:
        shape = _base_geometry(feature)
        if shape is None:
            continue
        west, south, east, north = shape.bounds
        geometry = mapping(shape)
        rows.append(
            BaseFeature(
                network=network,
                kind=feature.kind,
                name=feature.name[:200],
                rank=min(max(feature.rank, 0), 32767),
                geometry={"type": geometry["type"], "coordinates": _round(geometry["coordinates"])},
                min_lat=south,
                max_lat=north,
                min_lon=west,
                max_lon=east,
            )
        )
    with transaction.atomic():
        BaseFeature.objects.filter(network=network).delete()
        BaseFeature.objects.bulk_create(rows, batch_size=BULK)
    return len(rows)


@transaction.atomic
def network_activate(*, by: User | None, network: RoadNetwork) -> RoadNetwork:
    """Make `network` the one routing runs on (system administrators, or the system itself when `by` is None)."""
    if by is not None and not is_system_admin(by):
        raise NotAllowed(_("Only a system administrator may switch the road network."))
    # Lock every network row: two administrators switching at once must not leave two active.
    list(RoadNetwork.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    network = RoadNetwork.objects.get(pk=network.pk)
    if network.active:
        return network
    RoadNetwork.objects.filter(active=True).update(active=False)
    network.active = True
    network.save(update_fields=["active"])
    audit_append(actor=by, action="routing.network.activate", obj=network, summary=f"启用路网 {network.name}")
    return network
