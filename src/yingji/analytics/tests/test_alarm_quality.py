"""Alarm quality on a crafted March 2026 history (31 days):

- gas sensor G1 (enterprise X) under rule R1 flaps: five alarms of two minutes each, each raised again five minutes
  after the one before cleared, nobody acknowledging any → 5 likely false, 4 flaps, 5 unacted;
- rule R2 (temperature ≥ 40 °C) on T1 (enterprise Y) cries wolf: three alarms that cleared after three minutes with
  nobody acting (peaks 41, 42, 41.5), and one real alarm (peak 80), acknowledged after 120 s and closed;
- T1's readings run evenly from 30 to 45 °C (1,000 of them) plus the real 80: of the 1,001 values the 99th
  percentile is the 991st smallest, 30 + 15 · 990 / 999 = 44.865, which keeps the real alarm and would have
  avoided the three false ones.
"""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import time_machine

from yingji.analytics import quality
from yingji.analytics.quality import AlarmFact, flap_count, likely_false, quantile, suggest_threshold
from yingji.analytics.stats import compute
from yingji.analytics.tests.conftest import MARCH, local
from yingji.monitoring.services import rule_update


def test_rule_figures(crafted, cast):
    figures = compute("alarm-quality", user=cast.duty, filters=MARCH)
    assert (figures["alarms"], figures["likely_false"], figures["flaps"], figures["unacted"]) == (9, 8, 4, 8)
    rules = {row["name"]: row for row in figures["by_rule"]}
    r1, r2 = rules["R1 可燃气体"], rules["R2 温度"]
    assert (r1["alarms"], r1["likely_false"], r1["likely_false_share"], r1["flaps"], r1["unacted"]) == (5, 5, 1.0, 4, 5)
    assert r1["per_day"] == round(5 / 31, 3)
    assert r1["mean_ack_s"] is None
    assert (r2["alarms"], r2["likely_false"], r2["likely_false_share"], r2["flaps"]) == (4, 3, 0.75, 0)
    assert r2["mean_ack_s"] == 120.0
    assert [row["name"] for row in figures["most_unacted_rules"]] == ["R1 可燃气体", "R2 温度"]


def test_device_and_site_figures(crafted, cast):
    figures = compute("alarm-quality", user=cast.duty, filters=MARCH)
    devices = {row["name"]: row for row in figures["by_device"]}
    assert devices["甲化工可燃气体G1"]["flaps"] == 4
    assert devices["乙建材温度T1"]["unacted"] == 3
    sites = {row["name"]: row["alarms"] for row in figures["by_site"]}
    assert sites == {"甲化工有限公司": 5, "乙建材有限公司": 4}


def test_suggested_threshold_keeps_the_real_alarm(crafted, cast):
    figures = compute("alarm-quality", user=cast.duty, filters=MARCH)
    suggestion = next(s for s in figures["suggestions"] if s["name"] == "R2 温度")
    assert suggestion["current"] == 40
    assert suggestion["suggested"] == pytest.approx(44.865, abs=0.001)
    assert (suggestion["real_alarms"], suggestion["real_kept"]) == (1, 1)
    assert (suggestion["false_alarms"], suggestion["false_avoided"]) == (3, 3)
    assert suggestion["readings"] == 1001


def test_minutes_decides_what_is_likely_false(crafted, cast):
    figures = compute("alarm-quality", user=cast.duty, filters=replace(MARCH, minutes=1))
    assert figures["likely_false"] == 0


def test_street_officer_sees_own_devices_only(crafted, cast):
    figures = compute("alarm-quality", user=cast.street_officer, filters=MARCH)
    assert [row["name"] for row in figures["by_device"]] == ["甲化工可燃气体G1"]


def test_trend_after_a_rule_change(crafted, cast):
    with time_machine.travel(local(2026, 3, 15, 12, 0), tick=False):
        rule_update(by=None, rule=crafted["r2"], blue=45)
    figures = compute("alarm-quality", user=cast.duty, filters=MARCH)
    trend = next(t for t in figures["trends"] if t["name"] == "R2 温度")
    assert trend["before_per_day"] == round(3 / 30, 3)
    assert trend["after_per_day"] == round(1 / 30, 3)


def test_api_serves_alarm_quality(api, bearer, crafted, cast):
    response = api.get(
        "/api/v1/stats/alarm-quality?from=2026-03-01&to=2026-03-31&minutes=10", headers=bearer(cast.duty)
    )
    assert response.status_code == 200
    assert response.json()["flaps"] == 4


# ---- the pure rules ----------------------------------------------------------------------------------------


def fact(raised: datetime, cleared_min: float | None, acked_min: float | None = None, rule: int = 1) -> AlarmFact:
    return AlarmFact(
        id=0,
        device_id=1,
        device="d",
        site_id=1,
        site="s",
        rule_id=rule,
        rule="r",
        raised_at=raised,
        cleared_at=raised + timedelta(minutes=cleared_min) if cleared_min is not None else None,
        acknowledged_at=raised + timedelta(minutes=acked_min) if acked_min is not None else None,
        acted=acked_min is not None,
        peak=None,
    )


def test_acknowledged_before_clearing_is_not_false():
    t = local(2026, 1, 1, 8, 0)
    assert likely_false(fact(t, 5), 10)
    assert not likely_false(fact(t, 5, acked_min=1), 10)
    assert not likely_false(fact(t, 15), 10)
    assert not likely_false(fact(t, None), 10)


def test_flaps_count_per_device_and_rule_within_the_window():
    t = local(2026, 1, 1, 8, 0)
    # Same device, two rules: re-raises of one rule never count against the other.
    alarms = [fact(t, 1), fact(t + timedelta(minutes=10), 1), fact(t + timedelta(minutes=5), 1, rule=2)]
    assert flap_count(alarms) == 1
    assert flap_count([fact(t, 1), fact(t + timedelta(hours=2), 1)]) == 0


def test_quantile_interpolates_like_numpy():
    assert quantile([1, 2, 3, 4], 0.5) == 2.5
    assert quantile([5], 0.99) == 5


def test_suggestion_never_loosens_and_never_drops_a_real_alarm():
    # A lower limit: the 1st percentile is 2.0, but a real alarm reached only 3.0, so 3.0 it is.
    lower = suggest_threshold(
        readings=[float(v) for v in range(1, 101)], current=5, direction="below", real_peaks=[3.0], false_peaks=[4.5]
    )
    assert lower["suggested"] == 3.0
    assert lower["false_avoided"] == 1
    # Readings well below the limit: keep the limit as it is.
    calm = suggest_threshold(readings=[1.0, 2.0], current=40, direction="above", real_peaks=[], false_peaks=[])
    assert calm["suggested"] == 40
    assert suggest_threshold(readings=[], current=1, direction="above", real_peaks=[], false_peaks=[]) is None


def test_module_registers_itself():
    assert quality.alarm_quality_stat.__name__ == "alarm_quality_stat"


def test_the_database_counts_agree_with_the_pure_rules(crafted, cast):
    """The SQL the statistic runs and the pure functions that state the rules give the same figures."""
    from yingji.analytics.stats import alarm_rows
    from yingji.monitoring.models import Alarm

    facts = [fact_of(a) for a in alarm_rows(cast.duty, MARCH).select_related("device", "rule", "org")]
    figures = compute("alarm-quality", user=cast.duty, filters=MARCH)
    for minutes in (1, 2, 3, 10):
        sql = compute("alarm-quality", user=cast.duty, filters=replace(MARCH, minutes=minutes))["likely_false"]
        assert sql == sum(1 for a in facts if likely_false(a, minutes))
    assert figures["flaps"] == flap_count(facts)
    assert Alarm.objects.count() == len(facts)


def fact_of(alarm) -> AlarmFact:
    return AlarmFact(
        id=alarm.pk,
        device_id=alarm.device_id,
        device=alarm.device.name,
        site_id=alarm.org_id,
        site=alarm.org.name,
        rule_id=alarm.rule_id,
        rule=alarm.rule.name,
        raised_at=alarm.raised_at,
        cleared_at=alarm.cleared_at,
        acknowledged_at=alarm.acknowledged_at,
        acted=bool(alarm.acknowledged_at or alarm.closed_by_id or alarm.assignee_id),
        peak=alarm.peak_value,
    )
