"""GeoJSON layers of the one map. Each layer is a function of the user, scoped like everything else;
later apps register their layers (teams, shelters, …) in LAYERS."""

import inspect
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yingji.core.errors import ValidationFailed
from yingji.core.geo import district_feature
from yingji.core.models import Industry, OrgKind, OrgUnit, User
from yingji.core.scopes import scoped

FeatureCollection = dict[str, Any]


def _collection(features: list[dict[str, Any]]) -> FeatureCollection:
    return {"type": "FeatureCollection", "features": features}


def district_layer(user: User) -> FeatureCollection:
    feature = district_feature()
    return _collection([{**feature, "properties": {**feature["properties"], "illustrative": False}}])


def _area_layer(user: User, kind: str) -> FeatureCollection:
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


@dataclass(frozen=True)
class BBox:
    """A map window in WGS84 degrees: west, south, east, north (the order of Leaflet's toBBoxString), and the zoom
    level it is seen at, for layers that thin out by view (None: not given)."""

    west: float
    south: float
    east: float
    north: float
    zoom: float | None = None

    @classmethod
    def parse(cls, text: str, zoom: float | None = None) -> "BBox":
        """From "west,south,east,north"; ValidationFailed (field "bbox" or "zoom") for anything else."""
        if zoom is not None and not (math.isfinite(zoom) and 0 <= zoom <= 24):
            raise ValidationFailed(_("The zoom must lie between 0 and 24."), {"zoom": [_("between 0 and 24")]})
        message = _("The bounding box must be west,south,east,north in degrees.")
        try:
            west, south, east, north = (float(part) for part in text.split(",", 4))
        except ValueError:
            raise ValidationFailed(message, {"bbox": [message]}) from None
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            raise ValidationFailed(message, {"bbox": [message]})
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValidationFailed(message, {"bbox": [message]})
        return cls(west, south, east, north, zoom)

    def lookups(self, lat: str = "lat", lon: str = "lon") -> dict[str, float]:
        """ORM filters keeping points inside the box (for layers that filter in SQL)."""
        return {
            f"{lat}__gte": self.south,
            f"{lat}__lte": self.north,
            f"{lon}__gte": self.west,
            f"{lon}__lte": self.east,
        }

    def touches(self, geometry: dict[str, Any] | None) -> bool:
        """Whether a GeoJSON geometry's own bounding box meets this box."""
        xs, ys = [], []
        for x, y in _positions(geometry.get("coordinates") if geometry else None):
            xs.append(x)
            ys.append(y)
        if not xs:
            return False
        return min(xs) <= self.east and max(xs) >= self.west and min(ys) <= self.north and max(ys) >= self.south


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    if not coordinates:
        return
    if isinstance(coordinates[0], int | float):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates:
        yield from _positions(part)


# The base map's layers (roads, water, railways, places) take the window as `view`; a window is a BBox.
Viewport = BBox


def parse_viewport(bbox: str | None, zoom: float | None) -> BBox | None:
    """The view a base-map request asks for: None when it gives neither box nor zoom, the whole world at `zoom`
    when it gives only the zoom; the box is parsed by `BBox.parse`."""
    if not bbox:
        if zoom is None:
            return None
        return BBox.parse("-180,-90,180,90", zoom)
    return BBox.parse(bbox, zoom)


def enterprises_layer(user: User, bbox: BBox | None = None) -> FeatureCollection:
    orgs = scoped(
        OrgUnit.objects.filter(
            kind=OrgKind.ENTERPRISE, active=True, lat__isnull=False, **(bbox.lookups() if bbox else {})
        ),
        user,
        org_field="",
    )
    # Rows, not model instances: a district of 20,000 enterprises is one query and no objects.
    industries = {value: str(label) for value, label in Industry.choices}
    rows = orgs.values_list("pk", "name", "industry", "parent__name", "lat", "lon", "illustrative")
    return _collection(
        [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": pk,
                    "name": name,
                    "industry": industries.get(industry, industry),
                    "street": parent_name or "",
                    "url": f"/orgs/{pk}/",
                    "illustrative": illustrative,
                },
            }
            for pk, name, industry, parent_name, lat, lon, illustrative in rows
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


def layer(name: str, user: User, *, bbox: BBox | None = None) -> FeatureCollection | None:
    """Layer `name` for `user` (None: no such layer), narrowed to the features meeting `bbox` when given. A layer
    function that takes `bbox` filters in its query; for the others the features are filtered here."""
    build = LAYERS.get(name)
    if build is None:
        return None
    if bbox is None:
        return build(user)
    try:
        takes_bbox = "bbox" in inspect.signature(build).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        takes_bbox = False
    if takes_bbox:
        return build(user, bbox=bbox)
    collection = build(user)
    return {**collection, "features": [f for f in collection["features"] if bbox.touches(f.get("geometry"))]}


@dataclass(frozen=True)
class LayerInfo:
    """How the one map offers a layer as a toggle: its label, the colour of its features and legend entry (a feature's
    own `properties.color` wins, with `legend` listing those colours), drawn as areas or as points (clustered or not),
    shown at first or not, and where it stands among the toggles (`order`)."""

    label: Any  # a translatable text (gettext_lazy)
    colour: str = "#6b7280"
    legend: tuple[tuple[str, Any], ...] = ()
    areas: bool = False
    cluster: bool = False
    shown: bool = False
    order: int = 50


# The layers a map page offers as toggles, by name (apps register theirs beside LAYERS in `AppConfig.ready()`).
LAYER_INFO: dict[str, LayerInfo] = {
    "enterprises": LayerInfo(_lazy("Enterprises"), colour="#f59e0b", cluster=True, order=20),
    "streets": LayerInfo(_lazy("Street areas (illustrative)"), colour="#1d4ed8", areas=True, shown=True, order=90),
}


def offered_layers() -> list[dict[str, Any]]:
    """The registered layers with a toggle (LAYER_INFO) as plain data for a page: name, label, colour, legend
    rows [colour, label], areas, cluster, shown; in toggle order."""
    offered = sorted((info.order, name) for name, info in LAYER_INFO.items() if name in LAYERS)
    return [
        {
            "name": name,
            "label": str(LAYER_INFO[name].label),
            "colour": LAYER_INFO[name].colour,
            "legend": [[colour, str(label)] for colour, label in LAYER_INFO[name].legend],
            "areas": LAYER_INFO[name].areas,
            "cluster": LAYER_INFO[name].cluster,
            "shown": LAYER_INFO[name].shown,
        }
        for _order, name in offered
    ]
