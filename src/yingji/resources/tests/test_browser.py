"""The one map in a real headless Chromium: open it, toggle the shelter layer, click a point, see the nearest
teams ranked by travel time."""

import pytest

from yingji.conftest import ARTIFACTS
from yingji.resources.tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_commander_clicks_the_map_and_sees_the_nearest_teams(page, live_server, demo_world):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "commander")
    page.goto("/resources/map/")
    page.wait_for_selector("#map[data-ready='true']")
    assert page.locator("h1").first.inner_text() == "一张图"
    assert "示意" in page.locator(".note").inner_text()
    # Shelters are off at first; toggling the layer loads and shows them.
    page.get_by_role("checkbox", name="避难场所").check()
    page.wait_for_selector("#map[data-shelters-visible='true']")
    assert int(page.locator("#map").get_attribute("data-shelters")) == 8
    # Click the middle of the map: the nearest teams are listed with their travel times, routes drawn.
    # A point in 黄石港街道's old centre, clear of markers: hide the point layers first.
    for name in ("救援队伍", "大型装备", "物资储备库", "避难场所"):
        page.get_by_role("checkbox", name=name).uncheck()
    x, y = page.evaluate(
        "() => { const p = document.getElementById('map').leafletMap.latLngToContainerPoint([30.2235, 115.089]);"
        " return [p.x, p.y]; }"
    )
    page.locator("#map").click(position={"x": x, "y": y})
    page.wait_for_selector("#nearest-list li, #map[data-nearest='error']")
    assert page.locator("#nearest-error").inner_text() == ""
    items = page.locator("#nearest-list li")
    assert items.count() == 5
    assert "分钟" in items.first.inner_text()
    etas = [float(items.nth(i).get_attribute("data-eta-s")) for i in range(items.count())]
    assert etas == sorted(etas)
    assert page.locator("path.leaflet-interactive").count() >= 5
    assert all(url.startswith(live_server.url) for url in requested), requested
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "resources-map.png"))


def test_one_map_has_the_base_map_and_a_legend_of_its_marker_colours(page, live_server, demo_world):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "commander")
    page.goto("/resources/map/")
    page.wait_for_selector("#map[data-ready='true'][data-base-loaded='true']")
    # The legend lists the layers shown, each by its colour, in Chinese; a layer turned on joins it.
    legend = page.locator(".map-legend:not(.base-legend)")
    assert legend.is_visible()

    def labels() -> list[str]:
        rows = page.locator(".map-legend:not(.base-legend) div")
        return [rows.nth(i).inner_text().strip() for i in range(rows.count())]

    assert labels() == ["救援队伍", "大型装备", "物资储备库", "街道范围（示意）"]
    colours = legend.locator("i").evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert colours[0] == "rgb(180, 35, 24)" and len(set(colours)) == 4
    page.get_by_role("checkbox", name="避难场所").check()
    page.wait_for_selector("#map[data-shelters-visible='true']")
    assert labels() == ["救援队伍", "大型装备", "物资储备库", "避难场所", "街道范围（示意）"]
    # The base map under it: roads by class, illustrative water and place names, with the base legend.
    base = page.locator(".base-legend")
    assert base.is_visible()
    assert "水系" in base.inner_text() and "主干路" in base.inner_text()
    assert int(page.locator("#map").get_attribute("data-base-roads")) >= 1
    assert int(page.locator("#map").get_attribute("data-base-water")) >= 1
    assert page.locator(".place-label").count() >= 1
    assert all(url.startswith(live_server.url) for url in requested), requested
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "resources-map-legend.png"))
