"""In a real headless Chromium: a street officer imports a zipped shapefile of forest areas, draws a patrol route
through the new area by clicking the map, and the duty officer reports a fire point by clicking where it is."""

import pytest

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.forest.models import FirePoint, ForestArea, PatrolRoute
from yingji.forest.tests.test_shapefile import TUANCHENG, write_layer, zipped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_street_officer_imports_a_shapefile_and_draws_a_route(page, cast, tmp_path):
    archive = tmp_path / "areas.zip"
    archive.write_bytes(zipped(write_layer(tmp_path, [([TUANCHENG], "团城山林区", "SHP-1")])))
    sign_in(page, "t_street", PASSWORD)
    page.goto("/forest/areas/import/")
    page.get_by_label("责任单位").select_option(str(cast.street_a.pk))
    page.locator("input[name=file]").set_input_files(str(archive))
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "forest-import-desktop.png"), full_page=True)
    page.get_by_role("button", name="导入").click()
    assert "已导入 1 个林区" in page.locator(".messages").inner_text()
    area = ForestArea.objects.get(code="SHP-1")
    assert area.org == cast.street_a

    page.goto(f"/forest/areas/{area.pk}/")
    page.get_by_role("link", name="绘制巡护路线").click()
    page.wait_for_selector("#draw-map[data-ready='true']")
    box = page.locator("#draw-map").bounding_box()
    assert box is not None
    cx, cy = box["width"] / 2, box["height"] / 2
    for dx, dy in ((-40, 20), (0, 0), (40, -20)):
        page.locator("#draw-map").click(position={"x": cx + dx, "y": cy + dy})
    assert page.locator("#draw-map").get_attribute("data-vertices") == "3"
    page.get_by_label("名称").fill("山脊线")
    page.screenshot(path=str(ARTIFACTS / "forest-route-desktop.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    assert "巡护路线已添加" in page.locator(".messages").inner_text()
    route = PatrolRoute.objects.get()
    assert route.area == area and len(route.path["coordinates"]) == 3 and route.length_m > 0


def test_the_duty_officer_reports_a_fire_by_clicking_the_map_on_a_phone(page, cast):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "t_duty", PASSWORD)
    page.goto("/forest/")
    page.get_by_role("link", name="报告火点").click()
    page.wait_for_selector("#draw-map[data-ready='true']")
    page.locator("#draw-map").click(position={"x": 150, "y": 120})
    assert page.get_by_label("纬度").input_value() != ""
    page.get_by_label("说明").fill("瞭望塔发现烟点")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "forest-fire-phone.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    fire = FirePoint.objects.get()
    assert fire.reported_by == cast.duty and fire.description == "瞭望塔发现烟点"
