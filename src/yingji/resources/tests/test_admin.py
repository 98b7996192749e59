"""The admin pages of the registries open, and saving goes through the services (and so the audit chain)."""

import pytest

from yingji.core.models import AuditEntry
from yingji.resources.models import MaterialItem


@pytest.mark.parametrize(
    "model",
    [
        "team",
        "expert",
        "equipment",
        "materialitem",
        "warehouse",
        "shelter",
        "stockbalance",
        "stocklot",
        "stockmovement",
    ],
)
def test_changelists_open(stock, cast, client, model):
    client.force_login(cast.admin)
    assert client.get(f"/admin/resources/{model}/").status_code == 200


def test_adding_a_material_in_the_admin_is_audited(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        "/admin/resources/materialitem/add/",
        {"code": "M-ADM", "name": "编织袋", "category": "flood", "spec": "", "unit": "条", "shelf_life_days": ""},
    )
    assert response.status_code == 302
    item = MaterialItem.objects.get(code="M-ADM")
    assert AuditEntry.objects.filter(action="resources.materialitem.create", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    ("slug", "row", "other"),
    [
        ("teams", "team_a", "team_b"),
        ("experts", "expert_a", "expert_b"),
        ("equipment", "equipment_a", "equipment_b"),
        ("materials", "water", "tent"),
        ("warehouses", "warehouse_a", "warehouse_b"),
        ("shelters", "shelter_a", "shelter_b"),
    ],
)
def test_each_registry_admin_lists_searches_and_opens_its_rows(stock, cast, client, slug, row, other):
    from yingji.resources.registries import REGISTRIES

    registry = REGISTRIES[slug]
    obj, other_obj = getattr(stock, row), getattr(stock, other)
    base = f"/admin/resources/{registry.model._meta.model_name}/"
    client.force_login(cast.admin)
    listing = client.get(base).content.decode()
    assert str(obj) in listing and str(other_obj) in listing
    assert all(str(label) in listing for label, _cell in registry.columns)  # the pages' columns
    found = client.get(base, {"q": str(obj)})
    assert found.status_code == 200
    assert str(obj) in found.content.decode() and str(other_obj) not in found.content.decode()
    change = client.get(f"{base}{obj.pk}/change/")
    assert change.status_code == 200 and str(obj) in change.content.decode()
    assert client.get(f"{base}add/").status_code == 200
