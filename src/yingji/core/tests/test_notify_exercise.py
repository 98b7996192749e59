"""Exercise traffic (a drill's messages) never leaves the platform: every fan-out of core.notify writes it to the
in-app inbox only, titled 【演练】, and queues nothing for email, SMS or group robots."""

from yingji.core.models import ChannelConfig, ChannelKind, Delivery, Notification, OutboxMessage, Subscription
from yingji.core.notify import exercise_title, notify, notify_subscribers, outbox_enqueue


def _addresses(cast, settings) -> None:
    settings.YINGJI_EMAIL_ENABLED = True
    cast.duty.email, cast.duty.phone = "duty@example.cn", "13800000001"
    cast.duty.save()
    ChannelConfig.objects.create(name="短信", kind=ChannelKind.SMS, url="http://127.0.0.1:9/sms")


def test_enqueue_of_a_drill_message_goes_to_the_inbox_only(cast, settings):
    _addresses(cast, settings)
    dispatch = outbox_enqueue(recipients=[cast.duty], channels=["email", "sms"], title="集合", exercise=True)
    assert dispatch.inbox == 1 and dispatch.deliveries == {} and dispatch.message is None
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()
    assert Notification.objects.get().title == "【演练】集合"
    # The same message for real goes out over both channels.
    real = outbox_enqueue(recipients=[cast.duty], channels=["email", "sms"], title="集合")
    assert real.deliveries == {"email": 1, "sms": 1}


def test_subscribers_of_a_drill_hear_in_the_inbox_and_no_robot_is_called(cast, settings):
    _addresses(cast, settings)
    robot = ChannelConfig.objects.create(name="值班群", kind=ChannelKind.WECOM, url="http://127.0.0.1:9/robot")
    Subscription.objects.create(name="值班群机器人", webhook=robot)
    Subscription.objects.create(name="短信订阅", owner=cast.duty, channels=["sms"])
    Subscription.objects.create(name="甲街道邮件", org=cast.street_a, channels=["email"])
    given = {"topic": "warning", "level": "red", "event_type": "rainstorm", "street_ids": None, "title": "暴雨"}
    dispatch = notify_subscribers(**given, exercise=True)
    assert dispatch.deliveries == {} and not Delivery.objects.exists()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"t_duty", "t_street", "t_enterprise"}
    assert set(Notification.objects.values_list("title", flat=True)) == {"【演练】暴雨"}
    # For real: the SMS and the robot go out (street A's people have no email address in the cast).
    assert notify_subscribers(**given).deliveries == {"email": 0, "sms": 1, "wecom": 1}


def test_inbox_notification_of_a_drill_is_marked_once(cast):
    notify(recipients=[cast.duty], title="调派令", exercise=True)
    notify(recipients=[cast.duty], title="调派令")
    assert sorted(Notification.objects.values_list("title", flat=True)) == ["【演练】调派令", "调派令"]
    assert exercise_title("【演练】调派令", True) == "【演练】调派令"
