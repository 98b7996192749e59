"""The workbench in a real headless Chromium: sign in as the duty officer and see the district map."""

import pytest

from yingji.conftest import ARTIFACTS
from yingji.demo.services import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Password-2026"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_duty_officer_signs_in_and_sees_the_district_map(page, live_server):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "duty", PASSWORD)
    page.wait_for_selector("#map[data-boundary-loaded='true']")
    assert page.locator("h1").first.inner_text() == "工作台"
    # Leaflet drew the boundary and street areas; the street labels are real street names.
    page.wait_for_selector(".leaflet-tooltip.street-label")
    labels = page.locator(".leaflet-tooltip.street-label").all_inner_texts()
    assert any("黄石港街道" in label for label in labels)
    assert int(page.locator("#map").get_attribute("data-enterprises")) >= 60
    # Everything (script, styles, map data) came from the platform itself: no tiles, no CDN.
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workbench.png"))


def test_wrong_password_shows_an_error_in_chinese(page):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    sign_in(page, "duty", "not-the-password")
    assert "正确的用户名和密码" in page.locator(".errors").inner_text()


def test_language_switch_turns_the_workbench_english(page):
    demo_load(seed=2021, password=PASSWORD, out=lambda line: None)
    sign_in(page, "duty", PASSWORD)
    page.wait_for_selector("#map[data-boundary-loaded='true']")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("h1").first.inner_text() == "Workbench"
