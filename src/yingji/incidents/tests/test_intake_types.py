"""Incident types follow the chosen category: grouped by category without JavaScript, filtered with it."""

import pytest

from yingji.core.tests.test_browser import PASSWORD, sign_in
from yingji.incidents.models import IncidentType


def test_the_type_list_is_grouped_by_category_and_tagged_for_the_filter(cast, client):
    client.force_login(cast.duty)
    page = client.get("/incidents/new/").content.decode()
    assert '<optgroup label="自然灾害">' in page and '<optgroup label="事故灾难">' in page
    leak = IncidentType.objects.get(code="hazchem_leak")
    assert f'data-category="{leak.category}" value="hazchem_leak"' in page or (
        f'value="hazchem_leak" data-category="{leak.category}"' in page
    )
    assert "incidents/intake.js" in page and "<script>" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_a_category_leaves_only_its_types(page, demo_world):
    sign_in(page, "duty", PASSWORD)
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/incidents/new/")
    page.get_by_label("事件类别").select_option("natural_disaster")
    enabled = page.locator("select[name=type] option:not([disabled])[value]:not([value=''])")
    codes = [enabled.nth(i).get_attribute("value") for i in range(enabled.count())]
    natural = set(IncidentType.objects.filter(category="natural_disaster", active=True).values_list("code", flat=True))
    assert codes and set(codes) == natural
    page.locator("select[name=type]").select_option(codes[0])
    # Another category: the chosen type no longer fits and gives way to one of the new category.
    page.get_by_label("事件类别").select_option("accident")
    chosen = page.locator("select[name=type]").input_value()
    assert chosen and chosen not in natural
    assert IncidentType.objects.get(code=chosen).category == "accident"
