"""Network services: one active network at a time, who may switch it, and the audit trail; the graph cache."""

import pytest

from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.core.models import AuditEntry
from yingji.routing.graph import active_graph
from yingji.routing.models import RoadNetwork
from yingji.routing.services import network_activate, network_create
from yingji.routing.tests.conftest import make_network, offset

pytestmark = pytest.mark.django_db

TWO_NODES = ([offset(0, 0), offset(0, 300)], [(0, 1, 30, False)])


def test_activating_one_network_deactivates_the_other(cast):
    first = make_network(*TWO_NODES, name="first")
    second = make_network(*TWO_NODES, name="second", activate=False)
    assert active_graph().uid == first.uid
    network_activate(by=cast.admin, network=second)
    assert list(RoadNetwork.objects.filter(active=True)) == [second]
    # The cached graph follows the switch.
    assert active_graph().uid == second.uid
    entry = AuditEntry.objects.filter(action="routing.network.activate").latest("seq")
    assert entry.actor_name == cast.admin.username and entry.object_id == str(second.pk)


def test_only_a_system_admin_may_switch(cast):
    make_network(*TWO_NODES, name="first")
    second = make_network(*TWO_NODES, name="second", activate=False)
    for user in (cast.duty, cast.street_officer, cast.outsider):
        with pytest.raises(NotAllowed):
            network_activate(by=user, network=second)
    second.refresh_from_db()
    assert not second.active


def test_import_is_audited():
    network = make_network(*TWO_NODES)
    entry = AuditEntry.objects.get(action="routing.network.create")
    assert entry.payload == {"source": "tests", "nodes": 2, "edges": 2}
    assert entry.object_id == str(network.pk)


def test_edges_must_refer_to_existing_nodes():
    with pytest.raises(ValidationFailed) as refused:
        network_create(
            by=None,
            name="broken",
            source="tests",
            lats=[30.235, 30.236],
            lons=[115.05, 115.05],
            sources=[0],
            targets=[3],
            lengths_m=[100.0],
            road_classes=["residential"],
            speeds_kmh=[30],
        )
    assert "edges" in refused.value.errors
    assert not RoadNetwork.objects.exists()


def test_network_near_the_district_serves_it():
    assert make_network(*TWO_NODES).serves_district
    assert not make_network([(60.17, 24.94), (60.17, 24.95)], [(0, 1, 30, False)]).serves_district
