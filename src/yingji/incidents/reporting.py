"""Reports upward (初报/续报/终报) and their deadlines (State Council Order 493, art. 9-11), and the escalation of
overdue ones."""

from datetime import datetime

from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.audit import audit_append
from yingji.core.commands import require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import User
from yingji.core.notify import notify
from yingji.core.roles import Role, role_group
from yingji.incidents import deadlines, selectors
from yingji.incidents.models import DutyShift, EventKind, Incident, Report, ReportKind, ReportStatus, Status
from yingji.incidents.timeline import log, push


def recipient_for(grade: str) -> str:
    """The first level a report of this grade goes to."""
    return deadlines.LEVEL_LABELS[deadlines.levels_to_report(grade or None)[0]]


def refresh_deadline(incident: Incident) -> None:
    """Keep the incident's next report deadline equal to its earliest due report."""
    due = incident.reports.filter(status=ReportStatus.DUE).aggregate(due=Min("due_at"))["due"]
    if due != incident.report_deadline:
        incident.report_deadline = due
        incident.save(update_fields=["report_deadline", "updated_at"])


def ask_progress_report(incident: Incident, reason: str, now: datetime) -> Report:
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
        recipient=recipient_for(incident.grade),
        due_at=deadlines.upward_report_due(now),
    )


@transaction.atomic
def report_add(*, by: User, incident: Incident, kind: str, reason: str = "") -> Report:
    """Prepare a progress (续报) or final (终报) report, due within the art. 11 limit."""
    require_perm(by, "incidents.change_incident")
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict(_("the incident is no longer open"), {"kind": [_("no reports for a finished incident")]})
    if kind == ReportKind.INITIAL:
        raise ValidationFailed(_("the initial report is created at intake"), {"kind": [_("choose progress or final")]})
    if kind not in ReportKind.values:
        raise ValidationFailed(
            _("unknown kind"), {"kind": [_("one of %(kinds)s") % {"kinds": ", ".join(ReportKind.values)}]}
        )
    if kind == ReportKind.FINAL and incident.reports.filter(kind=kind).exclude(status=ReportStatus.CANCELLED).exists():
        raise Conflict(_("a final report exists already"), {"kind": [_("there is one final report")]})
    report = Report.objects.create(
        incident=incident,
        kind=kind,
        reason=reason[:200],
        recipient=recipient_for(incident.grade),
        due_at=deadlines.upward_report_due(timezone.now()),
    )
    refresh_deadline(incident)
    audit_append(actor=by, action="incidents.report.add", obj=report, summary=f"{incident.code} 拟{report}")
    push(incident, "updated")
    return report


@transaction.atomic
def report_send(*, by: User, report: Report) -> Report:
    """Send a due report: its document is generated now and kept with the send time."""
    require_perm(by, "incidents.change_incident")
    report = (
        Report.objects.select_for_update()
        .select_related("incident", "incident__type", "incident__org")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DUE:
        raise Conflict(
            _("the report is %(status)s; allowed: none") % {"status": report.get_status_display()},
            {"status": [_("only due reports can be sent")]},
        )
    now = timezone.now()
    report.sent_at = now
    report.sent_by = by
    report.status = ReportStatus.SENT
    document = selectors.report_document_build(report=report, sent_at=now, by=by)
    report.content = document.to_dict()
    report.document = render_to_string("incidents/_document.html", {"document": document})
    report.save(update_fields=["sent_at", "sent_by", "status", "content", "document"])
    late = now > report.due_at
    log(
        report.incident,
        kind=EventKind.REPORT,
        by=by,
        text=f"{report.get_kind_display()}已报送{report.recipient}" + ("（超时）" if late else ""),
        payload={"report": report.pk, "late": late},
    )
    refresh_deadline(report.incident)
    audit_append(
        actor=by,
        action="incidents.report.send",
        obj=report,
        summary=f"{report.incident.code} {report.get_kind_display()}报送{report.recipient}",
        payload={"due_at": report.due_at, "late": late},
    )
    push(report.incident, "updated")
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
                exercise=incident.exercise,
            )
            log(
                incident,
                kind=EventKind.ESCALATION,
                by=None,
                text=f"{report.get_kind_display()}超时未报，已提醒带班领导和指挥长",
            )
            audit_append(actor=None, action="incidents.report.escalate", obj=report, summary=title)
            escalated += 1
    return escalated
