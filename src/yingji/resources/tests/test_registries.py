"""The resource registries declared once (core.registry): write schemas follow the model; lists do not grow
queries with rows."""

import pytest

from yingji.core.registry import write_schemas
from yingji.resources.models import Expert, Warehouse
from yingji.resources.registries import REGISTRIES
from yingji.resources.services import expert_create, warehouse_create

pytestmark = pytest.mark.django_db


def test_write_schemas_take_their_limits_from_the_model():
    create, patch = write_schemas(REGISTRIES["experts"])
    properties = create.model_json_schema()["properties"]
    assert properties["code"]["maxLength"] == Expert._meta.get_field("code").max_length
    assert set(properties["field"]["enum"]) == {value for value, _label in Expert._meta.get_field("field").choices}
    assert "org" in create.model_json_schema()["required"]
    assert "required" not in patch.model_json_schema()


def test_a_code_longer_than_the_column_is_a_field_error(cast, api, bearer):
    too_long = "X" * (Warehouse._meta.get_field("code").max_length + 1)
    response = api.post(
        "/api/v1/warehouses",
        {"code": too_long, "name": "仓库", "org": cast.street_a.pk},
        content_type="application/json",
        headers=bearer(cast.admin),
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["code"]


def test_patch_with_null_for_a_required_field_is_a_field_error(cast, api, bearer):
    warehouse = warehouse_create(by=None, org=cast.street_a, code="W-1", name="甲仓库")
    for field in ("name", "org", "active"):
        response = api.patch(
            f"/api/v1/warehouses/{warehouse.pk}",
            {field: None},
            content_type="application/json",
            headers=bearer(cast.admin),
        )
        assert response.status_code == 400, field
        assert list(response.json()["errors"]) == [field]
    # A nullable field may be cleared.
    response = api.patch(
        f"/api/v1/warehouses/{warehouse.pk}",
        {"lat": None, "lon": None},
        content_type="application/json",
        headers=bearer(cast.admin),
    )
    assert response.status_code == 200


def test_ids_past_the_database_range_are_not_found(cast, api, bearer):
    for slug in REGISTRIES:
        response = api.get(f"/api/v1/{slug}/{2**63}", headers=bearer(cast.admin))
        assert response.status_code == 404, slug


def test_an_owner_outside_the_scope_reads_as_unknown(cast, api, bearer):
    response = api.post(
        "/api/v1/experts",
        {"code": "E-1", "name": "张工", "field": "hazchem", "org": cast.street_b.pk},
        content_type="application/json",
        headers=bearer(cast.street_officer),
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["org"]


def test_registry_lists_do_not_grow_queries_with_rows(cast, api, bearer, django_assert_max_num_queries):
    for n in range(30):
        expert_create(by=None, org=cast.street_a, code=f"E-{n}", name=f"专家{n}", field="hazchem")
        warehouse_create(by=None, org=cast.street_a, code=f"W-{n}", name=f"仓库{n}")
    headers = bearer(cast.admin)
    for slug in ("experts", "warehouses", "materials", "equipment", "shelters", "teams"):
        with django_assert_max_num_queries(8):
            response = api.get(f"/api/v1/{slug}?page_size=100", headers=headers)
        assert response.status_code == 200, slug
    assert api.get("/api/v1/experts?page_size=100", headers=headers).json()["count"] == 30
