"""The shelter finder's typed address, found offline in the platform's own data: roads of the active network,
shelters, communities and streets, base-map place names."""

import pytest

from yingji.core.services import org_update
from yingji.portal.places import normalise, place_search, score
from yingji.resources.models import Shelter
from yingji.routing.models import BaseFeature, BaseKind, RoadEdge
from yingji.routing.tests.conftest import offset


def test_normalise_folds_full_width_spaces_and_punctuation():
    assert normalise(" 胜阳港　社区（东门） ") == "胜阳港社区东门"
    assert normalise("ＡＢＣ Road") == "abcroad"


def test_score_prefers_exact_then_prefix_then_part_then_the_name_inside_the_address():
    q = normalise("天津路")
    assert score(q, "天津路", kind="road") > score(q, "天津路小学", kind="road") > 0
    assert score(normalise("津路"), "天津路", kind="road") > 0
    assert score(normalise("天津路12号"), "天津路", kind="road") > 0
    # A one-character name inside a long address means nothing.
    assert score(normalise("天津路12号"), "路", kind="road") == 0
    assert score(normalise("沿湖路88号"), "体育馆", "沿湖路88号", kind="shelter") > 0
    assert score(normalise("胜阳港"), "铁山", kind="street") == 0
    # On a tie the more specific kind of place wins.
    assert score(q, "天津路", kind="road") > score(q, "天津路", kind="street")


@pytest.fixture
def named_roads(grid):
    """The grid's southern row (through the origin and S-NEAR) is 天津路."""
    lat0 = offset(0, 0)[0]
    row = {"source__lat__range": (lat0 - 1e-7, lat0 + 1e-7), "target__lat__range": (lat0 - 1e-7, lat0 + 1e-7)}
    assert RoadEdge.objects.filter(network=grid, **row).update(name="天津路") > 0
    return grid


def test_a_typed_street_address_finds_its_road(named_roads, shelters, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        found = place_search("黄石港区天津路12号")
    assert found[0].name == "天津路" and found[0].kind == "road"
    # The road stands at its junction nearest the middle: (0 m, 400 m), where S-NEAR is.
    lat, lon = offset(0, 400)
    assert found[0].lat == pytest.approx(lat) and found[0].lon == pytest.approx(lon)


def test_shelters_communities_and_base_map_places_are_found_by_name_or_address(cast, named_roads, shelters):
    Shelter.objects.filter(pk=shelters.middle.pk).update(address="沿湖路88号")
    assert place_search("沿湖路88号")[0].name == shelters.middle.name
    lat, lon = offset(0, 800)
    org_update(by=None, org=cast.community_a, lat=float(lat), lon=float(lon))
    best = place_search("甲一社区附近")[0]
    assert (best.name, best.kind) == ("甲一社区", "community")
    point = {"type": "Point", "coordinates": [lon, lat]}
    BaseFeature.objects.create(
        network=named_roads, kind=BaseKind.PLACE, name="磁湖公园", geometry=point,
        min_lat=lat, max_lat=lat, min_lon=lon, max_lon=lon,
    )  # fmt: skip
    park = place_search("磁湖公园")[0]
    assert (park.name, park.kind, park.lat, park.lon) == ("磁湖公园", "place", lat, lon)
    assert place_search("不存在的地方") == [] and place_search("   ") == []


def test_shelter_page_walks_from_a_typed_address(client, named_roads, shelters):
    html = client.get("/public/shelters/", {"q": "天津路12号"}).content.decode()
    assert 'class="muted origin"' in html and "天津路" in html
    assert html.index("避难场所S-NEAR") < html.index("避难场所S-MID")
    unknown = client.get("/public/shelters/", {"q": "不存在的地方"}).content.decode()
    assert 'role="alert"' in unknown and "避难场所S-NEAR" not in unknown


def test_places_api_is_public_and_checks_its_input(api, named_roads, shelters):
    body = api.get("/api/v1/public/places", {"q": "天津路12号"}).json()
    assert body[0]["name"] == "天津路" and body[0]["kind"] == "road" and body[0]["kind_label"]
    assert set(body[0]) == {"name", "kind", "kind_label", "lat", "lon"}
    assert api.get("/api/v1/public/places", {"q": ""}).status_code == 400
    assert api.get("/api/v1/public/places", {"q": "x" * 61}).status_code == 400
    assert api.get("/api/v1/public/places", {"q": "不存在的地方"}).json() == []


def test_each_road_name_counts_once_however_many_edges_it_has(named_roads):
    lat4 = offset(800, 0)[0]
    row = {"source__lat__range": (lat4 - 1e-7, lat4 + 1e-7), "target__lat__range": (lat4 - 1e-7, lat4 + 1e-7)}
    RoadEdge.objects.filter(network=named_roads, **row).update(name="天津北路")
    found = place_search("天津", limit=2)
    assert {p.name for p in found} == {"天津路", "天津北路"}
