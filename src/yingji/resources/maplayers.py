"""The resource layers of the one map, registered into core.maplayers.LAYERS; each is scoped to the user."""

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingji.core.maplayers import FeatureCollection, LayerInfo
from yingji.core.models import User
from yingji.resources import selectors


def _point(pk: int, lat: float | None, lon: float | None, properties: dict[str, Any]) -> dict[str, Any] | None:
    if lat is None or lon is None:
        return None
    return {
        "type": "Feature",
        "id": pk,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": pk, **properties},
    }


def _collection(features: Iterable[dict[str, Any] | None]) -> FeatureCollection:
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}


def teams_layer(user: User) -> FeatureCollection:
    return _collection(
        _point(
            team.pk,
            team.org.lat,
            team.org.lon,
            {
                "name": team.org.name,
                "kind": team.get_kind_display(),
                "kind_code": team.kind,
                "status": team.get_status_display(),
                "status_code": team.status,
                "on_duty": team.on_duty,
                "headcount": team.headcount,
                "leader": team.org.contact,
                "phone": team.org.phone,
                "url": reverse("resources:team-detail", args=[team.pk]),
                "illustrative": team.org.illustrative,
            },
        )
        for team in selectors.team_list(user=user)
    )


def experts_layer(user: User) -> FeatureCollection:
    """Experts at their organisations' locations (the owner unit's place when none is given)."""
    return _collection(
        _point(
            expert.pk,
            expert.lat if expert.lat is not None else expert.org.lat,
            expert.lon if expert.lon is not None else expert.org.lon,
            {
                "name": expert.name,
                "kind": expert.get_field_display(),
                "organisation": expert.organisation,
                "title": expert.title,
                "status": expert.get_availability_display(),
                "url": reverse("resources:expert-detail", args=[expert.pk]),
            },
        )
        for expert in selectors.expert_list(user=user)
    )


def equipment_layer(user: User) -> FeatureCollection:
    return _collection(
        _point(
            row.pk,
            row.lat,
            row.lon,
            {
                "name": row.name,
                "kind": row.get_category_display(),
                "quantity": row.quantity,
                "status": row.get_status_display(),
                "url": reverse("resources:equipment-detail", args=[row.pk]),
            },
        )
        for row in selectors.equipment_list(user=user)
    )


def warehouses_layer(user: User) -> FeatureCollection:
    return _collection(
        _point(
            row.pk,
            row.lat,
            row.lon,
            {
                "name": row.name,
                "kind": row.org.name,
                # Counts the selector annotates (warehouse_list).
                "items": row.item_count,  # type: ignore[attr-defined]
                "low": row.low_count,  # type: ignore[attr-defined]
                "status": "",
                "url": reverse("resources:warehouse-detail", args=[row.pk]),
            },
        )
        for row in selectors.warehouse_list(user=user, active=True)
    )


def shelters_layer(user: User) -> FeatureCollection:
    return _collection(
        _point(
            row.pk,
            row.lat,
            row.lon,
            {
                "name": row.name,
                "kind": f"{row.get_shelter_class_display()} · {row.get_kind_display()}",
                "capacity": row.capacity,
                "occupancy": row.occupancy,
                "is_open": row.is_open,
                "status": str(_("Open") if row.is_open else _("Closed")),
                "url": reverse("resources:shelter-detail", args=[row.pk]),
                "illustrative": row.illustrative,
            },
        )
        for row in selectors.shelter_list(user=user)
    )


LAYERS: dict[str, Callable[[Any], FeatureCollection]] = {
    "teams": teams_layer,
    "experts": experts_layer,
    "equipment": equipment_layer,
    "warehouses": warehouses_layer,
    "shelters": shelters_layer,
}

# The one map's toggles for these layers (marker colours of resources.css).
INFO = {
    "teams": LayerInfo(gettext_lazy("Rescue teams"), colour="#b42318", cluster=True, shown=True, order=10),
    "experts": LayerInfo(gettext_lazy("Experts"), colour="#7c3aed", cluster=True, order=11),
    "equipment": LayerInfo(gettext_lazy("Large equipment"), colour="#0f766e", cluster=True, shown=True, order=12),
    "warehouses": LayerInfo(gettext_lazy("Warehouses"), colour="#a16207", cluster=True, shown=True, order=13),
    "shelters": LayerInfo(gettext_lazy("Shelters"), colour="#15803d", cluster=True, order=14),
}
