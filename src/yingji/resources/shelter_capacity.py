"""Shelter capacity from effective area, per GB 21734-2008 and GB 51143-2015.

- GB 21734-2008 《地震应急避难场所 场址及配套设施》 §5.4: the site's effective area should exceed 2000 m²
  (宜大于), and the living area per person shall exceed 1.5 m² (人均居住面积应大于 1.5 m²). Its classes
  Ⅰ/Ⅱ/Ⅲ shelter people for ≥ 30 days, 10–30 days and ≤ 10 days.
- GB 51143-2015 《防灾避难场所设计规范》 defines emergency, fixed (short-, medium-, long-term) and central
  shelters. Its per-person effective area (Table 4.2.3) could not be read from a public source; the figures
  below are the ones commonly quoted (0.5 / 2.0 / 3.0 / 4.5 m²) and are UNVERIFIED, so they are defaults that
  settings.SHELTER_AREA_PER_PERSON_M2 ({class: m²}) overrides. GB/T 33744-2025 and GB/T 44013-2024 were not
  read; when they are, their indicators replace these defaults here and nowhere else.
"""

import math
from collections.abc import Mapping

# GB 51143-2015 Table 4.2.3 as commonly quoted: UNVERIFIED defaults, configurable.
DEFAULT_AREA_PER_PERSON_M2: dict[str, float] = {
    "emergency": 0.5,
    "fixed_short": 2.0,
    "fixed_medium": 3.0,
    "fixed_long": 4.5,
    "central": 4.5,
}

# GB 21734-2008 §5.4: people who stay (every class but the emergency shelter) get more than 1.5 m² each.
GB21734_MIN_LIVING_AREA_M2 = 1.5
RESIDENTIAL_CLASSES = frozenset({"fixed_short", "fixed_medium", "fixed_long", "central"})
# GB 21734-2008 §5.4: a site's effective area should (宜) exceed 2000 m².
GB21734_RECOMMENDED_SITE_AREA_M2 = 2000


def area_per_person(shelter_class: str, overrides: Mapping[str, float] | None = None) -> float:
    """Effective area per person (m²) for a GB 51143-2015 shelter class, after configured overrides.

    Raises ValueError for an unknown class or a configured value that breaks GB 21734-2008 §5.4."""
    table = {**DEFAULT_AREA_PER_PERSON_M2, **(overrides or {})}
    if shelter_class not in table:
        raise ValueError(f"unknown shelter class {shelter_class!r}")
    value = float(table[shelter_class])
    if value <= 0:
        raise ValueError(f"area per person for {shelter_class} must be positive")
    if shelter_class in RESIDENTIAL_CLASSES and value <= GB21734_MIN_LIVING_AREA_M2:
        raise ValueError(
            f"GB 21734-2008 §5.4: living area per person must exceed {GB21734_MIN_LIVING_AREA_M2} m² "
            f"({shelter_class}: {value} m²)"
        )
    return value


def capacity_from_area(
    effective_area_m2: float, shelter_class: str, overrides: Mapping[str, float] | None = None
) -> int:
    """How many people fit: the effective area divided by the class's per-person area, rounded down."""
    if effective_area_m2 < 0:
        raise ValueError("effective area cannot be negative")
    per_person = area_per_person(shelter_class, overrides)
    # A tiny epsilon keeps 5000 / 0.5 from landing on 9999 through binary rounding.
    return math.floor(effective_area_m2 / per_person + 1e-9)


def max_stated_capacity(effective_area_m2: float, shelter_class: str) -> int | None:
    """The largest capacity a shelter may state: more than 1.5 m² each for classes where people stay
    (GB 21734-2008 §5.4); None (no ceiling) for emergency shelters."""
    if shelter_class not in RESIDENTIAL_CLASSES:
        return None
    return math.ceil(effective_area_m2 / GB21734_MIN_LIVING_AREA_M2) - 1


def site_area_meets_recommendation(effective_area_m2: float) -> bool:
    """GB 21734-2008 §5.4: the site's effective area should exceed 2000 m²."""
    return effective_area_m2 > GB21734_RECOMMENDED_SITE_AREA_M2
