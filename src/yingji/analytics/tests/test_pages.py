"""The pages: dashboard, statistics, alarm quality and the report archive (signed-in session)."""

import json
import re

from django.test import Client
from django.utils import translation

from yingji.analytics.models import Report
from yingji.conftest import PASSWORD


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_dashboard_page_and_its_data(cast, history):
    client = signed_in(cast.duty)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert b"chart.umd.min.js" in page.content
    data = client.get("/api/v1/analytics/dashboard").json()
    # Everything but the merged M1 is still open: A3 (5 deaths) and P2 (4) are grade III, B1 (a flood) ungraded.
    assert data["open_incidents"]["count"] == 7
    assert data["open_incidents"]["by_grade"] == {"I": 0, "II": 0, "III": 2, "IV": 4, "ungraded": 1}
    assert set(data) >= {"on_duty", "alarms", "warnings", "resources", "recent", "trends"}


def test_dashboard_is_scoped(cast, history):
    data = signed_in(cast.street_officer).get("/api/v1/analytics/dashboard").json()
    assert data["open_incidents"]["count"] == 5  # A0, A1, A2, A3, P1 in street A


def test_outsider_gets_403(cast):
    client = signed_in(cast.outsider)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/analytics/").status_code == 403
    assert client.get("/api/v1/analytics/dashboard").status_code == 403


def test_statistics_page_shows_the_figures(cast, history):
    response = signed_in(cast.duty).get("/analytics/?date_from=2025-12-01&date_to=2026-01-31&street=&industry=")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stat-incidents"' in html
    assert '<div data-key="count"><dt>' in html
    assert "/api/v1/stats/incidents/xlsx?from=2025-12-01&amp;to=2026-01-31" in html


def test_statistics_page_reports_bad_periods_on_the_form(cast):
    response = signed_in(cast.duty).get("/analytics/?date_from=2026-02-01&date_to=2026-01-01")
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()


def test_alarm_quality_page(cast):
    response = signed_in(cast.duty).get("/analytics/alarm-quality/?minutes=5")
    assert response.status_code == 200
    assert 'id="stat-alarm-quality"' in response.content.decode()


def test_reports_page_queues_a_report(cast):
    client = signed_in(cast.street_officer)
    response = client.post("/analytics/reports/", {"kind": "monthly", "period": "2026-01"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.org, report.requested_by, report.status) == (cast.street_a, cast.street_officer, "queued")
    assert "2026-01" in client.get("/analytics/reports/").content.decode()


def test_reports_page_shows_a_bad_period_on_the_field(cast):
    response = signed_in(cast.duty).post("/analytics/reports/", {"kind": "monthly", "period": "2026-13"})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_dashboard_draws_a_risk_layer_once_one_is_registered(cast, monkeypatch):
    from yingji.core import maplayers

    client = signed_in(cast.duty)

    def layers() -> list:
        page = client.get("/dashboard/").content.decode()
        return json.loads(re.search(r'id="dashboard-layers" type="application/json">(.*?)<', page).group(1))

    monkeypatch.delitem(maplayers.LAYERS, "risk", raising=False)
    assert layers() == []
    monkeypatch.setitem(maplayers.LAYERS, "risk", lambda user: {"type": "FeatureCollection", "features": []})
    # Labelled as the risk app labels its toggle on the one map, in the page's language.
    with translation.override("zh-hans"):
        label = str(maplayers.LAYER_INFO["risk"].label)
    assert layers() == [{"name": "risk", "label": label}] and label != "risk"


def test_a_panel_registered_later_reaches_the_dashboard(cast, monkeypatch):
    from yingji.analytics import selectors

    monkeypatch.setitem(selectors.PANELS, "hidden_dangers_overdue", lambda user: {"label": "隐患逾期", "value": 3})
    data = signed_in(cast.duty).get("/api/v1/analytics/dashboard").json()
    assert data["panels"] == {"hidden_dangers_overdue": {"label": "隐患逾期", "value": 3}}


def test_commander_sets_a_target_on_the_page_and_others_read_it(cast):
    from yingji.analytics.models import ControlTarget
    from yingji.core.roles import Role
    from yingji.core.services import user_create

    commander = user_create(by=None, username="t_cmd", password=PASSWORD, org=cast.bureau, roles=[Role.COMMANDER])
    client = signed_in(commander)
    response = client.post(
        "/analytics/targets/", {"year": 2026, "indicator": "deaths", "org": cast.street_a.pk, "limit": 2, "note": ""}
    )
    assert response.status_code == 302
    assert ControlTarget.objects.get().org == cast.street_a
    street = signed_in(cast.street_officer)
    assert "甲街道" in street.get("/analytics/targets/").content.decode()
    refused = street.post(
        "/analytics/targets/", {"year": 2026, "indicator": "deaths", "org": cast.street_a.pk, "limit": 9}
    )
    assert refused.status_code == 403
    assert ControlTarget.objects.get().limit == 2
