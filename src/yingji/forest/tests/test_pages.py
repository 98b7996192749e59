"""The forest pages: overview, area page, drawing and importing areas, the patrol page; scopes."""

import json

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yingji.conftest import PASSWORD
from yingji.forest.models import Finding, ForestArea, Patrol
from yingji.forest.tests.conftest import BOWTIE, HUANGJING
from yingji.forest.tests.test_api_patrols import PNG


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_overview_and_area_pages_respect_scope(forest, cast):
    street = client_for(cast.street_officer)
    page = street.get("/forest/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "团城山林区" in text and "黄荆山林区" not in text
    assert street.get(f"/forest/areas/{forest.tuancheng.pk}/").status_code == 200
    assert street.get(f"/forest/areas/{forest.huangjing.pk}/").status_code == 404
    assert Client().get("/forest/").status_code == 302
    layer = street.get("/api/v1/map/layers/forest_areas")
    assert [f["properties"]["name"] for f in layer.json()["features"]] == ["团城山林区"]


def test_drawing_an_invalid_polygon_shows_the_reason_on_the_field(forest, cast):
    duty = client_for(cast.duty)
    response = duty.post(
        "/forest/areas/new/",
        {
            "org": cast.street_b.pk,
            "code": "FA-N",
            "name": "新林区",
            "patrols_per_day": 1,
            "geometry": json.dumps(BOWTIE),
        },
    )
    assert response.status_code == 200 and "自相交" in response.content.decode()
    ok = duty.post(
        "/forest/areas/new/",
        {
            "org": cast.street_b.pk,
            "code": "FA-N",
            "name": "新林区",
            "patrols_per_day": 1,
            "geometry": json.dumps(HUANGJING),
        },
    )
    assert ok.status_code == 302 and ForestArea.objects.filter(code="FA-N").exists()
    assert client_for(cast.enterprise_manager).get("/forest/areas/new/").status_code == 403


def test_import_page_names_the_bad_feature(cast):
    duty = client_for(cast.duty)
    document = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "坏"}, "geometry": BOWTIE}],
    }
    upload = SimpleUploadedFile("areas.geojson", json.dumps(document).encode(), content_type="application/geo+json")
    response = duty.post("/forest/areas/import/", {"org": cast.street_a.pk, "file": upload, "code_prefix": "FA"})
    assert response.status_code == 200 and "features[1].geometry" in response.content.decode()
    assert not ForestArea.objects.exists()


def test_the_patrol_page_records_a_whole_patrol(forest, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ranger = client_for(forest.ranger)
    assert ranger.post("/forest/patrol/", {"action": "start", "area": forest.tuancheng.pk}).status_code == 302
    ranger.post("/forest/patrol/", {"action": "point", "lat": "30.230", "lon": "115.020"})
    ranger.post("/forest/patrol/", {"action": "point", "lat": "30.231", "lon": "115.021"})
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    assert (
        ranger.post(
            "/forest/patrol/", {"action": "finding", "kind": "fire_hazard", "note": "枯枝堆积", "photo": photo}
        ).status_code
        == 302
    )
    finding = Finding.objects.get()
    assert ranger.get(f"/forest/findings/{finding.pk}/photo").status_code == 200
    assert client_for(forest.ranger).get("/forest/patrol/").status_code == 200
    ranger.post("/forest/patrol/", {"action": "end", "note": ""})
    patrol = Patrol.objects.get()
    assert (patrol.status, patrol.points_count) == ("ended", 2)
