"""Polygon checks and measures, without a database."""

import pytest
from django.utils.translation import override

from yingji.forest.geometry import GeometryError, area_hectares, line_length_m, polygon_shape
from yingji.forest.tests.conftest import BOWTIE, TUANCHENG


def test_a_valid_polygon_is_measured():
    geom = polygon_shape(TUANCHENG)
    # 0.02° of longitude × 0.015° of latitude at 30.23°N ≈ 1.923 km × 1.668 km.
    assert area_hectares(geom) == pytest.approx(320.7, rel=0.01)


def test_a_feature_is_accepted_for_its_geometry():
    assert polygon_shape({"type": "Feature", "geometry": TUANCHENG, "properties": {}}).geom_type == "Polygon"


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (BOWTIE, "self-intersecting"),
        ({"type": "Point", "coordinates": [115.02, 30.23]}, "must be a Polygon"),
        ({"type": "Polygon", "coordinates": [[[115.02, 30.23], [115.03, 30.23], [115.03, 30.24]]]}, "at least 4"),
        (
            {"type": "Polygon", "coordinates": [[[115.02, 30.23], [115.03, 30.23], [115.03, 30.24], [115.02, 30.24]]]},
            "not closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[30.23, 115.02], [30.24, 115.02], [30.24, 115.03], [30.23, 115.02]]]},
            "out of range",
        ),
        (
            {"type": "Polygon", "coordinates": [[[116.0, 31.0], [116.1, 31.0], [116.1, 31.1], [116.0, 31.0]]]},
            "outside the district",
        ),
        (
            {"type": "Polygon", "coordinates": [[[115.02, 30.23], [115.03, 30.23], [115.04, 30.23], [115.02, 30.23]]]},
            "invalid",
        ),
        (
            {"type": "Polygon", "coordinates": [[["a", 30.23], [115.03, 30.23], [115.03, 30.24], ["a", 30.23]]]},
            "finite numbers",
        ),
        ({"type": "Polygon", "coordinates": "nope"}, "nested arrays"),
    ],
)
def test_bad_polygons_are_refused_with_a_reason(geometry, message):
    with override("en"), pytest.raises(GeometryError, match=message):
        polygon_shape(geometry)


def test_line_length():
    # One thousandth of a degree of latitude is about 111 m.
    assert line_length_m([(115.0, 30.0), (115.0, 30.001)]) == pytest.approx(111.2, abs=0.5)
