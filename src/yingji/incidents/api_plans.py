"""API of plans on an incident: the plans that apply (with why) and their activation at a response level."""

from typing import Any, Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from yingji.core.access import resolve_in_scope
from yingji.core.errors import ValidationFailed
from yingji.core.requests import ApiRequest
from yingji.incidents import activation, selectors
from yingji.incidents.models import PlanActivation
from yingji.plans import selectors as plan_selectors
from yingji.plans.models import Drill

router = Router(tags=["incidents"])


class TierOut(Schema):
    level: str
    trigger: str


class ActivationTaskOut(Schema):
    id: int
    title: str
    assignee_org: int | None = Field(None, alias="assignee_org_id")
    assignee_org_name: str | None
    due_at: str | None
    status: str

    @staticmethod
    def resolve_assignee_org_name(obj: Any) -> str | None:
        return obj.assignee_org.name if obj.assignee_org_id else None

    @staticmethod
    def resolve_due_at(obj: Any) -> str | None:
        from django.utils import timezone

        return timezone.localtime(obj.due_at).isoformat() if obj.due_at else None


class ActivationOut(Schema):
    id: int
    incident: int = Field(..., alias="incident_id")
    plan: int = Field(..., alias="plan_id")
    plan_title: str = Field(..., alias="plan.title")
    level: str
    levels: list[str]
    activated_at: str
    tasks: list[ActivationTaskOut]
    new_tasks: list[int] = Field([], description="ids of the tasks this request created")

    @staticmethod
    def resolve_activated_at(obj: Any) -> str:
        from django.utils import timezone

        return timezone.localtime(obj.activated_at).isoformat()

    @staticmethod
    def resolve_tasks(obj: Any) -> list:
        return activation.activation_tasks(activation=obj)

    @staticmethod
    def resolve_new_tasks(obj: Any) -> list[int]:
        return getattr(obj, "new_tasks", [])


class ProposalOut(Schema):
    plan: int
    title: str
    level: str
    level_label: str
    org_name: str
    reason: str
    tiers: list[TierOut]
    activation: ActivationOut | None
    cards_url: str


@router.get("/incidents/{incident_id}/plans", response=list[ProposalOut])
def incident_plans(request: ApiRequest, incident_id: int) -> list[dict[str, Any]]:
    """The plans that apply to the incident, closest to the scene first (the enterprise's on-site and special plans,
    the street's, the district special plan for the type, the district overall plan), each with why."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return [
        {
            "plan": p.plan.pk,
            "title": p.plan.title,
            "level": p.plan.level,
            "level_label": p.plan.get_level_display(),
            "org_name": p.plan.org.name,
            "reason": p.reason,
            "tiers": list(p.plan.tiers.all()),
            "activation": p.activation,
            "cards_url": f"/plans/{p.plan.pk}/cards/",
        }
        for p in activation.incident_plans(incident=incident)
    ]


class ActivationIn(Schema):
    plan: int = Field(..., ge=1, le=2**63 - 1)
    level: Literal["I", "II", "III", "IV"]


@router.post("/incidents/{incident_id}/activations", response={200: ActivationOut, 201: ActivationOut})
def incident_activate(request: ApiRequest, incident_id: int, payload: ActivationIn) -> Status[PlanActivation]:
    """Activate a plan in force at a level: 201 with the tasks created from its steps for that level; the same level
    again answers 200 with the existing activation and creates nothing; a higher level (200) adds its own tasks only;
    `new_tasks` lists what this request created."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    try:
        plan = plan_selectors.plan_in_force(plan_id=payload.plan)
    except Http404:
        raise ValidationFailed("plan: no such plan in force", {"plan": ["no such plan in force"]}) from None
    outcome = activation.plan_activate(by=request.auth, incident=incident, plan=plan, level=payload.level)
    # Carried on the row for this answer only (ActivationOut.new_tasks); not a model field.
    outcome.activation.new_tasks = [task.pk for task in outcome.tasks]  # type: ignore[attr-defined]
    return Status(201 if outcome.created else 200, outcome.activation)


@router.get("/incidents/{incident_id}/activations", response=list[ActivationOut])
def incident_activations(request: ApiRequest, incident_id: int) -> list[PlanActivation]:
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return list(incident.plan_activations.select_related("plan"))


class DrillScoreIn(Schema):
    drill: int = Field(..., ge=1, le=2**63 - 1)


class DrillScoreOut(Schema):
    drill: int = Field(..., alias="pk")
    score: int | None
    metrics: dict


@router.post("/incidents/{incident_id}/drill-score", response=DrillScoreOut)
def incident_drill_score(request: ApiRequest, incident_id: int, payload: DrillScoreIn) -> Drill:
    """Score a drill from this (exercise) incident's logs: time to report, to dispatch, to arrival, tasks on time."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    drill = resolve_in_scope(Drill, request.auth, payload.drill, field="drill", required=True)
    return activation.drill_score(by=request.auth, drill=drill, incident=incident)
