"""The worker's jobs: build queued reports, and queue the district's monthly report on the first of each month."""

from yingji.core.worker import periodic


@periodic(every_s=10)
def build_queued_reports() -> int:
    """Build the reports people (or the schedule) queued, oldest first."""
    from yingji.analytics.services import reports_build_queued

    return reports_build_queued()


@periodic(every_s=3600)
def schedule_monthly_reports() -> bool:
    """On the first day of a month, queue last month's district report (and on 1 January last year's)."""
    from yingji.analytics.services import monthly_schedule

    return monthly_schedule() is not None


@periodic(every_s=60)
def refresh_alarm_days() -> int:
    """Fold the alarms raised or changed since the last run into the daily roll-up (the first run backfills)."""
    from yingji.analytics.rollup import refresh

    return refresh()
