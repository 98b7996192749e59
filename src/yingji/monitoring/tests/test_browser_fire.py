"""In a real headless Chromium: a fire-alarm controller's 火警 arrives live on the duty desk, the duty officer marks it
a false alarm on the smart-fire page, and the venue's false-alarm count rises."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.monitoring.firealarm import alarm_verify
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm
from yingji.monitoring.services import device_create, rule_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fire(code: str, address: int, *, reset: bool = False) -> None:
    at = datetime.now(UTC) - timedelta(seconds=2)
    events = [{"event": "reset"}] if reset else [{"event": "fire", "loop": 2, "address": address}]
    body = {"format": "fire_panel", "ts": at.isoformat(), "events": events}
    IngestEngine().ingest([Envelope("mqtt", code, body, code)])


def test_fire_alarm_on_the_desk_marked_false_raises_the_venue_count(asgi_page, cast):
    device_create(
        by=None,
        code="FAP-Y-01",
        name="乙建材火灾报警控制器",
        type="fire_panel",
        org=cast.enterprise_y,
        installation_org=cast.enterprise_y,
        address="乙建材办公楼",
        lat=30.205,
        lon=115.075,
    )
    rule_create(by=None, name="火警", device_type="fire_panel", metric="fire_alarm", red=1, needs_verification=True)
    # An earlier false alarm at the same venue.
    fire("FAP-Y-01", 3)
    alarm_verify(by=cast.duty, alarm=Alarm.objects.get(), result="false_alarm", note="测试前误报")
    fire("FAP-Y-01", 3, reset=True)

    page = asgi_page
    page.goto("/login/")
    page.get_by_label("用户名").fill("t_duty")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/incidents/")
    page.wait_for_selector("#live-state.on")
    fire("FAP-Y-01", 17)
    fresh = page.locator("#alarms li.fresh").first
    fresh.wait_for(timeout=15_000)
    assert "乙建材火灾报警控制器" in fresh.inner_text() and "火警" in fresh.inner_text()

    page.get_by_role("link", name="监测预警").click()
    page.get_by_role("link", name="智慧消防").click()
    venue = page.locator('table.venues tr[data-venue="乙建材有限公司"] td.false-count')
    assert venue.inner_text() == "1"
    row = page.locator("table.pending tr.alarm-row").first
    assert "乙建材火灾报警控制器" in row.inner_text()
    row.get_by_placeholder("备注").fill("厨房油烟误报")
    row.get_by_role("button", name="误报").click()
    page.wait_for_selector("text=火警已核实")
    assert page.locator("table.pending tr.alarm-row").count() == 0
    assert venue.inner_text() == "2"
    latest = Alarm.objects.order_by("-id").first()
    assert (latest.verification, latest.status, latest.verified_by.username) == ("false_alarm", "closed", "t_duty")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "monitoring-fire.png"), full_page=True)
