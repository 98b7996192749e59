"""The base map served by the platform: roads by class thinned by view, water, railways and place names of the
active network, offline (no external URL in any layer), bounded by the view's box and needing a sign-in."""

import json

import pytest

from yingji.core.models import OrgKind, OrgUnit
from yingji.routing.demo import demo_base_features, demo_load_routing
from yingji.routing.models import BaseFeature, BaseKind
from yingji.routing.osm import OsmBase
from yingji.routing.services import base_features_store
from yingji.routing.tests.conftest import make_network, offset

pytestmark = pytest.mark.django_db

LAYER = "/api/v1/map/layers/{}"


@pytest.fixture
def network(db):
    points = [offset(0, 0), offset(0, 300), offset(0, 600), offset(3000, 0), offset(3000, 300)]
    net = make_network(points, [(0, 1, 30, False), (1, 2, 30, False), (3, 4, 30, False)])
    net.edges.filter(source__in=net.nodes.order_by("pk")[3:5]).update(road_class="primary")
    lat0, lon0 = offset(0, 0)
    lat1, lon1 = offset(3000, 300)
    base_features_store(
        network=net,
        features=[
            OsmBase(
                BaseKind.WATER,
                "南湖",
                0,
                [(lon0, lat0), (lon0 + 0.002, lat0), (lon0 + 0.002, lat0 + 0.001), (lon0, lat0)],
            ),
            OsmBase(BaseKind.RIVER, "北河", 0, [(lon1, lat1), (lon1 + 0.003, lat1 + 0.001)]),
            OsmBase(BaseKind.RAILWAY, "武九铁路", 0, [(lon0, lat0 - 0.001), (lon1, lat1 - 0.001)]),
            OsmBase(BaseKind.PLACE, "胜阳港", 2, [(lon0, lat0)]),
            OsmBase(BaseKind.PLACE, "小巷社区", 4, [(lon1, lat1)]),
        ],
    )
    return net


def bbox_around(north_m: float, east_m: float, half_m: float = 200) -> str:
    south, west = offset(north_m - half_m, east_m - half_m)
    north, east = offset(north_m + half_m, east_m + half_m)
    return f"{west},{south},{east},{north}"


def get(api, bearer, user, layer: str, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return api.get(LAYER.format(layer) + (f"?{query}" if query else ""), headers=bearer(user))


def test_base_layers_are_served_offline_with_labels(api, bearer, cast, network):
    for layer, kinds in (("water", {"water", "river"}), ("railways", {"railway"}), ("places", {"place"})):
        response = get(api, bearer, cast.enterprise_manager, layer)
        assert response.status_code == 200
        body = response.json()
        assert {f["properties"]["kind"] for f in body["features"]} == kinds
        assert all(f["properties"]["label"] for f in body["features"])
        assert "http" not in json.dumps(body)  # nothing to fetch from outside: the intranet has no internet
    names = {f["properties"]["name"] for f in get(api, bearer, cast.duty, "places").json()["features"]}
    assert names == {"胜阳港", "小巷社区"}


def test_roads_layer_is_one_merged_line_per_class(api, bearer, cast, network):
    features = get(api, bearer, cast.duty, "roads").json()["features"]
    assert [f["properties"]["road_class"] for f in features] == ["primary", "residential"]
    residential = features[1]
    # the two stretches 0-1-2 merge into one polyline of three points, each two-way road drawn once
    assert residential["geometry"]["type"] == "LineString" and len(residential["geometry"]["coordinates"]) == 3
    assert residential["properties"]["label"]


def test_bbox_sends_only_what_the_view_shows(api, bearer, cast, network):
    near_origin = bbox_around(0, 0)
    roads = get(api, bearer, cast.duty, "roads", bbox=near_origin).json()["features"]
    assert [f["properties"]["road_class"] for f in roads] == ["residential"]
    places = get(api, bearer, cast.duty, "places", bbox=near_origin).json()["features"]
    assert [f["properties"]["name"] for f in places] == ["胜阳港"]
    water = get(api, bearer, cast.duty, "water", bbox=bbox_around(3000, 300)).json()["features"]
    assert [f["properties"]["name"] for f in water] == ["北河"]
    far = bbox_around(-20000, -20000)
    assert get(api, bearer, cast.duty, "railways", bbox=far).json()["features"] == []


def test_zoom_thins_roads_and_names(api, bearer, cast, network):
    roads = get(api, bearer, cast.duty, "roads", zoom=11).json()["features"]
    assert [f["properties"]["road_class"] for f in roads] == ["primary"]
    places = get(api, bearer, cast.duty, "places", zoom=12).json()["features"]
    assert [f["properties"]["name"] for f in places] == ["胜阳港"]
    assert len(get(api, bearer, cast.duty, "places", zoom=16).json()["features"]) == 2


@pytest.mark.parametrize(
    "params",
    [{"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"bbox": "10,0,5,1"}, {"bbox": "0,0,1,nan"}, {"zoom": 99}, {"zoom": "x"}],
)
def test_bad_view_is_a_4xx_naming_the_field(api, bearer, cast, network, params):
    response = get(api, bearer, cast.duty, "roads", **params)
    assert 400 <= response.status_code < 500


def test_base_layers_need_sign_in(api, network):
    for layer in ("roads", "water", "railways", "places"):
        assert api.get(LAYER.format(layer)).status_code == 401


def test_no_active_network_means_empty_layers(api, bearer, cast, network):
    network.active = False
    network.save(update_fields=["active"])
    for layer in ("roads", "water", "railways", "places"):
        assert get(api, bearer, cast.duty, layer).json()["features"] == []


def test_demo_base_map_has_illustrative_water_and_org_names(cast):
    community = OrgUnit.objects.filter(kind=OrgKind.COMMUNITY).first()
    community.lat, community.lon = (float(v) for v in offset(0, 0))
    community.save(update_fields=["lat", "lon"])
    features = demo_base_features()
    water = [f.name for f in features if f.kind == BaseKind.WATER]
    assert water == ["磁湖（示意）", "长江（示意）"]
    places = {f.name: f.rank for f in features if f.kind == BaseKind.PLACE}
    # water is named; communities come from the org tree (streets are named on their own areas already)
    assert places == {"磁湖（示意）": 2, "长江（示意）": 2, community.name: 4}
    demo_load_routing(seed=1, out=lambda _line: None)
    assert BaseFeature.objects.filter(network__illustrative=True, kind=BaseKind.WATER).count() == 2
    assert BaseFeature.objects.filter(network__illustrative=True, kind=BaseKind.PLACE, name=community.name).exists()
