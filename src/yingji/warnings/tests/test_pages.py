"""The warnings pages: list, detail, the create form and its prefill, import, subscriptions, scopes."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yingji.core.models import Subscription
from yingji.warnings import services
from yingji.warnings.models import EarlyWarning
from yingji.warnings.tests.conftest import DATA


def test_create_page_prefills_from_query_parameters(cast, client):
    client.force_login(cast.duty)
    page = client.get(
        "/warnings/new/", {"event_type": "forest_fire", "level": "orange", "headline": "森林火险橙色预警"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="forest_fire" selected>' in html and '<option value="orange" selected>' in html
    assert 'value="森林火险橙色预警"' in html


def test_create_page_saves_a_draft_with_a_drawn_polygon(cast, client):
    client.force_login(cast.duty)
    polygon = '{"type":"Polygon","coordinates":[[[115.07,30.2],[115.075,30.2],[115.075,30.21],[115.07,30.2]]]}'
    expires = (timezone.localtime() + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/warnings/new/",
        {
            "event_type": "rainstorm",
            "level": "yellow",
            "headline": "暴雨黄色预警",
            "description": "强降雨",
            "area_polygon": polygon,
            "expires": expires,
        },
    )
    warning = EarlyWarning.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/warnings/{warning.pk}/"
    assert warning.area_polygon["type"] == "Polygon" and warning.org == cast.bureau


def test_create_page_shows_service_errors_on_fields(cast, client):
    client.force_login(cast.duty)
    expires = (timezone.localtime() + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/warnings/new/",
        {"event_type": "fog", "level": "blue", "headline": "大雾", "description": "能见度低", "expires": expires},
    )
    assert response.status_code == 200 and "Give the area as streets" in response.content.decode()


def test_enterprise_manager_may_not_open_the_create_page(cast, client):
    client.force_login(cast.enterprise_manager)
    assert client.get("/warnings/new/").status_code == 403


def test_detail_shows_buttons_by_role_and_hides_other_scopes_drafts(cast, commander, draft, client):
    warning = draft()
    client.force_login(commander)
    html = client.get(f"/warnings/{warning.pk}/").content.decode()
    assert "审批通过" in html and f"/api/v1/warnings/{warning.pk}/cap" in html
    client.force_login(cast.duty)
    assert "审批通过" not in client.get(f"/warnings/{warning.pk}/").content.decode()
    client.force_login(cast.street_officer)
    assert client.get(f"/warnings/{warning.pk}/").status_code == 404
    assert client.post(f"/warnings/{warning.pk}/approve/").status_code == 404


def test_lifecycle_buttons_approve_and_publish(cast, commander, draft, client):
    warning = draft()
    client.force_login(commander)
    client.post(f"/warnings/{warning.pk}/approve/")
    response = client.post(f"/warnings/{warning.pk}/publish/", follow=True)
    assert "预警已发布" in response.content.decode()
    warning.refresh_from_db()
    assert warning.status == "published"
    client.force_login(cast.duty)
    assert client.post(f"/warnings/{warning.pk}/cancel/").status_code == 403


def test_list_filters_and_search(cast, draft, client):
    draft(headline="暴雨黄色预警")
    draft(headline="高温橙色预警", event_type="high_temperature", level="orange")
    client.force_login(cast.duty)
    html = client.get("/warnings/", {"level": "orange"}).content.decode()
    assert "高温橙色预警" in html and "暴雨黄色预警" not in html
    html = client.get("/warnings/", {"q": "暴雨"}).content.decode()
    assert "暴雨黄色预警" in html and "高温橙色预警" not in html
    assert "预警发布" in html  # the nav entry


def test_import_page_takes_a_cap_file_and_shows_schema_errors(cast, client):
    client.force_login(cast.duty)
    document = (DATA / "a2_severe_thunderstorm_warning.xml").read_bytes()
    response = client.post("/warnings/import/", {"document": SimpleUploadedFile("a2.xml", document)})
    assert response.status_code == 302
    broken = document.replace(b"<status>Actual</status>", b"")
    response = client.post("/warnings/import/", {"document": SimpleUploadedFile("bad.xml", broken)})
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "line 7" in html
        and "Expected is ( {urn:oasis:names:tc:emergency:cap:1.2}status )" in html
    )


def test_update_page_drafts_an_update(cast, commander, draft, client):
    warning = services.warning_publish(by=commander, warning=services.warning_approve(by=commander, warning=draft()))
    client.force_login(cast.duty)
    page = client.get(f"/warnings/{warning.pk}/update/")
    assert warning.headline in page.content.decode()


def test_subscriptions_page_creates_and_removes_own_subscriptions(cast, client):
    client.force_login(cast.street_officer)
    response = client.post(
        "/warnings/subscriptions/",
        {
            "name": "本街道暴雨",
            "min_level": "yellow",
            "event_types": ["rainstorm"],
            "streets": [cast.street_a.pk],
            "channels": ["inbox", "sms"],
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get(owner=cast.street_officer)
    assert subscription.channels == ["inbox", "sms"] and list(subscription.streets.all()) == [cast.street_a]
    client.force_login(cast.duty)
    assert client.post(f"/warnings/subscriptions/{subscription.pk}/delete/").status_code == 404
    client.force_login(cast.street_officer)
    client.post(f"/warnings/subscriptions/{subscription.pk}/delete/")
    assert not Subscription.objects.exists()
