"""A public hazard report accepted as a hidden danger (隐患) through the risk app's services: the danger and its
photo, the closed loop seen back on the lead and by the reporter, and who may do it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yingji.core.services import org_update
from yingji.portal.models import Lead, LeadStatus
from yingji.portal.tests.test_leads import AREA_A, PNG, report
from yingji.risk.models import DangerSource, DangerStatus, HiddenDanger, PhotoStage
from yingji.risk.services import danger_transition


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def lead(api, cast) -> Lead:
    org_update(by=None, org=cast.street_a, area=AREA_A)
    receipt = report(api, photo=SimpleUploadedFile("x.png", PNG, content_type="image/png")).json()["receipt"]
    return Lead.objects.get(receipt=receipt)


def accept(api, bearer, user, lead_id, **fields):
    body = {"enterprise": fields.pop("enterprise"), **fields}
    return api.post(
        f"/api/v1/portal/leads/{lead_id}/danger", body, content_type="application/json", headers=bearer(user)
    )


def test_street_officer_accepts_a_lead_as_a_hidden_danger_and_the_reporter_follows_the_loop(api, bearer, cast, lead):
    response = accept(api, bearer, cast.street_officer, lead.pk, enterprise=cast.enterprise_x.pk, note="已转企业整改")
    assert response.status_code == 201, response.content
    body = response.json()
    danger = HiddenDanger.objects.get(pk=body["danger"])
    assert body["lead"]["status"] == "danger" and body["lead"]["danger"] == danger.pk
    assert danger.org == cast.enterprise_x and danger.source == DangerSource.PUBLIC
    assert danger.status == DangerStatus.REPORTED and danger.found_at == lead.reported_at
    assert danger.description == lead.description and lead.receipt in danger.title
    # The reporter's photo went with it, as the photo "as found", the same bytes.
    photo = danger.photos.get()
    assert photo.stage == PhotoStage.FOUND and photo.sha256 == lead.photo_sha256
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DANGER and lead.danger == danger and lead.handled_by == cast.street_officer

    public = api.get(f"/api/v1/public/leads/{lead.receipt}").json()
    assert public["public_note"] == "已转企业整改" and public["danger_status"] == "reported"
    assert "enterprise" not in public and "contact" not in public

    # The risk app's closed loop moves on; the lead shows where it stands.
    danger_transition(
        by=cast.street_officer,
        danger=danger,
        to=DangerStatus.RECTIFYING,
        measures="清理排水沟",
        responsible="张三",
        funds=Decimal("2000"),
        deadline=timezone.now() + timedelta(days=7),
        interim_measures="设置警示标志",
    )
    public = api.get(f"/api/v1/public/leads/{lead.receipt}").json()
    assert public["danger_status"] == "rectifying"
    assert public["danger_status_label"] == str(DangerStatus.RECTIFYING.label)
    staff = api.get("/api/v1/portal/leads", headers=bearer(cast.street_officer)).json()["items"][0]
    assert staff["danger"] == danger.pk and staff["danger_status"] == "rectifying"


def test_a_lead_is_accepted_once(api, bearer, cast, lead):
    assert accept(api, bearer, cast.street_officer, lead.pk, enterprise=cast.enterprise_x.pk).status_code == 201
    again = accept(api, bearer, cast.street_officer, lead.pk, enterprise=cast.enterprise_x.pk)
    assert again.status_code == 409
    assert HiddenDanger.objects.count() == 1


def test_duty_officer_without_hidden_danger_rights_is_refused(api, bearer, cast, lead):
    # The duty desk handles leads but keeps no hidden-danger register (risk.add_hiddendanger).
    response = accept(api, bearer, cast.duty, lead.pk, enterprise=cast.enterprise_x.pk)
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW and not HiddenDanger.objects.exists()


def test_enterprise_must_be_an_enterprise_in_scope(api, bearer, cast, lead):
    other_street = accept(api, bearer, cast.street_officer, lead.pk, enterprise=cast.enterprise_y.pk)
    assert other_street.status_code == 400 and "enterprise" in other_street.json()["errors"]
    community = accept(api, bearer, cast.street_officer, lead.pk, enterprise=cast.community_a.pk)
    assert community.status_code == 400 and "enterprise" in community.json()["errors"]
    assert not HiddenDanger.objects.exists()


def test_outsiders_and_other_streets_do_not_reach_the_lead(api, bearer, cast, lead):
    assert accept(api, bearer, cast.outsider, lead.pk, enterprise=cast.enterprise_x.pk).status_code == 404
    assert accept(api, bearer, cast.enterprise_manager, lead.pk, enterprise=cast.enterprise_x.pk).status_code in (
        403,
        404,
    )
    assert not HiddenDanger.objects.exists()


def test_accepted_through_the_lead_page_and_shown_on_it(client, cast, lead):
    client.force_login(cast.street_officer)
    page = client.get(f"/portal/leads/{lead.pk}/").content.decode()
    assert 'name="enterprise"' in page and cast.enterprise_x.name in page
    assert cast.enterprise_y.name not in page  # another street's enterprise is not offered
    refused = client.post(f"/portal/leads/{lead.pk}/danger/", {"enterprise": "", "grade": "general"})
    assert refused.status_code == 400
    response = client.post(f"/portal/leads/{lead.pk}/danger/", {"enterprise": cast.enterprise_x.pk, "grade": "general"})
    assert response.status_code == 302
    danger = HiddenDanger.objects.get()
    page = client.get(f"/portal/leads/{lead.pk}/").content.decode()
    assert f"/risk/dangers/{danger.pk}/" in page and str(DangerStatus.REPORTED.label) in page
    status_page = client.get(f"/public/report/{lead.receipt}/").content.decode()
    assert 'class="danger-status"' in status_page


def test_duty_officer_page_offers_no_hidden_danger_form(client, cast, lead):
    client.force_login(cast.duty)
    page = client.get(f"/portal/leads/{lead.pk}/").content.decode()
    assert 'name="enterprise"' not in page
    refused = client.post(f"/portal/leads/{lead.pk}/danger/", {"enterprise": cast.enterprise_x.pk, "grade": "general"})
    assert refused.status_code == 403
    assert not HiddenDanger.objects.exists()
