"""Plans for an incident: which apply and why (from plans.selectors), and activating one at a response level, which
turns the plan's steps for that level into tasks for the units and roles the plan names. Lives here, above plans:
incidents calls into plans, never the reverse."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import User
from yingji.incidents import services
from yingji.incidents.models import (
    ActivationTask,
    EventKind,
    Incident,
    PlanActivation,
    ReportStatus,
    Task,
    TaskStatus,
)
from yingji.plans import selectors as plan_selectors
from yingji.plans import services as plan_services
from yingji.plans.models import LEVEL_RANK, Drill, Plan, PlanStep


@dataclass(frozen=True)
class Proposal:
    """A plan that applies to the incident, why, and its activation if it has one."""

    plan: Plan
    reason: str
    activation: PlanActivation | None


def incident_plans(*, incident: Incident) -> list[Proposal]:
    """The plans that apply to the incident in the order they are turned to, each with why it applies; plans already
    activated for the incident come along even if they no longer match."""
    matches = plan_selectors.plans_matching(
        type_code=incident.type.code, type_name=incident.type.name, enterprise=incident.enterprise, place=incident.org
    )
    activations = {a.plan_id: a for a in incident.plan_activations.select_related("plan", "plan__org")}
    proposals = [Proposal(m.plan, m.reason, activations.pop(m.plan.pk, None)) for m in matches]
    proposals += [Proposal(a.plan, "已启动", a) for a in activations.values()]
    return proposals


def activation_tasks(*, activation: PlanActivation) -> list[Task]:
    return [
        link.task
        for link in activation.links.select_related("task", "task__assignee_org", "task__assignee_user").order_by("id")
    ]


@dataclass(frozen=True)
class Outcome:
    activation: PlanActivation
    tasks: list[Task]
    created: bool


def _task(*, by: User, incident: Incident, plan: Plan, step: PlanStep, now: Any) -> Task:
    # The unit the plan names for the role; a role without one falls to the plan's owner.
    unit = step.role.org if step.role is not None and step.role.org_id else plan.org
    role = f"{step.role.name}：" if step.role is not None else ""
    task = Task(
        incident=incident,
        title=f"【{plan.title[:40]}】{role}{step.action}"[:200],
        assignee_org=unit,
        due_at=now + timedelta(minutes=step.due_minutes) if step.due_minutes else None,
        created_by=by,
    )
    clean_or_fail(task)
    task.save()
    return task


@transaction.atomic
def plan_activate(*, by: User, incident: Incident, plan: Plan, level: str) -> Outcome:
    """Activate `plan` for the incident at `level`: the plan's steps for that level become tasks (once), with a
    timeline entry. The same level again creates nothing; a higher level adds its own steps' tasks only; a lower
    level than the one in force is a conflict."""
    require_perm(by, "incidents.add_planactivation")
    incident = Incident.objects.select_for_update(of=("self",)).select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict("the incident is no longer open", {"incident": ["no activation for a finished incident"]})
    if level not in plan.response_levels:
        levels = ", ".join(plan.response_levels) or "none"
        raise ValidationFailed(f"level: the plan has no level {level}", {"level": [f"the plan provides: {levels}"]})
    now = timezone.now()
    activation = PlanActivation.objects.select_for_update().filter(incident=incident, plan=plan).first()
    created = activation is None
    if activation is None:
        activation = PlanActivation(
            incident=incident, plan=plan, level=level, levels=[level], activated_by=by, activated_at=now
        )
        clean_or_fail(activation)
        activation.save()
    elif level == activation.level or level in activation.levels:
        return Outcome(activation, [], False)
    elif LEVEL_RANK[level] < LEVEL_RANK[activation.level]:
        detail = f"the plan is active at level {activation.level}; a lower level is not activated on top of it"
        raise Conflict(detail, {"level": [detail]})
    else:
        activation.level, activation.raised_at = level, now
        activation.levels = [*activation.levels, level]
        activation.save(update_fields=["level", "levels", "raised_at"])
    done = set(activation.links.exclude(step=None).values_list("step_id", flat=True))
    steps = plan.steps.filter(level=level).exclude(pk__in=done).select_related("role", "role__org")
    ordered = sorted(steps, key=lambda s: (s.role.sort if s.role else -1, s.order, s.pk))
    tasks = []
    for step in ordered:
        task = _task(by=by, incident=incident, plan=plan, step=step, now=now)
        ActivationTask.objects.create(activation=activation, step=step, level=level, task=task)
        tasks.append(task)
    verb = "启动" if created else "提升至"
    services.timeline_append(
        incident=incident,
        kind=EventKind.COMMAND,
        by=by,
        text=f"{verb}《{plan.title}》{level}级响应，按预案下达 {len(tasks)} 项任务",
        payload={"plan": plan.pk, "level": level, "tasks": [t.pk for t in tasks]},
    )
    audit_append(
        actor=by,
        action="incidents.plan.activate",
        obj=activation,
        summary=f"{incident.code} {verb}预案 {plan.title} {level}级",
        payload={"plan": plan.pk, "level": level, "tasks": [t.pk for t in tasks]},
    )
    return Outcome(activation, tasks, created)


# --- drills scored from the logs --------------------------------------------------------------------------------


def drill_metrics(*, incident: Incident) -> dict[str, Any]:
    """What the incident's own records say, in minutes from its receipt: first report sent, first dispatch, first
    arrival on scene; and tasks in all and done by their deadline (a task without one counts when done)."""
    start = incident.received_at

    def minutes(moment: Any) -> float | None:
        return round((moment - start).total_seconds() / 60, 1) if moment is not None else None

    reports = incident.reports.filter(status=ReportStatus.SENT).aggregate(first=Min("sent_at"))
    dispatches = incident.dispatches.aggregate(first=Min("dispatched_at"), arrived=Min("on_scene_at"))
    tasks = list(incident.tasks.exclude(status=TaskStatus.CANCELLED).only("status", "due_at", "done_at"))
    on_time = sum(
        1
        for task in tasks
        if task.status == TaskStatus.DONE and (task.due_at is None or (task.done_at and task.done_at <= task.due_at))
    )
    return {
        "report_min": minutes(reports["first"]),
        "dispatch_min": minutes(dispatches["first"]),
        "arrival_min": minutes(dispatches["arrived"]),
        "tasks_total": len(tasks),
        "tasks_on_time": on_time,
    }


def drill_score(*, by: User | None, drill: Drill, incident: Incident) -> Drill:
    """Score a drill from the logs of the incident it was run as (scoring rules in plans.scoring); only an exercise
    incident scores a drill."""
    if not incident.exercise:
        detail = "only an exercise incident scores a drill"
        raise Conflict(detail, {"incident": [detail]})
    return plan_services.drill_record_metrics(
        by=by, drill=drill, metrics=drill_metrics(incident=incident), source=incident.code
    )


@transaction.atomic
def incident_mark_exercise(*, by: User | None, incident: Incident) -> Incident:
    """Mark an incident as made in a drill (exercise mode): it is shown as 演练 and kept out of public output."""
    require_perm(by, "incidents.add_incident")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.exercise:
        incident.exercise = True
        incident.save(update_fields=["exercise", "updated_at"])
        services.timeline_append(incident=incident, kind=EventKind.NOTE, by=by, text="演练：本事件为演练数据")
        audit_append(actor=by, action="incidents.incident.exercise", obj=incident, summary=f"{incident.code} 演练")
    return incident


# --- a red alarm proposes plans -------------------------------------------------------------------------------

PROPOSAL_CATEGORY = "plan_proposal"


def on_alarm_propose_plans(*, alarm: Any, created: bool, **kwargs: Any) -> None:
    """A red alarm at an enterprise proposes activation at once: duty officers and commanders get a message naming
    the plans in force that apply (closest to the scene first), linking the incident the alarm opened, if any. An
    alarm whose rule names a plan proposes that plan first, whatever its level."""
    from yingji.core.notify import notify
    from yingji.core.roles import GROUP_NAMES, Role
    from yingji.incidents.flood import named_plan
    from yingji.incidents.models import IncidentType, TimelineEntry
    from yingji.incidents.proposals import TYPE_BY_DEVICE
    from yingji.plans.match import Match

    named = named_plan(alarm)
    red = alarm.level == "red" and alarm.org.kind == "enterprise"
    if not red and named is None:
        return
    title = f"红色报警 #{alarm.pk}：建议启动预案" if red else f"报警 #{alarm.pk}：建议启动预案"
    from yingji.core.models import Notification

    if Notification.objects.filter(category=PROPOSAL_CATEGORY, title=title).exists():
        return
    matches: list[Match] = []
    if red:
        code = TYPE_BY_DEVICE.get(alarm.device.type, "other_accident")
        incident_type = IncidentType.objects.filter(code=code).first()
        matches = plan_selectors.plans_matching(
            type_code=code,
            type_name=incident_type.name if incident_type else code,
            enterprise=alarm.org,
            place=alarm.org,
        )
    if named is not None:
        matches = [Match(named, "报警规则指定的预案"), *(m for m in matches if m.plan.pk != named.pk)]
    if not matches:
        return
    entry = TimelineEntry.objects.filter(kind=EventKind.ALARM, payload__alarm=alarm.pk).order_by("id").first()
    link = f"/incidents/{entry.incident_id}/" if entry else "/incidents/"
    names = [GROUP_NAMES[Role.DUTY_OFFICER], GROUP_NAMES[Role.COMMANDER]]
    recipients = User.objects.filter(is_active=True, groups__name__in=names).distinct()
    body = "\n".join(f"《{m.plan.title}》：{m.reason}" for m in matches)
    notify(recipients=recipients, title=title, body=f"{alarm.org.name}：{body}", link=link, category=PROPOSAL_CATEGORY)


def connect() -> None:
    """Connect to `yingji.monitoring.signals.alarm_changed` (after the receiver that opens incidents)."""
    from yingji.incidents import flood
    from yingji.monitoring.signals import alarm_changed

    alarm_changed.connect(on_alarm_propose_plans, dispatch_uid="incidents.on_alarm_propose_plans")
    flood.connect()  # 三防 response levels propose flood plans; rules name plans
