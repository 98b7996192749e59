"""Notifications to people: the in-app inbox, subscriptions, and the outbox that the worker delivers over
email, an SMS gateway and WeChat Work group robots with retries and exponential backoff.

Publishing something to many people writes the inbox rows and one delivery row per recipient and
channel in bulk, inside the publishing transaction (so a rolled-back publish sends nothing); the worker
(`core.tasks.deliver_notifications`) sends them in batches.

Exercise traffic (what a drill makes: `exercise=True`) never leaves the platform: every fan-out writes it to the
in-app inbox only, titled 【演练】, and queues nothing for email, SMS or group robots. The rule lives here, in the
one place every message passes, so no caller can forget it.
"""

import logging
import operator
from collections.abc import Collection, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce
from typing import Any

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from yingji.core.channels import (
    Envelope,
    TransportError,
    absolute_link,
    email_enabled,
    post_webhook,
    send_email,
    webhook_body,
)
from yingji.core.models import (
    LEVEL_RANK,
    ChannelConfig,
    ChannelKind,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    OutboxMessage,
    PersonalChannel,
    Subscription,
    User,
)
from yingji.core.roles import GROUP_NAMES

log = logging.getLogger("yingji.notify")

# Retries: 30 s, 1 min, 2 min, … doubling up to an hour between attempts; after MAX_ATTEMPTS, give up.
RETRY_BASE_S = 30
RETRY_MAX_S = 3600
MAX_ATTEMPTS = 8
# A claimed row is due again after this long, should its worker die while sending it.
CLAIM_LEASE = timedelta(minutes=5)
# What every message of a drill starts with, wherever it is shown (inbox, to-dos, lists).
EXERCISE_MARK = "【演练】"


def exercise_title(title: str, exercise: bool) -> str:
    """A title marked as a drill's (once), or unchanged for real traffic."""
    if not exercise or title.startswith(EXERCISE_MARK):
        return title
    return f"{EXERCISE_MARK}{title}"


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    category: str = "",
    exercise: bool = False,
) -> list[Notification]:
    """Put a notification in each recipient's inbox (once per person); a drill's is titled 【演练】."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    title = exercise_title(title, exercise)
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


# --- subscriptions ---------------------------------------------------------------------------------------


def subscription_matches(
    subscription: Subscription, *, level: str, event_type: str, street_ids: Collection[int] | None
) -> bool:
    """Does a subscription want a message of this level and event type about these streets?
    `street_ids` None means the message concerns the whole district."""
    if LEVEL_RANK.get(level, -1) < LEVEL_RANK[subscription.min_level]:
        return False
    if subscription.event_types and event_type not in subscription.event_types:
        return False
    wanted = {street.pk for street in subscription.streets.all()}
    return not wanted or street_ids is None or bool(wanted & set(street_ids))


def matching_subscriptions(
    *, topic: str, level: str, event_type: str, street_ids: Collection[int] | None
) -> list[Subscription]:
    subscriptions = (
        Subscription.objects.filter(topic=topic, active=True)
        .select_related("org", "webhook")
        .prefetch_related("streets")
    )
    return [
        s for s in subscriptions if subscription_matches(s, level=level, event_type=event_type, street_ids=street_ids)
    ]


def _audience_filter(subscription: Subscription) -> Q | None:
    """Who a subscription reaches, as a filter on users (None for a group-channel-only subscription)."""
    if subscription.owner_id:
        return Q(pk=subscription.owner_id)
    if not (subscription.role or subscription.org_id):
        return None
    audience = Q()
    if subscription.role:
        # A subquery, not a join: a join would repeat a person once per group.
        members = User.groups.through.objects.filter(group__name=GROUP_NAMES.get(subscription.role, ""))
        audience &= Q(pk__in=members.values("user_id"))
    if subscription.org is not None:
        org = subscription.org
        audience &= Q(org__path__startswith=org.path) if subscription.include_subtree else Q(org_id=org.pk)
    return audience


@dataclass
class Dispatch:
    """What one fan-out wrote: inbox rows, outbox deliveries per channel, and the outbox message."""

    inbox: int = 0
    deliveries: dict[str, int] = field(default_factory=dict)
    message: OutboxMessage | None = None


@transaction.atomic
def notify_subscribers(
    *,
    topic: str,
    level: str,
    event_type: str,
    street_ids: Collection[int] | None,
    title: str,
    body: str = "",
    link: str = "",
    obj: Model | None = None,
    exercise: bool = False,
) -> Dispatch:
    """Tell everyone whose subscription matches: inbox rows at once, outbox rows for the worker.
    Each channel's rows are written by one INSERT … SELECT over the people it reaches, so the number of
    queries does not grow with the number of recipients. A drill's message (`exercise`) reaches the same
    people in their inbox only, and no group channel."""
    subscriptions = matching_subscriptions(topic=topic, level=level, event_type=event_type, street_ids=street_ids)
    audiences: dict[str, QuerySet[User]] = {}
    for channel in PersonalChannel.values:
        filters = [_audience_filter(s) for s in subscriptions if channel in (s.channels or [PersonalChannel.INBOX])]
        filters = [f for f in filters if f is not None]
        if filters:
            audiences[channel] = User.objects.filter(is_active=True).filter(reduce(operator.or_, filters))
    webhooks = {s.webhook.pk: s.webhook for s in subscriptions if s.webhook is not None and s.webhook.active}
    return _fan_out(
        audiences=audiences,
        webhooks=list(webhooks.values()),
        topic=topic,
        title=title,
        body=body,
        link=link,
        obj=obj,
        exercise=exercise,
    )


@transaction.atomic
def outbox_enqueue(
    *,
    recipients: Iterable[User],
    channels: Collection[str],
    title: str,
    body: str = "",
    link: str = "",
    topic: str = "",
    exercise: bool = False,
) -> Dispatch:
    """Send one message to some people over the given personal channels (inbox, email, sms); a drill's
    (`exercise`) goes to their inbox only."""
    people = User.objects.filter(is_active=True, pk__in=[user.pk for user in recipients if user is not None])
    return _fan_out(
        audiences={channel: people for channel in channels},
        webhooks=[],
        topic=topic,
        title=title,
        body=body,
        link=link,
        obj=None,
        exercise=exercise,
    )


def _insert_select(
    model: type[Model], *, constants: dict[str, Any], people: QuerySet[User], from_person: dict[str, str]
) -> int:
    """INSERT INTO model's table (constants…, person columns…) SELECT … FROM the people: one statement,
    however many people. `from_person` maps a column of the model to a column of the user table."""
    quote = connection.ops.quote_name
    selected = people.values(*from_person.values()).order_by()
    sql, params = selected.query.sql_with_params()
    columns = [*constants, *from_person]
    values = [connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v for v in constants.values()]
    select = ", ".join(["%s"] * len(constants) + [f"people.{quote(c)}" for c in from_person.values()])
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"SELECT {select} FROM ({sql}) people"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values, *params])
        return cursor.rowcount


def _fan_out(
    *,
    audiences: dict[str, QuerySet[User]],
    webhooks: list[ChannelConfig],
    topic: str,
    title: str,
    body: str,
    link: str,
    obj: Model | None,
    exercise: bool = False,
) -> Dispatch:
    if exercise:
        # A drill stays inside the platform: whoever any channel would reach gets it in the inbox, nothing more.
        everyone = list(audiences.values())
        audiences = {PersonalChannel.INBOX: reduce(operator.or_, everyone)} if everyone else {}
        webhooks = []
        title = exercise_title(title, exercise)
    now = timezone.now()
    dispatch = Dispatch()
    if PersonalChannel.INBOX in audiences:
        dispatch.inbox = _insert_select(
            Notification,
            constants={
                "title": title[:200],
                "body": body,
                "link": link[:300],
                "category": topic[:40],
                "created_at": now,
            },
            people=audiences[PersonalChannel.INBOX],
            from_person={"recipient_id": "id"},
        )
    sms = ChannelConfig.objects.filter(kind=ChannelKind.SMS, active=True).order_by("pk").first()
    # (channel, config, the people it reaches, the user column holding their address)
    personal: list[tuple[str, ChannelConfig | None, QuerySet[User], str]] = []
    if email_enabled() and PersonalChannel.EMAIL in audiences:
        personal.append((DeliveryChannel.EMAIL, None, audiences[PersonalChannel.EMAIL], "email"))
    if sms is not None and PersonalChannel.SMS in audiences:
        personal.append((DeliveryChannel.SMS, sms, audiences[PersonalChannel.SMS], "phone"))
    if not (personal or webhooks):
        return dispatch
    message = OutboxMessage.objects.create(
        topic=topic[:40],
        title=title[:200],
        body=body,
        link=link[:300],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    pending = {
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
    }
    for channel, config, people, address in personal:
        dispatch.deliveries[channel] = _insert_select(
            Delivery,
            constants={
                "message_id": message.pk,
                "channel": channel,
                "config_id": config.pk if config else None,
                **pending,
            },
            people=people.exclude(**{address: ""}),
            from_person={"recipient_id": "id", "address": address},
        )
    Delivery.objects.bulk_create(
        [
            Delivery(message=message, channel=DeliveryChannel.WECOM, config=c, address=c.url, next_attempt_at=now)
            for c in webhooks
        ]
    )
    if webhooks:
        dispatch.deliveries[DeliveryChannel.WECOM] = len(webhooks)
    dispatch.message = message
    return dispatch


# --- delivery ----------------------------------------------------------------------------------------------


def backoff_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling from RETRY_BASE_S, capped."""
    return timedelta(seconds=min(RETRY_BASE_S * 2 ** max(attempts - 1, 0), RETRY_MAX_S))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.dead


def _claim(*, batch_size: int, now: datetime) -> list[Delivery]:
    """Take up to `batch_size` due rows for this worker: locked rows another worker holds are skipped,
    and the claimed ones are pushed a lease into the future so no one else takes them meanwhile."""
    with transaction.atomic():
        due = Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(due.select_related("message", "config")[:batch_size])
        if rows:
            Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(next_attempt_at=now + CLAIM_LEASE)
    return rows


def _send(row: Delivery, mail_connection: BaseEmailBackend | None) -> None:
    envelope = Envelope(row.message.title, row.message.body, absolute_link(row.message.link))
    if row.channel == DeliveryChannel.EMAIL:
        # outbox_deliver_due opens the connection for every batch holding an email.
        assert mail_connection is not None
        send_email(mail_connection, to=row.address, envelope=envelope)
        return
    if row.config is None:
        raise TransportError("the channel configuration was deleted", permanent=True)
    if not row.config.active:
        raise TransportError("the channel configuration is inactive", permanent=True)
    phone = row.address if row.channel == DeliveryChannel.SMS else ""
    post_webhook(row.config, webhook_body(row.config, envelope, phone=phone))


def outbox_deliver_due(*, batch_size: int = 200, max_batches: int = 50) -> DeliveryReport:
    """Deliver due outbox rows in batches; record each outcome, scheduling retries with backoff."""
    report = DeliveryReport()
    for _batch in range(max_batches):
        now = timezone.now()
        rows = _claim(batch_size=batch_size, now=now)
        if not rows:
            break
        sent: list[int] = []
        failed: list[Delivery] = []
        # Open the SMTP connection only for a batch that has email in it, once for the whole batch.
        needs_mail = any(row.channel == DeliveryChannel.EMAIL for row in rows)
        mail_connection = get_connection(fail_silently=False) if needs_mail else None
        with mail_connection or nullcontext():
            for row in rows:
                try:
                    _send(row, mail_connection)
                except TransportError as exc:
                    row.attempts += 1
                    row.last_error = str(exc)[:2000]
                    if exc.permanent or row.attempts >= MAX_ATTEMPTS:
                        row.status, row.next_attempt_at = DeliveryStatus.DEAD, None
                        report.dead += 1
                    else:
                        row.status, row.next_attempt_at = DeliveryStatus.FAILED, now + backoff_delay(row.attempts)
                        report.failed += 1
                    failed.append(row)
                else:
                    sent.append(row.pk)
        done = timezone.now()
        Delivery.objects.filter(pk__in=sent).update(
            status=DeliveryStatus.SENT, sent_at=done, attempts=F("attempts") + 1, next_attempt_at=None, last_error=""
        )
        Delivery.objects.bulk_update(failed, ["attempts", "last_error", "status", "next_attempt_at"])
        report.sent += len(sent)
        if failed:
            log.warning("outbox: %d deliveries failed in this batch", len(failed))
        if len(rows) < batch_size:
            break
    return report


def retry_deliveries(deliveries: QuerySet[Delivery]) -> int:
    """Queue failed or dead deliveries again, from a fresh attempt count."""
    return deliveries.exclude(status=DeliveryStatus.SENT).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )


# --- messages to plain addresses -----------------------------------------------------------------------------


def sms_to_addresses(
    *,
    title: str,
    body: str,
    phones: Iterable[str],
    topic: str,
    obj: Model | None = None,
    link: str = "",
    message: OutboxMessage | None = None,
) -> int:
    """Queue one SMS per distinct phone number (people without an account: visitors, trainees, rangers,
    volunteers) through the first active SMS gateway; returns how many were queued, 0 when no gateway is
    configured. The rows go or stay with the caller's transaction. `message` attaches them to an outbox
    message the caller already holds (one message sent over several channels); else one is written."""
    config = ChannelConfig.objects.filter(kind=ChannelKind.SMS, active=True).order_by("pk").first()
    addresses = sorted({phone.strip() for phone in phones if phone and phone.strip()})
    if config is None or not addresses:
        return 0
    if message is None:
        message = OutboxMessage.objects.create(
            topic=topic[:40],
            title=title[:200],
            body=body,
            link=link[:300],
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
        )
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(message=message, channel=DeliveryChannel.SMS, config=config, address=phone, next_attempt_at=now)
            for phone in addresses
        ]
    )
    return len(addresses)
