"""Numbers no real registry holds are refused with a 400 before they reach the ledger or the flow solver,
and a PATCH with null for a required field is a 400."""

import pytest

from yingji.resources.models import StockBalance


def move(api, headers, warehouse, **body):
    return api.post(
        f"/api/v1/warehouses/{warehouse.pk}/movements", body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("quantity", [2**62, 10**9 + 1])
def test_an_unbounded_ledger_adjustment_is_refused(stock, cast, api, bearer, quantity):
    headers = bearer(cast.admin)
    response = move(
        api, headers, stock.warehouse_a, kind="adjust", item=stock.water.pk, quantity=quantity, reason="盘点"
    )
    assert response.status_code == 400 and "quantity" in response.json()["errors"], response.content
    assert not StockBalance.objects.filter(quantity__gt=10**9).exists()
    # The registry stays readable for everyone afterwards.
    assert api.get("/api/v1/materials", headers=headers).status_code == 200
    assert api.get("/api/v1/materials/export", headers=headers).status_code == 200


def test_receipts_cannot_pile_up_beyond_the_bound(stock, cast, api, bearer):
    headers = bearer(cast.admin)
    first = move(api, headers, stock.warehouse_a, kind="in", item=stock.water.pk, quantity=10**9, reason="入库")
    assert first.status_code == 201, first.content
    again = move(api, headers, stock.warehouse_a, kind="in", item=stock.water.pk, quantity=1, reason="入库")
    assert again.status_code == 400 and "quantity" in again.json()["errors"]


@pytest.mark.parametrize("population", [2**63, 10**12])
def test_evacuation_populations_beyond_any_district_are_refused(stock, cast, api, bearer, population):
    blocks = [{"id": "b1", "lat": 30.215, "lon": 115.085, "population": population}]
    response = api.post(
        "/api/v1/routing/evacuation", {"blocks": blocks}, content_type="application/json", headers=bearer(cast.admin)
    )
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    ("registry", "attribute", "body"),
    [
        ("teams", "team_a", {"on_duty": None}),
        ("teams", "team_a", {"notes": None}),
        ("experts", "expert_a", {"notes": None}),
        ("equipment", "equipment_a", {"org": None}),
        ("shelters", "shelter_a", {"org": None}),
        ("warehouses", "warehouse_a", {"org": None}),
    ],
)
def test_patch_with_null_for_a_required_field_is_a_400(stock, cast, api, bearer, registry, attribute, body):
    response = api.patch(
        f"/api/v1/{registry}/{getattr(stock, attribute).pk}",
        body,
        content_type="application/json",
        headers=bearer(cast.admin),
    )
    assert response.status_code == 400, response.content
