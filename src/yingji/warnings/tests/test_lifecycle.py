"""The warning lifecycle through the services: draft → approved → published → updated / cancelled,
who may do what, and the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import AuditEntry
from yingji.warnings import cap, services
from yingji.warnings.models import EarlyWarning, MsgType, Status
from yingji.warnings.selectors import warning_current
from yingji.warnings.tests.conftest import AREA_A


def published(draft, commander):
    warning = draft()
    services.warning_approve(by=commander, warning=warning)
    return services.warning_publish(by=commander, warning=warning)


def test_commander_approves_and_publishes_a_valid_cap_message(cast, commander, draft):
    warning = draft()
    assert warning.status == Status.DRAFT and warning.org == cast.bureau
    services.warning_approve(by=commander, warning=warning)
    warning = services.warning_publish(by=commander, warning=warning)
    assert warning.status == Status.PUBLISHED and warning.sent is not None
    alert = cap.parse(warning.cap_xml.encode())
    info = alert.info()
    assert (alert.status, alert.msg_type, alert.scope) == ("Actual", "Alert", "Public")
    assert (info.event, info.severity, info.urgency, info.categories) == ("暴雨", "Moderate", "Expected", ["Met"])
    assert info.areas[0].desc == "甲街道" and info.areas[0].geocodes == [("yingji:org", "T-A")]
    assert info.sender_name == "测试区应急管理局" and alert.sender == "yingji@T420202"
    actions = list(
        AuditEntry.objects.filter(object_type="warnings.earlywarning", object_id=str(warning.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["warnings.warning.create", "warnings.warning.approve", "warnings.warning.publish"]


def test_round_trip_generate_parse_gives_the_warning_back(cast, commander, draft):
    polygon = {"type": "Polygon", "coordinates": [[[115.07, 30.2], [115.075, 30.2], [115.075, 30.21], [115.07, 30.2]]]}
    warning = published(lambda: draft(area_polygon=polygon, level="red"), commander)
    alert = cap.parse(warning.cap_xml.encode())
    info = alert.info()
    assert services.event_type_of(info) == warning.event_type
    assert cap.level_of(info) == warning.level == "red"
    assert (info.headline, info.description, info.instruction) == (
        warning.headline,
        warning.description,
        warning.instruction,
    )
    assert cap.geojson_from_rings(info.areas[0].polygons) == polygon
    assert info.effective == warning.effective.replace(microsecond=0) and info.expires == warning.expires.replace(
        microsecond=0
    )
    assert (alert.identifier, alert.sent) == (warning.identifier, warning.sent)


def test_duty_officer_cannot_approve(cast, draft):
    with pytest.raises(NotAllowed):
        services.warning_approve(by=cast.duty, warning=draft())


def test_publishing_a_draft_is_a_conflict_naming_allowed_actions(cast, commander, draft):
    with pytest.raises(Conflict) as caught:
        services.warning_publish(by=commander, warning=draft())
    assert "allowed: edit, approve, cancel" in caught.value.detail


def test_enterprise_manager_may_not_draft(cast):
    with pytest.raises(NotAllowed):
        services.warning_create(
            by=cast.enterprise_manager,
            event_type="gas_leak",
            level="red",
            headline="x",
            description="x",
            expires=timezone.now() + timedelta(hours=1),
            streets=[cast.street_a],
        )


def test_a_warning_needs_an_area_and_an_expiry_after_it_starts(cast, draft):
    with pytest.raises(ValidationFailed) as caught:
        draft(streets=[], expires=timezone.now() - timedelta(hours=1), effective=timezone.now())
    assert set(caught.value.errors) >= {"area_streets", "__all__"}


def test_self_crossing_polygon_is_refused(cast, draft):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[115.0, 30.0], [115.1, 30.1], [115.1, 30.0], [115.0, 30.1], [115.0, 30.0]]],
    }
    with pytest.raises(ValidationFailed) as caught:
        draft(area_polygon=bowtie)
    assert caught.value.errors["area_polygon"] == ["the polygon crosses itself"]


def test_editing_an_approved_warning_needs_approval_again(cast, commander, draft):
    warning = services.warning_approve(by=commander, warning=draft())
    warning = services.warning_edit(by=cast.duty, warning=warning, level="orange")
    assert (warning.status, warning.level, warning.approved_by) == (Status.DRAFT, "orange", None)


def test_update_is_a_new_message_that_supersedes_on_publish(cast, commander, draft):
    original = published(draft, commander)
    update = services.warning_update(by=cast.duty, warning=original, level="orange", headline="暴雨预警升级为橙色")
    assert (update.msg_type, update.status, update.references) == (MsgType.UPDATE, Status.DRAFT, original)
    services.warning_approve(by=commander, warning=update)
    update = services.warning_publish(by=commander, warning=update)
    original.refresh_from_db()
    assert original.status == Status.UPDATED
    alert = cap.parse(update.cap_xml.encode())
    assert alert.msg_type == "Update"
    assert alert.references == [
        f"{original.sender},{original.identifier},{cap.format_time(timezone.localtime(original.sent))}"
    ]
    assert list(warning_current()) == [update]


def test_cancel_publishes_a_cancel_message_and_ends_the_warning(cast, commander, draft):
    original = published(draft, commander)
    with pytest.raises(NotAllowed):
        services.warning_cancel(by=cast.duty, warning=original)
    message = services.warning_cancel(by=commander, warning=original, reason="降雨已明显减弱，解除预警。")
    original.refresh_from_db()
    assert original.status == Status.CANCELLED
    assert (message.msg_type, message.status, message.references) == (MsgType.CANCEL, Status.PUBLISHED, original)
    alert = cap.parse(message.cap_xml.encode())
    assert alert.msg_type == "Cancel" and alert.info().description == "降雨已明显减弱，解除预警。"
    assert list(warning_current()) == []
    with pytest.raises(Conflict, match="allowed: none"):
        services.warning_update(by=commander, warning=original, level="red")


def test_updating_a_cancelled_warning_fails_at_publish(cast, commander, draft):
    original = published(draft, commander)
    update = services.warning_approve(by=commander, warning=services.warning_update(by=commander, warning=original))
    services.warning_cancel(by=commander, warning=original)
    with pytest.raises(Conflict, match="no longer published"):
        services.warning_publish(by=commander, warning=update)


def test_drafter_may_discard_their_draft(cast, draft):
    warning = services.warning_cancel(by=cast.duty, warning=draft())
    assert warning.status == Status.CANCELLED and not warning.cap_xml
    assert AuditEntry.objects.filter(action="warnings.warning.discard", object_id=str(warning.pk)).exists()


def test_expired_warning_cannot_be_published(cast, commander, draft):
    warning = services.warning_approve(by=commander, warning=draft())
    EarlyWarning.objects.filter(pk=warning.pk).update(
        effective=timezone.now() - timedelta(hours=3), expires=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationFailed, match="已过期"):
        services.warning_publish(by=commander, warning=warning)


def test_polygon_only_warning_concerns_the_streets_it_touches(areas):
    assert services.streets_touching(AREA_A) == {areas.street_a.pk, areas.street_b.pk}
    inner = {
        "type": "Polygon",
        "coordinates": [[[115.065, 30.205], [115.07, 30.205], [115.07, 30.21], [115.065, 30.205]]],
    }
    assert services.streets_touching(inner) == {areas.street_a.pk}
