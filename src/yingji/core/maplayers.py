"""GeoJSON layers of the one map. Each layer is a function of the user, scoped like everything else;
later apps register their layers (teams, shelters, …) in LAYERS."""

from collections.abc import Callable
from typing import Any

from yingji.core.geo import district_feature
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.scopes import scoped

FeatureCollection = dict[str, Any]


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


LAYERS: dict[str, Callable[[Any], FeatureCollection]] = {
    "district": district_layer,
    "streets": lambda user: _area_layer(user, OrgKind.STREET),
    "communities": lambda user: _area_layer(user, OrgKind.COMMUNITY),
    "enterprises": enterprises_layer,
}
