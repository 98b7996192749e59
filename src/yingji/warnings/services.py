"""Commands on early warnings: draft, edit, approve, publish, update, cancel, import. One transaction each,
audited; publishing writes the CAP message and tells subscribers through the core outbox."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import shape

from yingji.core.audit import audit_append
from yingji.core.commands import refuse_nulls, require_perm, validation_failed
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import DISTRICT_WIDE_KINDS, OrgKind, OrgUnit, Subscription, User, WarningLevel
from yingji.core.notify import Dispatch, notify, notify_subscribers
from yingji.warnings import cap
from yingji.warnings.lifecycle import (
    ACTION_PERMS,
    APPROVE,
    CANCEL,
    DRAFT_PERM,
    EDIT,
    IMPORT_PERM,
    PUBLISH,
    UPDATE,
    allowed_actions,
    needs_second_person,
    perm_for,
)
from yingji.warnings.models import EarlyWarning, EventType, MsgType, Source, Status

TOPIC = "warning"
EDITABLE = ("event_type", "level", "headline", "description", "instruction", "area_desc", "area_polygon")
# Streets' division codes: 6 digits are a county (GB/T 2260), 9 digits a township or street (GB/T 10114
# appends 3 digits to the GB/T 2260 code; the National Bureau of Statistics publishes them).
GEOCODE_SCHEMES = {6: "GB/T 2260", 9: "GB/T 10114", 12: "GB/T 10114"}
# CAP 1.2 §3.2.1: a drill's message has status Exercise, and "the exercise identifier SHOULD appear in <note>".
EXERCISE_STATUS = "Exercise"
EXERCISE_NOTE = "演练信息，仅供演练参与者使用"


# --- checks -------------------------------------------------------------------------------------------------


def _require_action_perm(user: User, action: str) -> None:
    require_perm(user, ACTION_PERMS[action])


def _require_action(warning: EarlyWarning, action: str) -> None:
    allowed = allowed_actions(status=warning.status, msg_type=warning.msg_type, source=warning.source)
    if action not in allowed:
        names = ", ".join(allowed) or "none"
        detail = f"cannot {action} a warning that is {warning.status}; allowed: {names}"
        raise Conflict(detail, {"status": [detail]})


def polygon_errors(geometry: Any) -> list[str]:
    """What is wrong with a GeoJSON area (a Polygon or MultiPolygon in WGS84), if anything."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return ["give a GeoJSON Polygon or MultiPolygon"]
    try:
        shapely_geometry = shape(geometry)
        rings = cap.rings_from_geojson(geometry)
    except (GEOSException, ValueError, TypeError, IndexError, KeyError, AttributeError):
        return ["not a readable GeoJSON polygon"]
    problems = []
    if any(len(ring) < 4 for ring in rings):
        problems.append("each ring needs at least three distinct points")
    if any(not (-90 <= lat <= 90 and -180 <= lon <= 180) for ring in rings for lat, lon in ring):
        problems.append("coordinates must be WGS84 longitude, latitude")
    if not problems and not shapely_geometry.is_valid:
        problems.append("the polygon crosses itself")
    return problems


def streets_touching(geometry: dict[str, Any] | None) -> set[int]:
    """Streets whose area intersects a polygon: who a polygon-only warning concerns."""
    if not geometry:
        return set()
    area = shape(geometry)
    streets = OrgUnit.objects.filter(kind=OrgKind.STREET, active=True, area__isnull=False).only("pk", "area")
    return {street.pk for street in streets if shape(street.area).intersects(area)}


def _clean(warning: EarlyWarning, *, streets: list[OrgUnit] | None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        warning.full_clean(exclude=["cap_xml"])
    except ValidationError as exc:
        errors.update(validation_failed(exc).errors)
    if warning.source == Source.LOCAL:
        if not warning.description.strip():
            errors.setdefault("description", []).append("This field cannot be blank.")
        if warning.expires is None:
            errors.setdefault("expires", []).append("A warning needs an expiry time.")
        if warning.area_polygon is None and not streets:
            errors.setdefault("area_streets", []).append("Give the area as streets, a polygon, or both.")
    if warning.area_polygon is not None:
        problems = polygon_errors(warning.area_polygon)
        if problems:
            errors.setdefault("area_polygon", []).extend(problems)
    if any(street.kind != OrgKind.STREET for street in streets or []):
        errors.setdefault("area_streets", []).append("Only streets can make up a warning's area.")
    if errors:
        first_field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", errors)


def _store(warning: EarlyWarning, *, streets: list[OrgUnit]) -> None:
    """Check a warning with its area's streets, then save both."""
    _clean(warning, streets=streets)
    warning.save()
    warning.streets.set(streets)


def _snapshot(warning: EarlyWarning) -> dict[str, Any]:
    return {
        "identifier": warning.identifier,
        "msg_type": warning.msg_type,
        "status": warning.status,
        "event_type": warning.event_type,
        "level": warning.level,
        "headline": warning.headline,
    }


def _district_code(org: OrgUnit) -> str:
    root_pk = int(org.path.strip("/").split("/")[0])
    return org.code if root_pk == org.pk else OrgUnit.objects.values_list("code", flat=True).get(pk=root_pk)


# --- drafting -----------------------------------------------------------------------------------------------


@transaction.atomic
def warning_create(
    *,
    by: User,
    event_type: str,
    level: str,
    headline: str,
    description: str,
    expires: datetime | None,
    instruction: str = "",
    streets: Iterable[OrgUnit] = (),
    area_polygon: dict[str, Any] | None = None,
    area_desc: str = "",
    effective: datetime | None = None,
    exercise: bool = False,
) -> EarlyWarning:
    """Draft a warning issued by the drafter's unit; an exercise warning (a drill's) never reaches the public feed."""
    require_perm(by, DRAFT_PERM)
    org = by.org
    if org is None:
        raise NotAllowed(_("you belong to no unit that could issue a warning"))
    street_list = list(streets)
    warning = EarlyWarning(
        identifier=f"{org.code}-{timezone.localtime():%Y%m%d}-{uuid.uuid4().hex[:10]}",
        sender=f"yingji@{_district_code(org)}",
        sender_name=org.name,
        event_type=event_type,
        level=level,
        headline=headline,
        description=description,
        instruction=instruction,
        area_desc=area_desc,
        area_polygon=area_polygon,
        effective=effective or timezone.now(),
        expires=expires,
        org=org,
        created_by=by,
        exercise=exercise,
    )
    _store(warning, streets=street_list)
    audit_append(
        actor=by,
        action="warnings.warning.create",
        obj=warning,
        summary=f"起草预警 {headline}",
        payload=_snapshot(warning),
    )
    _ask_approval(warning)
    return warning


def approvers(warning: EarlyWarning) -> list[User]:
    """Who may approve the warning: holders of the approval permission whose scope covers its unit, its author
    excluded where the two-person rule applies."""
    people = (
        User.objects.filter(is_active=True, groups__permissions__codename="approve_earlywarning")
        .select_related("org")
        .distinct()
    )
    found = [
        p
        for p in people
        if p.is_superuser
        or p.org is None
        or p.org.kind in DISTRICT_WIDE_KINDS
        or warning.org.path.startswith(p.org.path)
    ]
    if needs_second_person(warning.level, settings.WARNING_TWO_PERSON_LEVELS):
        found = [p for p in found if p.pk != warning.created_by_id]
    return found


def _ask_approval(warning: EarlyWarning) -> None:
    """A new draft is a to-do for the commanders; tell them in their inbox too."""
    notify(
        recipients=approvers(warning),
        title=f"待审批预警：{warning.headline}",
        body=f"{warning.created_by} 起草了{warning.get_level_display()}预警，等待审批后发布。",
        link=reverse("warnings:detail", args=[warning.pk]),
        category="warning.approval",
        exercise=warning.exercise,
    )


def _locked(warning: EarlyWarning) -> EarlyWarning:
    return EarlyWarning.objects.select_for_update().select_related("org").get(pk=warning.pk)


@transaction.atomic
def warning_edit(
    *, by: User, warning: EarlyWarning, streets: Iterable[OrgUnit] | None = None, **changes: Any
) -> EarlyWarning:
    """Change a draft or an approved warning; an approved one goes back to draft and needs approval again."""
    _require_action_perm(by, EDIT)
    warning = _locked(warning)
    _require_action(warning, EDIT)
    refuse_nulls(warning, changes)
    for name, value in changes.items():
        if name not in (*EDITABLE, "effective", "expires"):
            raise ValidationFailed(_("unknown field %(field)s") % {"field": name}, {name: [_("unknown field")]})
        setattr(warning, name, value)
    street_list = list(streets) if streets is not None else list(warning.streets.all())
    was_approved = warning.status == Status.APPROVED
    warning.status, warning.approved_by, warning.approved_at = Status.DRAFT, None, None
    _store(warning, streets=street_list)
    audit_append(
        actor=by,
        action="warnings.warning.edit",
        obj=warning,
        summary=f"修改预警 {warning.headline}" + ("（退回待审批）" if was_approved else ""),
        payload={"changed": sorted(changes) + (["streets"] if streets is not None else [])},
    )
    return warning


@transaction.atomic
def warning_approve(*, by: User, warning: EarlyWarning) -> EarlyWarning:
    """A commander approves a draft for publication."""
    _require_action_perm(by, APPROVE)
    warning = _locked(warning)
    _require_action(warning, APPROVE)
    if needs_second_person(warning.level, settings.WARNING_TWO_PERSON_LEVELS) and warning.created_by_id == by.pk:
        # Two-person rule: a red or orange warning reaches the public only after a second person has checked it.
        detail = _("A warning of this level must be approved by someone other than its author.")
        raise NotAllowed(detail, {"__all__": [detail]})
    warning.status, warning.approved_by, warning.approved_at = Status.APPROVED, by, timezone.now()
    warning.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_append(
        actor=by,
        action="warnings.warning.approve",
        obj=warning,
        summary=f"审批预警 {warning.headline}",
        payload=_snapshot(warning),
    )
    return warning


# --- CAP ------------------------------------------------------------------------------------------------------


def cap_alert_for(warning: EarlyWarning, *, status: str = "Actual") -> cap.Alert:
    """The CAP 1.2 alert of a local warning (its info in zh-CN). A drill's warning is sent with status Exercise
    and the drill named in <note> (CAP 1.2 §3.2.1: "actionable only by designated exercise participants")."""
    urgency, severity, certainty = cap.LEVEL_CAP[warning.level]
    streets = sorted(warning.streets.all(), key=lambda s: s.code)
    with translation.override("zh-hans"):
        event = str(EventType(warning.event_type).label)
        level_name = str(WarningLevel(warning.level).label)
    geocodes = [(GEOCODE_SCHEMES.get(len(s.code), "yingji:org"), s.code) for s in streets]
    geocodes += [(str(name), str(value)) for name, value in warning.geocodes]
    area = cap.Area(
        desc=warning.area_desc or "、".join(s.name for s in streets) or warning.sender_name,
        polygons=cap.rings_from_geojson(warning.area_polygon),
        geocodes=geocodes,
    )
    info = cap.Info(
        language="zh-CN",
        categories=list(cap.EVENT_CATEGORIES.get(warning.event_type, ("Other",))),
        event=warning.event or event,
        urgency=urgency,
        severity=severity,
        certainty=certainty,
        event_codes=[(cap.EVENT_CODE_NAME, warning.event_type)],
        effective=timezone.localtime(warning.effective),
        expires=timezone.localtime(warning.expires) if warning.expires else None,
        sender_name=warning.sender_name,
        headline=warning.headline,
        description=warning.description,
        instruction=warning.instruction,
        parameters=[(cap.LEVEL_PARAMETER_NAME, warning.level), ("预警级别", level_name)],
        areas=[area],
    )
    sent = warning.sent or timezone.now()
    return cap.Alert(
        identifier=warning.identifier,
        sender=warning.sender,
        sent=timezone.localtime(sent),
        status=EXERCISE_STATUS if warning.exercise and status == "Actual" else status,
        msg_type=warning.msg_type,
        references=warning.references_text.split(),
        note=EXERCISE_NOTE if warning.exercise else "",
        infos=[info],
    )


def cap_document(warning: EarlyWarning) -> bytes:
    """The CAP message of a warning: as sent once it is published, else a preview with status Draft."""
    if warning.cap_xml:
        return warning.cap_xml.encode("utf-8")
    return cap.build(cap_alert_for(warning, status="Draft"))


def _seal(warning: EarlyWarning, *, by: User) -> None:
    """Mark a warning sent now and freeze its CAP message, which must pass the official schema."""
    warning.sent = timezone.now().replace(microsecond=0)
    warning.published_by = by
    warning.status = Status.PUBLISHED
    document = cap.build(cap_alert_for(warning))
    try:
        cap.validate(document)
    except cap.CapError as exc:
        raise ValidationFailed(f"the CAP message is not valid: {exc}", {"cap": [str(exc)]}) from None
    warning.cap_xml = document.decode("utf-8")


def _notify(warning: EarlyWarning, *, cancelled: bool = False) -> Dispatch:
    street_ids = {s.pk for s in warning.streets.all()} | streets_touching(warning.area_polygon)
    title = f"解除：{warning.headline}" if cancelled else warning.headline
    body = "\n".join(p for p in (warning.description, warning.instruction) if p)
    return notify_subscribers(
        topic=TOPIC,
        level=warning.level,
        event_type=warning.event_type,
        street_ids=street_ids or None,
        title=title,
        body=body[:1000],
        link=f"/warnings/{warning.pk}/",
        obj=warning,
        exercise=warning.exercise,
    )


@transaction.atomic
def warning_publish(*, by: User, warning: EarlyWarning) -> EarlyWarning:
    """Publish an approved warning: freeze its CAP message, supersede the one it updates, tell subscribers."""
    _require_action_perm(by, PUBLISH)
    warning = _locked(warning)
    _require_action(warning, PUBLISH)
    if warning.expires and warning.expires <= timezone.now():
        raise ValidationFailed(
            _("the warning has already expired"), {"expires": [_("The warning has already expired.")]}
        )
    if warning.references is not None:
        previous = _locked(warning.references)
        if previous.status != Status.PUBLISHED:
            detail = f"the warning this updates is {previous.status}, no longer published"
            raise Conflict(detail, {"references": [detail]})
        previous.status = Status.UPDATED
        previous.save(update_fields=["status", "updated_at"])
    _seal(warning, by=by)
    warning.save()
    dispatch = _notify(warning)
    audit_append(
        actor=by,
        action="warnings.warning.publish",
        obj=warning,
        summary=f"发布预警 {warning.headline}",
        payload={**_snapshot(warning), "inbox": dispatch.inbox, "deliveries": dispatch.deliveries},
    )
    return warning


def _successor(warning: EarlyWarning, *, by: User, msg_type: str) -> EarlyWarning:
    previous_refs = warning.references_text.split()
    own = cap.reference(sender=warning.sender, identifier=warning.identifier, sent=timezone.localtime(warning.sent))
    return EarlyWarning(
        identifier=f"{warning.org.code}-{timezone.localtime():%Y%m%d}-{uuid.uuid4().hex[:10]}",
        sender=warning.sender,
        sender_name=warning.sender_name,
        msg_type=msg_type,
        references=warning,
        references_text=" ".join([*previous_refs, own]),
        event_type=warning.event_type,
        event=warning.event,
        level=warning.level,
        headline=warning.headline,
        description=warning.description,
        instruction=warning.instruction,
        area_desc=warning.area_desc,
        area_polygon=warning.area_polygon,
        geocodes=warning.geocodes,
        effective=warning.effective,
        expires=warning.expires,
        org=warning.org,
        created_by=by,
        exercise=warning.exercise,
    )


@transaction.atomic
def warning_update(
    *, by: User, warning: EarlyWarning, streets: Iterable[OrgUnit] | None = None, **changes: Any
) -> EarlyWarning:
    """Draft an Update of a published warning: a new message referencing it, approved and published like any
    other; publishing it supersedes the original."""
    _require_action_perm(by, UPDATE)
    warning = _locked(warning)
    _require_action(warning, UPDATE)
    refuse_nulls(warning, changes)
    successor = _successor(warning, by=by, msg_type=MsgType.UPDATE)
    for name, value in changes.items():
        if name not in (*EDITABLE, "effective", "expires"):
            raise ValidationFailed(_("unknown field %(field)s") % {"field": name}, {name: [_("unknown field")]})
        setattr(successor, name, value)
    street_list = list(streets) if streets is not None else list(warning.streets.all())
    _store(successor, streets=street_list)
    audit_append(
        actor=by,
        action="warnings.warning.update",
        obj=successor,
        summary=f"起草预警更新 {successor.headline}",
        payload={**_snapshot(successor), "references": warning.pk, "changed": sorted(changes)},
    )
    return successor


@transaction.atomic
def warning_cancel(*, by: User, warning: EarlyWarning, reason: str = "") -> EarlyWarning:
    """Withdraw a warning. A draft or approved one is discarded; a published one is cancelled by a Cancel
    message (published at once by the commander) referencing it. Returns the Cancel message, or the
    discarded draft."""
    warning = _locked(warning)
    _require_action(warning, CANCEL)
    require_perm(by, perm_for(CANCEL, status=warning.status))
    if warning.status != Status.PUBLISHED:
        warning.status = Status.CANCELLED
        warning.save(update_fields=["status", "updated_at"])
        audit_append(
            actor=by,
            action="warnings.warning.discard",
            obj=warning,
            summary=f"作废预警草稿 {warning.headline}",
            payload={**_snapshot(warning), "reason": reason},
        )
        return warning
    message = _successor(warning, by=by, msg_type=MsgType.CANCEL)
    if reason:
        message.description = reason
    message.approved_by, message.approved_at = by, timezone.now()
    message.save()
    message.streets.set(warning.streets.all())
    _seal(message, by=by)
    message.save()
    warning.status = Status.CANCELLED
    warning.save(update_fields=["status", "updated_at"])
    dispatch = _notify(message, cancelled=True)
    audit_append(
        actor=by,
        action="warnings.warning.cancel",
        obj=warning,
        summary=f"解除预警 {warning.headline}",
        payload={**_snapshot(warning), "cancel_message": message.identifier, "reason": reason, "inbox": dispatch.inbox},
    )
    return message


# --- import -----------------------------------------------------------------------------------------------------


def event_type_of(info: cap.Info) -> str:
    """Our event type of a CAP info block: our own eventCode, else the first type whose name (Chinese or
    English) or code appears in the event's text, else "other"."""
    own = info.value_of("event_codes", cap.EVENT_CODE_NAME)
    if own in EventType.values:
        return own
    text = f"{info.event} {info.headline}".lower()
    names: dict[str, list[str]] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in EventType.choices:
                names.setdefault(value, []).append(str(label).lower())
    for value in EventType.values:
        if value == EventType.OTHER:
            continue
        if value.replace("_", " ") in text or any(name in text for name in names[value]):
            return value
    return EventType.OTHER


def _referenced(references: list[str]) -> EarlyWarning | None:
    """The latest message of ours that a CAP <references> list names ("sender,identifier,sent")."""
    keys = [tuple(ref.split(",")[:2]) for ref in references if ref.count(",") >= 2]
    found = None
    for sender, identifier in keys:
        found = EarlyWarning.objects.select_for_update().filter(sender=sender, identifier=identifier).first() or found
    return found


@transaction.atomic
def warning_import(*, by: User, document: bytes) -> EarlyWarning:
    """Take in another agency's CAP 1.2 message (e.g. the weather service's) as a published warning.
    Invalid documents are refused with the schema's error and line."""
    require_perm(by, IMPORT_PERM)
    if by.org_id is None:
        raise NotAllowed(_("you belong to no unit"))
    try:
        alert = cap.parse(document)
    except cap.CapError as exc:
        raise ValidationFailed(f"invalid CAP 1.2 document: {exc}", {"document": [str(exc)]}) from None
    info = alert.info("zh-CN")
    problems: dict[str, list[str]] = {}
    if info is None:
        problems["info"] = ["the message has no <info> block"]
    if alert.status != "Actual":
        problems["status"] = [f"only Actual messages are imported, not {alert.status}"]
    if alert.scope != "Public":
        problems["scope"] = [f"only Public messages are imported, not {alert.scope}"]
    if alert.msg_type not in MsgType.values:
        problems["msgType"] = [f"{alert.msg_type} messages are not warnings"]
    if problems or info is None:
        first_field, messages = next(iter(problems.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", problems)
    if EarlyWarning.objects.filter(sender=alert.sender, identifier=alert.identifier).exists():
        raise Conflict(_("this message was imported already"), {"identifier": [alert.identifier]})
    polygons = [ring for area in info.areas for ring in area.polygons]
    geocodes = [[name, value] for area in info.areas for name, value in area.geocodes]
    streets = list(OrgUnit.objects.filter(kind=OrgKind.STREET, code__in=[value for _name, value in geocodes]))
    previous = _referenced(alert.references) if alert.msg_type != MsgType.ALERT else None
    warning = EarlyWarning(
        identifier=alert.identifier,
        sender=alert.sender,
        sender_name=info.sender_name or alert.sender,
        msg_type=alert.msg_type,
        references=previous,
        references_text=" ".join(alert.references),
        source=Source.EXTERNAL,
        status=Status.PUBLISHED,
        event_type=event_type_of(info),
        event=info.event[:200],
        level=cap.level_of(info),
        headline=(info.headline or info.event)[:200],
        description=info.description,
        instruction=info.instruction,
        area_desc="；".join(area.desc for area in info.areas)[:500],
        area_polygon=cap.geojson_from_rings(polygons),
        geocodes=[g for g in geocodes if g[1] not in {s.code for s in streets}],
        effective=info.effective or alert.sent,
        expires=info.expires,
        org=by.org,
        created_by=by,
        sent=alert.sent,
        cap_xml=document.decode("utf-8"),
    )
    _store(warning, streets=streets)
    if previous is not None and previous.status == Status.PUBLISHED:
        previous.status = Status.CANCELLED if alert.msg_type == MsgType.CANCEL else Status.UPDATED
        previous.save(update_fields=["status", "updated_at"])
    dispatch = _notify(warning, cancelled=alert.msg_type == MsgType.CANCEL)
    audit_append(
        actor=by,
        action="warnings.warning.import",
        obj=warning,
        summary=f"导入外部预警 {warning.headline}",
        payload={**_snapshot(warning), "sender": alert.sender, "inbox": dispatch.inbox},
    )
    return warning


# --- a person's own subscriptions --------------------------------------------------------------------------


@transaction.atomic
def subscription_create_own(
    *,
    by: User,
    name: str,
    min_level: str,
    event_types: list[str],
    streets: Iterable[OrgUnit],
    channels: list[str],
) -> Subscription:
    """Subscribe oneself to warnings at or above a level, of some types, in some streets."""
    subscription = Subscription(
        name=name, topic=TOPIC, owner=by, min_level=min_level, event_types=list(event_types), channels=list(channels)
    )
    try:
        subscription.full_clean()
    except ValidationError as exc:
        raise validation_failed(exc) from None
    subscription.save()
    subscription.streets.set(list(streets))
    audit_append(actor=by, action="warnings.subscription.create", obj=subscription, summary=f"订阅预警 {name}")
    return subscription


@transaction.atomic
def subscription_delete_own(*, by: User, subscription: Subscription) -> None:
    if subscription.owner_id != by.pk:
        raise NotAllowed(_("only your own subscriptions"))
    audit_append(
        actor=by, action="warnings.subscription.delete", obj=subscription, summary=f"取消订阅 {subscription.name}"
    )
    subscription.delete()
