"""On a phone-sized screen (390 × 844) in a real headless Chromium: a member of the public finds the nearest
shelter by typing their community and asks a question; a staff member answers it; it appears in the FAQ."""

import re

import pytest

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.services import org_update
from yingji.routing.tests.conftest import offset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_public_finds_shelter_asks_and_staff_answer_shows_in_faq(page, cast, shelters):
    lat, lon = offset(0, 0)
    org_update(by=None, org=cast.community_a, lat=float(lat), lon=float(lon))
    page.set_viewport_size(PHONE)
    ARTIFACTS.mkdir(exist_ok=True)
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    # Nearest shelter by typed community, without signing in.
    page.goto("/public/shelters/")
    page.locator("#id_q").fill("甲一")
    page.locator("#shelter-search button[type=submit]").click()
    page.wait_for_selector("article.shelter")
    names = page.locator("article.shelter h2").all_inner_texts()
    assert names[0].endswith("避难场所S-NEAR") and len(names) == 3
    assert page.locator("svg.route polyline").count() == 1
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "portal-shelters-390.png"), full_page=True)

    # Ask a question; the receipt page shows the code.
    page.goto("/public/ask/")
    page.locator("#id_category").select_option("shelter")
    page.locator("#id_text").fill("避难场所可以带宠物吗？")
    page.locator("form button[type=submit]").click()
    page.wait_for_selector(".receipt")
    receipt = page.locator(".receipt").inner_text()
    assert re.fullmatch(r"Q[A-Z0-9]{9}", receipt)
    page.screenshot(path=str(ARTIFACTS / "portal-question-390.png"), full_page=True)

    # A duty officer signs in and answers it, publishing it as FAQ.
    page.goto("/login/")
    page.locator("#id_username").fill(cast.duty.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto("/portal/questions/?status=open")
    page.get_by_role("link", name=receipt).click()
    page.locator("#id_answer").fill("可以带宠物，请拴绳或装笼，并服从场所管理。")
    page.locator("#id_faq").check()
    page.locator("#id_faq_title").fill("避难时带宠物")
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/portal/questions/\d+/$"))
    page.locator("form[action='/logout/'] button").click()

    # The public sees the answer in the FAQ and behind the receipt code.
    page.goto("/public/faq/")
    assert "避难时带宠物" in page.locator("main").inner_text()
    assert "请拴绳或装笼" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "portal-faq-390.png"), full_page=True)
    page.goto(f"/public/questions/{receipt}/")
    assert "请拴绳或装笼" in page.locator(".answer").inner_text()
    # Everything the public pages loaded came from the platform itself.
    assert all(url.startswith(page.url.split("/public/")[0]) for url in requested)


def test_public_opens_the_feed_and_a_warning_page_on_a_phone_without_signing_in(page, live_server, warning_states):
    published = warning_states["published"]
    page.set_viewport_size(PHONE)
    # The feed opened in a browser is a page (not raw XML) whose entries lead to the public warning page.
    page.goto("/warnings/feed.atom")
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="暴雨黄色预警（已发布）").click()
    page.wait_for_url(f"**/public/warnings/{published.pk}/")
    assert "/login/" not in page.url
    assert "暴雨黄色预警（已发布）" in page.locator("h2").first.inner_text()
    assert page.locator(".guide li").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal-warning-390.png"), full_page=True)
    draft = page.goto(f"/public/warnings/{warning_states['draft'].pk}/")
    assert draft.status == 404


def test_public_finds_shelter_from_a_typed_street_address_on_a_phone(page, shelters):
    from yingji.routing.models import RoadEdge

    lat0 = offset(0, 0)[0]
    row = (lat0 - 1e-7, lat0 + 1e-7)
    RoadEdge.objects.filter(source__lat__range=row, target__lat__range=row).update(name="天津路")
    page.set_viewport_size(PHONE)
    page.goto("/public/shelters/")
    page.locator("#id_q").fill("天津路12号")
    page.locator("#shelter-search button[type=submit]").click()
    page.wait_for_selector("article.shelter")
    assert "天津路" in page.locator("p.origin").inner_text()
    assert page.locator("article.shelter h2").first.inner_text().endswith("避难场所S-NEAR")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal-shelters-address-390.png"), full_page=True)
