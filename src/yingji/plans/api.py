"""API of plans: the registry and its structure, versions and diffs, review, filing, cards, attachments and .docx
import, drills and scenarios with their readiness gaps. Scoped: a unit sees and files its own plans."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import PlainSerializer

from yingji.core.access import org_in_scope, resolve_in_scope
from yingji.core.api import Pages
from yingji.core.errors import ValidationFailed
from yingji.core.requests import ApiRequest
from yingji.plans import selectors, services
from yingji.plans.lifecycle import PLAN
from yingji.plans.models import (
    Conclusion,
    Drill,
    DrillContent,
    DrillForm,
    ItemResult,
    Plan,
    PlanAttachment,
    PlanLevel,
    PlanReview,
    PlanStatus,
    PlanVersion,
    Scenario,
    SectionPart,
)
from yingji.resources.models import Expert

router = Router(tags=["plans"])

LocalTime = Annotated[datetime, PlainSerializer(lambda value: timezone.localtime(value).isoformat(), return_type=str)]
Level = Literal["I", "II", "III", "IV"]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
MAX_UPLOAD = services.MAX_ATTACHMENT_BYTES


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _read(file: UploadedFile) -> bytes:
    if (file.size or 0) > MAX_UPLOAD:
        raise ValidationFailed("file: too large", {"file": ["At most 50 MB."]})
    return file.read()


# --- plans ----------------------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    title: str
    level: str
    level_label: str = Field(..., alias="get_level_display")
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    incident_types: list[str]
    response_levels: list[str]
    scope: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    allowed: list[str]
    version: int
    approved_at: LocalTime | None
    filing_number: str
    filed_at: LocalTime | None
    evaluation_due: date | None

    @staticmethod
    def resolve_allowed(obj: Plan) -> list[str]:
        return list(PLAN.allowed(obj.status))

    @staticmethod
    def resolve_evaluation_due(obj: Plan) -> date | None:
        return services.evaluation_due(obj)


class PlanIn(Schema):
    org: Id
    title: str = Field(..., min_length=1, max_length=200)
    level: PlanLevel
    incident_types: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field([], max_length=50)
    response_levels: list[Level] = []
    scope: str = Field("", max_length=10_000)


class PlanPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    level: PlanLevel | None = None
    incident_types: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(None, max_length=50)
    response_levels: list[Level] | None = None
    scope: str | None = Field(None, max_length=10_000)


class PlanFilters(Schema):
    q: str | None = Field(None, max_length=100)
    level: PlanLevel | None = None
    status: PlanStatus | None = None
    org: Id | None = None
    incident_type: str | None = Field(None, max_length=40)


@router.get("/plans", response=list[PlanOut])
@paginate(Pages)
def plans_list(request: ApiRequest, filters: Query[PlanFilters]) -> QuerySet[Plan]:
    """Plans in your area; filter by level, status, owner unit (and below), incident type, q."""
    return selectors.plan_list(user=request.auth, **filters.dict())


@router.post("/plans", response={201: PlanOut})
def plans_create(request: ApiRequest, payload: PlanIn) -> Status[Plan]:
    """Register a plan as a draft of a unit in your area."""
    data = payload.dict()
    data["org"] = org_in_scope(request.auth, data["org"], required=True)
    return Status(201, services.plan_create(by=request.auth, **data))


class SectionIO(Schema):
    part: SectionPart
    heading: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=50_000)


class RoleIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    duties: str = Field("", max_length=5000)
    org: Id | None = None
    contact: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)


class RoleOut(Schema):
    id: int
    name: str
    duties: str
    org: int | None = Field(None, alias="org_id")
    contact: str
    phone: str


class TierIO(Schema):
    level: Level
    trigger: str = Field(..., min_length=1, max_length=5000)


class StepIn(Schema):
    level: Level
    role: str | None = Field(None, max_length=80)
    order: int = Field(1, ge=1, le=1000)
    action: str = Field(..., min_length=1, max_length=300)
    due_minutes: int | None = Field(None, ge=1, le=100_000)


class StepOut(Schema):
    id: int
    level: str
    role: str | None
    order: int
    action: str
    due_minutes: int | None

    @staticmethod
    def resolve_role(obj: Any) -> str | None:
        return obj.role.name if obj.role_id else None


class ReportingIn(Schema):
    role: str | None = Field(None, max_length=80)
    what: str = Field(..., min_length=1, max_length=300)
    recipient: str = Field(..., min_length=1, max_length=120)
    phone: str = Field("", max_length=40)
    within_minutes: int | None = Field(None, ge=1, le=100_000)


class ReportingOut(Schema):
    role: str | None
    what: str
    recipient: str
    phone: str
    within_minutes: int | None

    @staticmethod
    def resolve_role(obj: Any) -> str | None:
        return obj.role.name if obj.role_id else None


class ResourceIn(Schema):
    kind: Literal["team", "equipment", "warehouse", "expert"]
    id: Id
    note: str = Field("", max_length=200)


class ResourceOut(Schema):
    kind: str
    id: int
    name: str
    note: str

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return obj.resource.pk

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.resource)


class AnnexIO(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=50_000)


class BodyIn(Schema):
    sections: list[SectionIO] = Field([], max_length=200)
    roles: list[RoleIn] = Field([], max_length=200)
    tiers: list[TierIO] = Field([], max_length=4)
    steps: list[StepIn] = Field([], max_length=1000)
    reporting: list[ReportingIn] = Field([], max_length=200)
    resources: list[ResourceIn] = Field([], max_length=500)
    annexes: list[AnnexIO] = Field([], max_length=200)


class FilingOut(Schema):
    id: int
    number: str
    version: int
    filed_at: LocalTime


class PlanDetailOut(PlanOut):
    filings: list[FilingOut]
    sections: list[SectionIO]
    roles: list[RoleOut]
    tiers: list[TierIO]
    steps: list[StepOut]
    reporting: list[ReportingOut]
    resources: list[ResourceOut]
    annexes: list[AnnexIO]

    @staticmethod
    def resolve_filings(obj: Plan) -> list:
        return list(obj.filings.all())

    @staticmethod
    def resolve_sections(obj: Plan) -> list:
        return list(obj.sections.all())

    @staticmethod
    def resolve_roles(obj: Plan) -> list:
        return list(obj.roles.all())

    @staticmethod
    def resolve_tiers(obj: Plan) -> list:
        return list(obj.tiers.all())

    @staticmethod
    def resolve_steps(obj: Plan) -> list:
        return list(obj.steps.all())

    @staticmethod
    def resolve_reporting(obj: Plan) -> list:
        return list(obj.reporting.all())

    @staticmethod
    def resolve_resources(obj: Plan) -> list:
        return list(obj.resources.all())

    @staticmethod
    def resolve_annexes(obj: Plan) -> list:
        return list(obj.annexes.all())


class ImportIn(Schema):
    org: Id
    level: PlanLevel
    title: str = Field("", max_length=200)


@router.post("/plans/import", response={201: PlanDetailOut})
def plans_import(request: ApiRequest, file: File[UploadedFile], form: Form[ImportIn]) -> Status[Plan]:
    """Create a draft from a .docx plan: headings mapped to the GB/T 29639-2020 parts, for the author to finish."""
    org = org_in_scope(request.auth, form.org, required=True)
    assert org is not None  # required: a missing unit was refused
    plan = services.plan_import_docx(
        by=request.auth, org=org, level=form.level, name=file.name or "", content=_read(file), title=form.title
    )
    return Status(201, selectors.plan_detail(plan=plan))


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def plans_get(request: ApiRequest, plan_id: int) -> Plan:
    """A plan with its whole structure (GB/T 29639-2020): roles, levels and triggers, steps, reporting, resources."""
    return selectors.plan_detail(plan=selectors.plan_get(user=request.auth, plan_id=plan_id))


@router.patch("/plans/{plan_id}", response=PlanOut)
def plans_patch(request: ApiRequest, plan_id: int, payload: PlanPatch) -> Plan:
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return services.plan_update(by=request.auth, plan=plan, **payload.dict(exclude_unset=True))


@router.put("/plans/{plan_id}/body", response=PlanDetailOut)
def plans_body(request: ApiRequest, plan_id: int, payload: BodyIn) -> Plan:
    """Replace the plan's structured body (a draft or a plan being revised). Steps and duties name their role."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    services.plan_body_set(by=request.auth, plan=plan, body=payload.dict())
    return selectors.plan_detail(plan=plan)


class TransitionIn(Schema):
    to: PlanStatus


@router.post("/plans/{plan_id}/transitions", response=PlanOut)
def plans_transition(request: ApiRequest, plan_id: int, payload: TransitionIn) -> Plan:
    """Move the plan along draft → under_review → approved → filed → revising / abolished; 409 names the allowed."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return services.plan_transition(by=request.auth, plan=plan, to=payload.to)


class ReviewIn(Schema):
    experts: list[Id] | None = Field(None, max_length=50)
    comments: str | None = Field(None, max_length=20_000)
    conclusion: Conclusion | None = None


class ReviewOut(Schema):
    id: int
    version: int
    experts: list[str]
    comments: str
    conclusion: str
    started_at: LocalTime
    concluded_at: LocalTime | None

    @staticmethod
    def resolve_experts(obj: Any) -> list[str]:
        return [e.name for e in obj.experts.all()]


@router.post("/plans/{plan_id}/review", response=ReviewOut)
def plans_review(request: ApiRequest, plan_id: int, payload: ReviewIn) -> PlanReview:
    """The open review's experts (ids from the expert registry), comments and conclusion."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    experts: list[Expert] | None = None
    if payload.experts is not None:
        found = [resolve_in_scope(Expert, request.auth, pk, field="experts", required=True) for pk in payload.experts]
        experts = [expert for expert in found if expert is not None]  # required: each one was found or refused
    return services.plan_review_update(
        by=request.auth, plan=plan, experts=experts, comments=payload.comments, conclusion=payload.conclusion
    )


class VersionOut(Schema):
    number: int
    note: str
    created_at: LocalTime


@router.get("/plans/{plan_id}/versions", response=list[VersionOut])
def plans_versions(request: ApiRequest, plan_id: int) -> list[PlanVersion]:
    return list(selectors.plan_get(user=request.auth, plan_id=plan_id).versions.all())


class DiffQuery(Schema):
    old: int = Field(..., ge=1, le=10**6)
    new: int = Field(..., ge=1, le=10**6)


class DiffOut(Schema):
    old: int
    new: int
    diff: list[str]


@router.get("/plans/{plan_id}/diff", response=DiffOut)
def plans_diff(request: ApiRequest, plan_id: int, query: Query[DiffQuery]) -> dict[str, Any]:
    """A unified diff (difflib) of two versions' text."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return {"old": query.old, "new": query.new, "diff": selectors.version_diff(plan=plan, old=query.old, new=query.new)}


class CardOut(Schema):
    role: str
    unit: str
    duties: str
    triggers: list[tuple[str, str]]
    steps: list[tuple[str, list[str]]]
    contacts: list[tuple[str, str]]
    reports: list[str]


@router.get("/plans/{plan_id}/cards", response=list[CardOut])
def plans_cards(request: ApiRequest, plan_id: int) -> list[selectors.Card]:
    """The plan's response cards, one per role: trigger, steps in order, whom to call, what to report."""
    return selectors.plan_cards(plan=selectors.plan_get(user=request.auth, plan_id=plan_id))


class AttachmentOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    uploaded_at: LocalTime


@router.post("/plans/{plan_id}/attachments", response={201: AttachmentOut})
def plans_attach(request: ApiRequest, plan_id: int, file: File[UploadedFile]) -> Status[PlanAttachment]:
    """Keep the original Word or PDF file with its SHA-256."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return Status(201, services.attachment_add(by=request.auth, plan=plan, name=file.name or "", content=_read(file)))


class EvaluatedIn(Schema):
    on: date = Field(..., ge=date(2000, 1, 1), le=date(2100, 12, 31))


@router.post("/plans/{plan_id}/evaluations", response=PlanOut)
def plans_evaluated(request: ApiRequest, plan_id: int, payload: EvaluatedIn) -> Plan:
    """Record the plan's periodic evaluation; the next falls due three years later."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return services.plan_evaluated(by=request.auth, plan=plan, on=payload.on)


class StreetStatOut(Schema):
    street: str
    street_id: int
    total: int
    in_force: int
    filed_this_year: int
    overdue: int


class IndustryStatOut(Schema):
    industry: str
    in_force: int
    overdue: int


class NamedOut(Schema):
    id: int
    name: str


class StatsOut(Schema):
    streets: list[StreetStatOut]
    industries: list[IndustryStatOut]
    undrilled_plans: list[NamedOut]
    undrilled_enterprises: list[NamedOut]


@router.get("/plans-stats", response=StatsOut)
def plans_stats(request: ApiRequest) -> dict[str, Any]:
    """Filing counts and plans overdue for evaluation per street and per industry; plans and high-risk enterprises
    not drilled this year."""
    undrilled = selectors.undrilled(user=request.auth)
    return {
        "streets": selectors.filing_stats(user=request.auth),
        "industries": selectors.industry_stats(user=request.auth),
        "undrilled_plans": [{"id": p.pk, "name": p.title} for p in undrilled["plans"]],
        "undrilled_enterprises": [{"id": o.pk, "name": o.name} for o in undrilled["enterprises"]],
    }


# --- drills ---------------------------------------------------------------------------------------------------


class ItemOut(Schema):
    code: str
    group: str
    text: str
    result: str
    reason: str


class DrillOut(Schema):
    id: int
    title: str
    org: int = Field(..., alias="org_id")
    plan: int | None = Field(None, alias="plan_id")
    scenario: int | None = Field(None, alias="scenario_id")
    content: str
    form: str
    participants: str
    objectives: str
    scheduled_for: LocalTime
    status: str
    metrics: dict
    score: int | None
    findings: str
    improvements: str
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list:
        return list(obj.items.all())


class DrillIn(Schema):
    org: Id
    title: str = Field(..., min_length=1, max_length=200)
    content: DrillContent
    form: DrillForm
    scheduled_for: datetime = Field(..., description="between the years 2000 and 2100")
    plan: Id | None = None
    scenario: Id | None = None
    participants: str = Field("", max_length=5000)
    objectives: str = Field("", max_length=5000)


@router.get("/drills", response=list[DrillOut])
@paginate(Pages)
def drills_list(request: ApiRequest, year: int | None = Query(None, ge=2000, le=2100)) -> QuerySet[Drill]:
    return selectors.drill_list(user=request.auth, year=year).prefetch_related("items")


@router.post("/drills", response={201: DrillOut})
def drills_create(request: ApiRequest, payload: DrillIn) -> Status[Drill]:
    """Plan a drill (AQ/T 9007-2019 content and form); its form starts with the AQ/T 9009-2015 items."""
    data = payload.dict()
    data["org"] = org_in_scope(request.auth, data["org"], required=True)
    data["scheduled_for"] = _aware(data["scheduled_for"])
    if not 2000 <= data["scheduled_for"].year <= 2100:
        raise ValidationFailed("scheduled_for: out of range", {"scheduled_for": ["give a time between 2000 and 2100"]})
    return Status(201, services.drill_create(by=request.auth, **data))


@router.get("/drills/{drill_id}", response=DrillOut)
def drills_get(request: ApiRequest, drill_id: int) -> Drill:
    return selectors.drill_get(user=request.auth, drill_id=drill_id)


class ItemIn(Schema):
    code: str = Field(..., max_length=10)
    result: ItemResult
    reason: str = Field("", max_length=300)


class EvaluationIn(Schema):
    items: list[ItemIn] = Field([], max_length=100)
    findings: str | None = Field(None, max_length=20_000)
    improvements: str | None = Field(None, max_length=20_000)


@router.post("/drills/{drill_id}/evaluation", response=DrillOut)
def drills_evaluate(request: ApiRequest, drill_id: int, payload: EvaluationIn) -> Drill:
    """Mark the evaluation form's items yes or no with a reason; write findings and improvement tasks."""
    drill = selectors.drill_get(user=request.auth, drill_id=drill_id)
    items = {item.code: (item.result, item.reason) for item in payload.items}
    return services.drill_evaluate(
        by=request.auth, drill=drill, items=items, findings=payload.findings, improvements=payload.improvements
    )


# --- scenarios ------------------------------------------------------------------------------------------------


class NeedOut(Schema):
    kind: str
    quantity: int


class ScenarioOut(Schema):
    id: int
    title: str
    org: int = Field(..., alias="org_id")
    incident_type: str
    event_chain: str
    affected_area: str
    radius_m: int | None
    lat: float | None
    lon: float | None
    expected_deaths: int
    expected_injuries: int
    needs: list[NeedOut]

    @staticmethod
    def resolve_needs(obj: Any) -> list:
        return list(obj.needs.all())


class ScenarioIn(Schema):
    org: Id
    title: str = Field(..., min_length=1, max_length=200)
    incident_type: str = Field("", max_length=40)
    event_chain: str = Field("", max_length=20_000)
    affected_area: str = Field("", max_length=5000)
    radius_m: int | None = Field(None, ge=0, le=100_000)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    expected_deaths: int = Field(0, ge=0, le=10**6)
    expected_injuries: int = Field(0, ge=0, le=10**6)
    needs: dict[Annotated[str, Field(max_length=40)], Annotated[int, Field(ge=1, le=10**9)]] = {}


@router.get("/scenarios", response=list[ScenarioOut])
@paginate(Pages)
def scenarios_list(request: ApiRequest) -> QuerySet[Scenario]:
    return selectors.scenario_list(user=request.auth)


@router.post("/scenarios", response={201: ScenarioOut})
def scenarios_create(request: ApiRequest, payload: ScenarioIn) -> Status[Scenario]:
    data = payload.dict()
    data["org"] = org_in_scope(request.auth, data["org"], required=True)
    return Status(201, services.scenario_create(by=request.auth, **data))


@router.get("/scenarios/{scenario_id}", response=ScenarioOut)
def scenarios_get(request: ApiRequest, scenario_id: int) -> Scenario:
    return selectors.scenario_get(user=request.auth, scenario_id=scenario_id)


class ReadinessQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    minutes: float = Field(..., gt=0, le=1440)


class ReadinessOut(Schema):
    kind: str
    needed: int
    reachable: int
    shortfall: int


@router.get("/scenarios/{scenario_id}/readiness", response=list[ReadinessOut])
def scenarios_readiness(request: ApiRequest, scenario_id: int, query: Query[ReadinessQuery]) -> list[dict[str, Any]]:
    """Per resource kind the scenario needs: needed, what can arrive within `minutes` by road, and the shortfall."""
    scenario = selectors.scenario_get(user=request.auth, scenario_id=scenario_id)
    return selectors.readiness(user=request.auth, scenario=scenario, **query.dict())
