"""In a real headless Chromium: the Yangtze passes its 警戒 level, and the duty officer finds the 三防 Ⅲ response
proposed on the 三防 page (desktop and phone widths)."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.monitoring.ingest import Envelope, IngestEngine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_duty_officer_sees_the_flood_response_proposed(page, cast, river):
    engine = IngestEngine(cache_ttl_s=0)
    for minutes, value in ((40, 24.1), (20, 24.4), (5, 24.62)):
        at = datetime.now(UTC) - timedelta(minutes=minutes)
        body = {"device": "WL-B-01", "ts": at.isoformat(), "metrics": {"water_level_m": value}}
        engine.ingest([Envelope("http", "WL-B-01", body)])

    page.goto("/login/")
    page.get_by_label("用户名").fill("t_duty")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/monitoring/hydrology/")
    proposal = page.locator(".flood-proposal")
    assert proposal.get_attribute("data-proposal") == "3"
    assert "Ⅲ级防汛应急响应建议" in proposal.inner_text() and "1个河道站达到警戒水位" in proposal.inner_text()
    assert page.locator(".levels-table").get_by_text("长江水位站").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "monitoring-flood-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "monitoring-flood-390.png"), full_page=True)
    assert proposal.is_visible()
