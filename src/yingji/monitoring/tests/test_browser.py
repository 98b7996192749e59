"""In a real headless Chromium: a simulated gas leak turns into an alarm on the alarms page, which
refreshes itself, and the duty officer acknowledges it."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def gas_leak_ramp() -> None:
    """What `yingji simulate --scenario gas-leak` publishes: the concentration climbing past the limits."""
    start = datetime.now(UTC) - timedelta(minutes=5)
    engine = IngestEngine()
    for i, value in enumerate([2.0, 6.5, 14.0, 23.0, 37.5]):
        body = {
            "device": "GAS-X-01",
            "ts": (start + timedelta(seconds=30 * i)).isoformat(),
            "metrics": {"ch4_lel": value},
        }
        engine.ingest([Envelope("http", "GAS-X-01", body)])


def test_gas_leak_alarm_appears_live_and_is_acknowledged(page, plant):
    page.goto("/login/")
    page.get_by_label("用户名").fill("t_duty")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="监测预警").click()
    page.get_by_role("link", name="报警", exact=True).click()
    assert page.locator("h1").inner_text() == "报警"
    assert page.locator("tr.alarm-row").count() == 0
    gas_leak_ramp()
    # No reload: the table refreshes itself.
    row = page.locator("tr.alarm-row").first
    row.wait_for(timeout=15000)
    assert "甲化工储罐区可燃气体探测器" in row.inner_text() and "橙色" in row.inner_text()
    row.get_by_role("button", name="确认").click()
    page.wait_for_selector("text=报警已确认")
    assert "已确认" in page.locator("tr.alarm-row td.status").first.inner_text()
    alarm = Alarm.objects.get()
    assert alarm.status == "acknowledged" and alarm.acknowledged_by.username == "t_duty"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "monitoring-alarms.png"))
