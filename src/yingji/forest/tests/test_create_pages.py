"""The forest pages that draw a patrol route through an area and report a fire point outside a patrol."""

import json

from yingji.core.models import ChannelConfig, Delivery
from yingji.forest.models import FirePoint, PatrolRoute
from yingji.forest.tests.test_pages import client_for

ROUTE = {"type": "LineString", "coordinates": [[115.02, 30.23], [115.025, 30.232], [115.03, 30.235]]}


def test_a_street_officer_draws_a_route_through_their_area(forest, cast):
    street = client_for(cast.street_officer)
    url = f"/forest/areas/{forest.tuancheng.pk}/routes/new/"
    page = street.get(url)
    assert page.status_code == 200 and 'data-draw="line"' in page.content.decode()
    response = street.post(url, {"name": "山脊线", "path": json.dumps(ROUTE)})
    assert response.status_code == 302 and response["Location"] == f"/forest/areas/{forest.tuancheng.pk}/"
    route = PatrolRoute.objects.get()
    assert route.area == forest.tuancheng and 1000 < route.length_m < 1800


def test_a_route_that_is_not_a_line_is_refused_on_the_field(forest, cast):
    street = client_for(cast.street_officer)
    url = f"/forest/areas/{forest.tuancheng.pk}/routes/new/"
    point = {"type": "Point", "coordinates": [115.02, 30.23]}
    response = street.post(url, {"name": "错", "path": json.dumps(point)})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not PatrolRoute.objects.exists()


def test_routes_only_in_scope_and_by_keepers(forest, cast):
    street = client_for(cast.street_officer)
    assert street.get(f"/forest/areas/{forest.huangjing.pk}/routes/new/").status_code == 404
    enterprise = client_for(cast.enterprise_manager)
    response = enterprise.post(
        f"/forest/areas/{forest.tuancheng.pk}/routes/new/", {"name": "x", "path": json.dumps(ROUTE)}
    )
    assert response.status_code in (403, 404) and not PatrolRoute.objects.exists()


def test_a_fire_seen_from_a_lookout_is_placed_in_its_area_and_the_chain_told(forest, cast):
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    duty = client_for(cast.duty)
    assert 'data-draw="point"' in duty.get("/forest/fires/new/").content.decode()
    response = duty.post("/forest/fires/new/", {"lat": 30.23, "lon": 115.025, "description": "瞭望塔发现烟点"})
    assert response.status_code == 302
    fire = FirePoint.objects.get()
    assert fire.area == forest.tuancheng and fire.reported_by == cast.duty and fire.patrol is None
    # The community chief without an account gets an SMS; the others their inbox and SMS by account.
    assert "13900000003" in Delivery.objects.values_list("address", flat=True)


def test_fire_report_needs_the_permission_and_valid_coordinates(forest, cast):
    assert client_for(cast.enterprise_manager).get("/forest/fires/new/").status_code == 403
    duty = client_for(cast.duty)
    response = duty.post("/forest/fires/new/", {"lat": 95, "lon": 115.025})
    assert response.status_code == 200 and not FirePoint.objects.exists()
