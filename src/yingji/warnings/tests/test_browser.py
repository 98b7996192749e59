"""In a real headless Chromium: a commander approves and publishes a warning; the public feed lists it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.conftest import ARTIFACTS
from yingji.core.models import OrgUnit, User
from yingji.core.tests.test_browser import sign_in
from yingji.demo.services import demo_load
from yingji.warnings import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Password-2026"


def test_commander_approves_and_publishes_and_the_public_feed_lists_it(page, live_server):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    street = OrgUnit.objects.get(name="黄石港街道")
    warning = services.warning_create(
        by=User.objects.get(username="duty"),
        event_type="rainstorm",
        level="yellow",
        headline="黄石港区暴雨黄色预警",
        description="预计未来6小时黄石港街道降雨量将达50毫米以上。",
        instruction="注意防范城市内涝。",
        streets=[street],
        expires=timezone.now() + timedelta(hours=6),
    )
    sign_in(page, "commander", PASSWORD)
    page.get_by_role("link", name="预警发布").click()
    page.get_by_role("link", name="黄石港区暴雨黄色预警").click()
    page.wait_for_selector("#warning-map[data-ready='true']")
    page.get_by_role("button", name="审批通过").click()
    assert page.locator("#warning-status").inner_text() == "已审批"
    # Publishing asks for confirmation first (data-confirm): the commander confirms.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布").click()
    page.locator("#warning-status", has_text="已发布").wait_for()
    assert "预警已发布" in page.locator(".messages").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "warning-published.png"))
    # The public reads the feed without signing in.
    page.context.clear_cookies()
    feed = page.request.get(f"{live_server.url}/warnings/feed.atom")
    assert feed.ok and "黄石港区暴雨黄色预警" in feed.text()
    cap = page.request.get(f"{live_server.url}/api/v1/warnings/{warning.pk}/cap")
    assert cap.ok and cap.headers["content-type"].startswith("application/cap+xml")


def test_suggested_warning_prefills_and_a_polygon_is_drawn_by_clicking(page):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    sign_in(page, "duty", PASSWORD)
    page.goto("/warnings/new/?event_type=forest_fire&level=orange&headline=森林火险橙色预警")
    assert page.get_by_label("事件类型").input_value() == "forest_fire"
    assert page.get_by_label("标题").input_value() == "森林火险橙色预警"
    page.wait_for_selector("#draw-map[data-ready='true']")
    box = page.locator("#draw-map").bounding_box()
    for dx, dy in ((0.4, 0.4), (0.6, 0.4), (0.5, 0.6)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    assert page.locator("#draw-map").get_attribute("data-vertices") == "3"
    assert '"type":"Polygon"' in page.locator("#id_area_polygon").input_value()
    page.get_by_label("预警内容").fill("近期持续晴热少雨，林区火险等级高。")
    page.get_by_label("失效时间").fill((timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="保存草稿").click()
    assert page.locator("#warning-status").inner_text() == "草稿"


def test_warning_pages_fit_a_phone_with_the_menu_folded(page, live_server):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    services.warning_create(
        by=User.objects.get(username="duty"),
        event_type="rainstorm",
        level="yellow",
        headline="黄石港区暴雨黄色预警：预计未来6小时黄石港街道降雨量将达50毫米以上",
        description="预计未来6小时黄石港街道降雨量将达50毫米以上。",
        streets=[OrgUnit.objects.get(name="黄石港街道")],
        expires=timezone.now() + timedelta(hours=6),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "commander", PASSWORD)
    page.goto("/warnings/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    nav, button = page.locator("#mainnav"), page.locator("button.menu-toggle")
    assert button.is_visible() and nav.is_hidden()
    button.click()
    assert nav.get_by_role("link", name="预警发布").is_visible()
    # The warnings table is cards: every row inside the screen, each cell labelled with its column.
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 1
    assert rows.first.bounding_box()["width"] <= 390
    assert rows.first.locator("td[data-label]").count() >= 2
    rows.first.locator("a").first.click()
    page.wait_for_selector("#warning-map[data-ready='true']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#mainnav").is_hidden()
