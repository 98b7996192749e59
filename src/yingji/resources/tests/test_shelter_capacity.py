"""Shelter capacity against GB 21734-2008 §5.4 (more than 1.5 m² each, sites over 2000 m²) and the
configurable GB 51143-2015 per-person areas."""

import pytest

from yingji.resources.shelter_capacity import (
    DEFAULT_AREA_PER_PERSON_M2,
    area_per_person,
    capacity_from_area,
    max_stated_capacity,
    site_area_meets_recommendation,
)


def test_huangshi_civil_air_defence_park_as_a_short_term_fixed_shelter():
    # 黄石人防主题公园: 5.4 ha.
    assert capacity_from_area(54_000, "fixed_short") == 54_000 / DEFAULT_AREA_PER_PERSON_M2["fixed_short"]


def test_emergency_shelter_uses_its_own_per_person_area():
    assert capacity_from_area(5000, "emergency") == 10_000


def test_configured_area_overrides_the_unverified_default():
    assert capacity_from_area(3000, "fixed_medium", {"fixed_medium": 2.5}) == 1200


@pytest.mark.parametrize("value", [1.5, 1.0])
def test_configuring_1_5_square_metres_or_less_for_a_residential_class_is_refused(value):
    # GB 21734-2008 §5.4: 人均居住面积应大于 1.5 m² — "greater than", so 1.5 itself is not enough.
    with pytest.raises(ValueError, match="GB 21734"):
        area_per_person("fixed_long", {"fixed_long": value})


def test_a_stated_capacity_must_leave_more_than_1_5_square_metres_each():
    assert max_stated_capacity(3000, "central") == 1999
    assert 3000 / max_stated_capacity(3000, "central") > 1.5
    assert max_stated_capacity(3001, "fixed_short") == 2000
    assert max_stated_capacity(3000, "emergency") is None


def test_site_area_recommendation_is_strictly_above_2000():
    assert not site_area_meets_recommendation(2000)
    assert site_area_meets_recommendation(2001)


def test_unknown_class_is_refused():
    with pytest.raises(ValueError):
        capacity_from_area(100, "bunker")
