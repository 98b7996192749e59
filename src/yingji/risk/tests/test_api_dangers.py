"""The hidden-danger closed loop through the API: every transition, the invalid ones (409 naming the allowed
moves), roles, photos, the supervised list, overdue detection with frozen time, and scopes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yingji.core.models import Notification
from yingji.risk import services
from yingji.risk.models import DangerPhoto, DangerStatus, HiddenDanger
from yingji.risk.tests.conftest import JSON, PNG


def create(api, bearer, user, org, **extra):
    body = {"org": org.pk, "title": "配电箱未接地", "location": "二号车间", **extra}
    return api.post("/api/v1/hidden-dangers", body, content_type=JSON, headers=bearer(user))


def move(api, bearer, user, danger_id, to, **extra):
    return api.post(f"/api/v1/hidden-dangers/{danger_id}/transitions", {"to": to, **extra}, content_type=JSON,
                    headers=bearer(user))  # fmt: skip


def assign_body(days: int = 7) -> dict:
    return {"measures": "重新接地", "responsible": "李四", "funds": "2000", "interim_measures": "停用并设警示",
            "deadline": (timezone.now() + timedelta(days=days)).isoformat()}  # fmt: skip


def photo(api, bearer, user, danger_id, stage="rectified", data=PNG, name="after.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, data, content_type="image/png")
    return api.post(f"/api/v1/hidden-dangers/{danger_id}/photos", {"file": upload, "stage": stage},
                    headers=bearer(user))  # fmt: skip


def test_full_closed_loop(cast, api, bearer, inspector, media_in_tmp):
    created = create(api, bearer, inspector, cast.enterprise_x)
    assert created.status_code == 201, created.json()
    danger = created.json()
    assert danger["status"] == "reported" and danger["source"] == "inspector" and danger["allowed"] == ["rectifying"]
    assigned = move(api, bearer, cast.enterprise_manager, danger["id"], "rectifying", **assign_body())
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["responsible"] == "李四"
    uploaded = photo(api, bearer, cast.enterprise_manager, danger["id"])
    assert uploaded.status_code == 201, uploaded.json()
    stored = DangerPhoto.objects.get()
    assert (media_in_tmp / stored.path).read_bytes() == PNG and len(stored.sha256) == 64
    assert move(api, bearer, cast.enterprise_manager, danger["id"], "rectified").status_code == 200
    # The enterprise cannot verify its own work.
    assert move(api, bearer, cast.enterprise_manager, danger["id"], "accepted").status_code == 403
    accepted = move(api, bearer, inspector, danger["id"], "accepted", note="现场复核合格")
    assert accepted.status_code == 200 and accepted.json()["verified_at"]
    closed = move(api, bearer, inspector, danger["id"], "closed")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["allowed"] == []
    events = [(e["from_status"], e["to_status"]) for e in closed.json()["events"]]
    assert events == [("", "reported"), ("reported", "rectifying"), ("rectifying", "rectified"),
                      ("rectified", "accepted"), ("accepted", "closed")]  # fmt: skip


def test_returned_rectification_goes_back_with_reason(cast, api, bearer, inspector):
    danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="消防通道堵塞")
    services.danger_transition(by=inspector, danger=danger, to="rectifying", **_assign())
    services.danger_photo_add(by=inspector, danger=danger, stage="rectified", data=PNG)
    services.danger_transition(by=cast.enterprise_manager, danger=danger, to="rectified")
    no_reason = move(api, bearer, inspector, danger.pk, "rectifying")
    assert no_reason.status_code == 400 and "note" in no_reason.json()["errors"]
    returned = move(api, bearer, inspector, danger.pk, "rectifying", note="仍有杂物")
    assert returned.status_code == 200 and returned.json()["returned_count"] == 1


def _assign(days: int = 7) -> dict:
    return {"measures": "清理", "responsible": "王五", "funds": 0, "interim_measures": "专人看守",
            "deadline": timezone.now() + timedelta(days=days)}  # fmt: skip


@pytest.mark.parametrize(
    ("status", "target", "allowed"),
    [
        ("reported", "rectified", "rectifying"),
        ("reported", "closed", "rectifying"),
        ("rectifying", "accepted", "rectified"),
        ("rectified", "closed", "accepted, rectifying"),
        ("accepted", "rectifying", "closed"),
        ("closed", "reported", "none"),
    ],
)
def test_invalid_transitions_answer_409_naming_allowed(cast, api, bearer, inspector, status, target, allowed):
    danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="隐患")
    HiddenDanger.objects.filter(pk=danger.pk).update(status=status)
    answer = move(api, bearer, inspector, danger.pk, target)
    assert answer.status_code == 409
    assert answer.json()["allowed"] == ([] if allowed == "none" else allowed.split(", "))
    assert allowed.split(", ")[0] in answer.json()["detail"] or allowed == "none"


def test_assignment_needs_the_five_in_place(cast, api, bearer, inspector):
    danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="隐患")
    answer = move(api, bearer, inspector, danger.pk, "rectifying", measures="x")
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"responsible", "funds", "deadline", "interim_measures"}
    past = move(api, bearer, inspector, danger.pk, "rectifying", **assign_body(days=-1))
    assert past.status_code == 400 and "deadline" in past.json()["errors"]


def test_rectified_needs_a_photo_and_photos_are_checked(cast, api, bearer, inspector):
    danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="隐患")
    services.danger_transition(by=inspector, danger=danger, to="rectifying", **_assign())
    no_photo = move(api, bearer, cast.enterprise_manager, danger.pk, "rectified")
    assert no_photo.status_code == 400 and "photos" in no_photo.json()["errors"]
    fake = photo(api, bearer, cast.enterprise_manager, danger.pk, data=b"<html>not an image</html>", name="a.png")
    assert fake.status_code == 400 and "file" in fake.json()["errors"]
    huge = photo(api, bearer, cast.enterprise_manager, danger.pk, data=PNG + b"\x00" * (10 * 1024 * 1024))
    assert huge.status_code == 400
    assert DangerPhoto.objects.count() == 0


def test_major_danger_is_supervised_and_only_the_bureau_closes_it(cast, api, bearer, inspector):
    created = create(api, bearer, cast.street_officer, cast.enterprise_x, grade="major")
    assert created.json()["supervised"] is True
    assert Notification.objects.filter(recipient=inspector).exists()
    danger = HiddenDanger.objects.get(pk=created.json()["id"])
    HiddenDanger.objects.filter(pk=danger.pk).update(status=DangerStatus.ACCEPTED)
    by_street = move(api, bearer, cast.street_officer, danger.pk, "closed")
    assert by_street.status_code == 403 and "只有局机关可以销号" in by_street.json()["detail"]
    assert move(api, bearer, inspector, danger.pk, "closed").status_code == 200


def test_overdue_with_frozen_time_and_notice(cast, api, bearer, inspector):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="隐患")
        services.danger_transition(by=inspector, danger=danger, to="rectifying", **_assign(days=3))
        assert api.get("/api/v1/hidden-dangers?overdue=true", headers=bearer(inspector)).json()["count"] == 0
        assert services.dangers_notify_overdue() == 0
    with time_machine.travel(start + timedelta(days=3, minutes=1), tick=False):
        listed = api.get("/api/v1/hidden-dangers?overdue=true", headers=bearer(inspector)).json()
        assert listed["count"] == 1 and listed["items"][0]["overdue"] is True
        assert services.dangers_notify_overdue() == 1
        assert services.dangers_notify_overdue() == 0  # once only
        assert Notification.objects.filter(recipient=cast.enterprise_manager, title__contains="隐患").exists()
        assert Notification.objects.filter(recipient=inspector, title__contains="隐患").exists()


def test_scopes_on_dangers(cast, api, bearer, inspector, street_b_officer):
    danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="隐患")
    assert api.get(f"/api/v1/hidden-dangers/{danger.pk}", headers=bearer(street_b_officer)).status_code == 404
    assert api.get("/api/v1/hidden-dangers", headers=bearer(street_b_officer)).json()["count"] == 0
    assert move(api, bearer, street_b_officer, danger.pk, "rectifying", **assign_body()).status_code == 404
    assert create(api, bearer, cast.enterprise_manager, cast.enterprise_y).status_code == 400
    assert api.get(f"/api/v1/hidden-dangers/{danger.pk}", headers=bearer(cast.outsider)).status_code == 404
    own = create(api, bearer, cast.enterprise_manager, cast.enterprise_x)
    assert own.status_code == 201 and own.json()["source"] == "self"
