"""GeoJSON layers of the one map. Each layer is a function of the user, scoped like everything else;
later apps register their layers (teams, shelters, …) in LAYERS."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed
from yingji.core.geo import district_feature
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.scopes import scoped

FeatureCollection = dict[str, Any]


@dataclass(frozen=True)
class Viewport:
    """What a map shows: a bounding box (WGS84 degrees) and its zoom level, for layers that thin out by view."""

    west: float
    south: float
    east: float
    north: float
    zoom: float | None = None


def parse_viewport(bbox: str | None, zoom: float | None) -> Viewport | None:
    """`bbox` as "west,south,east,north"; ValidationFailed (field "bbox"/"zoom") for anything else."""
    if zoom is not None and not (math.isfinite(zoom) and 0 <= zoom <= 24):
        raise ValidationFailed(_("The zoom must lie between 0 and 24."), {"zoom": [_("between 0 and 24")]})
    if not bbox:
        return None if zoom is None else Viewport(-180, -90, 180, 90, zoom)
    try:
        west, south, east, north = (float(v) for v in bbox.split(",", 4))
    except ValueError:
        west = south = east = north = math.nan
    box = (west, south, east, north)
    if not all(math.isfinite(v) for v in box) or not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        message = _("The bounding box must be west,south,east,north in degrees.")
        raise ValidationFailed(message, {"bbox": [message]})
    return Viewport(west, south, east, north, zoom)


def _collection(features: list[dict[str, Any]]) -> FeatureCollection:
    return {"type": "FeatureCollection", "features": features}


def district_layer(user) -> FeatureCollection:
    feature = district_feature()
    return _collection([{**feature, "properties": {**feature["properties"], "illustrative": False}}])


def _area_layer(user, kind: str) -> FeatureCollection:
    orgs = scoped(OrgUnit.objects.filter(kind=kind, active=True, area__isnull=False), user, org_field="")
    return _collection(
        [
            {
                "type": "Feature",
                "id": org.pk,
                "geometry": org.area,
                "properties": {"id": org.pk, "name": org.name, "code": org.code, "illustrative": org.illustrative},
            }
            for org in orgs
        ]
    )


def enterprises_layer(user) -> FeatureCollection:
    orgs = scoped(
        OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True, lat__isnull=False).select_related("parent"),
        user,
        org_field="",
    )
    return _collection(
        [
            {
                "type": "Feature",
                "id": org.pk,
                "geometry": {"type": "Point", "coordinates": [org.lon, org.lat]},
                "properties": {
                    "id": org.pk,
                    "name": org.name,
                    "industry": org.get_industry_display(),
                    "street": org.parent.name if org.parent else "",
                    "url": f"/orgs/{org.pk}/",
                    "illustrative": org.illustrative,
                },
            }
            for org in orgs
        ]
    )


# Layers whose function also takes `view: Viewport | None` (the base map's roads, water, railways, names).
VIEW_LAYERS: set[str] = set()

LAYERS: dict[str, Callable[..., FeatureCollection]] = {
    "district": district_layer,
    "streets": lambda user: _area_layer(user, OrgKind.STREET),
    "communities": lambda user: _area_layer(user, OrgKind.COMMUNITY),
    "enterprises": enterprises_layer,
}
