"""No script from data: a name stored with markup in it shows as text on every map, in Chromium.

Every name shown on a map (streets, communities, enterprises, teams, shelters, warehouses, equipment,
experts) is stored with an `<img src=x onerror=…>` payload; the one map, the warning map and the workbench are
opened with every tooltip and popup shown, the evacuation lines and coverage drawn, and the payload must
neither run (its window flag stays unset) nor become an element. The pages also must not trip their own
Content-Security-Policy (nothing inline left in a template)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from yingji.core.models import OrgUnit, User
from yingji.core.tests.test_browser import sign_in
from yingji.demo.services import demo_load
from yingji.resources.demo import demo_load_resources
from yingji.routing.demo import demo_load_routing
from yingji.warnings import services as warnings_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-Password-2026"
PAYLOAD = "<img src=x onerror=__xss=1>"
NAMED = ["core.OrgUnit", "resources.Shelter", "resources.Warehouse", "resources.Equipment", "resources.Expert"]

# Open every tooltip and popup the map holds (clustered markers included): Leaflet renders their content only
# when shown. Returns how many it opened.
SHOW_EVERYTHING = """
(id) => {
  const map = document.getElementById(id).leafletMap;
  let shown = 0;
  const show = (layer, latlng) => {
    const tip = layer.getTooltip && layer.getTooltip();
    if (tip) { try { layer.openTooltip(); shown++; } catch (e) { tip.setLatLng(latlng).addTo(map); shown++; } }
    const pop = layer.getPopup && layer.getPopup();
    if (pop && latlng) { pop.setLatLng(latlng).openOn(map); shown++; }
  };
  map.eachLayer((layer) => {
    const bounds = layer.getBounds && layer.getBounds();
    const at = layer.getLatLng ? layer.getLatLng() : (bounds && bounds.isValid() ? bounds.getCenter() : null);
    show(layer, at);
    if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      layer.getLayers().forEach((m) => show(m, m.getLatLng()));
    }
  });
  return shown;
}
"""
RAN = "() => [window.__xss === undefined, document.querySelectorAll('img[src=\"x\"]').length]"


def poison_every_name() -> int:
    changed = 0
    for label in NAMED:
        model = apps.get_model(label)
        size = model._meta.get_field("name").max_length
        for pk, name in model.objects.values_list("pk", "name"):
            model.objects.filter(pk=pk).update(name=(PAYLOAD + name)[:size])
            changed += 1
    return changed


def watch_csp(page) -> list[str]:
    refused: list[str] = []
    # (Playwright's wait_for_function evaluates strings, which the policy refuses: wait on selectors instead.)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


def assert_nothing_ran(page) -> None:
    not_run, injected = page.evaluate(RAN)
    assert not_run, "a stored payload ran"
    assert injected == 0, "a stored name became markup"


def test_names_with_markup_never_run_on_any_map(page, live_server):
    demo_load(password=PASSWORD, out=lambda line: None)
    demo_load_routing(seed=2021, out=lambda line: None)
    demo_load_resources(seed=2021, out=lambda line: None)
    street = OrgUnit.objects.filter(kind="street").order_by("pk").first()
    warning = warnings_services.warning_create(
        by=User.objects.get(username="duty"),
        event_type="rainstorm",
        level="yellow",
        headline="暴雨黄色预警",
        description="测试",
        instruction="测试",
        streets=[street],
        expires=timezone.now() + timedelta(hours=6),
    )
    assert poison_every_name() > 50
    refused = watch_csp(page)
    sign_in(page, "commander", PASSWORD)

    # The one map: every layer on, every label shown, the evacuation lines and coverage drawn.
    page.goto("/resources/map/")
    page.wait_for_selector("#map[data-ready='true']")
    for box in page.locator("#layer-toggles input[data-layer]").all():
        if not box.is_checked():
            layer = box.get_attribute("data-layer")
            box.check()
            page.wait_for_selector(f"#map[data-{layer}-visible='true']")
    page.locator("#evacuate").click()
    page.wait_for_selector("#evacuation-summary:not(:empty)")
    page.locator("#coverage-minutes").fill("1")
    page.locator("#coverage").click()
    page.wait_for_selector("#coverage-summary:not(:empty)")
    assert page.evaluate(SHOW_EVERYTHING, "map") > 50
    assert PAYLOAD in page.locator(".leaflet-tooltip").first.inner_text()
    assert_nothing_ran(page)

    # The warning map: the warning's streets, labelled.
    page.goto(f"/warnings/{warning.pk}/")
    page.wait_for_selector("#warning-map[data-ready='true']")
    assert page.evaluate(SHOW_EVERYTHING, "warning-map") >= 1
    assert PAYLOAD in page.locator(".leaflet-tooltip").first.inner_text()
    assert_nothing_ran(page)

    # The workbench: street labels and enterprise popups.
    page.goto("/")
    page.wait_for_selector("#map[data-enterprises]")
    assert page.evaluate(SHOW_EVERYTHING, "map") > 5
    assert_nothing_ran(page)
    assert refused == [], refused
