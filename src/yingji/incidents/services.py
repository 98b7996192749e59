"""Commands of the duty desk: roster, intake, grading, reports, command, tasks, merge, close and review.
One transaction each; every change is audited, logged on the incident's timeline and pushed live after commit."""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import Point, shape

from yingji.core.audit import audit_append
from yingji.core.commands import refuse_nulls
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed, YingjiError
from yingji.core.live import publish
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.notify import notify
from yingji.core.roles import Role, role_group
from yingji.core.services import validation_failed
from yingji.incidents import deadlines, grading, selectors
from yingji.incidents.models import (
    Dispatch,
    DispatchStatus,
    DutyShift,
    EventKind,
    Handover,
    Incident,
    IncidentType,
    MaterialRequest,
    Report,
    ReportKind,
    ReportStatus,
    Review,
    Status,
    Task,
    TaskStatus,
    TimelineEntry,
)
from yingji.resources.models import Equipment, Expert, MaterialItem, Team, Warehouse
from yingji.resources.services import stock_withdraw

LIVE_CHANNEL = "duty"
CASUALTY_FIELDS = ("deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss_yuan")
DETAIL_FIELDS = ("title", "description", "lat", "lon", "address", "reporter_name", "reporter_phone", "source")
COMMAND_FIELDS = ("commander", "response_level", "post_lat", "post_lon", "post_address")
# Status changes a person may make directly; closing goes through `incident_close`, merging through `incident_merge`.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.OPEN: (Status.RESPONDING, Status.CLOSED),
    Status.RESPONDING: (Status.CLOSED,),
    Status.CLOSED: (),
    Status.MERGED: (),
}


def _require(by: User | None, permission: str) -> None:
    # `by=None` is the platform itself (an alarm rule, the worker).
    if by is not None and not by.has_perm(permission):
        raise NotAllowed("your role may not do this")


def _full_clean(instance, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise validation_failed(exc) from None


def _actor_name(by: User | None) -> str:
    return str(by) if by is not None else "系统"


def incident_summary(incident: Incident) -> dict[str, Any]:
    """What a duty-desk page needs to show an incident in a list or on the map."""
    return {
        "id": incident.pk,
        "code": incident.code,
        "title": incident.title,
        "status": incident.status,
        "status_label": incident.get_status_display(),
        "category_label": incident.get_category_display(),
        "type_label": incident.type.name,
        "grade": incident.grade or None,
        "grade_label": grading.LABELS.get(incident.grade, ""),
        "report_deadline": incident.report_deadline.isoformat() if incident.report_deadline else None,
        "received_at": incident.received_at.isoformat(),
        "lat": incident.lat,
        "lon": incident.lon,
        "org_name": incident.org.name,
        "url": reverse("incidents:detail", args=[incident.pk]),
    }


def _push(incident: Incident, action: str) -> None:
    data = {**incident_summary(incident), "action": action}
    scope = incident.org.path
    transaction.on_commit(lambda: publish(LIVE_CHANNEL, "incident", data, scope=scope))


def _log(
    incident: Incident,
    *,
    kind: str,
    text: str,
    by: User | None,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    entry = TimelineEntry.objects.create(
        incident=incident, at=at or timezone.now(), actor=by, kind=kind, text=text[:500], payload=payload or {}
    )
    data = {
        "incident": incident.pk,
        "kind": kind,
        "kind_label": entry.get_kind_display(),
        "text": entry.text,
        "actor": _actor_name(by),
        "at": entry.at.isoformat(),
    }
    scope = incident.org.path
    transaction.on_commit(lambda: publish(LIVE_CHANNEL, "timeline", data, scope=scope))
    return entry


# ---- duty roster -------------------------------------------------------------------------------------------


@transaction.atomic
def shift_create(
    *,
    by: User | None,
    org: OrgUnit,
    starts_at: datetime,
    ends_at: datetime,
    officer: User,
    leader: User,
    phone: str = "",
    note: str = "",
) -> DutyShift:
    """Put a shift on the roster; shifts of one unit may not overlap."""
    _require(by, "incidents.add_dutyshift")
    shift = DutyShift(
        org=org, starts_at=starts_at, ends_at=ends_at, officer=officer, leader=leader, phone=phone, note=note
    )
    _full_clean(shift, validate_constraints=False)
    if ends_at <= starts_at:
        raise ValidationFailed("a shift must end after it starts", {"ends_at": ["must be after the start"]})
    if DutyShift.objects.filter(org=org, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationFailed("overlaps another shift", {"starts_at": ["overlaps another shift of this unit"]})
    shift.save()
    audit_append(
        actor=by,
        action="incidents.shift.create",
        obj=shift,
        summary=f"排班 {timezone.localtime(starts_at):%m-%d %H:%M} 值班员 {officer} 带班领导 {leader}",
        payload={"officer": officer.pk, "leader": leader.pk, "starts_at": starts_at, "ends_at": ends_at},
    )
    return shift


@transaction.atomic
def handover_create(*, by: User, shift: DutyShift, notes: str, open_items: str = "") -> Handover:
    """Write the handover log of a shift (交接班)."""
    _require(by, "incidents.add_handover")
    handover = Handover(shift=shift, by=by, at=timezone.now(), notes=notes, open_items=open_items)
    _full_clean(handover)
    handover.save()
    audit_append(actor=by, action="incidents.handover", obj=handover, summary=f"交接班 {shift}")
    return handover


# ---- intake ------------------------------------------------------------------------------------------------


def _locate_org(lat: float, lon: float) -> OrgUnit | None:
    """The community, else the street, whose (illustrative) area holds the point."""
    point = Point(lon, lat)
    units = OrgUnit.objects.filter(kind__in=[OrgKind.COMMUNITY, OrgKind.STREET], active=True, area__isnull=False)
    found = [unit for unit in units.only("id", "kind", "area", "path") if shape(unit.area).covers(point)]
    found.sort(key=lambda unit: 0 if unit.kind == OrgKind.COMMUNITY else 1)
    return found[0] if found else None


def _district() -> OrgUnit:
    district = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).order_by("path").first()
    if district is None:
        raise ValidationFailed("no district in the org tree", {"org": ["the org tree has no district"]})
    return district


def _next_code(received_at: datetime) -> str:
    prefix = f"YJ{timezone.localtime(received_at):%Y%m%d}"
    last = Incident.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _grade_of(incident: Incident) -> str:
    order493 = incident.type.order493 and incident.category == "accident"
    grade = grading.grade_incident(
        order493=order493,
        deaths=incident.deaths,
        serious_injuries=incident.serious_injuries,
        direct_loss_yuan=incident.direct_loss_yuan,
    )
    return grade or ""


def _recipient(grade: str) -> str:
    return deadlines.LEVEL_LABELS[deadlines.levels_to_report(grade or None)[0]]


def _refresh_deadline(incident: Incident) -> None:
    due = incident.reports.filter(status=ReportStatus.DUE).aggregate(due=Min("due_at"))["due"]
    if due != incident.report_deadline:
        incident.report_deadline = due
        incident.save(update_fields=["report_deadline", "updated_at"])


@transaction.atomic
def incident_create(
    *,
    by: User | None,
    title: str,
    category: str,
    type: IncidentType,  # noqa: A002 — the issue's field name
    occurred_at: datetime,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    source: str = "phone",
    received_at: datetime | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    enterprise: OrgUnit | None = None,
    org: OrgUnit | None = None,
    description: str = "",
    deaths: int = 0,
    missing: int = 0,
    serious_injuries: int = 0,
    minor_injuries: int = 0,
    direct_loss_yuan: int = 0,
) -> Incident:
    """Record an incident: grade it (Order 493), open its initial report with the art. 11 deadline."""
    _require(by, "incidents.add_incident")
    now = timezone.now()
    received_at = received_at or now
    if type.category != category:
        raise ValidationFailed(
            "the type does not belong to the category", {"type": [f"{type.code} is not of category {category}"]}
        )
    if occurred_at > now + timedelta(minutes=5):
        raise ValidationFailed("occurred in the future", {"occurred_at": ["cannot be in the future"]})
    if occurred_at > received_at:
        raise ValidationFailed("occurred after it was received", {"occurred_at": ["must not be after received_at"]})
    if lat is None and lon is None and not address:
        raise ValidationFailed("where did it happen?", {"address": ["give a map location or an address"]})
    if enterprise is not None and enterprise.kind != OrgKind.ENTERPRISE:
        raise ValidationFailed("not an enterprise", {"enterprise": ["must be an enterprise"]})
    if org is None:
        org = enterprise or (_locate_org(lat, lon) if lat is not None and lon is not None else None) or _district()
    incident = Incident(
        code=_next_code(received_at),
        title=title,
        category=category,
        type=type,
        source=source,
        description=description,
        lat=lat,
        lon=lon,
        address=address,
        occurred_at=occurred_at,
        received_at=received_at,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        enterprise=enterprise,
        org=org,
        deaths=deaths,
        missing=missing,
        serious_injuries=serious_injuries,
        minor_injuries=minor_injuries,
        direct_loss_yuan=direct_loss_yuan,
        created_by=by,
    )
    incident.grade = _grade_of(incident)
    _full_clean(incident, exclude=["code"])
    incident.save()
    Report.objects.create(
        incident=incident,
        kind=ReportKind.INITIAL,
        recipient=_recipient(incident.grade),
        due_at=deadlines.upward_report_due(received_at),
    )
    _refresh_deadline(incident)
    grade_text = f"，{grading.LABELS[incident.grade]}" if incident.grade else ""
    _log(
        incident,
        kind=EventKind.INTAKE,
        by=by,
        at=received_at,
        text=f"接报：{incident.get_source_display()}，{incident.type.name}{grade_text}",
        payload={"source": source, "grade": incident.grade or None},
    )
    audit_append(
        actor=by,
        action="incidents.incident.create",
        obj=incident,
        summary=f"接报 {incident.code} {title}",
        payload={"category": category, "type": type.code, "grade": incident.grade or None, "org": org.pk},
    )
    _push(incident, "created")
    return incident


def _casualty_text(incident: Incident) -> str:
    return (
        f"死亡 {incident.deaths}、失踪 {incident.missing}、重伤 {incident.serious_injuries}、"
        f"轻伤 {incident.minor_injuries}，直接经济损失 {incident.direct_loss_yuan} 元"
    )


def _ask_progress_report(incident: Incident, reason: str, now: datetime) -> Report:
    """Open a supplementary report (续报), or add the reason to the one already due."""
    report = incident.reports.filter(kind=ReportKind.PROGRESS, status=ReportStatus.DUE).first()
    if report is not None:
        report.reason = f"{report.reason}；{reason}"[:200]
        report.save(update_fields=["reason"])
        return report
    return Report.objects.create(
        incident=incident,
        kind=ReportKind.PROGRESS,
        reason=reason[:200],
        recipient=_recipient(incident.grade),
        due_at=deadlines.upward_report_due(now),
    )


@transaction.atomic
def incident_update(*, by: User | None, incident: Incident, **changes: Any) -> Incident:
    """Change an incident's details or casualty figures. Casualty changes within the art. 13 window regrade the
    accident and ask for a supplementary report; later changes are recorded without regrading."""
    _require(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    unknown = [f for f in changes if f not in (*DETAIL_FIELDS, *CASUALTY_FIELDS)]
    if unknown:
        raise ValidationFailed(f"unknown field {unknown[0]}", {f: ["cannot be changed here"] for f in unknown})
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"status": [f"{incident.status}: no changes allowed"]})
    refuse_nulls(incident, changes)
    before = {f: getattr(incident, f) for f in changes}
    for field, value in changes.items():
        setattr(incident, field, value)
    _full_clean(incident)
    changed = {f: [before[f], getattr(incident, f)] for f in changes if before[f] != getattr(incident, f)}
    if not changed:
        return incident
    incident.save()
    now = timezone.now()
    if any(f in CASUALTY_FIELDS for f in changed):
        in_window = deadlines.in_supplementary_window(
            occurred_at=incident.occurred_at, now=now, type_code=incident.type.code
        )
        if in_window:
            _log(incident, kind=EventKind.CASUALTIES, by=by, text=f"伤亡/损失更新：{_casualty_text(incident)}")
            new_grade = _grade_of(incident)
            reason = "伤亡人数或损失变化"
            if new_grade != incident.grade:
                old_label = grading.LABELS.get(incident.grade, "未定级")
                new_label = grading.LABELS.get(new_grade, "未定级")
                _log(
                    incident,
                    kind=EventKind.GRADE,
                    by=by,
                    text=f"事故等级由{old_label}调整为{new_label}",
                    payload={"from": incident.grade or None, "to": new_grade or None},
                )
                reason = f"事故等级调整为{new_label}"
                incident.grade = new_grade
                incident.save(update_fields=["grade", "updated_at"])
            _ask_progress_report(incident, reason, now)
            _refresh_deadline(incident)
        else:
            _log(
                incident,
                kind=EventKind.CASUALTIES,
                by=by,
                text=f"伤亡/损失更新（已超过补报期限，不再调整等级）：{_casualty_text(incident)}",
            )
    if any(f in DETAIL_FIELDS for f in changed):
        _log(
            incident,
            kind=EventKind.UPDATE,
            by=by,
            text="更新事件信息："
            + "、".join(str(Incident._meta.get_field(f).verbose_name) for f in changed if f in DETAIL_FIELDS),
        )
    audit_append(
        actor=by, action="incidents.incident.update", obj=incident, summary=f"更新 {incident.code}", payload=changed
    )
    _push(incident, "updated")
    return incident


@transaction.atomic
def incident_command(*, by: User | None, incident: Incident, **changes: Any) -> Incident:
    """Set the incident commander (指挥官负责制), response level and command post."""
    _require(by, "incidents.command_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    unknown = [f for f in changes if f not in COMMAND_FIELDS]
    if unknown:
        raise ValidationFailed(f"unknown field {unknown[0]}", {f: ["cannot be changed here"] for f in unknown})
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"status": [f"{incident.status}: no changes allowed"]})
    commander = changes.get("commander")
    if commander is not None and not commander.is_active:
        raise ValidationFailed("inactive user", {"commander": ["this user is not active"]})
    before = {f: getattr(incident, f) for f in changes}
    for field, value in changes.items():
        setattr(incident, field, value)
    if (incident.post_lat is None) != (incident.post_lon is None):
        raise ValidationFailed("half a location", {"post_lon": ["give both latitude and longitude, or neither"]})
    _full_clean(incident)
    changed = {f: [str(before[f] or ""), str(getattr(incident, f) or "")] for f in changes}
    changed = {f: v for f, v in changed.items() if v[0] != v[1]}
    if not changed:
        return incident
    incident.save()
    parts = []
    if "commander" in changed:
        parts.append(f"指挥官：{incident.commander or '—'}")
    if "response_level" in changed:
        parts.append(f"响应级别：{incident.get_response_level_display() or '—'}")
    if {"post_lat", "post_lon", "post_address"} & changed.keys():
        parts.append(f"现场指挥部：{incident.post_address or ''} {incident.post_lat or ''},{incident.post_lon or ''}")
    _log(incident, kind=EventKind.COMMAND, by=by, text="；".join(parts), payload=changed)
    if incident.status == Status.OPEN:
        incident.status = Status.RESPONDING
        incident.save(update_fields=["status", "updated_at"])
        _log(incident, kind=EventKind.STATUS, by=by, text="进入处置")
    audit_append(
        actor=by, action="incidents.incident.command", obj=incident, summary=f"指挥 {incident.code}", payload=changed
    )
    _push(incident, "updated")
    return incident


@transaction.atomic
def incident_set_status(*, by: User | None, incident: Incident, status: str) -> Incident:
    """Move an incident along open → responding → closed; other moves are a conflict naming the allowed ones."""
    _require(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if status == incident.status:
        return incident
    allowed = TRANSITIONS.get(incident.status, ())
    if status not in allowed:
        names = ", ".join(allowed) or "none"
        raise Conflict(
            f"cannot go from {incident.status} to {status}; allowed: {names}",
            {"status": [f"allowed from {incident.status}: {names}"]},
        )
    if status == Status.CLOSED:
        return incident_close(by=by, incident=incident)
    incident.status = status
    incident.save(update_fields=["status", "updated_at"])
    _log(incident, kind=EventKind.STATUS, by=by, text=f"状态：{incident.get_status_display()}")
    audit_append(actor=by, action="incidents.incident.status", obj=incident, summary=f"{incident.code} → {status}")
    _push(incident, "updated")
    return incident


@transaction.atomic
def incident_close(*, by: User | None, incident: Incident) -> Incident:
    """Close an incident; a final report (终报) must have been sent. Reports still due are cancelled."""
    _require(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict(
            f"cannot close an incident that is {incident.status}; allowed: none", {"status": ["already finished"]}
        )
    if not incident.reports.filter(kind=ReportKind.FINAL, status=ReportStatus.SENT).exists():
        raise ValidationFailed(
            "closing requires a final report", {"status": ["send the final report (终报) before closing"]}
        )
    now = timezone.now()
    incident.reports.filter(status=ReportStatus.DUE).update(status=ReportStatus.CANCELLED)
    incident.status = Status.CLOSED
    incident.closed_at = now
    incident.save(update_fields=["status", "closed_at", "updated_at"])
    _refresh_deadline(incident)
    _log(incident, kind=EventKind.STATUS, by=by, text="结案")
    audit_append(actor=by, action="incidents.incident.close", obj=incident, summary=f"结案 {incident.code}")
    _push(incident, "closed")
    return incident


@transaction.atomic
def incident_merge(*, by: User | None, duplicate: Incident, into: Incident) -> Incident:
    """Merge a duplicate report into the incident it describes: the duplicate is kept, linked and closed to
    reporting; both timelines say so."""
    _require(by, "incidents.change_incident")
    if duplicate.pk == into.pk:
        raise ValidationFailed("cannot merge an incident into itself", {"into": ["choose another incident"]})
    first, second = sorted([duplicate.pk, into.pk])
    locked = {
        i.pk: i
        for i in Incident.objects.select_for_update().select_related("org", "type").filter(pk__in=[first, second])
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if not duplicate.is_open or not into.is_open:
        raise Conflict("only open incidents can be merged", {"into": ["both incidents must be open"]})
    duplicate.status = Status.MERGED
    duplicate.merged_into = into
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    duplicate.reports.filter(status=ReportStatus.DUE).update(status=ReportStatus.CANCELLED)
    _refresh_deadline(duplicate)
    _log(duplicate, kind=EventKind.MERGE, by=by, text=f"作为重复报告并入 {into.code}", payload={"into": into.pk})
    _log(
        into,
        kind=EventKind.MERGE,
        by=by,
        text=f"并入重复报告 {duplicate.code}（{duplicate.get_source_display()}，"
        f"报告人 {duplicate.reporter_name or '—'}）",
        payload={"duplicate": duplicate.pk},
    )
    audit_append(
        actor=by,
        action="incidents.incident.merge",
        obj=duplicate,
        summary=f"{duplicate.code} 并入 {into.code}",
        payload={"into": into.pk},
    )
    _push(duplicate, "merged")
    return into


@transaction.atomic
def incident_note(*, by: User, incident: Incident, text: str) -> TimelineEntry:
    """Write a note on the timeline."""
    _require(by, "incidents.change_incident")
    if not text.strip():
        raise ValidationFailed("empty note", {"text": ["write something"]})
    entry = _log(incident, kind=EventKind.NOTE, by=by, text=text.strip())
    audit_append(
        actor=by, action="incidents.note", obj=incident, summary=f"{incident.code} 记录", payload={"text": text}
    )
    return entry


def timeline_append(
    *, incident: Incident, kind: str, text: str, by: User | None = None, payload: dict[str, Any] | None = None
) -> TimelineEntry:
    """Append an event from another part of the platform (a linked alarm, a dispatch) to the timeline."""
    return _log(incident, kind=kind, text=text, by=by, payload=payload)


# ---- reports -----------------------------------------------------------------------------------------------


@transaction.atomic
def report_add(*, by: User, incident: Incident, kind: str, reason: str = "") -> Report:
    """Prepare a progress (续报) or final (终报) report, due within the art. 11 limit."""
    _require(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"kind": ["no reports for a finished incident"]})
    if kind == ReportKind.INITIAL:
        raise ValidationFailed("the initial report is created at intake", {"kind": ["choose progress or final"]})
    if kind not in ReportKind.values:
        raise ValidationFailed("unknown kind", {"kind": [f"one of {', '.join(ReportKind.values)}"]})
    if kind == ReportKind.FINAL and incident.reports.filter(kind=kind).exclude(status=ReportStatus.CANCELLED).exists():
        raise Conflict("a final report exists already", {"kind": ["there is one final report"]})
    report = Report.objects.create(
        incident=incident,
        kind=kind,
        reason=reason[:200],
        recipient=_recipient(incident.grade),
        due_at=deadlines.upward_report_due(timezone.now()),
    )
    _refresh_deadline(incident)
    audit_append(actor=by, action="incidents.report.add", obj=report, summary=f"{incident.code} 拟{report}")
    _push(incident, "updated")
    return report


@transaction.atomic
def report_send(*, by: User, report: Report) -> Report:
    """Send a due report: its document is generated now and kept with the send time."""
    _require(by, "incidents.change_incident")
    report = (
        Report.objects.select_for_update()
        .select_related("incident", "incident__type", "incident__org")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DUE:
        raise Conflict(f"the report is {report.status}; allowed: none", {"status": ["only due reports can be sent"]})
    now = timezone.now()
    report.sent_at = now
    report.sent_by = by
    report.status = ReportStatus.SENT
    document = selectors.report_document_build(report=report, sent_at=now, by=by)
    report.content = document.to_dict()
    report.document = render_to_string("incidents/_document.html", {"document": document})
    report.save(update_fields=["sent_at", "sent_by", "status", "content", "document"])
    late = now > report.due_at
    _log(
        report.incident,
        kind=EventKind.REPORT,
        by=by,
        text=f"{report.get_kind_display()}已报送{report.recipient}" + ("（超时）" if late else ""),
        payload={"report": report.pk, "late": late},
    )
    _refresh_deadline(report.incident)
    audit_append(
        actor=by,
        action="incidents.report.send",
        obj=report,
        summary=f"{report.incident.code} {report.get_kind_display()}报送{report.recipient}",
        payload={"due_at": report.due_at, "late": late},
    )
    _push(report.incident, "updated")
    return report


def escalation_recipients(*, now: datetime, incident: Incident) -> list[User]:
    """The duty leader on shift now, the incident's commander and every commander."""
    leaders = User.objects.filter(pk__in=DutyShift.objects.filter(starts_at__lte=now, ends_at__gt=now).values("leader"))
    commanders = User.objects.filter(groups=role_group(Role.COMMANDER), is_active=True)
    people = [*leaders, *commanders]
    if incident.commander is not None:
        people.append(incident.commander)
    return people


def reports_escalate_overdue(*, now: datetime | None = None) -> int:
    """Escalate every overdue report once: notify the duty leader on shift and the commanders. Returns how many."""
    now = now or timezone.now()
    escalated = 0
    pending = Report.objects.filter(
        status=ReportStatus.DUE,
        due_at__lt=now,
        escalated_at__isnull=True,
        incident__status__in=[Status.OPEN, Status.RESPONDING],
    ).values_list("pk", flat=True)
    for report_id in list(pending):
        with transaction.atomic():
            # Lock and re-check: two workers must not escalate the same report twice.
            report = (
                Report.objects.select_for_update(of=("self",))
                .select_related("incident", "incident__org", "incident__commander")
                .filter(pk=report_id, status=ReportStatus.DUE, escalated_at__isnull=True)
                .first()
            )
            if report is None:
                continue
            report.escalated_at = now
            report.save(update_fields=["escalated_at"])
            incident = report.incident
            overdue_min = int((now - report.due_at).total_seconds() // 60)
            title = f"{incident.code} {report.get_kind_display()}已超时 {overdue_min} 分钟"
            notify(
                recipients=escalation_recipients(now=now, incident=incident),
                title=title,
                body=f"{incident.title}：{report.get_kind_display()}应于 "
                f"{timezone.localtime(report.due_at):%Y-%m-%d %H:%M} 前报送{report.recipient}，尚未报送。",
                link=reverse("incidents:detail", args=[incident.pk]),
                category="incident.overdue",
            )
            _log(
                incident,
                kind=EventKind.ESCALATION,
                by=None,
                text=f"{report.get_kind_display()}超时未报，已提醒带班领导和指挥长",
            )
            audit_append(actor=None, action="incidents.report.escalate", obj=report, summary=title)
            escalated += 1
    return escalated


# ---- tasks -------------------------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    by: User,
    incident: Incident,
    title: str,
    assignee_org: OrgUnit | None = None,
    assignee_user: User | None = None,
    due_at: datetime | None = None,
) -> Task:
    """Give a command task to an org unit or a person."""
    _require(by, "incidents.command_incident")
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"title": ["no tasks for a finished incident"]})
    if assignee_org is None and assignee_user is None:
        raise ValidationFailed("nobody to do it", {"assignee_org": ["assign a unit or a person"]})
    task = Task(
        incident=incident,
        title=title,
        assignee_org=assignee_org,
        assignee_user=assignee_user,
        due_at=due_at,
        created_by=by,
    )
    _full_clean(task)
    task.save()
    who = assignee_org.name if assignee_org else str(assignee_user)
    due = f"，{timezone.localtime(due_at):%m-%d %H:%M} 前完成" if due_at else ""
    _log(incident, kind=EventKind.TASK, by=by, text=f"下达任务：{title} → {who}{due}", payload={"task": task.pk})
    audit_append(actor=by, action="incidents.task.create", obj=task, summary=f"{incident.code} 任务 {title}")
    return task


TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TaskStatus.OPEN: (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED),
    TaskStatus.IN_PROGRESS: (TaskStatus.DONE, TaskStatus.CANCELLED),
    TaskStatus.DONE: (),
    TaskStatus.CANCELLED: (),
}


@transaction.atomic
def task_set_status(*, by: User, task: Task, status: str) -> Task:
    """Move a task along open → in progress → done (or cancelled)."""
    _require(by, "incidents.change_task")
    task = Task.objects.select_for_update().select_related("incident", "incident__org").get(pk=task.pk)
    allowed = TASK_TRANSITIONS.get(task.status, ())
    if status not in allowed:
        names = ", ".join(allowed) or "none"
        raise Conflict(
            f"cannot go from {task.status} to {status}; allowed: {names}",
            {"status": [f"allowed from {task.status}: {names}"]},
        )
    task.status = status
    task.done_at = timezone.now() if status == TaskStatus.DONE else None
    task.save(update_fields=["status", "done_at"])
    _log(task.incident, kind=EventKind.TASK, by=by, text=f"任务「{task.title}」：{task.get_status_display()}")
    audit_append(actor=by, action="incidents.task.status", obj=task, summary=f"任务 {task.title} → {status}")
    return task


# ---- review ------------------------------------------------------------------------------------------------


@transaction.atomic
def review_save(*, by: User, incident: Incident, findings: str, improvements: str) -> Review:
    """Write the after-action review (总结评估) of a closed incident."""
    _require(by, "incidents.change_incident")
    incident = Incident.objects.get(pk=incident.pk)
    if incident.status != Status.CLOSED:
        raise Conflict("review a closed incident", {"findings": ["close the incident first"]})
    review, _created = Review.objects.select_for_update().get_or_create(incident=incident, defaults={"updated_by": by})
    review.findings, review.improvements, review.updated_by = findings, improvements, by
    review.save()
    audit_append(actor=by, action="incidents.review.save", obj=review, summary=f"{incident.code} 总结评估")
    return review


@transaction.atomic
def incident_change(*, by: User, incident: Incident, changes: dict[str, Any]) -> Incident:
    """Apply one edit that may touch details, casualties, command and status together, all or nothing."""
    status = changes.pop("status", None)
    command = {f: changes.pop(f) for f in COMMAND_FIELDS if f in changes}
    if changes:
        incident = incident_update(by=by, incident=incident, **changes)
    if command:
        incident = incident_command(by=by, incident=incident, **command)
    if status is not None:
        incident = incident_set_status(by=by, incident=incident, status=status)
    return incident


# ---- dispatch ----------------------------------------------------------------------------------------------

# The lifecycle of a dispatch order; a resource may be released (recalled) at any step.
DISPATCH_FLOW: tuple[str, ...] = (
    DispatchStatus.DISPATCHED,
    DispatchStatus.ACKNOWLEDGED,
    DispatchStatus.EN_ROUTE,
    DispatchStatus.ON_SCENE,
    DispatchStatus.RELEASED,
)
DISPATCH_STAMPS = {
    DispatchStatus.ACKNOWLEDGED: "acknowledged_at",
    DispatchStatus.EN_ROUTE: "en_route_at",
    DispatchStatus.ON_SCENE: "on_scene_at",
    DispatchStatus.RELEASED: "released_at",
}


def dispatch_allowed(status: str) -> tuple[str, ...]:
    """The statuses a dispatch order may move to from `status`."""
    if status == DispatchStatus.RELEASED:
        return ()
    following = DISPATCH_FLOW[DISPATCH_FLOW.index(status) + 1]
    return (following,) if following == DispatchStatus.RELEASED else (following, DispatchStatus.RELEASED)


def dispatch_recommend(*, user: User, incident: Incident, kind: str, limit: int = 5) -> list[dict[str, Any]]:
    """The user's nearest teams, equipment or experts to the incident by road travel time."""
    from yingji.resources.reach import nearest_resources

    if kind not in ("team", "equipment", "expert"):
        raise ValidationFailed("unknown kind", {"kind": ["one of team, equipment, expert"]})
    if incident.lat is None:
        raise ValidationFailed("the incident has no map location", {"lat": ["place the incident on the map"]})
    return nearest_resources(user=user, lat=incident.lat, lon=incident.lon, kind=kind, limit=limit)


def _travel(incident: Incident, lat: float | None, lon: float | None) -> tuple[int | None, int | None]:
    from yingji.routing.services import nearest

    if incident.lat is None or lat is None:
        return None, None
    try:
        (reach,) = nearest(lat=incident.lat, lon=incident.lon, targets=[(0, lat, lon)], limit=1) or [None]
    except (YingjiError, ValueError, LookupError):
        # No road network loaded, or the resource lies off it: the order still goes out, without an ETA.
        return None, None
    if reach is None:
        return None, None
    return int(reach.eta_s), int(reach.distance_m)


@transaction.atomic
def dispatch_create(
    *,
    by: User,
    incident: Incident,
    team: Team | None = None,
    equipment: Equipment | None = None,
    expert: Expert | None = None,
    note: str = "",
) -> Dispatch:
    """Send one team, piece of equipment or expert to the incident (one click from the recommendations)."""
    _require(by, "incidents.add_dispatch")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"status": [f"{incident.status}: no dispatch"]})
    chosen = {k: v for k, v in (("team", team), ("equipment", equipment), ("expert", expert)) if v is not None}
    if len(chosen) != 1:
        raise ValidationFailed("choose one resource", {"team": ["give exactly one of team, equipment or expert"]})
    ((kind, resource),) = chosen.items()
    active = Dispatch.objects.filter(incident=incident, **{kind: resource}).exclude(status=DispatchStatus.RELEASED)
    if active.exists():
        raise Conflict("already dispatched to this incident", {kind: ["this resource is already on its way"]})
    if kind == "team":
        lat, lon = resource.org.lat, resource.org.lon
    else:
        lat, lon = resource.lat, resource.lon
        if kind == "expert" and lat is None:
            lat, lon = resource.org.lat, resource.org.lon
    eta_s, distance_m = _travel(incident, lat, lon)
    dispatch = Dispatch.objects.create(
        incident=incident,
        note=note[:200],
        dispatched_by=by,
        dispatched_at=timezone.now(),
        eta_s=eta_s,
        distance_m=distance_m,
        **chosen,
    )
    eta = f"，预计 {round(eta_s / 60)} 分钟到达" if eta_s is not None else ""
    _log(
        incident,
        kind=EventKind.DISPATCH,
        by=by,
        text=f"调派 {dispatch.resource_name}{eta}",
        payload={"dispatch": dispatch.pk, "kind": kind, "status": dispatch.status},
    )
    if incident.status == Status.OPEN:
        incident.status = Status.RESPONDING
        incident.save(update_fields=["status", "updated_at"])
    audit_append(
        actor=by,
        action="incidents.dispatch.create",
        obj=dispatch,
        summary=f"{incident.code} 调派 {dispatch.resource_name}",
        payload={"kind": kind, "id": resource.pk, "eta_s": eta_s},
    )
    _push(incident, "updated")
    return dispatch


@transaction.atomic
def dispatch_set_status(*, by: User, dispatch: Dispatch, status: str) -> Dispatch:
    """Move a dispatch order along dispatched → acknowledged → en route → on scene → released, stamping the time;
    any other move is a conflict naming the allowed ones."""
    _require(by, "incidents.change_dispatch")
    # Lock the order: the team leader and the duty desk may report its progress at the same moment.
    dispatch = (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("incident", "incident__org", "team__org", "equipment", "expert")
        .get(pk=dispatch.pk)
    )
    allowed = dispatch_allowed(dispatch.status)
    if status not in allowed:
        names = ", ".join(allowed) or "none"
        raise Conflict(
            f"cannot go from {dispatch.status} to {status}; allowed: {names}",
            {"status": [f"allowed from {dispatch.status}: {names}"]},
        )
    now = timezone.now()
    dispatch.status = status
    setattr(dispatch, DISPATCH_STAMPS[status], now)
    dispatch.save(update_fields=["status", DISPATCH_STAMPS[status]])
    _log(
        dispatch.incident,
        kind=EventKind.DISPATCH,
        by=by,
        text=f"{dispatch.resource_name}：{dispatch.get_status_display()}",
        payload={"dispatch": dispatch.pk, "status": status},
    )
    audit_append(
        actor=by,
        action="incidents.dispatch.status",
        obj=dispatch,
        summary=f"{dispatch.incident.code} {dispatch.resource_name} → {status}",
    )
    _push(dispatch.incident, "updated")
    return dispatch


@transaction.atomic
def material_issue(
    *, by: User, incident: Incident, warehouse: Warehouse, item: MaterialItem, quantity: int, reason: str = ""
) -> MaterialRequest:
    """Issue materials for the incident from a warehouse: stock leaves through the resources stock ledger, which
    locks the balance and refuses to overdraw it (a field error on `quantity`, nothing written)."""
    _require(by, "incidents.add_materialrequest")
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"quantity": ["no materials for a finished incident"]})
    reason = reason.strip()
    stock_withdraw(
        by=by, warehouse=warehouse, item=item, quantity=quantity, reason=f"{incident.code} {reason or incident.title}"
    )
    request = MaterialRequest(
        incident=incident,
        warehouse=warehouse,
        item=item,
        quantity=quantity,
        reason=reason,
        requested_by=by,
        fulfilled_at=timezone.now(),
    )
    _full_clean(request)
    request.save()
    why = f"，用途：{reason}" if reason else ""
    _log(
        incident,
        kind=EventKind.DISPATCH,
        by=by,
        text=f"调拨物资：{item} × {quantity}{item.unit}（{warehouse}）{why}",
        payload={"material_request": request.pk},
    )
    audit_append(
        actor=by, action="incidents.material.issue", obj=request, summary=f"{incident.code} 调拨 {item} × {quantity}"
    )
    return request
