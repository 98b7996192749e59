"""Webhook channels (SMS gateway, WeChat Work group robot) against a real HTTP server on 127.0.0.1 that
records what it received: bodies, retries with backoff, and giving up."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from yingji.core.channels import Envelope, TransportError, post_webhook, render_template, webhook_body
from yingji.core.models import ChannelConfig, ChannelKind, Delivery, DeliveryStatus, Subscription
from yingji.core.notify import MAX_ATTEMPTS, backoff_delay, notify_subscribers, outbox_deliver_due, retry_deliveries


@dataclass
class WebhookServer:
    """A local HTTP server: it answers with the queued statuses (then 200) and keeps every request."""

    url: str
    received: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    answer: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def webhook_server() -> Iterator[WebhookServer]:
    state = WebhookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append(
                {"path": self.path, "headers": dict(self.headers), "body": json.loads(raw.decode("utf-8"))}
            )
            status = state.statuses.pop(0) if state.statuses else 200
            payload = json.dumps(state.answer if status == 200 else {"error": status}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def robot(url: str, **extra) -> ChannelConfig:
    return ChannelConfig.objects.create(name="值班群机器人", kind=ChannelKind.WECOM, url=f"{url}/robot", **extra)


def test_template_values_are_json_safe_whatever_they_contain():
    body = render_template({"text": {"content": "{text}"}, "n": 1}, {"text": '含"引号"与\n换行'})
    assert json.loads(json.dumps(body)) == {"text": {"content": '含"引号"与\n换行'}, "n": 1}


def test_wecom_robot_receives_text_message_format(db, webhook_server):
    config = robot(webhook_server.url)
    post_webhook(config, webhook_body(config, Envelope("暴雨黄色预警", "请注意防范", "http://x/w/1")))
    (request,) = webhook_server.received
    assert request["path"] == "/robot"
    assert request["body"] == {"msgtype": "text", "text": {"content": "【暴雨黄色预警】请注意防范\nhttp://x/w/1"}}
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_sms_gateway_gets_phone_and_custom_template_and_headers(db, webhook_server):
    config = ChannelConfig.objects.create(
        name="短信网关",
        kind=ChannelKind.SMS,
        url=f"{webhook_server.url}/sms",
        template={"mobile": "{phone}", "content": "{title}：{body}", "sign": "黄石港应急"},
        headers={"X-Api-Key": "k1"},
    )
    post_webhook(config, webhook_body(config, Envelope("高温橙色预警", "减少户外活动", ""), phone="13800000001"))
    (request,) = webhook_server.received
    assert request["body"] == {"mobile": "13800000001", "content": "高温橙色预警：减少户外活动", "sign": "黄石港应急"}
    assert request["headers"]["X-Api-Key"] == "k1"


def test_wecom_errcode_is_a_failure(db, webhook_server):
    webhook_server.answer = {"errcode": 45009, "errmsg": "api freq out of limit"}
    config = robot(webhook_server.url)
    with pytest.raises(TransportError, match="45009") as caught:
        post_webhook(config, {"msgtype": "text", "text": {"content": "x"}})
    assert not caught.value.permanent


def test_client_error_is_permanent_and_server_error_is_not(db, webhook_server):
    config = robot(webhook_server.url)
    webhook_server.statuses = [404, 503]
    with pytest.raises(TransportError) as not_found:
        post_webhook(config, {})
    with pytest.raises(TransportError) as unavailable:
        post_webhook(config, {})
    assert not_found.value.permanent and not unavailable.value.permanent


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(20) == timedelta(hours=1)


def group_subscription(config: ChannelConfig) -> Subscription:
    return Subscription.objects.create(name="值班群", webhook=config, min_level="yellow")


def publish() -> None:
    notify_subscribers(
        topic="warning", level="orange", event_type="rainstorm", street_ids=None, title="暴雨橙色预警", body="b"
    )


def test_failure_is_retried_with_backoff_then_succeeds(db, webhook_server):
    group_subscription(robot(webhook_server.url))
    webhook_server.statuses = [500, 502]
    with time_machine.travel("2026-07-01 08:00 +0800", tick=False) as traveller:
        publish()
        assert outbox_deliver_due().failed == 1
        row = Delivery.objects.get()
        assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 1)
        assert row.next_attempt_at == timezone.now() + timedelta(seconds=30)
        assert "HTTP 500" in row.last_error
        # Not due before its backoff has passed.
        assert outbox_deliver_due().attempted == 0
        traveller.shift(timedelta(seconds=30))
        assert outbox_deliver_due().failed == 1
        row.refresh_from_db()
        assert row.attempts == 2 and row.next_attempt_at == timezone.now() + timedelta(seconds=60)
        traveller.shift(timedelta(seconds=60))
        assert outbox_deliver_due().sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.SENT, 3, "")
    assert len(webhook_server.received) == 3
    assert all(r["body"]["text"]["content"].startswith("【暴雨橙色预警】") for r in webhook_server.received)


def test_permanent_failure_goes_dead_at_once(db, webhook_server):
    group_subscription(robot(webhook_server.url))
    webhook_server.statuses = [403]
    publish()
    assert outbox_deliver_due().dead == 1
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.DEAD, 1, None)


def test_unreachable_gateway_goes_dead_after_max_attempts_and_can_be_retried(db, webhook_server):
    # Nothing listens on port 9 of the loopback: every attempt is refused.
    group_subscription(robot("http://127.0.0.1:9"))
    with time_machine.travel("2026-07-01 08:00 +0800", tick=False) as traveller:
        publish()
        for _attempt in range(MAX_ATTEMPTS):
            outbox_deliver_due()
            traveller.shift(timedelta(hours=1))
        row = Delivery.objects.get()
        assert (row.status, row.attempts) == (DeliveryStatus.DEAD, MAX_ATTEMPTS)
        assert "Connection" in row.last_error or "refused" in row.last_error
        assert outbox_deliver_due().attempted == 0
        # An operator fixes the URL and sends the dead row again.
        ChannelConfig.objects.update(url=f"{webhook_server.url}/robot")
        assert retry_deliveries(Delivery.objects.all()) == 1
        assert outbox_deliver_due().sent == 1
    assert len(webhook_server.received) == 1


def test_below_minimum_level_nothing_is_queued(db, webhook_server):
    group_subscription(robot(webhook_server.url))
    notify_subscribers(topic="warning", level="blue", event_type="fog", street_ids=None, title="大雾蓝色预警")
    assert not Delivery.objects.exists()
