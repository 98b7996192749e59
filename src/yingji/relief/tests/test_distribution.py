"""Relief distribution draws on warehouse stock through the ledger and refuses serving a household twice."""

import pytest

from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.relief import services
from yingji.relief.models import Distribution
from yingji.resources.models import StockBalance, StockMovement


def on_hand(warehouse, item) -> int:
    return StockBalance.objects.get(warehouse=warehouse, item=item).quantity


def give(relief, by, **extra):
    fields = {
        "event": relief.event,
        "household": relief.home_a,
        "material": relief.stock.water,
        "warehouse": relief.stock.warehouse_a,
        "quantity": 2,
        "signed_by": "张三",
        **extra,
    }
    return services.distribution_create(by=by, **fields)


def test_distribution_moves_stock_through_the_ledger(cast, relief):
    distribution = give(relief, cast.street_officer)
    assert on_hand(relief.stock.warehouse_a, relief.stock.water) == 98
    (movement,) = StockMovement.objects.filter(pk__in=distribution.movements)
    assert movement.kind == "out" and movement.delta == -2 and "FL-2026-07" in movement.reason
    assert distribution.org == cast.community_a


def test_second_distribution_of_the_same_item_is_refused_unless_a_reason_is_given(cast, relief):
    give(relief, cast.street_officer)
    with pytest.raises(Conflict) as refused:
        give(relief, cast.street_officer)
    assert "override_reason" in refused.value.errors
    assert on_hand(relief.stock.warehouse_a, relief.stock.water) == 98
    # Another item is fine, and so is a repeat with a reason.
    give(relief, cast.street_officer, material=relief.stock.tent, quantity=1)
    give(relief, cast.street_officer, override_reason="家中新增两名转移安置人员")
    assert on_hand(relief.stock.warehouse_a, relief.stock.water) == 96
    assert Distribution.objects.filter(household=relief.home_a).count() == 3


def test_not_enough_stock_writes_nothing(cast, relief):
    with pytest.raises(ValidationFailed):
        give(relief, cast.street_officer, material=relief.stock.tent, quantity=11)
    assert not Distribution.objects.exists()
    assert on_hand(relief.stock.warehouse_a, relief.stock.tent) == 10


def test_street_cannot_serve_another_streets_household_or_draw_on_its_warehouse(cast, relief):
    with pytest.raises(ValidationFailed):
        give(relief, cast.street_officer, household=relief.home_b)
    with pytest.raises(ValidationFailed):
        give(relief, cast.street_officer, warehouse=relief.stock.warehouse_b)
    with pytest.raises(NotAllowed):
        give(relief, cast.enterprise_manager)


def test_closed_event_takes_no_more_distributions(cast, relief):
    services.event_close(by=cast.duty, event=relief.event)
    relief.event.refresh_from_db()
    with pytest.raises(Conflict):
        give(relief, cast.street_officer)


def test_api_distribution_201_then_409_then_override(api, bearer, cast, relief):
    payload = {
        "event": relief.event.pk,
        "household": relief.home_a.pk,
        "material": relief.stock.water.pk,
        "warehouse": relief.stock.warehouse_a.pk,
        "quantity": 3,
        "signed_by": "张三",
    }
    headers = bearer(cast.street_officer)
    first = api.post("/api/v1/relief/distributions", payload, content_type="application/json", headers=headers)
    assert first.status_code == 201 and first.json()["quantity"] == 3 and first.json()["movements"]
    second = api.post("/api/v1/relief/distributions", payload, content_type="application/json", headers=headers)
    assert second.status_code == 409 and "override_reason" in second.json()["errors"]
    payload["override_reason"] = "补发"
    third = api.post("/api/v1/relief/distributions", payload, content_type="application/json", headers=headers)
    assert third.status_code == 201
    history = api.get("/api/v1/relief/distributions", {"household": relief.home_a.pk}, headers=headers).json()
    assert history["count"] == 2
    assert on_hand(relief.stock.warehouse_a, relief.stock.water) == 94


@pytest.mark.parametrize(
    "change",
    [{"quantity": 0}, {"quantity": 10**10}, {"household": 2**63}, {"signed_by": ""}, {"material": "x"}],
)
def test_api_distribution_bad_input_is_400(api, bearer, cast, relief, change):
    payload = {
        "event": relief.event.pk,
        "household": relief.home_a.pk,
        "material": relief.stock.water.pk,
        "warehouse": relief.stock.warehouse_a.pk,
        "quantity": 1,
        "signed_by": "张三",
        **change,
    }
    response = api.post(
        "/api/v1/relief/distributions", payload, content_type="application/json", headers=bearer(cast.street_officer)
    )
    assert response.status_code == 400


def test_street_b_sees_no_street_a_distribution(api, bearer, cast, relief):
    give(relief, cast.street_officer)
    from yingji.conftest import PASSWORD
    from yingji.core.services import user_create

    officer_b = user_create(
        by=None, username="t_street_b", password=PASSWORD, org=cast.street_b, roles=["street_officer"]
    )
    assert api.get("/api/v1/relief/distributions", headers=bearer(officer_b)).json()["count"] == 0
    assert api.get("/api/v1/relief/distributions", headers=bearer(cast.duty)).json()["count"] == 1
    assert api.get("/api/v1/relief/households", headers=bearer(officer_b)).json()["count"] == 1
    assert api.get("/api/v1/relief/distributions", headers=bearer(cast.outsider)).json()["count"] == 0


def test_distribution_list_keeps_its_query_count(api, bearer, cast, relief, django_assert_max_num_queries):
    give(relief, cast.duty)
    give(relief, cast.duty, material=relief.stock.tent, quantity=1)
    give(relief, cast.duty, household=relief.home_b, warehouse=relief.stock.warehouse_b)
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/relief/distributions", headers=headers).json()["count"] == 3
