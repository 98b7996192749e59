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
