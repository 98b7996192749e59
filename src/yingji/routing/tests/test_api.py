"""API of road networks: listing for any signed-in user, switching for system administrators only."""

import pytest

from yingji.routing.models import RoadNetwork
from yingji.routing.tests.conftest import make_network, offset

pytestmark = pytest.mark.django_db

TWO_NODES = ([offset(0, 0), offset(0, 300)], [(0, 1, 30, False)])


@pytest.fixture
def networks(db) -> tuple[RoadNetwork, RoadNetwork]:
    return make_network(*TWO_NODES, name="demo", illustrative=True), make_network(
        *TWO_NODES, name="real", activate=False
    )


def test_any_signed_in_user_lists_networks(api, bearer, cast, networks, django_assert_max_num_queries):
    headers = bearer(cast.enterprise_manager)
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/routing/networks", headers=headers)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(n["name"], n["active"], n["illustrative"]) for n in items] == [
        ("demo", True, True),
        ("real", False, False),
    ]
    assert items[0]["node_count"] == 2 and len(items[0]["bounds"]) == 4


def test_listing_needs_sign_in(api, networks):
    assert api.get("/api/v1/routing/networks").status_code == 401


def test_filter_by_active(api, bearer, cast, networks):
    response = api.get("/api/v1/routing/networks?active=false", headers=bearer(cast.duty))
    assert [n["name"] for n in response.json()["items"]] == ["real"]


def test_admin_activates_a_network(api, bearer, cast, networks):
    _demo, real = networks
    response = api.post(f"/api/v1/routing/networks/{real.pk}/activate", headers=bearer(cast.admin))
    assert response.status_code == 200
    assert response.json()["active"] is True
    assert RoadNetwork.objects.get(active=True) == real


def test_non_admin_may_not_activate(api, bearer, cast, networks):
    _demo, real = networks
    for user in (cast.duty, cast.street_officer, cast.enterprise_manager):
        response = api.post(f"/api/v1/routing/networks/{real.pk}/activate", headers=bearer(user))
        assert response.status_code == 403
    real.refresh_from_db()
    assert not real.active


def test_unknown_network_is_404(api, bearer, cast, networks):
    assert api.post("/api/v1/routing/networks/9999/activate", headers=bearer(cast.admin)).status_code == 404
    assert api.get("/api/v1/routing/networks/9999", headers=bearer(cast.admin)).status_code == 404
