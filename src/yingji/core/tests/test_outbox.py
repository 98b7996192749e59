"""The outbox: direct sends to people, subscription matching, and claiming due rows."""

from django.core import mail

from yingji.core.models import Delivery, DeliveryStatus, Notification, Subscription
from yingji.core.notify import notify_subscribers, outbox_deliver_due, outbox_enqueue, subscription_matches


def test_enqueue_to_people_skips_inactive_and_addressless(cast, settings):
    settings.YINGJI_EMAIL_ENABLED = True
    cast.duty.email = "duty@example.cn"
    cast.duty.save()
    cast.admin.is_active = False
    cast.admin.save()
    dispatch = outbox_enqueue(
        recipients=[cast.duty, cast.admin, cast.street_officer], channels=["inbox", "email"], title="交接班提醒"
    )
    assert dispatch.inbox == 2 and dispatch.deliveries == {"email": 1}
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"t_duty", "t_street"}
    assert outbox_deliver_due().sent == 1 and mail.outbox[0].to == ["duty@example.cn"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_email_is_not_queued_without_a_mail_server(cast):
    cast.duty.email = "duty@example.cn"
    cast.duty.save()
    assert outbox_enqueue(recipients=[cast.duty], channels=["email"], title="x").deliveries == {}
    assert not Delivery.objects.exists()


def test_subscription_matching_by_level_type_and_streets(cast):
    subscription = Subscription.objects.create(
        name="甲街道暴雨", org=cast.street_a, min_level="yellow", event_types=["rainstorm"]
    )
    subscription.streets.set([cast.street_a])

    def match(**changes) -> bool:
        given = {"level": "orange", "event_type": "rainstorm", "street_ids": [cast.street_a.pk], **changes}
        return subscription_matches(subscription, **given)

    assert match()
    assert not match(level="blue")
    assert not match(event_type="fog")
    assert not match(street_ids=[cast.street_b.pk])
    # A message for the whole district concerns every street.
    assert match(street_ids=None)


def test_roles_are_matched_through_groups_without_duplicates(cast):
    Subscription.objects.create(name="值班员", role="duty_officer")
    Subscription.objects.create(name="本局", org=cast.bureau)
    dispatch = notify_subscribers(
        topic="warning", level="red", event_type="flood", street_ids=None, title="洪水红色预警"
    )
    # The duty officer is reached by both subscriptions but gets one message; the admin works in the bureau.
    assert dispatch.inbox == 2
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["t_admin", "t_duty"]
