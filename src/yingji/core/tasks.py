"""The foundation's periodic jobs."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from yingji.core.models import LiveEvent, LoginAttempt
from yingji.core.worker import periodic

# GB/T 22239-2019 asks that audit records be kept at least six months; keep sign-in attempts a year.
LOGIN_ATTEMPT_RETENTION = timedelta(days=366)


@periodic(every_s=3600)
def purge_expired_sessions() -> int:
    return Session.objects.filter(expire_date__lt=timezone.now()).delete()[0]


@periodic(every_s=24 * 3600)
def purge_old_login_attempts() -> int:
    return LoginAttempt.objects.filter(at__lt=timezone.now() - LOGIN_ATTEMPT_RETENTION).delete()[0]


@periodic(every_s=5)
def deliver_notifications() -> int:
    """Send due outbox deliveries (email, SMS gateway, WeChat Work robots), retrying with backoff."""
    from yingji.core.notify import outbox_deliver_due

    return outbox_deliver_due().attempted


@periodic(every_s=300)
def purge_old_live_events() -> int:
    # Pages poll the table every fraction of a second; an event older than ten minutes has reached them all.
    return LiveEvent.objects.filter(at__lt=timezone.now() - timedelta(minutes=10)).delete()[0]
