"""Dispatch that fits the incident: what its type needs, in order, nearest first, busy resources skipped; dispatch
and release keep the registry's status; team leaders receive and move their orders."""

import pytest
from django.test import Client
from django.utils import translation

from yingji.conftest import PASSWORD
from yingji.core.models import Notification
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.incidents import selectors, services
from yingji.incidents.models import IncidentType
from yingji.resources import services as resources
from yingji.resources.models import Equipment, Team
from yingji.routing.tests.conftest import make_network
from yingji.routing.tests.conftest import offset as _offset

pytestmark = pytest.mark.django_db


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    lat, lon = _offset(north_m, east_m)
    return float(lat), float(lon)


@pytest.fixture
def street_grid(db):
    """A straight street of 11 nodes 200 m apart at 36 km/h (20 s a stretch), west to east."""
    points = [offset(0, 200 * i) for i in range(11)]
    return make_network(points, [(i, i + 1, 36, False) for i in range(10)])


def _team(cast, code: str, kind: str, at_node: int) -> Team:
    lat, lon = offset(0, 200 * at_node)
    return resources.team_create(by=None, parent=cast.street_a, code=code, name=code, kind=kind, lat=lat, lon=lon)


@pytest.fixture
def forces(cast, street_grid):
    """Hand-placed resources along the street; the leak is at node 0."""
    lat9, lon9 = offset(0, 1800)
    lat2, lon2 = offset(0, 400)
    return {
        "medical_near": _team(cast, "医疗队", "medical", 1),
        "water_near": _team(cast, "水上队", "water", 1),
        "fire_far": _team(cast, "消防站", "fire_rescue", 8),
        "hazmat_mid": _team(cast, "危化队", "hazchem", 5),
        "power_near": _team(cast, "电力队", "power", 2),
        "expert_hazchem": resources.expert_create(
            by=None, org=cast.street_a, code="X1", name="危化专家", field="hazchem", lat=lat9, lon=lon9
        ),
        "expert_medical": resources.expert_create(
            by=None, org=cast.street_a, code="X2", name="医学专家", field="medical", lat=lat2, lon=lon2
        ),
        "detector": resources.equipment_create(
            by=None, org=cast.street_a, code="Q1", name="气体检测车", category="detection", lat=lat9, lon=lon9
        ),
        "pump": resources.equipment_create(
            by=None, org=cast.street_a, code="Q2", name="排涝泵车", category="pump", lat=lat2, lon=lon2
        ),
    }


@pytest.fixture
def leak(cast, record):
    lat, lon = offset(0, 0)
    return record(lat=lat, lon=lon, type_code="hazchem_leak")


def names(rows) -> list[str]:
    return [row["name"] for row in rows]


def test_chemical_leak_calls_fire_and_hazmat_then_medical_experts_and_fitting_equipment(cast, forces, leak):
    rows = selectors.dispatch_recommend(user=cast.duty, incident=leak)
    # Fire and hazmat teams first (nearest of them first), though medical and water teams are nearer.
    assert names(rows) == ["危化队", "消防站", "医疗队", "危化专家", "气体检测车"]
    assert rows[0]["need"] == rows[1]["need"] and rows[0]["eta_s"] < rows[1]["eta_s"]
    assert "水上队" not in names(rows) and "排涝泵车" not in names(rows) and "医学专家" not in names(rows)


def test_flood_needs_other_resources_than_a_leak(cast, forces, record):
    lat, lon = offset(0, 0)
    flood = record(lat=lat, lon=lon, type_code="flood", enterprise=None)
    rows = selectors.dispatch_recommend(user=cast.duty, incident=flood)
    assert names(rows)[0] == "水上队" and "排涝泵车" in names(rows)


def test_busy_and_deployed_resources_are_skipped(cast, forces, leak, record):
    services.dispatch_create(by=cast.duty, incident=leak, team=forces["hazmat_mid"])
    forces["fire_far"].status = "deployed"
    forces["fire_far"].save(update_fields=["status"])
    lat, lon = offset(0, 0)
    second = record(lat=lat, lon=lon, type_code="hazchem_leak")
    assert "危化队" not in names(selectors.dispatch_recommend(user=cast.duty, incident=second))
    assert "消防站" not in names(selectors.dispatch_recommend(user=cast.duty, incident=second))
    everything = selectors.resources_by_travel(user=cast.duty, incident=second, kind="team")
    busy = {row["name"]: row["busy"] for row in everything}
    assert busy["危化队"] is True and busy["医疗队"] is False
    within = selectors.resources_by_travel(user=cast.duty, incident=second, kind="team", max_minutes=1)
    assert set(names(within)) == {"医疗队", "水上队", "电力队"}


def test_dispatch_and_release_change_the_registry_status(cast, forces, leak):
    team, detector = forces["hazmat_mid"], forces["detector"]
    order = services.dispatch_create(by=cast.duty, incident=leak, team=team)
    gear = services.dispatch_create(by=cast.duty, incident=leak, equipment=detector)
    assert Team.objects.get(pk=team.pk).status == "deployed"
    assert Equipment.objects.get(pk=detector.pk).status == "in_use"
    services.dispatch_set_status(by=cast.duty, dispatch=order, status="released")
    services.dispatch_set_status(by=cast.duty, dispatch=gear, status="released")
    assert Team.objects.get(pk=team.pk).status == "standby"
    assert Equipment.objects.get(pk=detector.pk).status == "ready"


def test_a_resource_on_another_incident_is_refused_naming_it(cast, forces, leak, record, api, bearer):
    services.dispatch_create(by=cast.duty, incident=leak, team=forces["medical_near"])
    other = record()
    with translation.override("zh-hans"):
        response = api.post(
            f"/api/v1/incidents/{other.pk}/dispatches",
            {"team": forces["medical_near"].pk},
            content_type="application/json",
            headers=bearer(cast.duty),
        )
    assert response.status_code == 409
    assert leak.code in response.json()["detail"] and "医疗队" in response.json()["detail"]


def test_team_leader_receives_and_moves_the_order_from_a_phone_page(cast, forces, leak):
    team = forces["fire_far"]
    leader = user_create(by=None, username="t_team", password=PASSWORD, org=team.org, roles=[Role.TEAM_LEADER])
    order = services.dispatch_create(by=cast.duty, incident=leak, team=team)
    message = Notification.objects.get(recipient=leader)
    assert leak.code in message.title and message.link == f"/incidents/dispatches/{order.pk}/"
    client = Client()
    client.login(username="t_team", password=PASSWORD)
    listing = client.get("/incidents/dispatches/")
    assert listing.status_code == 200 and leak.code in listing.content.decode()
    assert client.post(f"/incidents/dispatches/{order.pk}/", {"status": "acknowledged"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "acknowledged"
    # Orders of other teams stay out of sight.
    other = services.dispatch_create(by=cast.duty, incident=leak, team=forces["medical_near"])
    assert client.get(f"/incidents/dispatches/{other.pk}/").status_code == 404
    assert IncidentType.objects.filter(code="hazchem_leak").exists()
