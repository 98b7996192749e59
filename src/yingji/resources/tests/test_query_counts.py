"""Query-count pins on the registries' lists, API and pages, the stock ledger and the alerts: with 25 rows of each,
one query per row would break the pin."""

import pytest

from yingji.resources import services
from yingji.resources.registries import REGISTRIES

pytestmark = pytest.mark.django_db

ROWS = 25
# The counts with 2 rows of each were the same: session, user and permissions, the scoped rows, the page's count.
API, PAGE, LEDGER, ALERTS_API, ALERTS_PAGE, WAREHOUSE = 8, 9, 4, 3, 11, 13


@pytest.fixture
def many(cast):
    """25 rows of every registry in street A, and a warehouse holding 25 materials (each below its minimum)."""
    street = cast.street_a
    for n in range(ROWS):
        services.team_create(
            by=None, parent=street, code=f"TM-{n}", name=f"队伍{n}", kind="water", lat=30.21, lon=115.08, headcount=9
        )
        services.expert_create(by=None, org=street, code=f"EX-{n}", name=f"专家{n}", field="hazchem")
        services.equipment_create(by=None, org=street, code=f"EQ-{n}", name=f"泵车{n}", category="pump")
        services.shelter_create(
            by=None,
            org=street,
            code=f"SH-{n}",
            name=f"广场{n}",
            kind="outdoor",
            shelter_class="emergency",
            effective_area_m2=5000,
        )
        services.warehouse_create(by=None, org=street, code=f"WH-{n}", name=f"仓库{n}")
    store = services.warehouse_create(by=None, org=street, code="WH-MAIN", name="主库")
    for n in range(ROWS):
        item = services.material_create(by=None, code=f"M-{n}", name=f"物资{n}", category="food", unit="箱")
        services.stock_receive(by=None, warehouse=store, item=item, quantity=5, reason="入库", batch=f"B{n}")
        services.stock_minimum_set(by=None, warehouse=store, item=item, minimum=10)
    return store


@pytest.mark.parametrize("slug", list(REGISTRIES))
def test_registry_list_api_and_page(many, slug, api, bearer, cast, client, django_assert_max_num_queries):
    headers = bearer(cast.admin)
    with django_assert_max_num_queries(API):
        response = api.get(f"/api/v1/{slug}?page_size=100", headers=headers)
    assert response.json()["count"] >= ROWS
    client.force_login(cast.admin)
    with django_assert_max_num_queries(PAGE):
        page = client.get(f"/resources/{slug}/")
    assert page.status_code == 200


def test_stock_ledger_api_and_warehouse_page(many, api, bearer, cast, client, django_assert_max_num_queries):
    headers = bearer(cast.admin)
    for path in ("stock", "movements?page_size=100"):
        with django_assert_max_num_queries(LEDGER):
            response = api.get(f"/api/v1/warehouses/{many.pk}/{path}", headers=headers)
        assert response.status_code == 200
    with django_assert_max_num_queries(ALERTS_API):
        alerts = api.get("/api/v1/stock/alerts", headers=headers)
    assert len(alerts.json()["below_minimum"]) == ROWS
    client.force_login(cast.admin)
    with django_assert_max_num_queries(WAREHOUSE):
        page = client.get(f"/resources/warehouses/{many.pk}/")
    assert page.status_code == 200 and f"物资{ROWS - 1}" in page.content.decode()
    with django_assert_max_num_queries(ALERTS_PAGE):
        assert client.get("/resources/alerts/").status_code == 200
