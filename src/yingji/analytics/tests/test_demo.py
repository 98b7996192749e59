"""The illustrative history: loaded through the demo, idempotent, and every statistic has figures to compare."""

import pytest
from django.utils import timezone

from yingji.analytics.filters import StatFilters
from yingji.analytics.stats import compute
from yingji.demo.services import demo_load_all


@pytest.fixture
def loaded(db):
    first = demo_load_all(password="Lantern-Harbour-58", out=lambda line: None)
    return first


def test_history_gives_every_figure_a_comparison(loaded):
    added = loaded.added
    assert added["history_incidents"] > 100
    assert added["history_alarms"] > 50
    today = timezone.localdate()
    year = StatFilters(date_from=today.replace(year=today.year - 1), date_to=today)
    incidents = compute("incidents", user=None, filters=year)
    assert incidents["count"] > 40 and incidents["previous"]["count"] > 40
    assert compute("warnings", user=None, filters=year)["count"] > 0
    assert compute("dispatches", user=None, filters=year)["to_arrival_median_s"] is not None
    quality = compute("alarm-quality", user=None, filters=year)
    assert quality["flaps"] >= 11
    assert quality["most_unacted_rules"][0]["name"] == "硫化氢浓度超限"
    assert any(s["suggested"] > s["current"] for s in quality["suggestions"])
    assert compute("funds", user=None, filters=StatFilters.year_to_date())["budget_yuan"] == 1_800_000
    again = demo_load_all(password="Lantern-Harbour-58", out=lambda line: None)
    # The summary keeps only what was added: none of the history's parts appears.
    assert not {"history_incidents", "history_alarms", "history_warnings", "targets_funds"} & set(again.added)
