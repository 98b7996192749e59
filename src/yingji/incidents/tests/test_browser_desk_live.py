"""The live desk keeps one line per alarm: a level change updates the line in place instead of adding another."""

import pytest
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.monitoring.services import alarm_escalate, alarm_raise, device_create, rule_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_alarm_rising_from_yellow_to_orange_stays_one_line(asgi_page, cast):
    detector = device_create(
        by=None,
        code="GAS-X-09",
        name="甲化工罐区探测器",
        type="combustible_gas",
        org=cast.enterprise_x,
        lat=30.215,
        lon=115.085,
    )
    thresholds = {"blue": 10, "yellow": 20, "orange": 35, "red": 50}
    rule = rule_create(by=None, name="可燃气体浓度", device_type="combustible_gas", metric="ch4_lel", **thresholds)
    sign_in(asgi_page, "t_duty", PASSWORD)
    asgi_page.goto("/incidents/")
    asgi_page.wait_for_selector("#live-state.on")
    ref = alarm_raise(device=detector, rule=rule, metric="ch4_lel", level="yellow", value=25, at=timezone.now())
    line = asgi_page.locator(f'#alarms li[data-id="{ref.id}"]')
    line.wait_for(timeout=15_000)
    assert "黄色" in line.inner_text()
    alarm_escalate(alarm_id=ref.id, level="orange", value=40, at=timezone.now())
    asgi_page.wait_for_selector(f'#alarms li[data-id="{ref.id}"].level-orange', timeout=15_000)
    assert asgi_page.locator(f'#alarms li[data-id="{ref.id}"]').count() == 1
    assert "橙色" in line.inner_text()
    # The new alarm was announced once (a tone or a notification), the level change did not announce again.
    assert asgi_page.locator("#desk").get_attribute("data-alerts") == "1"
