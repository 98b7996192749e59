"""SMS to plain phone numbers (people without an account) through the outbox, delivered to a real local gateway."""

import pytest
from django.db import transaction

from yingji.core.models import ChannelConfig, Delivery, DeliveryStatus, OutboxMessage
from yingji.core.notify import outbox_deliver_due, sms_to_addresses
from yingji.core.tests.test_channels import webhook_server  # noqa: F401 - fixture


def test_one_sms_per_distinct_phone_reaches_the_gateway(cast, webhook_server):  # noqa: F811
    ChannelConfig.objects.create(name="短信网关", kind="sms", url=f"{webhook_server.url}/sms")
    sent = sms_to_addresses(
        title="体验馆预约成功",
        body="请凭确认码入馆",
        phones=["13800000002", " 13800000001 ", "13800000002", "", "  "],
        topic="hall",
        obj=cast.street_a,
        link="/training/hall/",
    )
    assert sent == 2
    message = OutboxMessage.objects.get()
    assert (message.topic, message.title, message.link) == ("hall", "体验馆预约成功", "/training/hall/")
    assert (message.object_type, message.object_id) == ("core.orgunit", str(cast.street_a.pk))
    assert sorted(Delivery.objects.values_list("address", flat=True)) == ["13800000001", "13800000002"]
    assert outbox_deliver_due().sent == 2
    phones = sorted(r["body"]["phone"] for r in webhook_server.received)
    assert phones == ["13800000001", "13800000002"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_nothing_is_queued_without_an_active_gateway(db):
    ChannelConfig.objects.create(name="停用网关", kind="sms", url="http://127.0.0.1:9/sms", active=False)
    assert sms_to_addresses(title="x", body="", phones=["13800000001"], topic="forest") == 0
    assert not OutboxMessage.objects.exists() and not Delivery.objects.exists()


def test_no_phones_writes_nothing(db):
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    assert sms_to_addresses(title="x", body="", phones=[], topic="forest") == 0
    assert not OutboxMessage.objects.exists()


def test_rows_attach_to_a_message_the_caller_holds(db):
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    held = OutboxMessage.objects.create(topic="relief.callout", title="召集")
    assert sms_to_addresses(title="召集", body="", phones=["13600000001"], topic="x", message=held) == 1
    assert OutboxMessage.objects.count() == 1 and Delivery.objects.get().message == held


@pytest.mark.django_db(transaction=True)
def test_rows_roll_back_with_the_callers_transaction():
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    with pytest.raises(RuntimeError), transaction.atomic():
        sms_to_addresses(title="x", body="", phones=["13800000001"], topic="forest")
        raise RuntimeError("the caller's change failed")
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()
