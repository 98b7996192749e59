"""The incident page's small map in headless Chromium: the shared base map with its legend, the incident, the
dispatched fire team and its road route, at 1440x900 and on a 390x844 phone."""

import pytest
from django.utils import timezone

from yingji.conftest import ARTIFACTS
from yingji.core.models import User
from yingji.core.tests.test_browser import PASSWORD, sign_in
from yingji.incidents import services
from yingji.incidents.dispatch import dispatch_create
from yingji.incidents.models import IncidentType
from yingji.resources.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_incident_page_maps_the_incident_and_the_dispatched_teams_route(page, live_server, demo_world, size):
    duty = User.objects.get(username="duty")
    leak = IncidentType.objects.get(code="hazchem_leak")
    incident = services.incident_create(
        by=duty,
        title="储罐区可燃气体泄漏",
        category=leak.category,
        type=leak,
        occurred_at=timezone.now(),
        lat=30.2235,
        lon=115.089,
        reporter_name="王五",
        reporter_phone="13800000000",
    )
    team = Team.objects.filter(org__lat__isnull=False).select_related("org").first()
    dispatch_create(by=duty, incident=incident, team=team)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, "duty", PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    page.wait_for_selector("#incident-map[data-ready='true'][data-base-loaded='true']")
    located = page.locator("#incident-map")
    assert (located.get_attribute("data-incidents"), located.get_attribute("data-resources")) == ("1", "1")
    assert located.get_attribute("data-routes") == "1"
    legend = page.locator("#incident-map .map-legend:not(.base-legend)")
    assert legend.is_visible() and legend.inner_text().split() == ["突发事件", "救援力量", "行进路线"]
    assert "主干路" in page.locator("#incident-map .base-legend").inner_text()
    # The route is drawn on the map's canvas between the team and the incident: its tooltip names the team.
    assert int(located.get_attribute("data-base-roads")) >= 1
    assert all(url.startswith(live_server.url) for url in requested), requested
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"incident-map-{size[0]}.png"), full_page=True)
