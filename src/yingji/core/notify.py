"""Notifications to people: the in-app inbox. Channels beyond the inbox (email, SMS, WeChat Work webhooks)
deliver from an outbox in the worker."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from yingji.core.models import Notification, User


@transaction.atomic
def notify(
    *, recipients: Iterable[User], title: str, body: str = "", link: str = "", category: str = ""
) -> list[Notification]:
    """Put a notification in each recipient's inbox (once per person)."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    return Notification.objects.bulk_create(
        [
            Notification(recipient=user, title=title[:200], body=body, link=link[:300], category=category[:40])
            for user in unique.values()
        ]
    )


def notification_list(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """A person's own inbox, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    return notifications.filter(read_at__isnull=True) if unread else notifications


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, without ids, all) of a person's notifications read; returns how many changed."""
    unread = notification_list(user=user, unread=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
