"""API of the duty desk: incidents, their timeline, reports, tasks and command, the roster on duty now."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import PlainSerializer

from yingji.core.access import org_in_scope, resolve_in_scope
from yingji.core.api import Pages
from yingji.core.errors import ValidationFailed
from yingji.core.models import User
from yingji.core.requests import ApiRequest
from yingji.incidents import activation, grading, selectors, services
from yingji.incidents.documents import report_filename, review_filename
from yingji.incidents.docx_writer import docx_response
from yingji.incidents.models import (
    Category,
    Dispatch,
    DispatchStatus,
    DutyShift,
    Grade,
    Incident,
    IncidentType,
    MaterialRequest,
    Report,
    ReportKind,
    ResponseLevel,
    Source,
    Task,
    TaskStatus,
    TimelineEntry,
)
from yingji.incidents.models import Status as St
from yingji.resources.models import Equipment, Expert, MaterialItem, Team, Warehouse

router = Router(tags=["incidents"])

# Times go out in Asia/Shanghai with their offset ("2026-05-01T09:30:00+08:00").
LocalTime = Annotated[datetime, PlainSerializer(lambda value: timezone.localtime(value).isoformat(), return_type=str)]


def _aware(value: datetime | None) -> datetime | None:
    # A time given without an offset is Beijing time, as the duty officer reads it off the clock.
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _user(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, is_active=True).first()
    if found is None:
        raise ValidationFailed(_("unknown %(field)s") % {"field": field}, {field: [_("no such active user")]})
    return found


class IncidentIn(Schema):
    category: Category
    type: str = Field(..., max_length=40, description="code of the incident type, e.g. fire, hazchem_leak")
    title: str = Field(..., min_length=1, max_length=200)
    occurred_at: datetime
    received_at: datetime | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=200)
    source: Source = Source.PHONE
    reporter_name: str = Field("", max_length=60)
    reporter_phone: str = Field("", max_length=40)
    enterprise: int | None = None
    org: int | None = None
    description: str = Field("", max_length=5000)
    deaths: int = Field(0, ge=0, le=100_000)
    missing: int = Field(0, ge=0, le=100_000)
    serious_injuries: int = Field(0, ge=0, le=100_000)
    minor_injuries: int = Field(0, ge=0, le=100_000)
    direct_loss_yuan: int = Field(0, ge=0, le=10**15)
    exercise: bool = False


class IncidentPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    address: str | None = Field(None, max_length=200)
    source: Source | None = None
    reporter_name: str | None = Field(None, max_length=60)
    reporter_phone: str | None = Field(None, max_length=40)
    deaths: int | None = Field(None, ge=0, le=100_000)
    missing: int | None = Field(None, ge=0, le=100_000)
    serious_injuries: int | None = Field(None, ge=0, le=100_000)
    minor_injuries: int | None = Field(None, ge=0, le=100_000)
    direct_loss_yuan: int | None = Field(None, ge=0, le=10**15)
    commander: int | None = None
    response_level: ResponseLevel | Literal[""] | None = None
    post_lat: float | None = Field(None, ge=-90, le=90)
    post_lon: float | None = Field(None, ge=-180, le=180)
    post_address: str | None = Field(None, max_length=200)
    status: St | None = None


class IncidentOut(Schema):
    id: int
    code: str
    title: str
    category: str
    category_label: str = Field(..., alias="get_category_display")
    type: str = Field(..., alias="type.code")
    type_label: str = Field(..., alias="type.name")
    source: str
    source_label: str = Field(..., alias="get_source_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    description: str
    lat: float | None
    lon: float | None
    address: str
    occurred_at: LocalTime
    received_at: LocalTime
    reporter_name: str
    reporter_phone: str
    enterprise: int | None = Field(None, alias="enterprise_id")
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: int
    exercise: bool
    grade: str | None
    grade_label: str | None
    report_deadline: LocalTime | None
    response_level: str | None
    commander: int | None = Field(None, alias="commander_id")
    post_lat: float | None
    post_lon: float | None
    post_address: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    closed_at: LocalTime | None

    @staticmethod
    def resolve_grade(obj: Incident) -> str | None:
        return obj.grade or None

    @staticmethod
    def resolve_grade_label(obj: Incident) -> str | None:
        return grading.LABELS.get(obj.grade)

    @staticmethod
    def resolve_response_level(obj: Incident) -> str | None:
        return obj.response_level or None


class IncidentFiltersIn(Schema):
    q: str | None = Field(None, max_length=100)
    status: St | None = None
    category: Category | None = None
    type: str | None = Field(None, max_length=40)
    grade: Grade | None = None
    open: bool | None = None
    org: int | None = None
    received_from: date | None = None
    received_to: date | None = None


@router.get("/incidents", response=list[IncidentOut])
@paginate(Pages)
def incidents_list(request: ApiRequest, filters: Query[IncidentFiltersIn]) -> QuerySet[Incident]:
    """Incidents in your area, newest first; filter by status, category, type, grade, open, org, dates, q."""
    return selectors.incident_list(user=request.auth, filters=selectors.IncidentFilters(**filters.dict()))


@router.post("/incidents", response={201: IncidentOut})
def incidents_create(request: ApiRequest, payload: IncidentIn) -> Status[Incident]:
    """Record an incident; it is graded (Order 493) and its report deadline set (art. 11)."""
    data = payload.dict()
    incident_type = IncidentType.objects.filter(code=data.pop("type"), active=True).first()
    if incident_type is None:
        raise ValidationFailed(_("unknown type"), {"type": [_("no such incident type")]})
    data["occurred_at"] = _aware(data["occurred_at"])
    data["received_at"] = _aware(data["received_at"])
    data["enterprise"] = org_in_scope(request.auth, data["enterprise"], field="enterprise")
    data["org"] = org_in_scope(request.auth, data["org"], field="org")
    exercise = data.pop("exercise")
    with transaction.atomic():
        incident = services.incident_create(by=request.auth, type=incident_type, **data)
        if exercise:
            incident = activation.incident_mark_exercise(by=request.auth, incident=incident)
    return Status(201, incident)


@router.get("/incidents/{incident_id}", response=IncidentOut)
def incidents_get(request: ApiRequest, incident_id: int) -> Incident:
    return selectors.incident_get(user=request.auth, incident_id=incident_id)


@router.get("/incidents/{incident_id}/map", tags=["map"])
def incidents_map(request: ApiRequest, incident_id: int) -> dict[str, Any]:
    """GeoJSON of the incident, its dispatched resources (not yet released) and their road routes to it."""
    return selectors.incident_map(user=request.auth, incident_id=incident_id)


@router.patch("/incidents/{incident_id}", response=IncidentOut)
def incidents_patch(request: ApiRequest, incident_id: int, payload: IncidentPatch) -> Incident:
    """Change details, casualty figures (regrades within the art. 13 window), command or status."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    changes = payload.dict(exclude_unset=True)
    if "commander" in changes:
        changes["commander"] = _user(changes["commander"], "commander")
    if changes.get("response_level") is None and "response_level" in changes:
        changes["response_level"] = ""
    return services.incident_change(by=request.auth, incident=incident, changes=changes)


class TimelineOut(Schema):
    id: int
    at: LocalTime
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    text: str
    actor: str | None
    payload: dict

    @staticmethod
    def resolve_actor(obj: TimelineEntry) -> str | None:
        return obj.actor.get_username() if obj.actor else None


@router.get("/incidents/{incident_id}/timeline", response=list[TimelineOut])
def incidents_timeline(request: ApiRequest, incident_id: int) -> list[TimelineEntry]:
    """Every event of the incident in order, with who and when."""
    return list(selectors.timeline(user=request.auth, incident_id=incident_id))


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)


@router.post("/incidents/{incident_id}/notes", response={201: TimelineOut})
def incidents_note(request: ApiRequest, incident_id: int, payload: NoteIn) -> Status[TimelineEntry]:
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return Status(201, services.incident_note(by=request.auth, incident=incident, text=payload.text))


class MergeIn(Schema):
    into: int


@router.post("/incidents/{incident_id}/merge", response=IncidentOut)
def incidents_merge(request: ApiRequest, incident_id: int, payload: MergeIn) -> Incident:
    """Merge this incident (a duplicate report) into `into`; answers the incident kept."""
    duplicate = selectors.incident_get(user=request.auth, incident_id=incident_id)
    try:
        into = selectors.incident_get(user=request.auth, incident_id=payload.into)
    except Exception:
        raise ValidationFailed(_("unknown incident"), {"into": [_("no such incident")]}) from None
    return services.incident_merge(by=request.auth, duplicate=duplicate, into=into)


class ReportOut(Schema):
    id: int
    incident: int = Field(..., alias="incident_id")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    reason: str
    recipient: str
    due_at: LocalTime
    sent_at: LocalTime | None
    escalated_at: LocalTime | None


class ReportIn(Schema):
    kind: Literal["progress", "final"]
    reason: str = Field("", max_length=200)


@router.get("/incidents/{incident_id}/reports", response=list[ReportOut])
def incidents_reports(request: ApiRequest, incident_id: int) -> list[Report]:
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return list(incident.reports.all())


@router.post("/incidents/{incident_id}/reports", response={201: ReportOut})
def incidents_report_add(request: ApiRequest, incident_id: int, payload: ReportIn) -> Status[Report]:
    """Prepare a progress (续报) or final (终报) report."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    report = services.report_add(
        by=request.auth, incident=incident, kind=ReportKind(payload.kind), reason=payload.reason
    )
    return Status(201, report)


@router.post("/reports/{report_id}/send", response=ReportOut)
def reports_send(request: ApiRequest, report_id: int) -> Report:
    """Send a due report: its document is generated from the incident and kept with the send time."""
    report = selectors.report_get(user=request.auth, report_id=report_id)
    return services.report_send(by=request.auth, report=report)


class TaskOut(Schema):
    id: int
    incident: int = Field(..., alias="incident_id")
    title: str
    assignee_org: int | None = Field(None, alias="assignee_org_id")
    assignee_user: int | None = Field(None, alias="assignee_user_id")
    due_at: LocalTime | None
    status: str
    status_label: str = Field(..., alias="get_status_display")
    done_at: LocalTime | None


class TaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    assignee_org: int | None = None
    assignee_user: int | None = None
    due_at: datetime | None = None


class TaskPatch(Schema):
    status: TaskStatus


@router.get("/incidents/{incident_id}/tasks", response=list[TaskOut])
def incidents_tasks(request: ApiRequest, incident_id: int) -> list[Task]:
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return list(incident.tasks.all())


@router.post("/incidents/{incident_id}/tasks", response={201: TaskOut})
def incidents_task_add(request: ApiRequest, incident_id: int, payload: TaskIn) -> Status[Task]:
    """Give a task to an org unit or a person (commanders)."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    task = services.task_create(
        by=request.auth,
        incident=incident,
        title=payload.title,
        assignee_org=org_in_scope(request.auth, payload.assignee_org, field="assignee_org"),
        assignee_user=_user(payload.assignee_user, "assignee_user"),
        due_at=_aware(payload.due_at),
    )
    return Status(201, task)


@router.patch("/tasks/{task_id}", response=TaskOut)
def tasks_patch(request: ApiRequest, task_id: int, payload: TaskPatch) -> Task:
    task = selectors.task_get(user=request.auth, task_id=task_id)
    return services.task_set_status(by=request.auth, task=task, status=payload.status)


class TypeOut(Schema):
    code: str
    name: str
    category: str
    order493: bool


@router.get("/incident-types", response=list[TypeOut])
def incident_types(request: ApiRequest) -> list[IncidentType]:
    """The incident taxonomy (active types)."""
    return list(IncidentType.objects.filter(active=True))


class ShiftOut(Schema):
    id: int
    starts_at: LocalTime
    ends_at: LocalTime
    officer: str
    leader: str
    phone: str

    @staticmethod
    def resolve_officer(obj: DutyShift) -> str:
        return str(obj.officer)

    @staticmethod
    def resolve_leader(obj: DutyShift) -> str:
        return str(obj.leader)


@router.get("/duty/now", response=list[ShiftOut])
def duty_now(request: ApiRequest) -> list[DutyShift]:
    """Who is on duty now: duty officer and duty leader."""
    return selectors.on_duty(user=request.auth)


class ReviewIn(Schema):
    findings: str = Field("", max_length=20000)
    improvements: str = Field("", max_length=20000)


class ReviewOut(Schema):
    incident: int
    to_first_report_s: int | None
    to_first_dispatch_s: int | None
    total_s: int | None
    findings: str
    improvements: str


@router.get("/incidents/{incident_id}/review", response=ReviewOut)
def incidents_review(request: ApiRequest, incident_id: int) -> dict[str, Any]:
    """The after-action review: computed figures, findings and improvement actions."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return selectors.review_data(incident=incident)


@router.put("/incidents/{incident_id}/review", response=ReviewOut)
def incidents_review_save(request: ApiRequest, incident_id: int, payload: ReviewIn) -> dict[str, Any]:
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    services.review_save(
        by=request.auth, incident=incident, findings=payload.findings, improvements=payload.improvements
    )
    return selectors.review_data(incident=incident)


class DispatchIn(Schema):
    team: int | None = None
    equipment: int | None = None
    expert: int | None = None
    note: str = Field("", max_length=200)


class DispatchPatch(Schema):
    status: DispatchStatus


class DispatchOut(Schema):
    id: int
    incident: int = Field(..., alias="incident_id")
    kind: str = Field(..., alias="resource_kind")
    resource: int
    resource_name: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    exercise: bool = Field(..., alias="incident.exercise", description="made in a drill (演练)")
    eta_s: int | None
    distance_m: int | None
    note: str
    dispatched_at: LocalTime
    acknowledged_at: LocalTime | None
    en_route_at: LocalTime | None
    on_scene_at: LocalTime | None
    released_at: LocalTime | None
    allowed: list[str]

    @staticmethod
    def resolve_resource(obj: Dispatch) -> int:
        return obj.resource.pk

    @staticmethod
    def resolve_allowed(obj: Dispatch) -> list[str]:
        return list(services.dispatch_allowed(obj.status))


class RecommendationOut(Schema):
    kind: str
    id: int
    name: str
    lat: float
    lon: float
    eta_s: float
    distance_m: float
    status: str = ""
    phone: str = ""
    need: str = ""


@router.get("/incidents/{incident_id}/recommendations", response=list[RecommendationOut])
def incidents_recommend(
    request: ApiRequest, incident_id: int, kind: Literal["team", "equipment", "expert"] | None = None, limit: int = 3
) -> list[dict[str, Any]]:
    """Resources to send by road travel time, busy ones skipped: without `kind`, what the incident's type needs
    in order (e.g. a hazardous-chemicals leak: fire and hazmat teams, medical teams, hazmat experts, detection
    equipment), `limit` per need; with `kind`, the nearest of that kind."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return selectors.dispatch_recommend(user=request.auth, incident=incident, kind=kind, limit=max(1, min(limit, 20)))


@router.get("/incidents/{incident_id}/dispatches", response=list[DispatchOut])
def incidents_dispatches(request: ApiRequest, incident_id: int) -> list[Dispatch]:
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return list(selectors.dispatches(incident=incident))


@router.post("/incidents/{incident_id}/dispatches", response={201: DispatchOut})
def incidents_dispatch(request: ApiRequest, incident_id: int, payload: DispatchIn) -> Status[Dispatch]:
    """One-click dispatch of a team, piece of equipment or expert: `{"team": id}`."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    dispatch = services.dispatch_create(
        by=request.auth,
        incident=incident,
        team=resolve_in_scope(Team, request.auth, payload.team, field="team"),
        equipment=resolve_in_scope(Equipment, request.auth, payload.equipment, field="equipment"),
        expert=resolve_in_scope(Expert, request.auth, payload.expert, field="expert"),
        note=payload.note,
    )
    return Status(201, dispatch)


@router.patch("/dispatches/{dispatch_id}", response=DispatchOut)
def dispatches_patch(request: ApiRequest, dispatch_id: int, payload: DispatchPatch) -> Dispatch:
    """Report a dispatch order's progress; invalid moves answer 409 naming the allowed ones."""
    dispatch = selectors.dispatch_get(user=request.auth, dispatch_id=dispatch_id)
    return services.dispatch_set_status(by=request.auth, dispatch=dispatch, status=payload.status)


class MaterialIn(Schema):
    warehouse: int
    item: int
    quantity: int = Field(..., ge=1, le=10**9)
    reason: str = Field("", max_length=200)


class MaterialOut(Schema):
    id: int
    incident: int = Field(..., alias="incident_id")
    warehouse: int = Field(..., alias="warehouse_id")
    warehouse_name: str = Field(..., alias="warehouse.name")
    item: int = Field(..., alias="item_id")
    item_name: str = Field(..., alias="item.name")
    unit: str = Field(..., alias="item.unit")
    quantity: int
    reason: str
    requested_by: str
    fulfilled_at: LocalTime

    @staticmethod
    def resolve_requested_by(obj: MaterialRequest) -> str:
        return obj.requested_by.get_username()


@router.get("/incidents/{incident_id}/materials", response=list[MaterialOut])
def incidents_materials_list(request: ApiRequest, incident_id: int) -> list[MaterialRequest]:
    """The materials issued to the incident, newest first."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return list(selectors.material_requests(incident=incident))


@router.post("/incidents/{incident_id}/materials", response={201: MaterialOut})
def incidents_materials(request: ApiRequest, incident_id: int, payload: MaterialIn) -> Status[MaterialRequest]:
    """Issue materials from a warehouse to the incident (a stock-ledger movement)."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    warehouse = resolve_in_scope(Warehouse, request.auth, payload.warehouse, field="warehouse", required=True)
    item = MaterialItem.objects.filter(pk=payload.item).first()
    if item is None:
        raise ValidationFailed(_("unknown item"), {"item": [_("no such material")]})
    request_ = services.material_issue(
        by=request.auth,
        incident=incident,
        warehouse=warehouse,
        item=item,
        quantity=payload.quantity,
        reason=payload.reason,
    )
    return Status(201, request_)


@router.get("/reports/{report_id}/docx")
def reports_docx(request: ApiRequest, report_id: int) -> HttpResponse:
    """The report as a Word file (.docx): the frozen copy once sent, a preview while due."""
    report = selectors.report_get(user=request.auth, report_id=report_id)
    return docx_response(selectors.report_document(report=report), report_filename(report), by=request.auth)


@router.get("/incidents/{incident_id}/review/docx")
def incidents_review_docx(request: ApiRequest, incident_id: int) -> HttpResponse:
    """The after-action review as a Word file (.docx)."""
    incident = selectors.incident_get(user=request.auth, incident_id=incident_id)
    return docx_response(selectors.review_document(incident=incident), review_filename(incident), by=request.auth)


from yingji.incidents.api_plans import router as plans_router  # noqa: E402 — plans on an incident, its own module

router.add_router("", plans_router)
