"""Patrols from a phone through the API: start, track points, a finding with a photo, end; fire points; scopes."""

import hashlib
from pathlib import Path

from django.conf import settings

from yingji.forest.models import Finding, Patrol

JSON = "application/json"
# The smallest PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def _start(api, headers, area_id):
    response = api.post("/api/v1/patrols", {"area": area_id}, content_type=JSON, headers=headers)
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_patrol_from_start_to_end(forest, api, bearer, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    headers = bearer(forest.ranger)
    patrol = _start(api, headers, forest.tuancheng.pk)
    assert patrol["status"] == "active" and patrol["track"]["coordinates"] == []
    url = f"/api/v1/patrols/{patrol['id']}"
    points = [{"lat": 30.230, "lon": 115.020}, {"lat": 30.231, "lon": 115.020}, {"lat": 30.232, "lon": 115.020}]
    moved = api.post(f"{url}/points", {"points": points}, content_type=JSON, headers=headers).json()
    assert moved["points_count"] == 3 and 215 < moved["distance_m"] < 230
    finding = api.post(
        f"{url}/findings",
        {
            "kind": "open_fire",
            "note": "坟前烧纸",
            "lat": "30.232",
            "lon": "115.02",
            "photo": _file(tmp_path, PNG, "a.png"),
        },
        headers=headers,
    )
    assert finding.status_code == 201, finding.json()
    body = finding.json()
    digest = hashlib.sha256(PNG).hexdigest()
    assert (body["photo_sha256"], body["photo_type"], body["photo_size"]) == (digest, "image/png", len(PNG))
    assert (Path(tmp_path) / "forest" / digest[:2] / f"{digest}.png").read_bytes() == PNG
    ended = api.post(f"{url}/end", {"note": "巡护正常"}, content_type=JSON, headers=headers)
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    detail = api.get(url, headers=headers).json()
    assert len(detail["track"]["coordinates"]) == 3 and detail["findings"][0]["kind"] == "open_fire"
    # An ended patrol takes no more points: the lifecycle answers 409 naming what is allowed.
    late = api.post(f"{url}/points", {"points": points}, content_type=JSON, headers=headers)
    assert late.status_code == 409


def _file(tmp_path, content: bytes, name: str):
    path = Path(tmp_path) / name
    path.write_bytes(content)
    return path.open("rb")


def test_a_photo_that_is_not_an_image_is_refused(forest, api, bearer, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    headers = bearer(forest.ranger)
    patrol = _start(api, headers, forest.tuancheng.pk)
    response = api.post(
        f"/api/v1/patrols/{patrol['id']}/findings",
        {"kind": "fire_hazard", "photo": _file(tmp_path, b"MZ\x90\x00 not a picture", "evil.jpg")},
        headers=headers,
    )
    assert response.status_code == 400 and "photo" in response.json()["errors"]
    assert not Finding.objects.exists()


def test_bad_points_are_field_errors(forest, api, bearer):
    headers = bearer(forest.ranger)
    patrol = _start(api, headers, forest.tuancheng.pk)
    url = f"/api/v1/patrols/{patrol['id']}/points"
    for point in ({"lat": 91, "lon": 115}, {"lat": "NaN", "lon": 115}, {"lat": 30.2}):
        response = api.post(url, {"points": [point]}, content_type=JSON, headers=headers)
        assert response.status_code == 400, point
    assert Patrol.objects.get().points_count == 0


def test_one_patrol_at_a_time_and_only_the_ranger_records_it(forest, cast, api, bearer):
    headers = bearer(forest.ranger)
    patrol = _start(api, headers, forest.tuancheng.pk)
    again = api.post("/api/v1/patrols", {"area": forest.tuancheng.pk}, content_type=JSON, headers=headers)
    assert again.status_code == 400
    other = api.post(
        f"/api/v1/patrols/{patrol['id']}/points",
        {"points": [{"lat": 30.23, "lon": 115.02}]},
        content_type=JSON,
        headers=bearer(cast.street_officer),
    )
    assert other.status_code == 403


def test_patrols_are_scoped(forest, cast, api, bearer):
    patrol = _start(api, bearer(forest.ranger), forest.tuancheng.pk)
    # Street A's ranger cannot patrol street B's area: it does not exist for them.
    refused = api.post(
        "/api/v1/patrols", {"area": forest.huangjing.pk}, content_type=JSON, headers=bearer(forest.ranger)
    )
    assert refused.status_code == 400 and "area" in refused.json()["errors"]
    assert api.get(f"/api/v1/patrols/{patrol['id']}", headers=bearer(cast.enterprise_manager)).status_code == 404
    assert api.get("/api/v1/patrols", headers=bearer(cast.duty)).json()["count"] == 1
    assert api.get("/api/v1/patrols", headers=bearer(cast.enterprise_manager)).json()["count"] == 0
    # The enterprise manager's role records no patrols at all.
    assert (
        api.post(
            "/api/v1/patrols", {"area": forest.tuancheng.pk}, content_type=JSON, headers=bearer(cast.enterprise_manager)
        ).status_code
        == 403
    )


def test_a_fire_point_lands_in_its_area_and_tells_the_chain(forest, cast, api, bearer):
    response = api.post(
        "/api/v1/fire-points",
        {"lat": 30.233, "lon": 115.026, "description": "山脊冒烟"},
        content_type=JSON,
        headers=bearer(forest.ranger),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["area_name"] == "团城山林区"
    assert cast.street_officer.notifications.filter(title__contains="团城山林区").count() == 1
    assert api.get("/api/v1/fire-points", headers=bearer(cast.street_officer)).json()["count"] == 1
    assert api.get("/api/v1/fire-points", headers=bearer(cast.enterprise_manager)).json()["count"] == 0
