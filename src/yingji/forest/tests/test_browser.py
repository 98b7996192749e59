"""In a real headless Chromium on a phone-sized screen: a ranger records a patrol (positions, a finding with a
photo) and ends it; the overview map draws the areas with their legend."""

import pytest

from yingji.conftest import ARTIFACTS
from yingji.core.models import OrgUnit, User
from yingji.core.tests.test_browser import sign_in
from yingji.demo.services import demo_load
from yingji.forest import services
from yingji.forest.models import Finding, Patrol
from yingji.forest.tests.conftest import TUANCHENG
from yingji.forest.tests.test_api_patrols import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Password-2026"


def test_a_ranger_records_a_patrol_on_a_phone(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    street = OrgUnit.objects.get(name="黄石港街道")
    area = services.forest_area_create(by=None, org=street, code="FA-B1", name="月亮山林区", geometry=TUANCHENG)
    services.chain_member_add(by=None, area=area, level="ranger", name="护林员", phone="13900000009")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "street", PASSWORD)
    page.goto("/forest/patrol/")
    page.get_by_label("林区").select_option(str(area.pk))
    page.get_by_role("button", name="开始巡护").click()
    assert "巡护已开始" in page.locator(".messages").inner_text()
    for lat, lon in (("30.2300", "115.0200"), ("30.2310", "115.0210")):
        page.locator("form:has(input[value=point]) [name=lat]").fill(lat)
        page.locator("form:has(input[value=point]) [name=lon]").fill(lon)
        page.get_by_role("button", name="记录位置").click()
        assert "位置已记录" in page.locator(".messages").inner_text()
    assert page.locator("#patrol-points").inner_text() == "2"
    photo = tmp_path / "smoke.png"
    photo.write_bytes(PNG)
    finding = page.locator("form:has(input[value=finding])")
    finding.get_by_label("发现情况").select_option("smoke")
    finding.get_by_label("备注").fill("山脊有烟")
    finding.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="记录发现").click()
    assert "山脊有烟" in page.locator("#findings").inner_text()
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "forest-patrol-phone.png"), full_page=True)
    page.get_by_role("button", name="结束巡护").click()
    assert "巡护已结束" in page.locator(".messages").inner_text()
    patrol = Patrol.objects.get()
    assert (patrol.status, patrol.points_count, patrol.ranger) == ("ended", 2, User.objects.get(username="street"))
    assert Finding.objects.get().photo_type == "image/png"


def test_the_overview_map_draws_the_areas_with_a_legend(page):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    street = OrgUnit.objects.get(name="黄石港街道")
    services.forest_area_create(by=None, org=street, code="FA-B1", name="月亮山林区", geometry=TUANCHENG)
    sign_in(page, "duty", PASSWORD)
    page.get_by_role("link", name="森林防火").click()
    page.wait_for_selector("#forest-map[data-ready='true']")
    assert "无气象站数据" in page.locator(".map-legend").inner_text()
    assert page.locator("#forest-map .street-label", has_text="月亮山林区").count() == 1
    assert page.locator("#areas").inner_text().count("月亮山林区") == 1
