"""The warnings API: status codes and bodies, roles (403) and scopes (404), CAP out and in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.warnings.models import EarlyWarning, Source, Status
from yingji.warnings.tests.conftest import DATA

JSON = "application/json"


def body(**overrides) -> dict:
    return {
        "event_type": "rainstorm",
        "level": "yellow",
        "headline": "暴雨黄色预警",
        "description": "预计未来6小时降雨量将达50毫米以上。",
        "instruction": "注意防范城市内涝。",
        "area_streets": ["甲街道"],
        "expires": (timezone.now() + timedelta(hours=6)).isoformat(),
        **overrides,
    }


def test_draft_approve_publish_and_public_cap(cast, commander, api, bearer):
    created = api.post("/api/v1/warnings", body(), content_type=JSON, headers=bearer(cast.duty))
    assert created.status_code == 201, created.json()
    warning = created.json()
    assert (warning["status"], warning["actions"]) == ("draft", ["edit", "approve", "cancel"])
    assert [s["name"] for s in warning["area_streets"]] == ["甲街道"]
    headers = bearer(commander)
    # A draft is not public: the CAP preview needs sign-in within scope.
    assert api.get(warning["cap_url"]).status_code == 404
    preview = api.get(warning["cap_url"], headers=headers)
    assert b"<status>Draft</status>" in preview.content
    assert api.post(f"/api/v1/warnings/{warning['id']}/approve", headers=headers).json()["status"] == "approved"
    published = api.post(f"/api/v1/warnings/{warning['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["status"] == "published"
    response = api.get(warning["cap_url"])
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    assert b"<status>Actual</status>" in response.content and "暴雨黄色预警".encode() in response.content
    # Published warnings are public record: anyone may read them.
    assert api.get(f"/api/v1/warnings/{warning['id']}").json()["status"] == "published"


def test_non_commander_approval_is_403_and_outsider_scope_is_404(cast, api, bearer):
    created = api.post("/api/v1/warnings", body(), content_type=JSON, headers=bearer(cast.street_officer)).json()
    assert created["org_name"] == "甲街道"
    url = f"/api/v1/warnings/{created['id']}/approve"
    assert api.post(url, headers=bearer(cast.duty)).status_code == 403
    # Another unit's draft does not exist for the enterprise manager or someone without a unit.
    assert api.get(f"/api/v1/warnings/{created['id']}", headers=bearer(cast.enterprise_manager)).status_code == 404
    assert api.post(url, headers=bearer(cast.enterprise_manager)).status_code == 404
    assert api.get(created["cap_url"], headers=bearer(cast.outsider)).status_code == 404


def test_street_officer_may_not_name_another_street(cast, api, bearer):
    response = api.post(
        "/api/v1/warnings", body(area_streets=["乙街道"]), content_type=JSON, headers=bearer(cast.street_officer)
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"area_streets": ["unknown street: 乙街道"]}


def test_bad_level_and_missing_area_are_field_errors(cast, api, bearer):
    bad = api.post("/api/v1/warnings", body(level="purple"), content_type=JSON, headers=bearer(cast.duty))
    assert bad.status_code == 400 and "level" in bad.json()["errors"]
    no_area = api.post("/api/v1/warnings", body(area_streets=[]), content_type=JSON, headers=bearer(cast.duty))
    assert no_area.status_code == 400 and "area_streets" in no_area.json()["errors"]
    polygon = api.post(
        "/api/v1/warnings",
        body(area_streets=[], area_polygon={"type": "Point", "coordinates": [115, 30]}),
        content_type=JSON,
        headers=bearer(cast.duty),
    )
    assert polygon.status_code == 400 and polygon.json()["errors"]["area_polygon"]


def test_publish_before_approval_is_409_naming_allowed(cast, commander, api, bearer):
    created = api.post("/api/v1/warnings", body(), content_type=JSON, headers=bearer(cast.duty)).json()
    response = api.post(f"/api/v1/warnings/{created['id']}/publish", headers=bearer(commander))
    assert response.status_code == 409
    assert response.json()["detail"] == "cannot publish a warning that is draft; allowed: edit, approve, cancel"


def test_update_and_cancel_endpoints(cast, commander, api, bearer):
    headers = bearer(commander)
    wid = api.post("/api/v1/warnings", body(), content_type=JSON, headers=headers).json()["id"]
    api.post(f"/api/v1/warnings/{wid}/approve", headers=headers)
    api.post(f"/api/v1/warnings/{wid}/publish", headers=headers)
    update = api.post(f"/api/v1/warnings/{wid}/update", {"level": "orange"}, content_type=JSON, headers=headers)
    assert update.status_code == 201
    assert (update.json()["msg_type"], update.json()["references"], update.json()["level"]) == ("Update", wid, "orange")
    cancel = api.post(f"/api/v1/warnings/{wid}/cancel", {"reason": "解除"}, content_type=JSON, headers=headers)
    assert cancel.status_code == 200 and cancel.json()["msg_type"] == "Cancel"
    assert api.get(f"/api/v1/warnings/{wid}").json()["status"] == "cancelled"


def test_edit_draft(cast, api, bearer):
    headers = bearer(cast.duty)
    wid = api.post("/api/v1/warnings", body(), content_type=JSON, headers=headers).json()["id"]
    response = api.patch(
        f"/api/v1/warnings/{wid}",
        {"level": "red", "area_streets": [cast.street_b.pk]},
        content_type=JSON,
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["level"] == "red" and [s["name"] for s in response.json()["area_streets"]] == ["乙街道"]


def test_list_filters_and_query_count(cast, commander, api, bearer, django_assert_max_num_queries):
    headers = bearer(cast.duty)
    for level in ("blue", "yellow", "yellow", "red"):
        api.post("/api/v1/warnings", body(level=level), content_type=JSON, headers=headers)
    with django_assert_max_num_queries(8):
        listing = api.get("/api/v1/warnings", {"level": "yellow"}, headers=headers).json()
    assert listing["count"] == 2 and {w["level"] for w in listing["items"]} == {"yellow"}
    # The public sees no drafts.
    assert api.get("/api/v1/warnings").json()["count"] == 0


@pytest.mark.parametrize("name", ["a1_homeland_security_advisory.xml", "a2_severe_thunderstorm_warning.xml"])
def test_import_official_examples(cast, api, bearer, name):
    response = api.post(
        "/api/v1/warnings/import",
        (DATA / name).read_bytes(),
        content_type="application/cap+xml",
        headers=bearer(cast.duty),
    )
    assert response.status_code == 201, response.json()
    warning = EarlyWarning.objects.get(pk=response.json()["id"])
    assert (warning.source, warning.status, warning.level) == (Source.EXTERNAL, Status.PUBLISHED, "orange")
    again = api.post(
        "/api/v1/warnings/import",
        (DATA / name).read_bytes(),
        content_type="application/cap+xml",
        headers=bearer(cast.duty),
    )
    assert again.status_code == 409


def test_import_thunderstorm_keeps_polygon_event_and_expiry(cast, api, bearer):
    document = (DATA / "a2_severe_thunderstorm_warning.xml").read_bytes()
    wid = api.post(
        "/api/v1/warnings/import", document, content_type="application/cap+xml", headers=bearer(cast.duty)
    ).json()["id"]
    warning = EarlyWarning.objects.get(pk=wid)
    assert warning.event_type == "thunderstorm" and warning.event == "SEVERE THUNDERSTORM"
    assert warning.area_polygon["coordinates"][0][0] == [-120.14, 38.47]
    assert warning.expires.isoformat() == "2003-06-17T23:00:00+00:00"
    assert warning.geocodes == [["SAME", "006109"], ["SAME", "006009"], ["SAME", "006003"]]
    # What is served is the agency's own document.
    assert api.get(f"/api/v1/warnings/{wid}/cap").content == document


def test_import_refuses_invalid_document_with_schema_error_and_line(cast, api, bearer):
    broken = (
        (DATA / "a2_severe_thunderstorm_warning.xml")
        .read_bytes()
        .replace(b"<msgType>Alert</msgType>", b"<msgType>Warn</msgType>")
    )
    response = api.post(
        "/api/v1/warnings/import", broken, content_type="application/cap+xml", headers=bearer(cast.duty)
    )
    assert response.status_code == 400
    (message,) = response.json()["errors"]["document"]
    assert message.startswith("line 7: ") and "msgType" in message and "Warn" in message
    garbage = api.post("/api/v1/warnings/import", b"not xml", content_type="application/xml", headers=bearer(cast.duty))
    assert garbage.status_code == 400 and "well-formed" in garbage.json()["detail"]


def test_import_needs_a_role(cast, api, bearer):
    document = (DATA / "a1_homeland_security_advisory.xml").read_bytes()
    response = api.post(
        "/api/v1/warnings/import", document, content_type="application/cap+xml", headers=bearer(cast.street_officer)
    )
    assert response.status_code == 403
