"""The incidents statistic against the hand-computed history of conftest.py, across the 2025/2026 boundary."""

from dataclasses import replace
from datetime import date

from yingji.analytics.stats import compute
from yingji.analytics.tests.conftest import CURRENT


def test_district_figures_for_a_period_across_the_year_boundary(history, cast):
    figures = compute("incidents", user=cast.duty, filters=CURRENT)
    assert figures["count"] == 4
    assert figures["deaths"] == 4
    assert figures["serious_injuries"] == 2
    assert figures["direct_loss_yuan"] == 2_106_000
    assert figures["by_grade"] == {"I": 0, "II": 0, "III": 0, "IV": 3, "ungraded": 1}
    assert figures["by_category"] == {"natural_disaster": 1, "accident": 3, "public_health": 0, "social_safety": 0}
    assert figures["by_month"] == {"2025-12": 2, "2026-01": 2}
    assert figures["by_industry"] == {"building_materials": 1, "hazchem": 3}


def test_previous_is_the_same_period_a_year_earlier(history, cast):
    previous = compute("incidents", user=cast.duty, filters=CURRENT)["previous"]
    assert (previous["count"], previous["deaths"]) == (1, 2)
    assert previous["by_month"] == {"2024-12": 0, "2025-01": 1}


def test_street_officer_sees_only_the_own_street(history, cast):
    figures = compute("incidents", user=cast.street_officer, filters=CURRENT)
    assert (figures["count"], figures["deaths"], figures["direct_loss_yuan"]) == (3, 1, 106_000)
    assert figures["previous"]["count"] == 1


def test_street_filter_narrows_the_district(history, cast):
    filters = replace(CURRENT, street=cast.street_b.pk, street_path=cast.street_b.path)
    figures = compute("incidents", user=cast.duty, filters=filters)
    assert (figures["count"], figures["deaths"]) == (1, 3)
    assert figures["previous"]["count"] == 0


def test_category_and_industry_filters(history, cast):
    assert compute("incidents", user=cast.duty, filters=replace(CURRENT, category="accident"))["count"] == 3
    assert compute("incidents", user=cast.duty, filters=replace(CURRENT, industry="building_materials"))["count"] == 1


def test_leap_day_period_compares_with_28_february():
    filters = replace(CURRENT, date_from=date(2028, 2, 1), date_to=date(2028, 2, 29))
    assert filters.previous_year().date_to == date(2027, 2, 28)


def test_months_compare_with_the_same_month_a_year_earlier(history, cast):
    from yingji.analytics.presentation import present

    section = present("incidents", compute("incidents", user=cast.duty, filters=CURRENT))
    months = next(table for table in section["tables"] if table["key"] == "by_month")
    assert months["rows"] == [["2025-12", 2, 0, None], ["2026-01", 2, 1, 1.0]]
