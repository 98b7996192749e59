import pytest

from yingji.core.models import OrgKind


def test_list_is_paginated_and_filtered_by_kind(cast, api, bearer):
    response = api.get("/api/v1/orgs", {"kind": "enterprise", "page_size": 1}, headers=bearer(cast.duty))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert body["items"][0]["kind"] == "enterprise"


def test_list_filters_by_parent_and_search(cast, api, bearer):
    headers = bearer(cast.duty)
    by_parent = api.get("/api/v1/orgs", {"parent": cast.street_a.pk}, headers=headers).json()
    assert {o["name"] for o in by_parent["items"]} == {"甲一社区", "甲化工有限公司"}
    found = api.get("/api/v1/orgs", {"q": "建材"}, headers=headers).json()
    assert [o["code"] for o in found["items"]] == ["T-EY"]


def test_org_detail_has_its_place_in_the_tree(cast, api, bearer):
    body = api.get(f"/api/v1/orgs/{cast.community_a.pk}", headers=bearer(cast.duty)).json()
    assert body["parent"] == cast.street_a.pk
    assert body["parent_name"] == "甲街道"
    assert body["kind"] == OrgKind.COMMUNITY
    assert body["path"] == f"/{cast.district.pk}/{cast.street_a.pk}/{cast.community_a.pk}/"


def test_bad_filter_is_400_naming_the_field(cast, api, bearer):
    response = api.get("/api/v1/orgs", {"kind": "planet"}, headers=bearer(cast.duty))
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    response = api.get("/api/v1/orgs", {"page": 0}, headers=bearer(cast.duty))
    assert response.status_code == 400 and "page" in response.json()["errors"]


def test_list_needs_authentication(cast, api):
    assert api.get("/api/v1/orgs").status_code == 401


def test_list_query_count_does_not_grow_with_rows(cast, api, bearer, django_assert_max_num_queries):
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(6):
        api.get("/api/v1/orgs", headers=headers)


def test_session_signed_in_user_can_use_the_api(cast, client):
    client.force_login(cast.street_officer)
    body = client.get("/api/v1/orgs").json()
    assert body["count"] == 3


def test_map_layers_are_scoped(cast, api, bearer):
    enterprises = api.get("/api/v1/map/layers/enterprises", headers=bearer(cast.street_officer)).json()
    assert [f["properties"]["name"] for f in enterprises["features"]] == ["甲化工有限公司"]
    district = api.get("/api/v1/map/layers/district", headers=bearer(cast.street_officer)).json()
    assert district["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert api.get("/api/v1/map/layers/nonsense", headers=bearer(cast.duty)).status_code == 404


def test_map_layer_bbox_keeps_the_features_in_the_window(cast, api, bearer):
    headers = bearer(cast.duty)
    everything = api.get("/api/v1/map/layers/enterprises", headers=headers).json()["features"]
    assert len(everything) >= 2
    lon, lat = everything[0]["geometry"]["coordinates"]
    window = f"{lon - 1e-4},{lat - 1e-4},{lon + 1e-4},{lat + 1e-4}"
    inside = api.get(f"/api/v1/map/layers/enterprises?bbox={window}", headers=headers).json()["features"]
    expected = [
        f["id"]
        for f in everything
        if abs(f["geometry"]["coordinates"][0] - lon) <= 1e-4 and abs(f["geometry"]["coordinates"][1] - lat) <= 1e-4
    ]
    assert [f["id"] for f in inside] == expected and len(expected) < len(everything)
    # A layer without its own bbox filter is filtered by its geometries' extent: the district meets any
    # window inside it and no window far away.
    district = api.get(f"/api/v1/map/layers/district?bbox={window}", headers=headers).json()["features"]
    assert len(district) == 1
    far = api.get("/api/v1/map/layers/district?bbox=10,10,10.1,10.1", headers=headers).json()["features"]
    assert far == []
    # Scope still applies inside the window.
    street = api.get(f"/api/v1/map/layers/enterprises?bbox={window}", headers=bearer(cast.street_officer)).json()
    assert {f["id"] for f in street["features"]} <= {f["id"] for f in inside}


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "3,0,1,1", "0,0,200,1", "nan,0,1,1", "0,0,1,1,5"])
def test_map_layer_bad_bbox_is_a_field_error(cast, api, bearer, bbox):
    response = api.get(f"/api/v1/map/layers/enterprises?bbox={bbox}", headers=bearer(cast.duty))
    assert response.status_code in (400, 422)
    assert "bbox" in response.text
