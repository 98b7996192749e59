"""Rules of the org tree: which unit may sit where, and moving a subtree."""

import pytest

from yingji.core.errors import ValidationFailed
from yingji.core.models import AuditEntry, OrgKind, OrgUnit
from yingji.core.services import org_create, org_update


def test_community_cannot_sit_under_the_district(cast):
    with pytest.raises(ValidationFailed) as err:
        org_create(by=None, code="X1", name="错位社区", kind=OrgKind.COMMUNITY, parent=cast.district)
    assert "parent" in err.value.errors
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_street_needs_a_parent(db):
    with pytest.raises(ValidationFailed) as err:
        org_create(by=None, code="X2", name="孤立街道", kind=OrgKind.STREET)
    assert "parent" in err.value.errors


def test_codes_are_unique(cast):
    with pytest.raises(ValidationFailed) as err:
        org_create(by=None, code="T-A", name="重复", kind=OrgKind.STREET, parent=cast.district)
    assert "code" in err.value.errors


def test_latitude_without_longitude_is_refused(cast):
    with pytest.raises(ValidationFailed) as err:
        org_create(by=None, code="X3", name="半个坐标", kind=OrgKind.STREET, parent=cast.district, lat=30.2)
    assert "lon" in err.value.errors


def test_moving_a_community_moves_its_subtree_and_changes_who_sees_it(cast):
    enterprise = org_create(by=None, code="X4", name="社区企业", kind=OrgKind.ENTERPRISE, parent=cast.community_a)
    org_update(by=cast.admin, org=cast.community_a, parent=cast.street_b)
    enterprise.refresh_from_db()
    assert enterprise.path == f"/{cast.district.pk}/{cast.street_b.pk}/{cast.community_a.pk}/{enterprise.pk}/"
    entry = AuditEntry.objects.filter(action="core.org.update").latest("seq")
    assert entry.payload == {"parent": [cast.street_a.pk, cast.street_b.pk]}
    assert entry.actor_name == "t_admin"


def test_a_unit_cannot_move_under_its_own_descendant(cast):
    with pytest.raises(ValidationFailed):
        org_update(by=None, org=cast.street_a, parent=cast.community_a)


def test_admin_edits_go_through_the_service_and_the_audit_chain(cast, client):
    client.force_login(cast.admin)
    before = AuditEntry.objects.count()
    response = client.post(
        f"/admin/core/orgunit/{cast.street_a.pk}/change/",
        {
            "code": "T-A",
            "name": "甲街道（改）",
            "kind": "street",
            "parent": cast.district.pk,
            "address": "",
            "contact": "",
            "phone": "",
            "industry": "",
            "active": "on",
            "area": "null",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.street_a.refresh_from_db()
    assert cast.street_a.name == "甲街道（改）"
    assert AuditEntry.objects.count() == before + 1


def test_admin_cannot_delete_units(cast, client):
    client.force_login(cast.admin)
    assert client.get(f"/admin/core/orgunit/{cast.street_a.pk}/delete/").status_code == 403
