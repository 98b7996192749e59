"""Speeds from OSM `maxspeed` values and the default table per road class."""

import pytest

from yingji.routing.speeds import CLASS_SPEED_KMH, parse_maxspeed, road_speed_kmh, travel_time_s


@pytest.mark.parametrize(
    ("value", "kmh"),
    [
        ("50", 50),
        ("40 km/h", 40),
        ("30 mph", 48.28),
        ("CN:urban", 50),
        ("CN:rural", 70),
        ("CN:motorway", 120),
        ("FI:urban", 50),
        ("XX:urban", 50),
        ("walk", 5),
        ("60;40", 40),
        ("none", None),
        ("signals", None),
        ("", None),
        (None, None),
        ("-5", None),
    ],
)
def test_maxspeed_values(value, kmh):
    parsed = parse_maxspeed(value)
    assert parsed == (pytest.approx(kmh, abs=0.01) if kmh is not None else None)


def test_class_default_applies_when_maxspeed_is_unreadable():
    assert road_speed_kmh("primary", "none") == CLASS_SPEED_KMH["primary"] == 50
    assert road_speed_kmh("residential") == 25
    assert road_speed_kmh("residential", "40") == 40
    assert road_speed_kmh("no_such_class") == CLASS_SPEED_KMH["road"]


def test_travel_time_is_length_over_speed_and_never_zero():
    assert travel_time_s(1000, 36) == pytest.approx(100)
    assert travel_time_s(0, 36) > 0
