"""The registries' API: status codes, bodies, validation and pinned query counts."""

import pytest
import time_machine

from yingji.core.models import AuditEntry, OrgKind, OrgUnit
from yingji.resources import services
from yingji.resources.models import Team


def post(api, path, body, headers):
    return api.post(path, body, "application/json", headers=headers)


def patch(api, path, body, headers):
    return api.patch(path, body, "application/json", headers=headers)


def test_creating_a_team_creates_its_org_unit(cast, api, bearer):
    response = post(
        api,
        "/api/v1/teams",
        {
            "code": "TM-NEW",
            "name": "甲街道应急志愿服务队",
            "kind": "volunteer",
            "parent": cast.street_a.pk,
            "lat": 30.215,
            "lon": 115.085,
            "leader": "陈静",
            "phone": "0714-6300001",
            "headcount": 30,
            "on_duty": 10,
        },
        bearer(cast.street_officer),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind_label"] == "志愿者队伍" and body["leader"] == "陈静" and body["parent"] == cast.street_a.pk
    org = OrgUnit.objects.get(code="TM-NEW")
    assert org.kind == OrgKind.TEAM and org.parent == cast.street_a and org.path.startswith(cast.street_a.path)
    assert Team.objects.get(org=org).headcount == 30
    assert AuditEntry.objects.filter(action="resources.team.create").exists()


def test_on_duty_above_headcount_is_a_field_error(cast, api, bearer):
    response = post(
        api,
        "/api/v1/teams",
        {"code": "T1", "name": "队", "kind": "water", "parent": cast.street_a.pk, "headcount": 2, "on_duty": 5},
        bearer(cast.admin),
    )
    assert response.status_code == 400 and "on_duty" in response.json()["errors"]


def test_unknown_choice_is_a_field_error(cast, api, bearer):
    response = post(
        api,
        "/api/v1/teams",
        {"code": "T1", "name": "队", "kind": "pirates", "parent": cast.street_a.pk},
        bearer(cast.admin),
    )
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_team_leader_updates_the_status(stock, cast, api, bearer):
    response = patch(api, f"/api/v1/teams/{stock.team_a.pk}", {"status": "deployed"}, bearer(cast.duty))
    assert response.status_code == 200 and response.json()["status_label"] == "已出动"


def test_shelter_capacity_is_derived_from_area_and_class(cast, api, bearer):
    response = post(
        api,
        "/api/v1/shelters",
        {
            "code": "SH-N",
            "name": "青山湖公园",
            "kind": "outdoor",
            "shelter_class": "fixed_short",
            "effective_area_m2": 30000,
            "org": cast.street_a.pk,
            "facilities": ["water", "toilets"],
        },
        bearer(cast.street_officer),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["capacity"] == 15000 and response.json()["facilities"] == ["water", "toilets"]


def test_occupancy_above_capacity_is_refused(stock, cast, api, bearer):
    path = f"/api/v1/shelters/{stock.shelter_a.pk}"
    assert patch(api, path, {"occupancy": 10000}, bearer(cast.street_officer)).status_code == 200
    response = patch(api, path, {"occupancy": 10001}, bearer(cast.street_officer))
    assert response.status_code == 400 and "occupancy" in response.json()["errors"]


def test_stated_capacity_needs_more_than_1_5_square_metres_each(cast, api, bearer):
    body = {
        "code": "SH-C",
        "name": "桂花广场",
        "kind": "outdoor",
        "shelter_class": "fixed_short",
        "effective_area_m2": 3000,
        "capacity_given": 2000,
        "org": cast.street_a.pk,
    }
    response = post(api, "/api/v1/shelters", body, bearer(cast.admin))
    assert response.status_code == 400 and "capacity_given" in response.json()["errors"]
    assert post(api, "/api/v1/shelters", {**body, "capacity_given": 1999}, bearer(cast.admin)).status_code == 201


@time_machine.travel("2026-06-01 09:00 +0800", tick=False)
def test_equipment_maintenance_overdue_filter(stock, cast, api, bearer):
    services.equipment_update(by=None, equipment=stock.equipment_a, next_maintenance="2026-05-01")
    rows = api.get("/api/v1/equipment?overdue=true", headers=bearer(cast.duty)).json()["items"]
    assert [(r["code"], r["maintenance_overdue"]) for r in rows] == [("EQ-A", True)]


def test_stock_movements_through_the_api(stock, cast, api, bearer):
    headers = bearer(cast.street_officer)
    path = f"/api/v1/warehouses/{stock.warehouse_a.pk}/movements"
    received = post(api, path, {"kind": "in", "item": stock.tent.pk, "quantity": 8, "reason": "采购"}, headers)
    assert received.status_code == 201 and received.json()[0]["balance_after"] == 8
    over = post(api, path, {"kind": "out", "item": stock.tent.pk, "quantity": 9, "reason": "调用"}, headers)
    assert over.status_code == 400 and "quantity" in over.json()["errors"]
    balances = api.get(f"/api/v1/warehouses/{stock.warehouse_a.pk}/stock", headers=headers).json()
    assert [(b["item_code"], b["quantity"]) for b in balances] == [("M-TENT", 8)]
    materials = api.get("/api/v1/materials", headers=headers).json()["items"]
    assert {m["code"]: m["on_hand"] for m in materials} == {"M-TENT": 8, "M-WATER": 0}
    # Street B's officer would not see street A's stock in the catalogue totals.
    assert api.get(f"/api/v1/warehouses/{stock.warehouse_b.pk}/stock", headers=headers).status_code == 404


def test_a_transfer_never_shows_the_receiving_warehouse_outside_the_senders_scope(stock, cast, api, bearer):
    headers = bearer(cast.street_officer)
    path = f"/api/v1/warehouses/{stock.warehouse_a.pk}/movements"
    post(api, path, {"kind": "in", "item": stock.tent.pk, "quantity": 8, "reason": "采购"}, headers)
    sent = post(
        api,
        path,
        {
            "kind": "transfer",
            "item": stock.tent.pk,
            "quantity": 3,
            "reason": "支援乙街道",
            "target": stock.warehouse_b.pk,
        },
        headers,
    )
    assert sent.status_code == 201, sent.content
    assert [m["warehouse"] for m in sent.json()] == [stock.warehouse_a.pk]  # street B's balance stays unseen


@pytest.mark.parametrize("path", ["teams", "experts", "equipment", "materials", "warehouses", "shelters"])
def test_list_endpoints_have_a_fixed_number_of_queries(stock, cast, api, bearer, path, django_assert_max_num_queries):
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/{path}", headers=headers)
    assert response.status_code == 200 and response.json()["count"] >= 2


def test_unauthenticated_is_401(api):
    assert api.get("/api/v1/teams").status_code == 401
