"""GET /api/v1/stats/<name>: filters, year-on-year, scope and refusals."""

from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from yingji.analytics.stats import FIGURE_LABELS

URL = "/api/v1/stats/incidents?from=2025-12-01&to=2026-01-31"


def test_incidents_with_previous_year(api, bearer, history, cast):
    response = api.get(URL, headers=bearer(cast.duty))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["deaths"], body["serious_injuries"], body["direct_loss_yuan"]) == (4, 4, 2, 2_106_000)
    assert body["by_grade"]["IV"] == 3
    assert body["by_category"]["accident"] == 3
    assert body["previous"]["count"] == 1
    assert body["previous"]["deaths"] == 2
    assert body["filters"] == {
        "from": "2025-12-01",
        "to": "2026-01-31",
        "street": None,
        "industry": None,
        "category": None,
    }


def test_street_officer_gets_own_street_only(api, bearer, history, cast):
    body = api.get(URL, headers=bearer(cast.street_officer)).json()
    assert (body["count"], body["deaths"]) == (3, 1)


def test_street_officer_cannot_name_another_street(api, bearer, history, cast):
    response = api.get(f"{URL}&street={cast.street_b.pk}", headers=bearer(cast.street_officer))
    assert response.status_code == 400
    assert "street" in response.json()["errors"]


def test_district_filters_by_street(api, bearer, history, cast):
    body = api.get(f"{URL}&street={cast.street_b.pk}", headers=bearer(cast.duty)).json()
    assert (body["count"], body["deaths"]) == (1, 3)


def test_outsider_is_refused(api, bearer, history, cast):
    assert api.get(URL, headers=bearer(cast.outsider)).status_code == 403


def test_anonymous_is_refused(api, history):
    assert api.get(URL).status_code == 401


def test_unknown_statistic_is_404(api, bearer, cast):
    assert api.get("/api/v1/stats/nonsense", headers=bearer(cast.duty)).status_code == 404


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("from=1990-01-01&to=2026-01-01", "to"),
        ("from=not-a-date", "from"),
        ("category=volcano", "category"),
        ("street=99999999999999999999", "street"),
        ("minutes=0", "minutes"),
    ],
)
def test_bad_filters_are_400_with_the_field(api, bearer, cast, query, field):
    response = api.get(f"/api/v1/stats/incidents?{query}", headers=bearer(cast.duty))
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_catalogue_lists_every_statistic(api, bearer, cast):
    names = {s["name"] for s in api.get("/api/v1/stats", headers=bearer(cast.duty)).json()}
    assert {"incidents", "warnings", "alarms", "dispatches", "resources", "funds", "alarm-quality"} <= names


def test_excel_export_has_the_figures_and_year_on_year_formulas(api, bearer, history, cast):
    response = api.get(URL.replace("/incidents?", "/incidents/xlsx?"), headers=bearer(cast.duty))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    with translation.override("zh-hans"):
        count_label, grade_label = str(FIGURE_LABELS["count"]), str(FIGURE_LABELS["by_grade"])
    rows = {row[0]: row[1:] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True) if row[0]}
    assert rows[count_label][:2] == (4, 1)
    assert rows[count_label][2].startswith("=IF(C")
    grade_sheet = book[grade_label]
    values = [row for row in grade_sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert values[-1][1].startswith("=SUM(")
    assert values[0][3].startswith("=IF(")
