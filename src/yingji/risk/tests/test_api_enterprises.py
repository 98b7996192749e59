"""Enterprise profiles: create, patch, credit-code refusal, scope (street and enterprise isolation), Excel."""

from io import BytesIO

from openpyxl import load_workbook

from yingji.risk.models import EnterpriseProfile
from yingji.risk.tests.conftest import JSON, VALID_USCC


def test_create_profile_for_new_enterprise(cast, api, bearer):
    body = {"code": "T-EZ", "name": "丙加油站", "parent": cast.street_a.pk, "uscc": VALID_USCC, "scale": "small",
            "lat": 30.21, "lon": 115.08, "high_risk": True, "risk_flags": ["gas"]}  # fmt: skip
    answer = api.post("/api/v1/enterprises", body, content_type=JSON, headers=bearer(cast.street_officer))
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["name"] == "丙加油站" and data["street"] == cast.street_a.pk and data["uscc"] == VALID_USCC
    assert data["five_required"] is True and data["five_in_place"] is False


def test_profile_for_existing_enterprise_unit(cast, api, bearer):
    body = {"code": cast.enterprise_x.code, "name": cast.enterprise_x.name, "scale": "large"}
    answer = api.post("/api/v1/enterprises", body, content_type=JSON, headers=bearer(cast.admin))
    assert answer.status_code == 201 and answer.json()["org"] == cast.enterprise_x.pk
    again = api.post("/api/v1/enterprises", body, content_type=JSON, headers=bearer(cast.admin))
    assert again.status_code == 400 and "code" in again.json()["errors"]


def test_bad_credit_code_is_refused_naming_uscc(cast, api, bearer):
    body = {"code": "T-EZ", "name": "丙", "parent": cast.street_a.pk, "uscc": "91350100M000100Y44"}
    answer = api.post("/api/v1/enterprises", body, content_type=JSON, headers=bearer(cast.admin))
    assert answer.status_code == 400 and "uscc" in answer.json()["errors"]
    assert not EnterpriseProfile.objects.exists()


def test_duplicate_credit_code_is_refused(cast, api, bearer, profiles):
    x, y = profiles
    answer = api.patch(
        f"/api/v1/enterprises/{y.pk}", {"uscc": VALID_USCC}, content_type=JSON, headers=bearer(cast.admin)
    )
    assert answer.status_code == 400 and "uscc" in answer.json()["errors"]


def test_street_cannot_create_in_other_street(cast, api, bearer):
    body = {"code": "T-EZ", "name": "丙", "parent": cast.street_b.pk}
    answer = api.post("/api/v1/enterprises", body, content_type=JSON, headers=bearer(cast.street_officer))
    assert answer.status_code == 400 and "parent" in answer.json()["errors"]


def test_scopes_on_list_and_detail(cast, api, bearer, profiles):
    x, y = profiles
    seen = lambda user: [p["id"] for p in api.get("/api/v1/enterprises", headers=bearer(user)).json()["items"]]  # noqa: E731
    assert seen(cast.duty) == [x.pk, y.pk] or sorted(seen(cast.duty)) == sorted([x.pk, y.pk])
    assert seen(cast.street_officer) == [x.pk]
    assert seen(cast.enterprise_manager) == [x.pk]
    assert api.get(f"/api/v1/enterprises/{y.pk}", headers=bearer(cast.street_officer)).status_code == 404
    assert api.get(f"/api/v1/enterprises/{y.pk}", headers=bearer(cast.enterprise_manager)).status_code == 404
    assert api.get(f"/api/v1/enterprises/{x.pk}", headers=bearer(cast.outsider)).status_code == 404


def test_enterprise_manages_own_profile_only(cast, api, bearer, profiles):
    x, y = profiles
    mine = api.patch(f"/api/v1/enterprises/{x.pk}", {"employees": 120, "safety_manager": "张三"}, content_type=JSON,
                     headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert mine.status_code == 200 and mine.json()["employees"] == 120
    other = api.patch(f"/api/v1/enterprises/{y.pk}", {"employees": 1}, content_type=JSON,
                      headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert other.status_code == 404
    create = api.post("/api/v1/enterprises", {"code": "Q", "name": "Q", "parent": cast.street_a.pk}, content_type=JSON,
                      headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert create.status_code == 403


def test_excel_round_trip(cast, api, bearer, profiles):
    exported = api.get("/api/v1/enterprises/export.xlsx", headers=bearer(cast.admin))
    assert exported.status_code == 200
    workbook = load_workbook(BytesIO(exported.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "编码" and {r[0] for r in rows[1:]} == {cast.enterprise_x.code, cast.enterprise_y.code}
    sheet = workbook.active
    row = ["T-NEW", "新企业", "甲街道", "", "C", "26", "small", "", None, None, "", "", "", 10, "", "否", "", "否", 0]
    sheet.append([*row, "否", "否", "否"])
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "e.xlsx"
    imported = api.post("/api/v1/enterprises/import", {"file": out}, headers=bearer(cast.admin))
    assert imported.status_code == 200, imported.json()
    assert imported.json() == {"created": 1, "updated": 2}
    assert EnterpriseProfile.objects.get(org__code="T-NEW").industry_division == "26"


def test_excel_import_reports_bad_credit_code_by_row(cast, api, bearer, profiles):
    exported = api.get("/api/v1/enterprises/export.xlsx", headers=bearer(cast.admin))
    workbook = load_workbook(BytesIO(exported.content))
    workbook.active.cell(row=2, column=4, value="91350100M000100Y44")
    out = BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "e.xlsx"
    answer = api.post("/api/v1/enterprises/import", {"file": out}, headers=bearer(cast.admin))
    assert answer.status_code == 400
    assert any(m.startswith("第2行 统一社会信用代码") for m in answer.json()["errors"]["file"])


def test_enterprise_cannot_unflag_itself_high_risk(cast, api, bearer, profiles):
    x, _y = profiles
    answer = api.patch(f"/api/v1/enterprises/{x.pk}", {"high_risk": False}, content_type=JSON,
                       headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert answer.status_code == 403 and "high_risk" in answer.json()["errors"]
    same = api.patch(f"/api/v1/enterprises/{x.pk}", {"high_risk": True, "employees": 5}, content_type=JSON,
                     headers=bearer(cast.enterprise_manager))  # fmt: skip
    assert same.status_code == 200
    by_street = api.patch(f"/api/v1/enterprises/{x.pk}", {"high_risk": False}, content_type=JSON,
                          headers=bearer(cast.street_officer))  # fmt: skip
    assert by_street.status_code == 200 and by_street.json()["high_risk"] is False
