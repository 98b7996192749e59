"""The incident page's small map: the incident, its dispatched resources and their road routes as GeoJSON,
scoped like the incident (another street's officer and an outsider get 404), released resources left off."""

import pytest

from yingji.conftest import PASSWORD
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.routing.tests.conftest import make_network, offset

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


@pytest.fixture
def street_b_officer(cast):
    return user_create(
        by=None, username="t_street_b", password=PASSWORD, org=cast.street_b, roles=[Role.STREET_OFFICER]
    )


@pytest.fixture
def placed(record, stock):
    """A street 2 km long on the active network; the incident at its west end, team A at its east end."""
    make_network([offset(0, 500 * i) for i in range(5)], [(i, i + 1, 36, False) for i in range(4)])
    org = stock.team_a.org
    org.lat, org.lon = (float(v) for v in offset(0, 2000))
    org.save(update_fields=["lat", "lon"])
    lat, lon = (float(v) for v in offset(0, 0))
    return record(lat=lat, lon=lon, org=org.parent)


def send(api, headers, incident_id: int, **resource):
    return api.post(f"{URL}/{incident_id}/dispatches", resource, content_type="application/json", headers=headers)


def features(response, role: str) -> list[dict]:
    return [f for f in response.json()["features"] if f["properties"]["role"] == role]


def test_map_shows_incident_dispatched_team_and_its_route(api, bearer, cast, placed, stock):
    headers = bearer(cast.duty)
    assert send(api, headers, placed.pk, team=stock.team_a.pk).status_code == 201
    response = api.get(f"{URL}/{placed.pk}/map", headers=headers)
    assert response.status_code == 200
    (incident,) = features(response, "incident")
    assert incident["geometry"]["coordinates"] == [placed.lon, placed.lat]
    (team,) = features(response, "resource")
    assert team["properties"]["name"] == "甲街道水上救援队" and team["properties"]["status_label"] == "已派出"
    (route,) = features(response, "route")
    assert route["geometry"]["type"] == "LineString" and len(route["geometry"]["coordinates"]) >= 5
    assert 1900 <= route["properties"]["distance_m"] <= 2100
    assert route["properties"]["eta_s"] == pytest.approx(200, abs=5)  # 2 km at 36 km/h


def test_released_resources_leave_the_map(api, bearer, cast, placed, stock):
    headers = bearer(cast.duty)
    dispatch = send(api, headers, placed.pk, team=stock.team_a.pk).json()["id"]
    api.patch(
        f"/api/v1/dispatches/{dispatch}", {"status": "released"}, content_type="application/json", headers=headers
    )
    response = api.get(f"{URL}/{placed.pk}/map", headers=headers)
    assert features(response, "resource") == [] and features(response, "route") == []
    assert len(features(response, "incident")) == 1


def test_without_a_road_network_the_markers_stay_without_routes(api, bearer, cast, placed, stock):
    from yingji.routing.models import RoadNetwork

    headers = bearer(cast.duty)
    send(api, headers, placed.pk, team=stock.team_a.pk)
    RoadNetwork.objects.update(active=False)
    response = api.get(f"{URL}/{placed.pk}/map", headers=headers)
    assert response.status_code == 200
    assert len(features(response, "resource")) == 1 and features(response, "route") == []


def test_map_is_scoped_like_the_incident(api, bearer, cast, placed, stock, street_b_officer):
    assert api.get(f"{URL}/{placed.pk}/map", headers=bearer(cast.outsider)).status_code == 404
    assert api.get(f"{URL}/{placed.pk}/map", headers=bearer(street_b_officer)).status_code == 404
    assert api.get(f"{URL}/{placed.pk}/map").status_code == 401
    assert api.get(f"{URL}/999999/map", headers=bearer(cast.duty)).status_code == 404


def test_incident_page_carries_the_map(client, cast, placed):
    client.force_login(cast.duty)
    body = client.get(f"/incidents/{placed.pk}/").content.decode()
    assert 'id="incident-map"' in body and f"/api/v1/incidents/{placed.pk}/map" in body
