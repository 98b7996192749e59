"""Readiness gaps of a scenario against a hand-computed case on a small road network."""

import pytest

from yingji.plans import services
from yingji.resources import services as resources
from yingji.routing.tests.conftest import make_network, offset

# Five junctions 500 m apart along one two-way street at 36 km/h: 50 s per stretch. The incident is at junction 0,
# so by road junction 1 is 50 s away, 2 is 100 s, 3 is 150 s and 4 is 200 s. Within 2 minutes (120 s): 1 and 2.
NODES = [tuple(float(x) for x in offset(0, 500 * i)) for i in range(5)]


@pytest.fixture
def town(cast):
    make_network(NODES, [(i, i + 1, 36, False) for i in range(4)])

    def team(code: str, node: int, kind: str, status: str = "standby") -> None:
        lat, lon = NODES[node]
        resources.team_create(
            by=None, parent=cast.street_a, code=code, name=code, kind=kind, lat=lat, lon=lon, status=status
        )

    def equipment(code: str, node: int, category: str, quantity: int, status: str = "ready") -> None:
        lat, lon = NODES[node]
        resources.equipment_create(
            by=None,
            org=cast.street_a,
            code=code,
            name=code,
            category=category,
            quantity=quantity,
            lat=lat,
            lon=lon,
            status=status,
        )

    team("FIRE-1", 1, "fire_rescue")  # 50 s: arrives
    team("FIRE-3", 3, "fire_rescue")  # 150 s: too late
    team("FIRE-1-OFF", 1, "fire_rescue", status="unavailable")  # not available
    team("HAZ-2", 2, "hazchem")  # arrives, but not the kind needed
    equipment("PUMP-2", 2, "pump", 3)  # 100 s: 3 pumps arrive
    equipment("PUMP-1-BUSY", 1, "pump", 5, status="in_use")  # busy elsewhere
    equipment("PUMP-4", 4, "pump", 10)  # 200 s: too late
    equipment("BOAT-1", 1, "boat", 2)  # 50 s: 2 boats arrive
    return services.scenario_create(
        by=None,
        org=cast.district,
        title="储罐区泄漏引发火灾",
        needs={"team:fire_rescue": 3, "equipment:pump": 4, "equipment:boat": 1},
    )


def test_readiness_matches_the_hand_computed_case(api, bearer, cast, town):
    response = api.get(
        f"/api/v1/scenarios/{town.pk}/readiness",
        {"lat": NODES[0][0], "lon": NODES[0][1], "minutes": 2},
        headers=bearer(cast.duty),
    )
    assert response.status_code == 200, response.json()
    assert response.json() == [
        {"kind": "equipment:boat", "needed": 1, "reachable": 2, "shortfall": 0},
        {"kind": "equipment:pump", "needed": 4, "reachable": 3, "shortfall": 1},
        {"kind": "team:fire_rescue", "needed": 3, "reachable": 1, "shortfall": 2},
    ]
    # With four minutes everything along the street arrives.
    wide = api.get(
        f"/api/v1/scenarios/{town.pk}/readiness",
        {"lat": NODES[0][0], "lon": NODES[0][1], "minutes": 4},
        headers=bearer(cast.duty),
    ).json()
    assert [row["reachable"] for row in wide] == [2, 13, 2]


def test_readiness_bad_input_and_scope(api, bearer, cast, town):
    headers = bearer(cast.duty)
    url = f"/api/v1/scenarios/{town.pk}/readiness"
    assert api.get(url, {"lat": NODES[0][0], "lon": NODES[0][1], "minutes": 0}, headers=headers).status_code == 400
    assert api.get(url, {"lat": 95, "lon": NODES[0][1], "minutes": 5}, headers=headers).status_code == 400
    assert api.get(url, {"lat": "x", "lon": NODES[0][1], "minutes": 5}, headers=headers).status_code == 400
    street = bearer(cast.street_officer)  # the district's scenario lies outside a street's scope
    assert api.get(url, {"lat": NODES[0][0], "lon": NODES[0][1], "minutes": 5}, headers=street).status_code == 404


def test_unknown_need_kind_is_refused(cast):
    from yingji.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        services.scenario_create(by=None, org=cast.district, title="x", needs={"team:dragons": 1})
    assert "needs.team:dragons" in caught.value.errors
