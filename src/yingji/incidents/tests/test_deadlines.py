"""Reporting limits of Order 493 art. 9-11 and the art. 13 windows, pure."""

from datetime import timedelta

from yingji.incidents import deadlines
from yingji.incidents.tests.conftest import local


def test_enterprise_reports_within_one_hour_and_each_level_within_two():
    known = local(2026, 5, 1, 9, 0)
    assert deadlines.enterprise_report_due(known) == local(2026, 5, 1, 10, 0)
    assert deadlines.upward_report_due(known) == local(2026, 5, 1, 11, 0)


def test_chain_reaches_the_level_set_by_the_grade():
    known = local(2026, 5, 1, 9, 0)
    assert [level for level, _ in deadlines.chain_deadlines(known_at=known, grade="IV")] == ["district", "city"]
    chain = dict(deadlines.chain_deadlines(known_at=known, grade="III"))
    # The exam answer "较大事故报至市级最长 1+2=3 小时", then 2 more hours to the province.
    assert chain["city"] == known + timedelta(hours=3)
    assert chain["province"] == known + timedelta(hours=5)
    assert dict(deadlines.chain_deadlines(known_at=known, grade="I"))["state"] == known + timedelta(hours=7)
    assert deadlines.levels_to_report("II") == ("city", "province", "state")


def test_supplementary_window_is_30_days_and_7_for_road_traffic_and_fire():
    occurred = local(2026, 5, 1, 9, 0)
    for code, days in (("hazchem_leak", 30), ("road_traffic", 7), ("fire", 7)):
        last = occurred + timedelta(days=days)
        assert deadlines.in_supplementary_window(occurred_at=occurred, now=last, type_code=code)
        assert not deadlines.in_supplementary_window(
            occurred_at=occurred, now=last + timedelta(seconds=1), type_code=code
        )


def test_seconds_left_goes_negative_when_overdue():
    due = local(2026, 5, 1, 11, 0)
    assert deadlines.seconds_left(due, local(2026, 5, 1, 10, 59, 30)) == 30
    assert deadlines.seconds_left(due, local(2026, 5, 1, 11, 1)) == -60


def test_the_upward_chain_starts_from_the_reports_own_deadline():
    first = local(2026, 5, 1, 16, 3)
    chain = deadlines.upward_chain(first_due=first, grade="II")
    assert chain[0] == ("city", first)
    assert [due - first for _level, due in chain] == [timedelta(hours=2 * n) for n in range(len(chain))]
