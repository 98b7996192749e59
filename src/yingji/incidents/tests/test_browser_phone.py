"""The duty desk, the incident page and a team leader's dispatch order on a 390×844 phone: nothing wider than the
screen, the menu folded behind its button until opened, wide tables shown as labelled cards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.core.models import User
from yingji.core.tests.test_browser import PASSWORD, sign_in
from yingji.demo.data import DISTRICT_TEAM_CODE
from yingji.incidents import services
from yingji.incidents.models import Incident, IncidentType
from yingji.resources.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def assert_fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def assert_menu_folds_and_opens(page) -> None:
    nav, button = page.locator("#mainnav"), page.locator("button.menu-toggle")
    assert button.is_visible() and nav.is_hidden()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert nav.is_visible() and button.get_attribute("aria-expanded") == "true"
    # The open menu is a column of full-width links, still inside the screen.
    links = nav.locator("a")
    assert links.count() >= 2
    box = links.first.bounding_box()
    assert box["width"] > PHONE["width"] * 0.8
    assert_fits_the_phone(page)
    button.click()
    assert nav.is_hidden()


def leak(by: User) -> Incident:
    kind = IncidentType.objects.get(code="hazchem_leak")
    return services.incident_create(
        by=by,
        title="储罐区可燃气体泄漏，现场已设置警戒区域并组织疏散",
        category=kind.category,
        type=kind,
        occurred_at=timezone.now() - timedelta(minutes=15),
        lat=30.215,
        lon=115.08,
        reporter_name="王五",
        reporter_phone="13800000000",
    )


def test_desk_and_incident_page_fit_a_phone(page, demo_world):
    duty = User.objects.get(username="duty")
    incident = leak(duty)
    page.set_viewport_size(PHONE)
    sign_in(page, "duty", PASSWORD)
    page.goto("/incidents/")
    page.wait_for_selector("#map[data-boundary-loaded='true']")
    assert_fits_the_phone(page)
    assert_menu_folds_and_opens(page)
    # The open incidents are cards: no header row, each cell labelled with its column.
    assert page.locator("#open-incidents thead").is_hidden()
    row = page.locator(f"#open-incidents tr[data-id='{incident.pk}']")
    header = page.locator("#open-incidents thead th").nth(1).text_content().strip()
    assert header and row.locator("td").nth(1).get_attribute("data-label") == header
    assert row.bounding_box()["width"] <= PHONE["width"]

    page.goto(f"/incidents/{incident.pk}/")
    page.wait_for_selector("#recommended tbody tr")
    assert_fits_the_phone(page)
    assert page.locator("button.menu-toggle").is_visible() and page.locator("#mainnav").is_hidden()
    first = page.locator("#recommended tbody tr").first
    assert first.locator("td[data-label]").count() >= 2
    # Dispatching from the phone works; the dispatch orders table becomes cards too.
    first.get_by_role("button", name="调度").click()
    page.wait_for_selector("#dispatches tbody tr td[data-label] >> text=已派出")
    assert_fits_the_phone(page)


def test_team_leader_moves_a_dispatch_order_on_a_phone(page, demo_world):
    duty = User.objects.get(username="duty")
    team = Team.objects.filter(org__code=DISTRICT_TEAM_CODE).first()
    assert team is not None
    order = services.dispatch_create(by=duty, incident=leak(duty), team=team)
    page.set_viewport_size(PHONE)
    sign_in(page, "team", PASSWORD)
    # The workbench loads yingji.js twice (base and its map): the menu still opens with one click.
    page.wait_for_selector("#map[data-boundary-loaded='true']")
    assert_menu_folds_and_opens(page)
    # The order's message waits in the inbox: the folded menu's button shows the unread count.
    assert int(page.locator("button.menu-toggle .badge").inner_text()) >= 1
    page.goto("/incidents/dispatches/")
    assert_fits_the_phone(page)
    assert_menu_folds_and_opens(page)
    page.locator("#orders a").first.click()
    page.wait_for_selector(".dispatch-order")
    assert_fits_the_phone(page)
    button = page.locator(".steps button").first
    assert button.bounding_box()["width"] <= PHONE["width"]
    button.click()
    page.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == "acknowledged"
    assert_fits_the_phone(page)
