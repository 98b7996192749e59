"""Dispatch orders: lifecycle with timestamps, invalid moves (409), scopes, materials from the stock ledger."""

import pytest

from yingji.conftest import PASSWORD
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.incidents.models import Dispatch, EventKind, MaterialRequest
from yingji.resources.models import StockBalance
from yingji.resources.services import stock_receive

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


def send(api, headers, incident_id: int, **resource):
    return api.post(f"{URL}/{incident_id}/dispatches", resource, content_type="application/json", headers=headers)


def move(api, headers, dispatch_id: int, status: str):
    return api.patch(
        f"/api/v1/dispatches/{dispatch_id}", {"status": status}, content_type="application/json", headers=headers
    )


def test_dispatch_lifecycle_with_timestamps(api, cast, bearer, record, stock):
    incident = record()
    headers = bearer(cast.duty)
    response = send(api, headers, incident.pk, team=stock.team_a.pk)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["kind"], data["resource"]) == ("dispatched", "team", stock.team_a.pk)
    assert data["allowed"] == ["acknowledged", "released"]
    for status in ("acknowledged", "en_route", "on_scene", "released"):
        response = move(api, headers, data["id"], status)
        assert response.status_code == 200 and response.json()[f"{status}_at"]
    dispatch = Dispatch.objects.get()
    assert dispatch.dispatched_at <= dispatch.acknowledged_at <= dispatch.en_route_at <= dispatch.on_scene_at
    texts = list(incident.timeline.filter(kind=EventKind.DISPATCH).values_list("text", flat=True))
    assert texts[0].startswith("调派 甲街道水上救援队") and len(texts) == 5
    incident.refresh_from_db()
    assert incident.status == "responding"


def test_invalid_dispatch_transition_is_409_naming_allowed(api, cast, bearer, record, stock):
    headers = bearer(cast.duty)
    dispatch_id = send(api, headers, record().pk, equipment=stock.equipment_a.pk).json()["id"]
    response = move(api, headers, dispatch_id, "on_scene")
    assert response.status_code == 409
    assert response.json()["allowed"] == ["acknowledged", "released"]
    move(api, headers, dispatch_id, "released")
    response = move(api, headers, dispatch_id, "acknowledged")
    assert response.status_code == 409 and response.json()["allowed"] == []


def test_one_resource_per_order_and_no_double_dispatch(api, cast, bearer, record, stock):
    headers = bearer(cast.duty)
    incident = record()
    response = send(api, headers, incident.pk, team=stock.team_a.pk, expert=stock.expert_a.pk)
    assert response.status_code == 400
    assert send(api, headers, incident.pk, expert=stock.expert_a.pk).status_code == 201
    assert send(api, headers, incident.pk, expert=stock.expert_a.pk).status_code == 409


def test_team_leader_reports_progress_of_their_order(api, cast, bearer, record, stock):
    leader = user_create(by=None, username="t_team", password=PASSWORD, org=stock.team_b.org, roles=[Role.TEAM_LEADER])
    incident = record(enterprise=cast.enterprise_x)
    mine = send(api, bearer(cast.duty), incident.pk, team=stock.team_b.pk).json()["id"]
    other = send(api, bearer(cast.duty), incident.pk, team=stock.team_a.pk).json()["id"]
    assert move(api, bearer(leader), mine, "acknowledged").status_code == 200
    assert move(api, bearer(leader), other, "acknowledged").status_code == 404
    assert send(api, bearer(leader), incident.pk, team=stock.team_b.pk).status_code == 404


def test_street_officer_may_not_dispatch(api, cast, bearer, record, stock):
    assert send(api, bearer(cast.street_officer), record().pk, team=stock.team_a.pk).status_code == 403


def test_materials_leave_through_the_stock_ledger(api, cast, bearer, record, stock):
    stock_receive(by=None, warehouse=stock.warehouse_a, item=stock.water, quantity=10, reason="入库")
    incident = record()
    headers = bearer(cast.duty)
    body = {"warehouse": stock.warehouse_a.pk, "item": stock.water.pk, "quantity": 6}
    response = api.post(f"{URL}/{incident.pk}/materials", body, content_type="application/json", headers=headers)
    assert response.status_code == 201
    response = api.post(f"{URL}/{incident.pk}/materials", body, content_type="application/json", headers=headers)
    assert response.status_code == 400 and "quantity" in response.json()["errors"]
    assert StockBalance.objects.get(warehouse=stock.warehouse_a, item=stock.water).quantity == 4
    assert MaterialRequest.objects.count() == 1
