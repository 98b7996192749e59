"""Pages of road networks: list, detail with the roads as GeoJSON, switching by administrators only."""

import pytest

from yingji.routing.models import RoadNetwork
from yingji.routing.tests.conftest import make_network, offset

pytestmark = pytest.mark.django_db

TWO_NODES = ([offset(0, 0), offset(0, 300), offset(300, 300)], [(0, 1, 30, False), (1, 2, 30, True)])


@pytest.fixture
def networks(db) -> tuple[RoadNetwork, RoadNetwork]:
    demo = make_network(*TWO_NODES, name="示意路网", illustrative=True)
    return demo, make_network(*TWO_NODES, name="real", activate=False)


def test_list_shows_networks_with_the_illustrative_label(client, cast, networks):
    client.force_login(cast.street_officer)
    response = client.get("/routing/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "示意路网" in body and "示意" in body and "real" in body
    assert client.get("/routing/?q=real").context["page"].object_list[0].name == "real"


def test_pages_need_sign_in(client, networks):
    assert client.get("/routing/").status_code == 302


def test_detail_and_its_roads(client, cast, networks):
    demo, _real = networks
    client.force_login(cast.duty)
    assert client.get(f"/routing/{demo.pk}/").status_code == 200
    roads = client.get(f"/routing/{demo.pk}/roads.geojson").json()
    # The two-way street is drawn once, the one-way street once.
    assert sum(len(f["geometry"]["coordinates"]) for f in roads["features"]) == 2
    assert client.get("/routing/9999/").status_code == 404


def test_admin_switches_networks_from_the_page(client, cast, networks):
    _demo, real = networks
    client.force_login(cast.admin)
    assert "routing/" in client.get(f"/routing/{real.pk}/").content.decode()
    response = client.post(f"/routing/{real.pk}/activate/")
    assert response.status_code == 302
    real.refresh_from_db()
    assert real.active


def test_others_cannot_switch_networks_from_the_page(client, cast, networks):
    _demo, real = networks
    client.force_login(cast.duty)
    client.post(f"/routing/{real.pk}/activate/")
    real.refresh_from_db()
    assert not real.active


def test_roads_map_layer_draws_the_active_network(api, bearer, cast, networks):
    response = api.get("/api/v1/map/layers/roads", headers=bearer(cast.duty))
    assert response.status_code == 200
    assert {f["properties"]["road_class"] for f in response.json()["features"]} == {"residential"}


def test_admin_pages_list_networks(client, cast, networks):
    client.force_login(cast.admin)
    assert client.get("/admin/routing/roadnetwork/").status_code == 200
    demo, _real = networks
    assert client.get(f"/admin/routing/roadnetwork/{demo.pk}/change/").status_code == 200
