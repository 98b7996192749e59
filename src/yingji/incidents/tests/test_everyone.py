"""Everyone in the loop: an enterprise reports its own accidents, a street its own incidents and notes, and every
desk shows who is on duty at the district."""

import pytest
from django.test import Client

from yingji.conftest import PASSWORD
from yingji.incidents import selectors

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


def report(api, headers, **overrides):
    data = {
        "category": "accident",
        "type": "fire",
        "title": "车间起火",
        "occurred_at": "2026-05-01T08:40:00+08:00",
        "address": "车间二楼",
    }
    data.update(overrides)
    return api.post(URL, data, content_type="application/json", headers=headers)


def test_an_enterprise_reports_its_own_accident(api, cast, bearer):
    response = report(api, bearer(cast.enterprise_manager))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["source"], data["enterprise"], data["org"]) == (
        "enterprise",
        cast.enterprise_x.pk,
        cast.enterprise_x.pk,
    )
    # It follows what it reported.
    assert api.get(f"{URL}/{data['id']}", headers=bearer(cast.enterprise_manager)).status_code == 200


def test_an_enterprise_cannot_report_for_another(api, cast, bearer):
    response = report(api, bearer(cast.enterprise_manager), enterprise=cast.enterprise_y.pk)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["enterprise"]


def test_a_street_reports_in_its_street_and_writes_notes(api, cast, bearer):
    headers = bearer(cast.street_officer)
    response = report(api, headers, enterprise=cast.enterprise_x.pk)
    assert response.status_code == 201, response.content
    incident_id = response.json()["id"]
    assert response.json()["source"] == "street"
    own = report(api, headers)
    assert own.status_code == 201 and own.json()["org"] == cast.street_a.pk
    note = api.post(
        f"{URL}/{incident_id}/notes", {"text": "街道已到场"}, content_type="application/json", headers=headers
    )
    assert note.status_code in (200, 201), note.content
    # Another street's enterprise is not theirs to report.
    outside = report(api, headers, enterprise=cast.enterprise_y.pk)
    assert outside.status_code == 400 and "enterprise" in outside.json()["errors"]


def test_a_street_officer_notes_on_the_incident_page(api, cast, bearer):
    incident_id = report(api, bearer(cast.duty), enterprise=cast.enterprise_x.pk).json()["id"]
    client = Client()
    client.login(username="t_street", password=PASSWORD)
    page = client.get(f"/incidents/{incident_id}/")
    assert page.status_code == 200 and 'name="note-text"' in page.content.decode()
    client.post(f"/incidents/{incident_id}/note/", {"note-text": "社区已疏散"})
    assert "社区已疏散" in client.get(f"/incidents/{incident_id}/").content.decode()


def test_every_desk_sees_who_is_on_duty_at_the_district(cast, shift):
    for user in (cast.street_officer, cast.enterprise_manager, cast.duty):
        assert selectors.on_duty(user=user) == [shift]
