"""Publishing a warning notifies matching subscribers: inbox at once, email/SMS/WeChat Work through the
outbox; 10,000 recipients are queued in a bounded number of queries and delivered by the worker."""
# Drafts also ask the commanders for approval (category "warning.approval"); these tests count what publication sends.

from django.contrib.auth.hashers import make_password
from django.core import mail

from yingji.core.models import ChannelConfig, ChannelKind, Delivery, DeliveryStatus, Notification, Subscription, User
from yingji.core.notify import outbox_deliver_due
from yingji.core.roles import GROUP_NAMES, Role
from yingji.core.tests.test_channels import webhook_server  # noqa: F401 - a fixture
from yingji.warnings import services
from yingji.warnings.tests.conftest import HILLS


def publish(commander, warning):
    return services.warning_publish(by=commander, warning=services.warning_approve(by=commander, warning=warning))


def test_subscribers_by_role_org_area_and_level(areas, commander, draft):
    cast = areas
    Subscription.objects.create(name="值班员橙色以上", role="duty_officer", min_level="orange")
    street = Subscription.objects.create(name="甲街道", org=cast.street_a, include_subtree=True)
    street.streets.set([cast.street_a])
    other = Subscription.objects.create(name="乙街道", org=cast.street_b)
    other.streets.set([cast.street_b])
    publish(commander, draft(level="yellow", streets=[cast.street_a]))
    # Street A's unit with its subtree: the street officer and the enterprise manager under it.
    assert set(
        Notification.objects.exclude(category="warning.approval").values_list("recipient__username", flat=True)
    ) == {"t_street", "t_enterprise"}
    Notification.objects.exclude(category="warning.approval").all().delete()
    # A polygon inside street B concerns street B's subscribers; orange reaches the duty officer.
    publish(commander, draft(level="orange", streets=[], area_polygon=HILLS, event_type="forest_fire"))
    # Street B's subscription is for its own unit only (no subtree), where nobody works in the cast.
    assert set(
        Notification.objects.exclude(category="warning.approval").values_list("recipient__username", flat=True)
    ) == {"t_duty"}


def test_event_type_filter(cast, commander, draft):
    Subscription.objects.create(name="只看森林火险", owner=cast.duty, event_types=["forest_fire"])
    publish(commander, draft())
    assert not Notification.objects.exclude(category="warning.approval").exists()


def test_publish_reaches_wecom_robot_sms_and_email(cast, commander, draft, webhook_server, settings):  # noqa: F811
    settings.YINGJI_EMAIL_ENABLED = True
    settings.YINGJI_BASE_URL = "https://yj.example.cn"
    cast.duty.email, cast.duty.phone = "duty@example.cn", "13800000001"
    cast.duty.save()
    robot = ChannelConfig.objects.create(name="值班群", kind=ChannelKind.WECOM, url=f"{webhook_server.url}/robot")
    ChannelConfig.objects.create(name="短信", kind=ChannelKind.SMS, url=f"{webhook_server.url}/sms")
    Subscription.objects.create(name="值班群机器人", webhook=robot)
    Subscription.objects.create(name="值班员", role="duty_officer", channels=["inbox", "email", "sms"])
    warning = publish(commander, draft())
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3
    assert outbox_deliver_due().sent == 3
    by_path = {r["path"]: r["body"] for r in webhook_server.received}
    assert by_path["/robot"]["msgtype"] == "text"
    assert by_path["/robot"]["text"]["content"].startswith("【黄石港区气象台发布暴雨黄色预警】")
    assert by_path["/robot"]["text"]["content"].endswith(f"https://yj.example.cn/warnings/{warning.pk}/")
    assert by_path["/sms"]["phone"] == "13800000001"
    (email,) = mail.outbox
    assert email.to == ["duty@example.cn"] and email.subject == warning.headline


def test_cancelling_tells_subscribers(cast, commander, draft):
    Subscription.objects.create(name="值班员", role="duty_officer")
    warning = publish(commander, draft())
    services.warning_cancel(by=commander, warning=warning)
    assert list(
        Notification.objects.exclude(category="warning.approval").order_by("id").values_list("title", flat=True)
    ) == [
        warning.headline,
        f"解除：{warning.headline}",
    ]


def test_ten_thousand_recipients_are_queued_in_bounded_queries_and_delivered(
    cast, commander, draft, settings, django_assert_max_num_queries
):
    settings.YINGJI_EMAIL_ENABLED = True
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(username=f"resident{i:05d}", email=f"r{i}@example.cn", org=cast.community_a, password=password)
            for i in range(10_000)
        ],
        batch_size=2000,
    )
    Subscription.objects.create(name="甲街道全体", org=cast.street_a, channels=["inbox", "email"])
    warning = services.warning_approve(by=commander, warning=draft())
    with django_assert_max_num_queries(40):
        services.warning_publish(by=commander, warning=warning)
    # The street officer and the enterprise manager are under street A too.
    assert Notification.objects.exclude(category="warning.approval").count() == 10_002
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 10_000
    report = outbox_deliver_due(batch_size=1000, max_batches=20)
    assert report.sent == 10_000 and len(mail.outbox) == 10_000
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_role_group_names_are_the_subscription_roles():
    # Subscriptions name roles by key; the audience query needs each key's group.
    assert set(GROUP_NAMES) == set(Role.values)
