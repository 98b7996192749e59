"""Exercise mode: a drill's warning carries "exercise": true in the API, is sent as CAP status Exercise, and never
leaves the platform: not in the public feed or API, and to subscribers only in their inbox, marked 【演练】."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone
from lxml import etree

from yingji.core.models import ChannelConfig, ChannelKind, Delivery, Notification, OutboxMessage, Subscription
from yingji.core.notify import outbox_deliver_due
from yingji.core.tests.test_channels import webhook_server  # noqa: F401 - a fixture
from yingji.warnings import services
from yingji.warnings.tests.test_feed import entries, publish

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def test_exercise_warning_stays_out_of_the_public_feed(cast, commander, draft, api, bearer):
    publish(commander, draft, headline="暴雨黄色预警")
    drill = publish(commander, draft, headline="演练：暴雨红色预警", exercise=True)
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries(Client())] == ["暴雨黄色预警"]
    body = api.get(f"/api/v1/warnings/{drill.pk}", headers=bearer(cast.duty)).json()
    assert body["exercise"] is True


def test_api_accepts_and_returns_exercise(cast, api, bearer):
    payload = {
        "event_type": "rainstorm",
        "level": "red",
        "headline": "演练：暴雨红色预警",
        "description": "演练用",
        "area_streets": [cast.street_a.pk],
        "expires": (timezone.now() + timedelta(hours=3)).isoformat(),
        "exercise": True,
    }
    response = api.post("/api/v1/warnings", payload, content_type="application/json", headers=bearer(cast.duty))
    assert response.status_code == 201, response.json()
    assert response.json()["exercise"] is True


def _outside_channels(cast, webhook_server):  # noqa: F811
    """A WeChat Work robot, an SMS gateway and the duty officer subscribed by inbox, email and SMS."""
    cast.duty.email, cast.duty.phone = "duty@example.cn", "13800000001"
    cast.duty.save()
    robot = ChannelConfig.objects.create(name="值班群", kind=ChannelKind.WECOM, url=f"{webhook_server.url}/robot")
    ChannelConfig.objects.create(name="短信", kind=ChannelKind.SMS, url=f"{webhook_server.url}/sms")
    Subscription.objects.create(name="值班群机器人", webhook=robot)
    Subscription.objects.create(name="值班员", role="duty_officer", channels=["inbox", "email", "sms"])
    Subscription.objects.create(name="只用短信的值班员", owner=cast.duty, channels=["sms"])


def test_only_a_real_warning_reaches_outside_addresses(cast, commander, draft, webhook_server, settings):  # noqa: F811
    settings.YINGJI_EMAIL_ENABLED = True
    _outside_channels(cast, webhook_server)
    drill = publish(commander, draft, headline="暴雨红色预警", level="red", exercise=True)
    assert not OutboxMessage.objects.exists() and not Delivery.objects.exists()
    assert outbox_deliver_due().attempted == 0
    assert webhook_server.received == [] and mail.outbox == []
    # Inside the platform the participants see it, marked as a drill.
    (inbox,) = Notification.objects.exclude(category="warning.approval")
    assert inbox.recipient == cast.duty and inbox.title == "【演练】暴雨红色预警"
    assert inbox.link == f"/warnings/{drill.pk}/"

    publish(commander, draft, headline="暴雨黄色预警")
    assert Delivery.objects.count() == 3
    assert outbox_deliver_due().sent == 3
    assert {r["path"] for r in webhook_server.received} == {"/robot", "/sms"}
    assert [m.to for m in mail.outbox] == [["duty@example.cn"]]


def test_cancelling_a_drill_warning_stays_a_drill(cast, commander, draft, webhook_server):  # noqa: F811
    _outside_channels(cast, webhook_server)
    drill = publish(commander, draft, headline="暴雨红色预警", level="red", exercise=True)
    cancel = services.warning_cancel(by=commander, warning=drill, reason="演练结束")
    assert cancel.exercise is True
    assert not Delivery.objects.exists()
    titles = Notification.objects.exclude(category="warning.approval").order_by("id").values_list("title", flat=True)
    assert list(titles) == ["【演练】暴雨红色预警", "【演练】解除：暴雨红色预警"]
    root = etree.fromstring(cancel.cap_xml.encode())
    assert root.findtext(f"{CAP}status") == "Exercise" and root.findtext(f"{CAP}msgType") == "Cancel"


def test_update_of_a_drill_warning_is_a_drill(cast, commander, draft):
    drill = publish(commander, draft, exercise=True)
    update = services.warning_update(by=commander, warning=drill, level="orange")
    assert update.exercise is True


def test_drill_warning_is_sent_as_cap_exercise(cast, commander, draft):
    drill = publish(commander, draft, exercise=True)
    real = publish(commander, draft)
    root = etree.fromstring(drill.cap_xml.encode())
    assert root.findtext(f"{CAP}status") == "Exercise"
    assert root.findtext(f"{CAP}note") == services.EXERCISE_NOTE
    assert etree.fromstring(real.cap_xml.encode()).findtext(f"{CAP}status") == "Actual"


def test_public_api_never_shows_a_drill_warning(cast, commander, draft, api, bearer):
    real = publish(commander, draft, headline="暴雨黄色预警")
    drill = publish(commander, draft, headline="暴雨红色预警", exercise=True)
    anonymous = Client()
    assert [w["id"] for w in anonymous.get("/api/v1/warnings").json()["items"]] == [real.pk]
    assert anonymous.get(f"/api/v1/warnings/{drill.pk}").status_code == 404
    assert anonymous.get(f"/api/v1/warnings/{drill.pk}/cap").status_code == 404
    assert anonymous.get(f"/api/v1/warnings/{real.pk}/cap").status_code == 200
    # Staff outside the issuing unit still see it: it stays inside the platform, not inside one unit.
    staff = api.get("/api/v1/warnings", headers=bearer(cast.enterprise_manager)).json()["items"]
    assert {w["id"] for w in staff} == {real.pk, drill.pk}


def test_approval_request_of_a_drill_warning_is_marked(cast, commander, draft):
    drill = draft(headline="暴雨红色预警", exercise=True)
    titles = set(Notification.objects.filter(category="warning.approval").values_list("title", flat=True))
    assert titles == {f"【演练】待审批预警：{drill.headline}"}
