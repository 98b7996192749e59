import pytest

from yingji.core.models import OrgUnit
from yingji.core.scopes import scoped


def names(user) -> set[str]:
    return set(scoped(OrgUnit.objects.all(), user, org_field="").values_list("name", flat=True))


def test_district_staff_see_the_whole_district(cast):
    assert names(cast.duty) == set(OrgUnit.objects.values_list("name", flat=True))


def test_street_officer_sees_own_street_and_what_lies_under_it(cast):
    assert names(cast.street_officer) == {"甲街道", "甲一社区", "甲化工有限公司"}


def test_enterprise_manager_sees_only_their_enterprise(cast):
    assert names(cast.enterprise_manager) == {"甲化工有限公司"}


def test_user_without_org_sees_nothing(cast):
    assert names(cast.outsider) == set()


def test_inactive_user_sees_nothing(cast):
    cast.duty.is_active = False
    assert names(cast.duty) == set()


def test_street_officer_cannot_see_other_streets_enterprise_in_api(cast, api, bearer):
    headers = bearer(cast.street_officer)
    assert api.get(f"/api/v1/orgs/{cast.enterprise_x.pk}", headers=headers).status_code == 200
    response = api.get(f"/api/v1/orgs/{cast.enterprise_y.pk}", headers=headers)
    assert response.status_code == 404
    # "Not yours" answers exactly like "not found".
    missing = api.get("/api/v1/orgs/999999", headers=headers)
    assert missing.status_code == 404 and missing.json() == response.json()


def test_street_officer_cannot_see_other_streets_enterprise_in_pages(cast, client):
    client.force_login(cast.street_officer)
    assert client.get(f"/orgs/{cast.enterprise_x.pk}/").status_code == 200
    assert client.get(f"/orgs/{cast.enterprise_y.pk}/").status_code == 404
    listing = client.get("/orgs/").content.decode()
    assert "甲化工有限公司" in listing and "乙建材有限公司" not in listing


@pytest.mark.parametrize("who", ["enterprise_manager", "outsider"])
def test_others_get_404_for_a_street(cast, api, bearer, who):
    response = api.get(f"/api/v1/orgs/{cast.street_b.pk}", headers=bearer(getattr(cast, who)))
    assert response.status_code == 404
