"""Courses, QR sign-in, scores and certificates, expiry reminders (ours and team members'), training needs."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import Notification
from yingji.core.roles import Role
from yingji.core.services import org_create, user_create
from yingji.core.worker import JOBS, discover
from yingji.resources.models import Team, TeamMember
from yingji.training import selectors, services
from yingji.training.models import Certificate, Reminder

JSON = "application/json"


def _enroll(api, bearer, base, cast, **extra):
    body = {"org": cast.enterprise_x.pk, "name": "赵安全", "phone": "13700000001", "position": "安全员", **extra}
    return api.post(
        f"/api/v1/training/sessions/{base.session.pk}/attendances",
        body,
        content_type=JSON,
        headers=bearer(cast.enterprise_manager),
    )


def test_enroll_sign_in_score_and_certificate(base, cast, api, bearer):
    enrolled = _enroll(api, bearer, base, cast, user=cast.enterprise_manager.pk)
    assert enrolled.status_code == 201, enrolled.json()
    attendance_id = enrolled.json()["id"]
    # Scoring before sign-in is refused.
    score_url = f"/api/v1/training/attendances/{attendance_id}/score"
    assert api.post(score_url, {"score": 80}, content_type=JSON, headers=bearer(cast.duty)).status_code == 400
    with pytest.raises(ValidationFailed):
        services.attendance_sign_in(session=base.session, code="wrong", user=cast.enterprise_manager)
    signed = services.attendance_sign_in(
        session=base.session, code=base.session.signin_code, user=cast.enterprise_manager
    )
    assert signed.signed_in_at is not None
    # The enterprise may not score its own staff.
    assert (
        api.post(score_url, {"score": 80}, content_type=JSON, headers=bearer(cast.enterprise_manager)).status_code
        == 403
    )
    scored = api.post(score_url, {"score": 80}, content_type=JSON, headers=bearer(cast.duty))
    assert scored.status_code == 200 and scored.json()["passed"] is True
    certificate = Certificate.objects.get()
    assert certificate.expires_on == date(
        certificate.issued_on.year + 3, certificate.issued_on.month, certificate.issued_on.day
    )
    mine = api.get("/api/v1/training/certificates", headers=bearer(cast.enterprise_manager)).json()
    assert [c["holder"] for c in mine["items"]] == ["赵安全"]
    assert api.get("/api/v1/training/certificates", headers=bearer(cast.street_officer)).json()["count"] == 1
    other = user_create(
        by=None, username="t_y", password=PASSWORD, org=cast.enterprise_y, roles=[Role.ENTERPRISE_MANAGER]
    )
    assert api.get("/api/v1/training/certificates", headers=bearer(other)).json()["count"] == 0


def test_sign_in_by_phone_only_for_the_enrolled_and_only_in_time(base, cast, api, bearer):
    _enroll(api, bearer, base, cast)
    with pytest.raises(ValidationFailed):
        services.attendance_sign_in(session=base.session, code=base.session.signin_code, phone="13999999999")
    services.attendance_sign_in(session=base.session, code=base.session.signin_code, phone="13700000001")
    with pytest.raises(Conflict):
        services.attendance_sign_in(
            session=base.session,
            code=base.session.signin_code,
            phone="13700000001",
            at=base.session.ends_at + timedelta(hours=1),
        )


def test_an_enterprise_enrolls_only_its_own_people(base, cast, api, bearer):
    response = _enroll(api, bearer, base, cast, org=cast.enterprise_y.pk)
    assert response.status_code == 400 and "org" in response.json()["errors"]
    assert _enroll(api, bearer, base, cast).status_code == 201
    assert _enroll(api, bearer, base, cast).status_code == 400  # the same phone twice


def test_expiry_reminders_once_per_certificate_including_team_members(base, cast):
    today = timezone.localdate()
    attendance = services.attendance_enroll(
        by=None,
        session=base.session,
        org=cast.enterprise_x,
        name="钱安全",
        phone="13700000002",
        user=cast.enterprise_manager,
    )
    services.attendance_sign_in(session=base.session, code=base.session.signin_code, phone="13700000002")
    services.attendance_score(by=None, attendance=attendance, score=90)
    Certificate.objects.update(issued_on=today - timedelta(days=1000), expires_on=today + timedelta(days=20))
    team_org = org_create(by=None, code="T-TEAM", name="甲街道救援队", kind="team", parent=cast.street_a)
    team = Team.objects.create(org=team_org, kind="volunteer")
    leader = user_create(by=None, username="t_leader", password=PASSWORD, org=team_org, roles=[Role.TEAM_LEADER])
    TeamMember.objects.create(
        team=team, name="孙队员", certificate="救援员证", certificate_expiry=today + timedelta(days=10)
    )
    TeamMember.objects.create(
        team=team, name="李队员", certificate="救援员证", certificate_expiry=today + timedelta(days=200)
    )
    discover()
    job = JOBS["yingji.training.tasks.remind_expiring_certificates"]
    assert job.func() == 2
    assert Notification.objects.filter(recipient=cast.enterprise_manager, title__contains="钱安全").count() == 1
    assert Notification.objects.filter(recipient=leader, title__contains="孙队员").count() == 1
    assert not Notification.objects.filter(title__contains="李队员").exists()
    assert job.func() == 0
    assert Reminder.objects.count() == 2


def test_who_still_needs_training_per_enterprise_and_street(base, cast):
    needs = selectors.training_needs(user=cast.duty)
    by_street = {row["street"].name: row for row in needs}
    assert by_street["甲街道"]["needing"] == 1 and by_street["甲街道"]["untrained_enterprises"] == 1
    attendance = services.attendance_enroll(
        by=None, session=base.session, org=cast.enterprise_x, name="赵安全", phone="1", user=cast.enterprise_manager
    )
    services.attendance_sign_in(session=base.session, code=base.session.signin_code, user=cast.enterprise_manager)
    services.attendance_score(by=None, attendance=attendance, score=70)
    by_street = {row["street"].name: row for row in selectors.training_needs(user=cast.duty)}
    assert by_street["甲街道"]["needing"] == 0 and by_street["甲街道"]["untrained_enterprises"] == 0
    assert by_street["乙街道"]["untrained_enterprises"] == 1
    # Street A's officer sees only street A.
    assert [row["street"].name for row in selectors.training_needs(user=cast.street_officer)] == ["甲街道"]
