"""The daily alarm roll-up gives the figures the alarms give: after a backfill, with a late arrival for a day
already rolled up, after a status change, on the current day, for a street and an industry; the worker job and
the command keep it current."""

from dataclasses import replace
from datetime import timedelta

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from yingji.analytics import rollup, tasks
from yingji.analytics.filters import StatFilters
from yingji.analytics.models import AlarmDay
from yingji.analytics.stats import compute
from yingji.analytics.tests.conftest import MARCH, alarm, local
from yingji.monitoring.models import Alarm
from yingji.monitoring.services import alarm_acknowledge

# The crafted March 2026 history as test_stats_other.py counts it from the alarms.
EXPECTED = {
    "count": 9,
    "acknowledged": 1,
    "mean_ack_s": 120.0,
    "by_device_type": {"combustible_gas": 5, "temperature": 4},
}


def figures(user, filters=MARCH):
    return {k: v for k, v in compute("alarms", user=user, filters=filters).items() if k != "previous"}


def test_backfill_gives_the_raw_figures(crafted, cast):
    raw = figures(cast.duty)
    assert {k: raw[k] for k in EXPECTED} == EXPECTED
    assert tasks.refresh_alarm_days() >= 5  # the first run backfills every day there are alarms
    assert AlarmDay.objects.filter(day__month=3).aggregate(n=Sum("count"))["n"] == 9
    assert figures(cast.duty) == raw
    assert figures(cast.street_officer)["count"] == 5
    assert figures(cast.duty, replace(MARCH, industry="building_materials"))["count"] == 4
    by_b = replace(MARCH, street=cast.street_b.pk, street_path=cast.street_b.path)
    assert figures(cast.duty, by_b)["by_device_type"] == {"temperature": 4}


def test_a_late_arrival_for_a_rolled_up_day_counts_at_once(crafted, cast):
    rollup.refresh()
    late = alarm(crafted["g1"], crafted["r1"], local(2026, 3, 10, 23, 0), cleared_after=timedelta(minutes=1), peak=15)
    assert figures(cast.duty)["count"] == 10  # read from the alarms for 10 March until the next refresh
    assert rollup.refresh() >= 1
    assert (
        AlarmDay.objects.filter(day=late.raised_at.astimezone(local(2026, 3, 1).tzinfo).date()).aggregate(
            n=Sum("count")
        )["n"]
        == 6
    )
    assert figures(cast.duty)["count"] == 10


def test_a_status_change_after_the_roll_up_counts_at_once(crafted, cast):
    rollup.refresh()
    first = Alarm.objects.filter(device=crafted["t1"], status="cleared").order_by("raised_at").first()
    Alarm.objects.filter(pk=first.pk).update(status="active")  # reopened in the crafted data, as ingest leaves it
    alarm_acknowledge(by=cast.duty, alarm=first)
    after = figures(cast.duty)
    assert (after["acknowledged"], after["by_status"]["acknowledged"]) == (2, 1)
    rollup.refresh()
    assert figures(cast.duty) == after


def test_the_current_day_is_never_stale(crafted, cast):
    now = timezone.now()
    today = StatFilters(date_from=timezone.localdate(), date_to=timezone.localdate())
    rollup.refresh()
    alarm(crafted["g1"], crafted["r1"], now - timedelta(seconds=5), cleared_after=None, peak=14)
    assert figures(cast.duty, today)["count"] == 1
    rollup.refresh()
    assert figures(cast.duty, today)["count"] == 1  # today is read from the alarms, never twice
    assert AlarmDay.objects.filter(day=today.date_from).aggregate(n=Sum("count"))["n"] == 1


def test_rebuild_command_matches_the_alarms(crafted, cast, capsys):
    raw = figures(cast.duty)
    rollup.refresh()
    AlarmDay.objects.all().delete()  # lost, e.g. after a restore
    call_command("analytics_rollup", "--rebuild")
    assert "days written" in capsys.readouterr().out
    assert AlarmDay.objects.aggregate(n=Sum("count"))["n"] == 9
    assert figures(cast.duty) == raw
