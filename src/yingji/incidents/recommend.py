"""What each type of incident needs first, as data: the duty desk recommends resources in this order (a
hazardous-chemicals leak calls fire and hazmat teams before medical teams, experts and fitting equipment).

Each need is a resource kind and a filter on that registry; types not listed get the general needs. The
bureau's practice, not a national standard: change the table, not the code.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from yingji.core.requests import Text


@dataclass(frozen=True)
class Need:
    kind: str  # team | equipment | expert
    label: Text
    where: dict[str, Any] = field(default_factory=dict)


def _teams(label: Text, *kinds: str) -> Need:
    return Need("team", label, {"kind__in": list(kinds)})


def _experts(*fields: str) -> Need:
    return Need("expert", _("Experts"), {"field__in": list(fields)})


def _equipment(*categories: str) -> Need:
    return Need("equipment", _("Equipment"), {"category__in": list(categories)})


FIRE_TEAMS = _("Fire and rescue teams")
HAZMAT_TEAMS = _("Fire and hazmat teams")
MEDICAL = _teams(_("Medical teams"), "medical")

GENERAL: tuple[Need, ...] = (
    _teams(FIRE_TEAMS, "fire_rescue"),
    MEDICAL,
    Need("expert", _("Experts")),
    Need("equipment", _("Equipment")),
)

NEEDS: dict[str, tuple[Need, ...]] = {
    "hazchem_leak": (
        _teams(HAZMAT_TEAMS, "fire_rescue", "hazchem"),
        MEDICAL,
        _experts("hazchem"),
        _equipment("detection", "fire_engine", "rescue_vehicle"),
    ),
    "explosion": (
        _teams(HAZMAT_TEAMS, "fire_rescue", "hazchem"),
        MEDICAL,
        _experts("hazchem", "fire", "building"),
        _equipment("rescue_vehicle", "excavator", "detection", "lighting"),
    ),
    "gas": (
        _teams(HAZMAT_TEAMS, "fire_rescue", "hazchem"),
        MEDICAL,
        _experts("hazchem", "power"),
        _equipment("detection", "rescue_vehicle"),
    ),
    "poisoning": (
        _teams(HAZMAT_TEAMS, "fire_rescue", "hazchem"),
        MEDICAL,
        _experts("hazchem", "medical"),
        _equipment("detection"),
    ),
    "fire": (
        _teams(FIRE_TEAMS, "fire_rescue"),
        MEDICAL,
        _experts("fire"),
        _equipment("fire_engine", "rescue_vehicle", "lighting"),
    ),
    "building_collapse": (
        _teams(_("Collapse rescue teams"), "building", "fire_rescue"),
        MEDICAL,
        _experts("building", "geology"),
        _equipment("excavator", "crane", "loader", "lighting"),
    ),
    "road_traffic": (
        _teams(FIRE_TEAMS, "fire_rescue"),
        MEDICAL,
        _experts("transport"),
        _equipment("rescue_vehicle", "crane"),
    ),
    "electrocution": (
        _teams(_("Power repair teams"), "power"),
        MEDICAL,
        _experts("power"),
        _equipment("generator", "lighting"),
    ),
    "water_transport": (
        _teams(_("Water rescue teams"), "water", "fire_rescue"),
        MEDICAL,
        _experts("transport"),
        _equipment("boat"),
    ),
    "drowning": (_teams(_("Water rescue teams"), "water", "fire_rescue"), MEDICAL, _equipment("boat")),
    "flood": (
        _teams(_("Flood control teams"), "flood", "water", "fire_rescue"),
        _experts("flood", "meteorology"),
        _equipment("pump", "boat", "generator", "lighting"),
        MEDICAL,
    ),
    "storm": (
        _teams(_("Flood control teams"), "flood", "water", "fire_rescue"),
        _experts("flood", "meteorology"),
        _equipment("pump", "generator", "lighting"),
    ),
    "geological": (
        _teams(_("Collapse rescue teams"), "building", "fire_rescue"),
        _experts("geology"),
        _equipment("excavator", "loader"),
        MEDICAL,
    ),
    "forest_fire": (
        _teams(FIRE_TEAMS, "fire_rescue", "part_time", "volunteer"),
        _experts("fire", "meteorology"),
        _equipment("fire_engine", "communication"),
    ),
    "earthquake": (
        _teams(_("Collapse rescue teams"), "building", "fire_rescue"),
        MEDICAL,
        _experts("earthquake", "building"),
        _equipment("excavator", "crane", "lighting", "generator"),
    ),
    "epidemic": (MEDICAL, _experts("medical")),
    "food_poisoning": (MEDICAL, _experts("medical")),
    "crowd": (_teams(FIRE_TEAMS, "fire_rescue"), MEDICAL, _teams(_("Volunteers"), "volunteer", "social")),
}


def needs_for(type_code: str) -> tuple[Need, ...]:
    """The needs of an incident type, in the order the desk should fill them."""
    return NEEDS.get(type_code, GENERAL)
