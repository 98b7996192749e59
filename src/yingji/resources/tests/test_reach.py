"""Nearest resources, evacuation and coverage over the demo road network, through the API."""

import pytest

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.resources import services
from yingji.resources.models import Shelter, Team
from yingji.routing.travel import nearest

# 黄石港街道's old centre, inside the district.
POINT = {"lat": 30.2235, "lon": 115.0890}


@pytest.fixture
def duty(demo_world, bearer):
    return bearer(User.objects.get(username="duty"))


def test_nearest_teams_come_in_order_of_travel_time(demo_world, api, duty):
    response = api.get("/api/v1/resources/nearest", {**POINT, "kind": "team", "limit": 20}, headers=duty)
    assert response.status_code == 200, response.json()
    body = response.json()
    items = body["items"]
    assert body["network"]["illustrative"] is True
    assert len(items) == Team.objects.exclude(status="unavailable").count()
    etas = [item["eta_s"] for item in items]
    assert etas == sorted(etas)
    # Each ETA is what the engine gives that team alone (a brute-force check of the ranking).
    for item in items:
        team = Team.objects.select_related("org").get(pk=item["id"])
        (alone,) = nearest(lat=POINT["lat"], lon=POINT["lon"], targets=[(team.pk, team.org.lat, team.org.lon)])
        assert alone.eta_s == item["eta_s"]
    first = items[0]
    assert (
        first["route"]["type"] == "LineString" and first["distance_m"] > 0 and first["url"].endswith(f"/{first['id']}/")
    )


def test_nearest_shelters_are_open_ones_with_room(demo_world, api, duty):
    full = Shelter.objects.get(code="SH004")
    services.shelter_update(by=None, shelter=full, occupancy=full.capacity)
    items = api.get("/api/v1/resources/nearest", {**POINT, "kind": "shelter", "limit": 50}, headers=duty).json()[
        "items"
    ]
    ids = {item["id"] for item in items}
    open_with_room = {s.pk for s in Shelter.objects.filter(is_open=True) if s.free_capacity > 0}
    assert ids == open_with_room and full.pk not in ids
    assert all(item["free_capacity"] > 0 for item in items)


BAD_NEAREST = [
    ({"lat": 31.5, "lon": 115.0, "kind": "team"}, "lat"),
    ({"lat": 30.22, "lon": 115.08, "kind": "boats"}, "kind"),
    ({"lat": "north", "lon": 115.08, "kind": "team"}, "lat"),
    ({"lat": 30.22, "lon": 115.08, "kind": "team", "limit": 0}, "limit"),
]


def test_bad_nearest_queries_are_400_with_field_errors(demo_world, api, duty):
    for params, field in BAD_NEAREST:
        response = api.get("/api/v1/resources/nearest", params, headers=duty)
        assert response.status_code == 400 and field in response.json()["errors"], params


def test_street_officer_gets_only_their_streets_teams(demo_world, api, bearer):
    street = User.objects.get(username="street")
    items = api.get("/api/v1/resources/nearest", {**POINT, "kind": "team", "limit": 50}, headers=bearer(street)).json()
    paths = {Team.objects.get(pk=i["id"]).org.path for i in items["items"]}
    assert paths and all(p.startswith(street.org.path) for p in paths)


def test_evacuation_by_blocks_respects_capacity(demo_world, api, duty):
    shelter = Shelter.objects.get(code="SH004")
    blocks = [{"id": "b1", **POINT, "population": shelter.capacity + 500}]
    response = api.post(
        "/api/v1/routing/evacuation", {"blocks": blocks, "shelters": [shelter.pk]}, "application/json", headers=duty
    )
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert plan["unassigned"] == 500
    assert plan["shelters"] == [
        {"id": shelter.pk, "name": shelter.name, "lat": shelter.lat, "lon": shelter.lon,
         "free_capacity": shelter.capacity, "load": shelter.capacity}
    ]  # fmt: skip
    assert sum(a["people"] for a in plan["assignments"]) == shelter.capacity


def test_evacuation_by_communities_uses_their_population_estimates(demo_world, api, duty):
    communities = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY).values_list("pk", flat=True)[:3])
    response = api.post("/api/v1/routing/evacuation", {"communities": communities}, "application/json", headers=duty)
    assert response.status_code == 200, response.json()
    plan = response.json()
    assert plan["population"] == sum(OrgUnit.objects.get(pk=c).population_estimate.population for c in communities)
    assigned = sum(a["people"] for a in plan["assignments"])
    assert assigned + plan["unassigned"] == plan["population"]
    for shelter in plan["shelters"]:
        assert shelter["load"] <= shelter["free_capacity"]


BAD_EVACUATIONS = [
    {},
    {"blocks": [], "communities": []},
    {"communities": [999999]},
    {"blocks": [{"id": 1, "lat": 31.5, "lon": 115.0, "population": 5}]},
    {"blocks": [{"id": 1, "lat": 30.22, "lon": 115.08, "population": -5}]},
]


def test_bad_evacuation_requests_are_400(demo_world, api, duty):
    for body in BAD_EVACUATIONS:
        response = api.post("/api/v1/routing/evacuation", body, "application/json", headers=duty)
        assert response.status_code == 400 and response.json()["errors"], body


def test_coverage_lists_communities_no_team_of_the_kind_reaches(demo_world, api, duty):
    everyone = api.get("/api/v1/resources/coverage", {"limit_min": 60}, headers=duty).json()
    assert everyone["type"] == "FeatureCollection" and everyone["properties"]["communities"] == 32
    tight = api.get("/api/v1/resources/coverage", {"kind": "hazchem", "limit_min": 1}, headers=duty).json()
    assert tight["properties"]["teams"] == 1
    assert len(tight["features"]) > len(everyone["features"])
    assert all(f["properties"]["name"].endswith("社区") for f in tight["features"])


def test_coverage_of_a_kind_without_teams_leaves_every_community_unreached(demo_world, api, duty):
    body = api.get("/api/v1/resources/coverage", {"kind": "mine"}, headers=duty).json()
    assert body["properties"]["teams"] == 0 and len(body["features"]) == 32
