"""Resources by travel time on the road network (the routing app's engine): the nearest resources to a point,
evacuation of population blocks or communities to open shelters, and communities no team reaches in time."""

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed
from yingji.core.geo import distance_label, in_district
from yingji.core.models import User
from yingji.resources import selectors
from yingji.resources.models import Availability, EquipmentStatus, TeamStatus
from yingji.routing.models import RoadNetwork
from yingji.routing.travel import evacuation_assign, nearest, unreachable_within

KINDS = ("team", "equipment", "warehouse", "shelter", "expert")


@dataclass(frozen=True)
class Target:
    """A resource the engine routes to: its key, place, and what the answer shows of it."""

    key: int
    lat: float
    lon: float
    name: str
    detail: dict[str, Any]


def road_network_info() -> dict[str, Any] | None:
    """Name and `illustrative` flag of the active road network (None when none is loaded)."""
    return RoadNetwork.objects.filter(active=True).values("name", "illustrative").first()


def check_point(lat: float, lon: float) -> None:
    """A query point must lie in the district."""
    if not in_district(lat, lon):
        message = _("The point lies outside the district.")
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})


def _targets(user: User, kind: str, *, where: dict[str, Any] | None = None, busy: bool = False) -> list[Target]:
    """The user's resources of a kind that can be sent (or, with `busy`, all of them), narrowed by `where`."""
    where = where or {}
    if kind == "team":
        return [
            Target(
                t.pk,
                t.org.lat,
                t.org.lon,
                t.org.name,
                {
                    "url": reverse("resources:team-detail", args=[t.pk]),
                    "category": t.get_kind_display(),
                    "status": t.get_status_display(),
                    "status_code": t.status,
                    "on_duty": t.on_duty,
                    "phone": t.org.phone,
                },
            )
            for t in selectors.team_list(user=user).filter(**where, **({} if busy else {"status": TeamStatus.STANDBY}))
            if t.org.lat is not None
        ]
    if kind == "equipment":
        return [
            Target(
                e.pk,
                e.lat,
                e.lon,
                e.name,
                {
                    "url": reverse("resources:equipment-detail", args=[e.pk]),
                    "category": e.get_category_display(),
                    "status": e.get_status_display(),
                    "status_code": e.status,
                    "quantity": e.quantity,
                    "phone": e.phone,
                },
            )
            for e in selectors.equipment_list(user=user).filter(
                **where, **({} if busy else {"status": EquipmentStatus.READY})
            )
            if e.lat is not None
        ]
    if kind == "warehouse":
        return [
            Target(
                w.pk,
                w.lat,
                w.lon,
                w.name,
                {
                    "url": reverse("resources:warehouse-detail", args=[w.pk]),
                    "category": w.org.name,
                    "status": "",
                    "phone": w.phone,
                },
            )
            for w in selectors.warehouse_list(user=user, active=True).filter(**where)
            if w.lat is not None
        ]
    if kind == "expert":
        experts = selectors.expert_list(user=user).filter(**where)
        if not busy:
            experts = experts.exclude(availability=Availability.UNAVAILABLE)
        return [
            Target(
                x.pk,
                x.lat if x.lat is not None else x.org.lat,
                x.lon if x.lon is not None else x.org.lon,
                x.name,
                {
                    "url": reverse("resources:expert-detail", args=[x.pk]),
                    "category": x.get_field_display(),
                    "status": x.get_availability_display(),
                    "status_code": x.availability,
                    "phone": x.phone,
                },
            )
            for x in experts
            if (x.lat if x.lat is not None else x.org.lat) is not None
        ]
    shelters = selectors.shelter_list(user=user, is_open=True)
    return [
        Target(
            s.pk,
            s.lat,
            s.lon,
            s.name,
            {
                "url": reverse("resources:shelter-detail", args=[s.pk]),
                "category": s.get_shelter_class_display(),
                "status": _("Open"),
                "free_capacity": s.free_capacity,
                "phone": s.phone,
            },
        )
        for s in shelters
        if s.lat is not None and s.free_capacity > 0
    ]


def nearest_resources(
    *,
    user: User,
    lat: float,
    lon: float,
    kind: str,
    limit: int = 5,
    where: dict[str, Any] | None = None,
    busy: bool = False,
    exclude: frozenset[int] = frozenset(),
) -> list[dict[str, Any]]:
    """The user's resources of one kind ordered by travel time: teams, equipment, warehouses and experts travel
    to the point; people travel from the point to open shelters with room left. Only resources that can be sent
    (standby teams, ready equipment, available experts) unless `busy`; `where` narrows the kind (e.g. team kinds),
    `exclude` leaves out ids (resources already on an incident)."""
    if kind not in KINDS:
        raise ValidationFailed(_("Unknown kind."), {"kind": [_("Use one of: %(k)s") % {"k": ", ".join(KINDS)}]})
    check_point(lat, lon)
    targets = {t.key: t for t in _targets(user, kind, where=where, busy=busy) if t.key not in exclude}
    reaches = nearest(
        lat=lat,
        lon=lon,
        targets=[(t.key, t.lat, t.lon) for t in targets.values()],
        limit=limit,
        direction="from_point" if kind == "shelter" else "to_point",
    )
    return [
        {
            "kind": kind,
            "id": r.key,
            "name": targets[r.key].name,
            "lat": targets[r.key].lat,
            "lon": targets[r.key].lon,
            "eta_s": r.eta_s,
            "distance_m": r.distance_m,
            "distance_label": distance_label(r.distance_m),
            "route": r.route,
            **targets[r.key].detail,
        }
        for r in reaches
    ]


@dataclass(frozen=True)
class Block:
    key: Hashable
    name: str
    lat: float
    lon: float
    population: int


def community_blocks(*, user: User, ids: list[int]) -> list[Block]:
    """Communities as population blocks, at their centres, with the population estimates kept here."""
    communities = {c.pk: c for c in selectors.communities_with_population(user=user, ids=ids)}
    missing = [str(i) for i in ids if i not in communities]
    if missing:
        raise ValidationFailed(
            _("Unknown community."), {"communities": [_("Not found: %(ids)s") % {"ids": ", ".join(missing)}]}
        )
    unplaced = [c.name for c in communities.values() if c.lat is None or c.population is None]
    if unplaced:
        raise ValidationFailed(
            _("A community has no location or population estimate."),
            {"communities": [_("No location or population estimate: %(n)s") % {"n": "、".join(unplaced)}]},
        )
    return [Block(c.pk, c.name, c.lat, c.lon, c.population) for c in (communities[i] for i in ids)]


def evacuation_plan(*, user: User, blocks: list[Block], shelter_ids: list[int] | None = None) -> dict[str, Any]:
    """Assign the blocks' people to the user's open shelters (all of them, or those named) by least total
    travel time within each shelter's free capacity."""
    shelters = selectors.shelter_list(user=user, is_open=True)
    if shelter_ids is not None:
        shelters = shelters.filter(pk__in=shelter_ids)
        found = set(shelters.values_list("pk", flat=True))
        missing = [str(i) for i in shelter_ids if i not in found]
        if missing:
            raise ValidationFailed(
                _("Unknown or closed shelter."),
                {"shelters": [_("Not found or not open: %(ids)s") % {"ids": ", ".join(missing)}]},
            )
    shelters = {s.pk: s for s in shelters if s.lat is not None}
    plan = evacuation_assign(
        blocks=[(b.key, b.lat, b.lon, b.population) for b in blocks],
        shelters=[(s.pk, s.lat, s.lon, s.free_capacity) for s in shelters.values()],
    )
    by_key = {b.key: b for b in blocks}
    return {
        "assignments": [
            {
                "block": block,
                "block_name": by_key[block].name,
                "shelter": shelter,
                "shelter_name": shelters[shelter].name,
                "people": people,
                "eta_s": eta_s,
                "line": {
                    "type": "LineString",
                    "coordinates": [
                        [by_key[block].lon, by_key[block].lat],
                        [shelters[shelter].lon, shelters[shelter].lat],
                    ],
                },
            }
            for block, shelter, people, eta_s in plan.assignments
        ],
        "shelters": [
            {
                "id": s.pk,
                "name": s.name,
                "lat": s.lat,
                "lon": s.lon,
                "free_capacity": s.free_capacity,
                "load": plan.shelter_load.get(s.pk, 0),
            }
            for s in shelters.values()
        ],
        "population": sum(b.population for b in blocks),
        "unassigned": plan.unassigned,
        "total_cost": plan.total_cost,
    }


def coverage_gaps(*, user: User, team_kind: str | None, limit_min: float) -> dict[str, Any]:
    """Communities (in the user's scope) that no team of `team_kind` (any kind when None) reaches within
    `limit_min` minutes, as a GeoJSON FeatureCollection of their areas."""
    if not limit_min > 0:
        raise ValidationFailed(_("The time limit must be positive."), {"limit_min": [_("must be positive")]})
    teams = selectors.team_list(user=user, kind=team_kind or None).exclude(status=TeamStatus.UNAVAILABLE)
    sources = [(t.pk, t.org.lat, t.org.lon) for t in teams if t.org.lat is not None]
    communities = {c.pk: c for c in selectors.communities_with_population(user=user) if c.lat is not None}
    late = unreachable_within(
        sources=sources, points=[(c.pk, c.lat, c.lon) for c in communities.values()], limit_s=limit_min * 60
    )
    return {
        "type": "FeatureCollection",
        "properties": {"teams": len(sources), "communities": len(communities), "unreached": len(late)},
        "features": [
            {
                "type": "Feature",
                "id": c.pk,
                "geometry": c.area or {"type": "Point", "coordinates": [c.lon, c.lat]},
                "properties": {"id": c.pk, "name": c.name, "population": c.population},
            }
            for c in communities.values()
            if c.pk in late
        ],
    }
