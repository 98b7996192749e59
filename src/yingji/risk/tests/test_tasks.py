"""The worker runs the prevention jobs: overdue hidden dangers, missing commitments, re-inspection reminders."""

from yingji.core.worker import discover


def test_jobs_are_registered_with_the_worker():
    jobs = discover()
    for name in ("notify_overdue_dangers", "flag_missing_commitments", "remind_reinspections"):
        assert jobs[f"yingji.risk.tasks.{name}"].every_s > 0
