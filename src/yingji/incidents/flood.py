"""Monitoring's links to plans, consumed here (monitoring sits below plans and incidents and imports neither):

- a 三防 (防汛) response level the level stations propose (monitoring.signals.flood_response_changed) proposes the
  flood plans in force that cover that level: duty officers and commanders get a message naming them, and the open
  flood incident, if there is one, gets a timeline entry; the duty officer activates from the incident
  (plan_activate), which stays a person's decision;
- the plans an alarm rule may name (monitoring.plan_links) are looked up in the plans app.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from yingji.core.models import Notification, OrgKind, OrgUnit, User
from yingji.core.notify import notify
from yingji.core.roles import GROUP_NAMES, Role
from yingji.incidents.models import EventKind, Incident, IncidentType, Status
from yingji.incidents.timeline import timeline_append
from yingji.monitoring.plan_links import PlanCatalogue, PlanRef, register_plan_catalogue
from yingji.monitoring.waterlevel import NUMERAL
from yingji.plans import selectors as plan_selectors
from yingji.plans.models import IN_FORCE, Plan

FLOOD_TYPE = "flood"
PROPOSAL_CATEGORY = "plan_proposal"


def _in_force() -> QuerySet[Plan]:
    return Plan.objects.filter(status__in=IN_FORCE)


def _plan_ref(plan_id: int) -> PlanRef | None:
    plan = _in_force().filter(pk=plan_id).only("pk", "title").first()
    return PlanRef(plan.pk, plan.title) if plan else None


def _plan_choices() -> list[PlanRef]:
    return [PlanRef(pk, title) for pk, title in _in_force().order_by("title", "pk").values_list("pk", "title")]


def duty_recipients() -> QuerySet[User]:
    """The duty officers and commanders: who is asked to activate a plan."""
    names = [GROUP_NAMES[Role.DUTY_OFFICER], GROUP_NAMES[Role.COMMANDER]]
    return User.objects.filter(is_active=True, groups__name__in=names).distinct()


def open_flood_incident() -> Incident | None:
    return (
        Incident.objects.filter(type__code=FLOOD_TYPE, status__in=[Status.OPEN, Status.RESPONDING])
        .order_by("-received_at")
        .first()
    )


def on_flood_response(*, response: Any, created: bool, **kwargs: Any) -> None:
    """A 三防 response level just proposed: propose the flood plans in force covering that level (the district's
    special plan first, then the overall plan), once per proposal."""
    if not created:
        return
    level = NUMERAL[response.level]
    title = f"三防{level}级应急响应 #{response.pk}：建议启动预案"
    if Notification.objects.filter(category=PROPOSAL_CATEGORY, title=title).exists():
        return
    district = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).order_by("id").first()
    if district is None:
        return
    flood = IncidentType.objects.filter(code=FLOOD_TYPE).first()
    matches = plan_selectors.plans_matching(
        type_code=FLOOD_TYPE, type_name=flood.name if flood else "洪涝", enterprise=None, place=district
    )
    covering = [m for m in matches if level in m.plan.response_levels]
    if not covering:
        return
    names = "、".join(f"《{m.plan.title}》" for m in covering)
    text = f"三防{level}级应急响应条件已达到（{response.basis}）：建议启动{names}{level}级响应"
    incident = open_flood_incident()
    if incident is not None:
        timeline_append(
            incident=incident,
            kind=EventKind.COMMAND,
            text=text,
            payload={"flood_response": response.pk, "level": level, "plans": [m.plan.pk for m in covering]},
        )
    link = reverse("incidents:detail", args=[incident.pk]) if incident else reverse("monitoring:hydrology")
    body = "\n".join([text, *(f"《{m.plan.title}》：{m.reason}" for m in covering)])
    notify(recipients=duty_recipients(), title=title, body=body, link=link, category=PROPOSAL_CATEGORY)


def named_plan(alarm: Any) -> Plan | None:
    """The plan in force the alarm's rule names, if any."""
    plan_id = alarm.rule.plan
    return _in_force().select_related("org").filter(pk=plan_id).first() if plan_id else None


def connect() -> None:
    """Connect to `yingji.monitoring.signals.flood_response_changed`; give monitoring the plans rules may name."""
    from yingji.monitoring.signals import flood_response_changed

    flood_response_changed.connect(on_flood_response, dispatch_uid="incidents.on_flood_response")
    register_plan_catalogue(PlanCatalogue(get=_plan_ref, choices=_plan_choices))
