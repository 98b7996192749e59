"""Material requests on the incident page: the same service as the API, field errors in Chinese, permissions."""

import pytest
from django.test import Client

from yingji.incidents.models import EventKind, MaterialRequest
from yingji.resources.models import StockBalance, StockMovement
from yingji.resources.services import stock_receive

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stocked(stock):
    stock_receive(by=None, warehouse=stock.warehouse_a, item=stock.water, quantity=10, reason="入库")
    return stock


def form(stocked, quantity: int, reason: str = "现场人员饮水") -> dict:
    return {
        "mat-warehouse": stocked.warehouse_a.pk,
        "mat-item": stocked.water.pk,
        "mat-quantity": quantity,
        "mat-reason": reason,
    }


def test_page_offers_the_items_in_stock_at_each_warehouse(cast, record, stocked):
    page = signed_in(cast.duty).get(f"/incidents/{record().pk}/").content.decode()
    assert 'id="material-form"' in page
    assert f'value="{stocked.water.pk}" data-warehouses="{stocked.warehouse_a.pk}"' in page
    assert f'<option value="{stocked.warehouse_a.pk}">' in page
    # The other warehouse holds nothing: it is not offered.
    assert f'<option value="{stocked.warehouse_b.pk}">' not in page


def test_page_request_issues_stock_and_shows_on_page_and_timeline(cast, record, stocked):
    incident = record()
    client = signed_in(cast.duty)
    response = client.post(f"/incidents/{incident.pk}/materials/", form(stocked, 6))
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    request = MaterialRequest.objects.get()
    assert (request.quantity, request.reason, request.requested_by) == (6, "现场人员饮水", cast.duty)
    assert StockBalance.objects.get(warehouse=stocked.warehouse_a, item=stocked.water).quantity == 4
    movement = StockMovement.objects.get(delta=-6)
    assert movement.reason == f"{incident.code} 现场人员饮水"
    entry = incident.timeline.get(kind=EventKind.DISPATCH)
    assert "调拨物资" in entry.text and "× 6" in entry.text and "现场人员饮水" in entry.text
    page = client.get(response["Location"]).content.decode()
    table = page[page.index('id="materials"') :]
    assert "现场人员饮水" in table and "已出库" in table and "甲街道物资储备库" in table
    assert "物资已出库。" in page


def test_overdraw_shows_the_field_error_in_chinese_and_writes_nothing(cast, record, stocked):
    incident = record()
    entries = incident.timeline.count()
    response = signed_in(cast.duty).post(f"/incidents/{incident.pk}/materials/", form(stocked, 11))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<small class="errors">可用库存仅 10' in page
    assert MaterialRequest.objects.count() == 0
    assert StockMovement.objects.filter(delta__lt=0).count() == 0
    assert StockBalance.objects.get(warehouse=stocked.warehouse_a, item=stocked.water).quantity == 10
    assert incident.timeline.count() == entries
    # The form comes back with what was typed.
    assert 'value="11"' in page


def test_item_not_held_by_the_warehouse_is_refused(cast, record, stocked):
    incident = record()
    data = {**form(stocked, 1), "mat-warehouse": stocked.warehouse_b.pk}
    response = signed_in(cast.duty).post(f"/incidents/{incident.pk}/materials/", data)
    assert response.status_code == 200 and MaterialRequest.objects.count() == 0


def test_role_without_the_right_gets_403(cast, record, stocked):
    incident = record()
    client = signed_in(cast.street_officer)
    assert 'id="material-form"' not in client.get(f"/incidents/{incident.pk}/").content.decode()
    assert client.post(f"/incidents/{incident.pk}/materials/", form(stocked, 1)).status_code == 403
    assert MaterialRequest.objects.count() == 0


def test_incident_outside_the_scope_is_not_found(cast, record, stocked):
    incident = record(enterprise=cast.enterprise_y, lat=30.205, lon=115.075)
    response = signed_in(cast.street_officer).post(f"/incidents/{incident.pk}/materials/", form(stocked, 1))
    assert response.status_code == 404


def test_api_lists_the_requests_with_their_reason(api, cast, bearer, record, stocked, django_assert_max_num_queries):
    incident = record()
    headers = bearer(cast.duty)
    body = {"warehouse": stocked.warehouse_a.pk, "item": stocked.water.pk, "quantity": 3, "reason": "转移群众"}
    created = api.post(
        f"/api/v1/incidents/{incident.pk}/materials", body, content_type="application/json", headers=headers
    )
    assert created.status_code == 201 and created.json()["reason"] == "转移群众"
    api.post(f"/api/v1/incidents/{incident.pk}/materials", body, content_type="application/json", headers=headers)
    with django_assert_max_num_queries(3):
        response = api.get(f"/api/v1/incidents/{incident.pk}/materials", headers=headers)
    assert response.status_code == 200
    row, _older = response.json()
    assert row["item_name"] == stocked.water.name and row["quantity"] == 3 and row["requested_by"] == "t_duty"
    assert api.get(f"/api/v1/incidents/{incident.pk}/materials", headers=bearer(cast.outsider)).status_code == 404
