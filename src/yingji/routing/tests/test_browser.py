"""The road network pages in a real headless Chromium: the demo network is listed as illustrative and drawn."""

import pytest

from yingji.conftest import ARTIFACTS
from yingji.demo.services import demo_load
from yingji.routing.demo import demo_load_routing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Password-2026"


def test_duty_officer_opens_the_demo_road_network(page, live_server):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    demo_load_routing(seed=2021, out=lambda line: None)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/login/")
    page.get_by_label("用户名").fill("duty")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="路网").click()
    assert page.locator("h1").inner_text() == "路网"
    row = page.locator("#networks tbody tr").first
    assert "示意" in row.inner_text() and "启用" in row.inner_text() and "未启用" not in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_selector("#roadmap[data-roads-loaded]")
    assert int(page.locator("#roadmap").get_attribute("data-roads-loaded")) >= 3
    assert page.locator("#roadmap path.leaflet-interactive, #roadmap canvas").count() >= 1
    # A legend names each road class drawn, in Chinese.
    legend = page.locator("#roadmap .map-legend").inner_text()
    assert "主干路" in legend and "次干路" in legend
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "routing-network.png"))
