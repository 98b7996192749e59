"""Command of an incident (指挥官负责制): commander, response level, command post, tasks and the after-action review."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import OrgUnit, User
from yingji.incidents import lifecycle
from yingji.incidents.models import EventKind, Incident, Review, Status, Task, TaskStatus
from yingji.incidents.timeline import log, push

COMMAND_FIELDS = ("commander", "response_level", "post_lat", "post_lon", "post_address")


@transaction.atomic
def incident_command(*, by: User | None, incident: Incident, **changes: Any) -> Incident:
    """Set the incident commander (指挥官负责制), response level and command post."""
    require_perm(by, "incidents.command_incident")
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
    clean_or_fail(incident)
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
    log(incident, kind=EventKind.COMMAND, by=by, text="；".join(parts), payload=changed)
    if incident.status == Status.OPEN:
        incident.status = Status.RESPONDING
        incident.save(update_fields=["status", "updated_at"])
        log(incident, kind=EventKind.STATUS, by=by, text="进入处置")
    audit_append(
        actor=by, action="incidents.incident.command", obj=incident, summary=f"指挥 {incident.code}", payload=changed
    )
    push(incident, "updated")
    return incident


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
    require_perm(by, "incidents.command_incident")
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
    clean_or_fail(task)
    task.save()
    who = assignee_org.name if assignee_org else str(assignee_user)
    due = f"，{timezone.localtime(due_at):%m-%d %H:%M} 前完成" if due_at else ""
    log(incident, kind=EventKind.TASK, by=by, text=f"下达任务：{title} → {who}{due}", payload={"task": task.pk})
    audit_append(actor=by, action="incidents.task.create", obj=task, summary=f"{incident.code} 任务 {title}")
    return task


@transaction.atomic
def task_set_status(*, by: User, task: Task, status: str) -> Task:
    """Move a task along open → in progress → done (or cancelled)."""
    require_perm(by, "incidents.change_task")
    task = Task.objects.select_for_update().select_related("incident", "incident__org").get(pk=task.pk)
    lifecycle.TASK.check(task.status, status)
    task.status = status
    task.done_at = timezone.now() if status == TaskStatus.DONE else None
    task.save(update_fields=["status", "done_at"])
    log(task.incident, kind=EventKind.TASK, by=by, text=f"任务「{task.title}」：{task.get_status_display()}")
    audit_append(actor=by, action="incidents.task.status", obj=task, summary=f"任务 {task.title} → {status}")
    return task


@transaction.atomic
def review_save(*, by: User, incident: Incident, findings: str, improvements: str) -> Review:
    """Write the after-action review (总结评估) of a closed incident."""
    require_perm(by, "incidents.change_incident")
    incident = Incident.objects.get(pk=incident.pk)
    if incident.status != Status.CLOSED:
        raise Conflict("review a closed incident", {"findings": ["close the incident first"]})
    review, _created = Review.objects.select_for_update().get_or_create(incident=incident, defaults={"updated_by": by})
    review.findings, review.improvements, review.updated_by = findings, improvements, by
    review.save()
    audit_append(actor=by, action="incidents.review.save", obj=review, summary=f"{incident.code} 总结评估")
    return review
