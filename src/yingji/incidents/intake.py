"""Intake of incidents: record, grade (State Council Order 493, art. 3), number, update, merge, close."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from yingji.core.access import org_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, refuse_nulls, require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.notify import notify
from yingji.core.scopes import scope_root
from yingji.incidents import deadlines, grading, lifecycle
from yingji.incidents.command import COMMAND_FIELDS, incident_command
from yingji.incidents.models import (
    Category,
    EventKind,
    Incident,
    IncidentCounter,
    IncidentType,
    Report,
    ReportKind,
    ReportStatus,
    Source,
    Status,
    TimelineEntry,
)
from yingji.incidents.reporting import ask_progress_report, escalation_recipients, recipient_for, refresh_deadline
from yingji.incidents.timeline import log, push

CASUALTY_FIELDS = ("deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss_yuan")
DETAIL_FIELDS = ("title", "description", "lat", "lon", "address", "reporter_name", "reporter_phone", "source")


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
        raise ValidationFailed(_("no district in the org tree"), {"org": [_("the org tree has no district")]})
    return district


def next_code(received_at: datetime) -> str:
    """The next incident number of the day (YJ + date + sequence), from a locked per-day counter so that
    concurrent intakes never collide, and past 999 the sequence simply grows a digit."""
    day = timezone.localtime(received_at).date()
    prefix = f"YJ{day:%Y%m%d}"
    # Create the day's counter if missing (a concurrent creator is ignored), then lock it.
    if not IncidentCounter.objects.filter(day=day).exists():
        existing = Incident.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        last = max((int(code[len(prefix) :]) for code in existing if code[len(prefix) :].isdigit()), default=0)
        IncidentCounter.objects.bulk_create([IncidentCounter(day=day, last=last)], ignore_conflicts=True)
    counter = IncidentCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


def _severity(grade: str) -> int:
    # Ungraded counts below 一般 (IV); 特别重大 (I) is the most severe.
    return grading.ORDER.index(grade) + 1 if grade in grading.ORDER else 0


def grade_of(incident: Incident) -> str:
    """The incident's grade by State Council Order 493, art. 3 (production-safety accidents only)."""
    order493 = incident.type.order493 and incident.category == "accident"
    grade = grading.grade_incident(
        order493=order493,
        deaths=incident.deaths,
        serious_injuries=incident.serious_injuries,
        direct_loss_yuan=incident.direct_loss_yuan,
    )
    return grade or ""


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
    require_perm(by, "incidents.add_incident")
    now = timezone.now()
    received_at = received_at or now
    if type.category != category:
        raise ValidationFailed(
            _("the type does not belong to the category"),
            {
                "type": [
                    _("%(type)s is not of category %(category)s")
                    % {"type": type.name, "category": dict(Category.choices).get(category, category)}
                ]
            },
        )
    if occurred_at > now + timedelta(minutes=5):
        raise ValidationFailed(_("occurred in the future"), {"occurred_at": [_("cannot be in the future")]})
    if occurred_at > received_at:
        raise ValidationFailed(
            _("occurred after it was received"), {"occurred_at": [_("must not be after received_at")]}
        )
    if lat is None and lon is None and not address:
        raise ValidationFailed(_("where did it happen?"), {"address": [_("give a map location or an address")]})
    if enterprise is not None and enterprise.kind != OrgKind.ENTERPRISE:
        raise ValidationFailed(_("not an enterprise"), {"enterprise": [_("must be an enterprise")]})
    root = scope_root(by) if by is not None else None
    if root is not None:
        # A street or an enterprise reports what happens in its own area (街道报告, 企业报告).
        if root.kind == OrgKind.ENTERPRISE:
            enterprise, source = root, Source.ENTERPRISE
        else:
            source = Source.STREET
        enterprise = org_in_scope(by, enterprise, field="enterprise")
    if org is None:
        located = _locate_org(lat, lon) if lat is not None and lon is not None else None
        org = enterprise or located or root or _district()
    if root is not None and not org.path.startswith(root.path):
        message = _("The place lies outside your area.")
        raise ValidationFailed(message, {"lat": [message], "address": [message]})
    incident = Incident(
        code=next_code(received_at),
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
    incident.grade = grade_of(incident)
    clean_or_fail(incident, exclude=["code"])
    incident.save()
    Report.objects.create(
        incident=incident,
        kind=ReportKind.INITIAL,
        recipient=recipient_for(incident.grade),
        due_at=deadlines.upward_report_due(received_at),
    )
    refresh_deadline(incident)
    grade_text = f"，{grading.LABELS[incident.grade]}" if incident.grade else ""
    log(
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
    push(incident, "created")
    return incident


def _casualty_text(incident: Incident) -> str:
    return (
        f"死亡 {incident.deaths}、失踪 {incident.missing}、重伤 {incident.serious_injuries}、"
        f"轻伤 {incident.minor_injuries}，直接经济损失 {incident.direct_loss_yuan} 元"
    )


@transaction.atomic
def incident_update(*, by: User | None, incident: Incident, **changes: Any) -> Incident:
    """Change an incident's details or casualty figures. Casualty changes within the art. 13 window regrade the
    accident and ask for a supplementary report; later changes are recorded without regrading."""
    require_perm(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    unknown = [f for f in changes if f not in (*DETAIL_FIELDS, *CASUALTY_FIELDS)]
    if unknown:
        raise ValidationFailed(
            _("unknown field %(field)s") % {"field": unknown[0]}, {f: [_("cannot be changed here")] for f in unknown}
        )
    if not incident.is_open:
        raise Conflict(
            _("the incident is no longer open"),
            {"status": [_("%(status)s: no changes allowed") % {"status": incident.get_status_display()}]},
        )
    refuse_nulls(incident, changes)
    before = {f: getattr(incident, f) for f in changes}
    for field, value in changes.items():
        setattr(incident, field, value)
    clean_or_fail(incident)
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
            log(incident, kind=EventKind.CASUALTIES, by=by, text=f"伤亡/损失更新：{_casualty_text(incident)}")
            new_grade = grade_of(incident)
            reason = "伤亡人数或损失变化"
            if new_grade != incident.grade:
                old_label = grading.LABELS.get(incident.grade, "未定级")
                new_label = grading.LABELS.get(new_grade, "未定级")
                log(
                    incident,
                    kind=EventKind.GRADE,
                    by=by,
                    text=f"事故等级由{old_label}调整为{new_label}",
                    payload={"from": incident.grade or None, "to": new_grade or None},
                )
                reason = f"事故等级调整为{new_label}"
                raised = _severity(new_grade) > _severity(incident.grade)
                incident.grade = new_grade
                incident.save(update_fields=["grade", "updated_at"])
                if raised:
                    notify(
                        recipients=escalation_recipients(now=now, incident=incident),
                        title=f"{incident.code} 事故等级上调为{new_label}",
                        body=f"{incident.title}：{old_label}调整为{new_label}，请关注续报和响应级别。",
                        link=reverse("incidents:detail", args=[incident.pk]),
                        category="incident.regraded",
                        exercise=incident.exercise,
                    )
            ask_progress_report(incident, reason, now)
            refresh_deadline(incident)
        else:
            log(
                incident,
                kind=EventKind.CASUALTIES,
                by=by,
                text=f"伤亡/损失更新（已超过补报期限，不再调整等级）：{_casualty_text(incident)}",
            )
    if any(f in DETAIL_FIELDS for f in changed):
        log(
            incident,
            kind=EventKind.UPDATE,
            by=by,
            text="更新事件信息："
            + "、".join(
                str(getattr(Incident._meta.get_field(f), "verbose_name", f)) for f in changed if f in DETAIL_FIELDS
            ),
        )
    audit_append(
        actor=by, action="incidents.incident.update", obj=incident, summary=f"更新 {incident.code}", payload=changed
    )
    push(incident, "updated")
    return incident


@transaction.atomic
def incident_set_status(*, by: User | None, incident: Incident, status: str) -> Incident:
    """Move an incident along open → responding → closed; other moves are a conflict naming the allowed ones."""
    require_perm(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if status == incident.status:
        return incident
    lifecycle.INCIDENT.check(incident.status, status)
    if status == Status.CLOSED:
        return incident_close(by=by, incident=incident)
    incident.status = status
    incident.save(update_fields=["status", "updated_at"])
    log(incident, kind=EventKind.STATUS, by=by, text=f"状态：{incident.get_status_display()}")
    audit_append(actor=by, action="incidents.incident.status", obj=incident, summary=f"{incident.code} → {status}")
    push(incident, "updated")
    return incident


@transaction.atomic
def incident_close(*, by: User | None, incident: Incident) -> Incident:
    """Close an incident; a final report (终报) must have been sent. Reports still due are cancelled."""
    require_perm(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict(
            _("cannot close an incident that is %(status)s; allowed: none") % {"status": incident.get_status_display()},
            {"status": [_("already finished")]},
        )
    if not incident.reports.filter(kind=ReportKind.FINAL, status=ReportStatus.SENT).exists():
        raise ValidationFailed(
            _("closing requires a final report"), {"status": [_("send the final report (终报) before closing")]}
        )
    now = timezone.now()
    incident.reports.filter(status=ReportStatus.DUE).update(status=ReportStatus.CANCELLED)
    incident.status = Status.CLOSED
    incident.closed_at = now
    incident.save(update_fields=["status", "closed_at", "updated_at"])
    refresh_deadline(incident)
    log(incident, kind=EventKind.STATUS, by=by, text="结案")
    audit_append(actor=by, action="incidents.incident.close", obj=incident, summary=f"结案 {incident.code}")
    push(incident, "closed")
    return incident


@transaction.atomic
def incident_merge(*, by: User | None, duplicate: Incident, into: Incident) -> Incident:
    """Merge a duplicate report into the incident it describes: the duplicate is kept, linked and closed to
    reporting; both timelines say so."""
    require_perm(by, "incidents.change_incident")
    if duplicate.pk == into.pk:
        raise ValidationFailed(_("cannot merge an incident into itself"), {"into": [_("choose another incident")]})
    first, second = sorted([duplicate.pk, into.pk])
    locked = {
        i.pk: i
        for i in Incident.objects.select_for_update().select_related("org", "type").filter(pk__in=[first, second])
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if not duplicate.is_open or not into.is_open:
        raise Conflict(_("only open incidents can be merged"), {"into": [_("both incidents must be open")]})
    duplicate.status = Status.MERGED
    duplicate.merged_into = into
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    duplicate.reports.filter(status=ReportStatus.DUE).update(status=ReportStatus.CANCELLED)
    refresh_deadline(duplicate)
    log(duplicate, kind=EventKind.MERGE, by=by, text=f"作为重复报告并入 {into.code}", payload={"into": into.pk})
    log(
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
    push(duplicate, "merged")
    return into


@transaction.atomic
def incident_note(*, by: User, incident: Incident, text: str) -> TimelineEntry:
    """Write a note on the timeline (the desk, the commander, and the street the incident is in)."""
    require_perm(by, "incidents.add_timelineentry")
    if not text.strip():
        raise ValidationFailed(_("empty note"), {"text": [_("write something")]})
    entry = log(incident, kind=EventKind.NOTE, by=by, text=text.strip())
    audit_append(
        actor=by,
        action="incidents.incident.note",
        obj=incident,
        summary=f"{incident.code} 记录",
        payload={"text": text},
    )
    return entry


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
