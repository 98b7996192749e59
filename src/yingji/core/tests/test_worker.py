from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from yingji.core.worker import JOBS, periodic, run_due


def test_due_jobs_run_and_expired_sessions_are_purged(db):
    store = SessionStore()
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(minutes=1))
    ran = run_due(now=1e12)
    assert "yingji.core.tasks.purge_expired_sessions" in ran
    assert not Session.objects.filter(pk=store.session_key).exists()


def test_a_failing_job_does_not_stop_the_others(db):
    calls = []

    @periodic(every_s=60)
    def broken() -> None:
        raise RuntimeError("boom")

    @periodic(every_s=60)
    def healthy() -> None:
        calls.append("ran")

    try:
        ran = run_due(now=2e12)
        assert calls == ["ran"]
        assert any(name.endswith("broken") for name in ran)
        # Not due again until its interval has passed.
        assert not any(name.endswith("healthy") for name in run_due(now=2e12 + 30))
    finally:
        for name in [n for n in JOBS if n.endswith(("broken", "healthy"))]:
            del JOBS[name]
