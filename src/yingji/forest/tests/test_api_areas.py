"""The forest-areas API: GeoJSON in and out, invalid polygons refused with a field error, import, scopes."""

from yingji.forest.models import ForestArea
from yingji.forest.tests.conftest import BOWTIE, HUANGJING, TUANCHENG

JSON = "application/json"


def test_create_returns_geometry_and_measures(cast, api, bearer):
    response = api.post(
        "/api/v1/forest-areas",
        {"org": cast.street_a.pk, "code": "FA-1", "name": "团城山林区", "geometry": TUANCHENG},
        content_type=JSON,
        headers=bearer(cast.street_officer),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["geometry"]["type"] == "Polygon"
    assert body["geometry"]["coordinates"][0][0] == [115.015, 30.225]
    assert 300 < body["area_ha"] < 340
    assert 30.225 < body["lat"] < 30.24 and body["org_name"] == "甲街道"


def test_invalid_polygon_answers_400_naming_the_geometry_field(cast, api, bearer):
    response = api.post(
        "/api/v1/forest-areas",
        {"org": cast.street_a.pk, "code": "FA-X", "name": "自相交", "geometry": BOWTIE},
        content_type=JSON,
        headers=bearer(cast.duty),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["geometry"] and "自相交" in errors["geometry"][0]
    assert not ForestArea.objects.exists()


def test_missing_geometry_is_a_400_not_a_500(cast, api, bearer):
    response = api.post(
        "/api/v1/forest-areas",
        {"org": cast.street_a.pk, "code": "FA-X", "name": "无几何"},
        content_type=JSON,
        headers=bearer(cast.duty),
    )
    assert response.status_code == 400 and "geometry" in response.json()["errors"]


def test_street_officer_cannot_place_an_area_under_another_street(cast, api, bearer):
    response = api.post(
        "/api/v1/forest-areas",
        {"org": cast.street_b.pk, "code": "FA-B", "name": "乙林区", "geometry": HUANGJING},
        content_type=JSON,
        headers=bearer(cast.street_officer),
    )
    assert response.status_code == 400 and "org" in response.json()["errors"]


def test_enterprise_manager_may_not_create_areas(cast, api, bearer):
    response = api.post(
        "/api/v1/forest-areas",
        {"org": cast.enterprise_x.pk, "code": "FA-E", "name": "企业林地", "geometry": TUANCHENG},
        content_type=JSON,
        headers=bearer(cast.enterprise_manager),
    )
    assert response.status_code == 403


def test_street_b_cannot_see_street_a_areas(forest, cast, api, bearer):
    district = api.get("/api/v1/forest-areas", headers=bearer(cast.duty)).json()
    assert [a["code"] for a in district["items"]] == ["FA-HJS", "FA-TCS"]
    street_a = api.get("/api/v1/forest-areas", headers=bearer(cast.street_officer)).json()
    assert [a["code"] for a in street_a["items"]] == ["FA-TCS"]
    assert [m["name"] for m in street_a["items"][0]["chain"]] == ["甲林长", "社区林长", "护林员甲"]
    url = f"/api/v1/forest-areas/{forest.huangjing.pk}"
    assert api.get(url, headers=bearer(cast.street_officer)).status_code == 404
    assert api.get(url, headers=bearer(cast.outsider)).status_code == 404
    assert api.get(url).status_code == 401


def test_patch_with_an_invalid_polygon_keeps_the_old_one(forest, cast, api, bearer):
    url = f"/api/v1/forest-areas/{forest.tuancheng.pk}"
    response = api.patch(url, {"geometry": BOWTIE}, content_type=JSON, headers=bearer(cast.street_officer))
    assert response.status_code == 400 and "geometry" in response.json()["errors"]
    forest.tuancheng.refresh_from_db()
    assert forest.tuancheng.geometry == TUANCHENG
    renamed = api.patch(
        url, {"name": "团城山", "patrols_per_day": 3}, content_type=JSON, headers=bearer(cast.street_officer)
    )
    assert renamed.status_code == 200 and renamed.json()["patrols_per_day"] == 3


def test_import_geojson_all_or_nothing(cast, api, bearer):
    good = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "团城山林区", "code": "FA-I1"}, "geometry": TUANCHENG},
            {"type": "Feature", "properties": {"name": "黄荆山林区"}, "geometry": HUANGJING},
        ],
    }
    bad = {
        **good,
        "features": [*good["features"], {"type": "Feature", "properties": {"name": "坏"}, "geometry": BOWTIE}],
    }
    refused = api.post(
        "/api/v1/forest-areas/import",
        {"org": cast.street_a.pk, "document": bad},
        content_type=JSON,
        headers=bearer(cast.duty),
    )
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["features[3].geometry"]
    assert not ForestArea.objects.exists()
    imported = api.post(
        "/api/v1/forest-areas/import",
        {"org": cast.street_a.pk, "document": good},
        content_type=JSON,
        headers=bearer(cast.duty),
    )
    assert imported.status_code == 201, imported.json()
    assert [a["code"] for a in imported.json()] == ["FA-I1", "FA001"]


def test_chain_member_needs_a_phone(forest, cast, api, bearer):
    url = f"/api/v1/forest-areas/{forest.tuancheng.pk}/chain"
    missing = api.post(
        url, {"level": "ranger", "name": "无电话"}, content_type=JSON, headers=bearer(cast.street_officer)
    )
    assert missing.status_code == 400 and "phone" in missing.json()["errors"]
    added = api.post(
        url,
        {"level": "ranger", "name": "护林员乙", "phone": "13911112222"},
        content_type=JSON,
        headers=bearer(cast.street_officer),
    )
    assert added.status_code == 201 and added.json()["level_label"]


def test_list_endpoints_do_not_grow_queries_with_rows(forest, cast, api, bearer, django_assert_max_num_queries):
    from yingji.forest import services
    from yingji.forest.tests.conftest import TUANCHENG

    for n in range(5):
        area = services.forest_area_create(
            by=None, org=cast.street_a, code=f"FA-Q{n}", name=f"林区{n}", geometry=TUANCHENG
        )
        services.chain_member_add(by=None, area=area, level="ranger", name=f"护林员{n}", phone=f"1390000{n:04d}")
        patrol = services.patrol_start(by=forest.ranger, area=area)
        services.patrol_end(by=forest.ranger, patrol=patrol)
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/forest-areas", headers=headers).json()["count"] == 7
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/patrols", headers=headers).json()["count"] == 5


def test_a_route_is_a_linestring(forest, cast, api, bearer):
    url = f"/api/v1/forest-areas/{forest.tuancheng.pk}/routes"
    headers = bearer(cast.street_officer)
    bad = api.post(
        url,
        {"name": "环线", "path": {"type": "Point", "coordinates": [115.02, 30.23]}},
        content_type=JSON,
        headers=headers,
    )
    assert bad.status_code == 400 and "path" in bad.json()["errors"]
    line = {"type": "LineString", "coordinates": [[115.02, 30.23], [115.02, 30.231]]}
    added = api.post(url, {"name": "环线", "path": line}, content_type=JSON, headers=headers)
    assert added.status_code == 201 and 100 < added.json()["length_m"] < 120
    area = api.get(f"/api/v1/forest-areas/{forest.tuancheng.pk}", headers=headers).json()
    assert [r["name"] for r in area["routes"]] == ["环线"]
    assert (
        api.post(
            url, {"name": "x", "path": line}, content_type=JSON, headers=bearer(cast.enterprise_manager)
        ).status_code
        == 404
    )
