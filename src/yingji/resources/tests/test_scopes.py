"""Scope rules on every registry: a street officer of street A sees A's records and gets 404 for B's, in the
API and in the pages; an enterprise manager sees only their own; a role without the right gets 403."""

import pytest

REGISTRIES = [
    # (API path, page path, fixture attribute stem)
    ("teams", "teams", "team"),
    ("experts", "experts", "expert"),
    ("equipment", "equipment", "equipment"),
    ("warehouses", "warehouses", "warehouse"),
    ("shelters", "shelters", "shelter"),
]


@pytest.mark.parametrize(("api_path", "page_path", "stem"), REGISTRIES)
def test_street_officer_gets_404_for_another_streets_record_in_api(stock, cast, api, bearer, api_path, page_path, stem):
    headers = bearer(cast.street_officer)
    own, other = getattr(stock, f"{stem}_a"), getattr(stock, f"{stem}_b")
    assert api.get(f"/api/v1/{api_path}/{own.pk}", headers=headers).status_code == 200
    response = api.get(f"/api/v1/{api_path}/{other.pk}", headers=headers)
    assert response.status_code == 404 and response.json() == {"detail": "未找到"}
    listed = api.get(f"/api/v1/{api_path}", headers=headers).json()
    assert [row["id"] for row in listed["items"]] == [own.pk]
    # Changing it is as impossible as seeing it.
    assert (
        api.patch(f"/api/v1/{api_path}/{other.pk}", {"name": "x"}, "application/json", headers=headers).status_code
        == 404
    )


@pytest.mark.parametrize(("api_path", "page_path", "stem"), REGISTRIES)
def test_street_officer_gets_404_for_another_streets_record_in_pages(stock, cast, client, api_path, page_path, stem):
    client.force_login(cast.street_officer)
    own, other = getattr(stock, f"{stem}_a"), getattr(stock, f"{stem}_b")
    assert client.get(f"/resources/{page_path}/{own.pk}/").status_code == 200
    assert client.get(f"/resources/{page_path}/{other.pk}/").status_code == 404
    assert client.get(f"/resources/{page_path}/{other.pk}/edit/").status_code == 404
    listing = client.get(f"/resources/{page_path}/").content.decode()
    assert str(own) in listing and str(other) not in listing


@pytest.mark.parametrize(("api_path", "page_path", "stem"), REGISTRIES)
def test_enterprise_manager_sees_none_of_the_streets_records(stock, cast, api, bearer, api_path, page_path, stem):
    headers = bearer(cast.enterprise_manager)
    assert api.get(f"/api/v1/{api_path}", headers=headers).json()["count"] == 0
    assert api.get(f"/api/v1/{api_path}/{getattr(stock, f'{stem}_a').pk}", headers=headers).status_code == 404


def test_enterprise_manager_sees_their_own_equipment_only(stock, cast, api, bearer):
    headers = bearer(cast.enterprise_manager)
    created = api.post(
        "/api/v1/equipment",
        {"code": "EQ-X", "name": "甲化工消防车", "category": "fire_engine", "org": cast.enterprise_x.pk},
        "application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.json()
    rows = api.get("/api/v1/equipment", headers=headers).json()["items"]
    assert [r["code"] for r in rows] == ["EQ-X"]
    # Another street's enterprise is "not found" as an owner.
    refused = api.post(
        "/api/v1/equipment",
        {"code": "EQ-Y", "name": "乙建材铲车", "category": "loader", "org": cast.enterprise_y.pk},
        "application/json",
        headers=headers,
    )
    assert refused.status_code == 400 and "org" in refused.json()["errors"]


def test_district_staff_see_both_streets(stock, cast, api, bearer):
    rows = api.get("/api/v1/shelters", headers=bearer(cast.duty)).json()["items"]
    assert {r["code"] for r in rows} == {"SH-A", "SH-B"}


def test_role_without_the_right_gets_403(stock, cast, api, bearer):
    # The duty officer may read experts but not register one.
    response = api.post(
        "/api/v1/experts",
        {"code": "EX-N", "name": "王磊", "field": "fire", "org": cast.street_a.pk},
        "application/json",
        headers=bearer(cast.duty),
    )
    assert response.status_code == 403
    material = api.post(
        "/api/v1/materials",
        {"code": "M-N", "name": "编织袋", "category": "flood", "unit": "条"},
        "application/json",
        headers=bearer(cast.street_officer),
    )
    assert material.status_code == 403


def test_page_edit_without_the_right_is_403(stock, cast, client):
    client.force_login(cast.duty)
    assert client.get("/resources/experts/new/").status_code == 403
    assert client.get(f"/resources/shelters/{stock.shelter_a.pk}/edit/").status_code == 403


def test_outsider_sees_nothing(stock, cast, api, bearer):
    headers = bearer(cast.outsider)
    for path in ("teams", "experts", "equipment", "warehouses", "shelters"):
        assert api.get(f"/api/v1/{path}", headers=headers).json()["count"] == 0
