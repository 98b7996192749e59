"""A hazard report posted by the public appears on the staff's open leads page without a reload (the ASGI server
as `yingji serve` runs it, live events over SSE), and the officer turns it into an incident."""

import re

import pytest

from yingji.conftest import PASSWORD
from yingji.incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_report_arrives_live_and_becomes_an_incident(asgi_page, cast):
    asgi_page.goto("/login/")
    asgi_page.locator("#id_username").fill(cast.duty.username)
    asgi_page.locator("#id_password").fill(PASSWORD)
    asgi_page.locator("form button[type=submit]").click()
    asgi_page.goto("/portal/leads/")
    asgi_page.wait_for_selector("#live-state.on", state="attached")
    # A member of the public posts a report to the same server (no session: the API's public endpoint).
    posted = asgi_page.context.request.post(
        "/api/v1/public/leads",
        multipart={"kind": "gas", "description": "楼道里有很重的煤气味", "place": "甲一社区5栋"},
    )
    assert posted.status == 201
    receipt = posted.json()["receipt"]
    asgi_page.locator("#live-list", has_text=receipt).wait_for(timeout=15_000)
    asgi_page.reload()
    asgi_page.get_by_role("link", name=receipt).click()
    asgi_page.locator("#id_type").select_option(label="燃气事故")
    asgi_page.locator("form[action$='/incident/'] button[type=submit]").click()
    asgi_page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get()
    assert incident.source == "portal" and "煤气味" in incident.description
