"""API of dual prevention: the pure rules (LEC, matrix, GB 18218, credit codes), enterprise profiles with Excel,
risk points, the hidden-danger closed loop with photos, hazard units, inspections and draws, documents,
commitments, indicators. Handlers are thin: selectors read, services write."""

from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, Literal

from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yingji.core.api import Pages
from yingji.core.errors import ValidationFailed
from yingji.core.inputs import MAX_ID, MAX_QUANTITY
from yingji.core.models import OrgUnit
from yingji.core.registry import ImportOut, Registry, registry_api
from yingji.core.requests import ApiRequest
from yingji.risk import conf, excel, gb18218, lec, selectors, services
from yingji.risk.checklists import checklist_for
from yingji.risk.lifecycle import DANGER
from yingji.risk.models import (
    Commitment,
    ControlLevel,
    DangerEvent,
    DangerGrade,
    DangerPhoto,
    DangerSource,
    DangerStatus,
    DocumentKind,
    Draw,
    EnforcementDocument,
    EnterpriseProfile,
    HazardUnit,
    HiddenDanger,
    IndustrySection,
    Inspection,
    InspectionPlan,
    Method,
    PhotoStage,
    RiskFlag,
    RiskPoint,
    Scale,
    UnitKind,
)
from yingji.risk.uscc import normalise, uscc_problem

router = Router(tags=["risk"])


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", {field: [message]})


# --- pure rules ---------------------------------------------------------------------------------------------------


class LecIn(Schema):
    l: Decimal = Field(..., allow_inf_nan=False)  # noqa: E741
    e: Decimal = Field(..., allow_inf_nan=False)
    c: Decimal = Field(..., allow_inf_nan=False)


class LecOut(Schema):
    d: float
    band: str
    band_label: str
    colour: str


@router.post("/risk/lec", response=LecOut)
def risk_lec(request: ApiRequest, payload: LecIn) -> dict[str, Any]:
    """D = L × E × C with the LEC score tables → the danger band and the four-colour grade."""
    try:
        result = lec.lec(payload.l, payload.e, payload.c, conf.lec_bands())
    except ValueError as exc:
        raise _fail(exc.args[0], exc.args[1]) from None
    return {"d": float(result.d), "band": result.band, "band_label": result.band_label, "colour": result.colour}


class MatrixIn(Schema):
    likelihood: int = Field(..., ge=1, le=5)
    severity: int = Field(..., ge=1, le=5)


class MatrixOut(Schema):
    score: int
    colour: str


@router.post("/risk/matrix", response=MatrixOut)
def risk_matrix(request: ApiRequest, payload: MatrixIn) -> dict[str, Any]:
    """R = likelihood × severity on the 5 × 5 matrix → the four-colour grade."""
    result = lec.matrix(payload.likelihood, payload.severity, conf.matrix_bands())
    return {"score": result.score, "colour": result.colour}


class HazardItemIn(Schema):
    name: str | None = Field(None, max_length=200)
    cas: str | None = Field(None, max_length=40)
    category: str | list[str] | None = None
    quantity_t: Decimal = Field(..., allow_inf_nan=False)


class IdentifyIn(Schema):
    items: list[HazardItemIn] = Field(..., max_length=200)
    exposed_people: int = Field(0, ge=0, le=MAX_QUANTITY)


class HazardItemOut(Schema):
    index: int
    name: str
    cas: str
    table: int
    table1_seq: int | None
    category: str
    quantity_t: float
    q_crit: float
    beta: float | None
    ratio: float


class IdentifyOut(Schema):
    s: float
    is_major: bool
    alpha: float
    r: float | None
    grade: int | None
    grade_label: str
    items: list[HazardItemOut]


def _items(items: list[HazardItemIn]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.dict().items() if v is not None} for item in items]


@router.post("/hazards/identify", response=IdentifyOut)
def hazards_identify(request: ApiRequest, payload: IdentifyIn) -> dict[str, Any]:
    """GB 18218-2018: S = Σ q/Q, major when S ≥ 1, R = α Σ β q/Q and the grade (1-4)."""
    try:
        result = gb18218.identify(_items(payload.items), payload.exposed_people)
    except gb18218.HazardInputError as exc:
        raise _fail(exc.field, exc.message) from None
    return result.as_dict()


class UsccIn(Schema):
    uscc: str = Field(..., max_length=40)


class UsccOut(Schema):
    uscc: str
    valid: bool
    problem: str | None


@router.post("/enterprises/check-uscc", response=UsccOut)
def uscc_check(request: ApiRequest, payload: UsccIn) -> dict[str, Any]:
    """Check a unified social credit code (GB 32100-2015) without saving anything."""
    code = normalise(payload.uscc)
    problem = uscc_problem(code)
    return {"uscc": code, "valid": problem is None, "problem": problem}


# --- enterprises --------------------------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    code: str = Field(..., alias="org.code")
    name: str = Field(..., alias="org.name")
    street: int | None = Field(None, alias="org.parent_id")
    street_name: str | None = Field(None, alias="org.parent.name")
    address: str = Field(..., alias="org.address")
    lat: float | None = Field(None, alias="org.lat")
    lon: float | None = Field(None, alias="org.lon")
    contact: str = Field(..., alias="org.contact")
    phone: str = Field(..., alias="org.phone")
    uscc: str
    industry_section: str
    industry_division: str
    scale: str
    legal_representative: str
    safety_manager: str
    safety_phone: str
    employees: int
    hazardous_chemicals: str
    high_risk: bool
    risk_flags: list[str]
    has_emergency_org: bool
    emergency_staff: int
    has_plan: bool
    has_drills: bool
    has_materials: bool
    five_in_place: bool
    five_required: bool


class ProfileFields(Schema):
    uscc: str | None = Field(None, max_length=40)
    industry_section: IndustrySection | Literal[""] | None = None
    industry_division: str | None = Field(None, max_length=2)
    scale: Scale | None = None
    legal_representative: str | None = Field(None, max_length=60)
    safety_manager: str | None = Field(None, max_length=60)
    safety_phone: str | None = Field(None, max_length=40)
    employees: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    hazardous_chemicals: str | None = Field(None, max_length=2000)
    high_risk: bool | None = None
    risk_flags: list[RiskFlag] | None = Field(None, max_length=20)
    has_emergency_org: bool | None = None
    emergency_staff: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    has_plan: bool | None = None
    has_drills: bool | None = None
    has_materials: bool | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    address: str | None = Field(None, max_length=200)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    contact: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=40)


class EnterpriseIn(ProfileFields):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    parent: int | None = Field(None, ge=1, le=MAX_ID)


class EnterpriseFilters(Schema):
    q: str | None = Field(None, max_length=100)
    street: int | None = Field(None, ge=1, le=MAX_ID)
    scale: Scale | None = None
    high_risk: bool | None = None
    industry_section: IndustrySection | None = None


def _profile_values(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("risk_flags") is not None:
        values["risk_flags"] = [str(f) for f in values["risk_flags"]]
    return {k: v for k, v in values.items() if v is not None or k in ("lat", "lon")}


@router.get("/enterprises/export.xlsx")
def enterprises_export(request: ApiRequest) -> HttpResponse:
    """The enterprise profiles you may see as an .xlsx file (fixed Chinese headers, the import's columns)."""
    return excel.enterprises_download(request.auth)


@router.post("/enterprises/import", response=ImportOut)
def enterprises_import(request: ApiRequest, file: File[UploadedFile]) -> dict[str, int]:
    """Create or update profiles from an .xlsx file (by unit code); all rows or none, errors as 第N行 字段: 原因."""
    report = excel.enterprises_upload(by=request.auth, file=file)
    return {"created": report.created, "updated": report.updated}


# Registries with hand-written schemas: their services resolve the ids they are given, and a write answers with the
# selector's row.
_registry = partial(Registry, fields=(), payload_ids={}, refetch=True)

# The enterprise unit's own fields, written through the profile.
UNIT_FIELDS: dict[str, tuple[type[Model], str]] = {
    name: (OrgUnit, name) for name in ("name", "address", "lat", "lon", "contact", "phone")
}

ENTERPRISES = _registry(
    slug="enterprises",
    name="enterprise",
    model=EnterpriseProfile,
    title=_("Enterprises"),
    schemas=(EnterpriseIn, ProfileFields),
    borrowed=UNIT_FIELDS,
    out=EnterpriseOut,
    filters=EnterpriseFilters,
    list_rows=selectors.enterprise_list,
    get=lambda user, pk: selectors.enterprise_get(user=user, profile_id=pk),
    create=lambda *, by, **values: services.enterprise_create(by=by, **_profile_values(values)),
    update=lambda *, by, obj, **values: services.enterprise_update(by=by, profile=obj, **_profile_values(values)),
    docs={
        "list": "Enterprise profiles you may see; search with `q`, filter by `street`, `scale`, `high_risk`, section.",
        "create": "Give an enterprise its profile: the enterprise unit `code` in your scope, or a new one under "
        "`parent`.",
    },
)
registry_api(router, ENTERPRISES, pages=Pages)


# --- risk points --------------------------------------------------------------------------------------------------


class RiskPointOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    name: str
    location: str
    hazard: str
    accident_types: str
    method: str
    l: float | None = Field(None, alias="l_value")  # noqa: E741
    e: float | None = Field(None, alias="e_value")
    c: float | None = Field(None, alias="c_value")
    likelihood: int | None
    severity: int | None
    score: float
    colour: str
    colour_label: str = Field(..., alias="get_colour_display")
    control_measures: str
    control_level: str
    responsible: str
    responsible_phone: str
    emergency_measures: str
    active: bool


class RiskPointPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    location: str | None = Field(None, max_length=200)
    hazard: str | None = Field(None, min_length=1, max_length=2000)
    accident_types: str | None = Field(None, max_length=200)
    method: Method | None = None
    l: Decimal | None = Field(None, allow_inf_nan=False)  # noqa: E741
    e: Decimal | None = Field(None, allow_inf_nan=False)
    c: Decimal | None = Field(None, allow_inf_nan=False)
    likelihood: int | None = Field(None, ge=1, le=5)
    severity: int | None = Field(None, ge=1, le=5)
    control_measures: str | None = Field(None, max_length=4000)
    control_level: ControlLevel | None = None
    responsible: str | None = Field(None, min_length=1, max_length=60)
    responsible_phone: str | None = Field(None, max_length=40)
    emergency_measures: str | None = Field(None, max_length=2000)
    active: bool | None = None


class RiskPointIn(RiskPointPatch):
    org: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., min_length=1, max_length=120)
    hazard: str = Field(..., min_length=1, max_length=2000)
    method: Method
    control_level: ControlLevel
    responsible: str = Field(..., min_length=1, max_length=60)


class RiskPointFilters(Schema):
    org: int | None = Field(None, ge=1, le=MAX_ID)
    colour: Literal["red", "orange", "yellow", "blue"] | None = None
    q: str | None = Field(None, max_length=100)


def _point_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if v is not None}
    for short in ("l", "e", "c"):
        if short in values:
            values[f"{short}_value"] = values.pop(short)
    return values


RISK_POINTS = _registry(
    slug="risk-points",
    name="risk-point",
    model=RiskPoint,
    title=_("Risk points"),
    schemas=(RiskPointIn, RiskPointPatch),
    borrowed={short: (RiskPoint, f"{short}_value") for short in ("l", "e", "c")},
    out=RiskPointOut,
    filters=RiskPointFilters,
    list_rows=selectors.risk_point_list,
    get=lambda user, pk: selectors.risk_point_get(user=user, point_id=pk),
    create=lambda *, by, **values: services.risk_point_create(by=by, **_point_values(values)),
    update=lambda *, by, obj, **values: services.risk_point_update(by=by, point=obj, **_point_values(values)),
    docs={
        "create": "A risk point assessed by LEC (`l`, `e`, `c`) or the matrix (`likelihood`, `severity`); the "
        "colour follows."
    },  # fmt: skip
)
registry_api(router, RISK_POINTS, pages=Pages)


# --- hidden dangers -----------------------------------------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    stage: str
    sha256: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: DangerPhoto) -> str:
        return f"/risk/photos/{obj.pk}/"


class EventOut(Schema):
    from_status: str
    to_status: str
    by: str | None = Field(None, alias="by.username")
    note: str
    at: datetime


class DangerOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    risk_point: int | None = Field(None, alias="risk_point_id")
    inspection: int | None = Field(None, alias="inspection_id")
    title: str
    description: str
    location: str
    source: str
    grade: str
    supervised: bool
    status: str
    status_label: str = Field(..., alias="get_status_display")
    found_at: datetime
    measures: str
    responsible: str
    funds: float | None
    deadline: datetime | None
    interim_measures: str
    rectified_at: datetime | None
    verified_at: datetime | None
    returned_count: int
    closed_at: datetime | None
    overdue: bool = Field(False, alias="is_overdue")
    allowed: list[str]

    @staticmethod
    def resolve_allowed(obj: HiddenDanger) -> list[str]:
        return list(DANGER.allowed(obj.status))


class DangerDetailOut(DangerOut):
    photos: list[PhotoOut]
    events: list[EventOut]

    @staticmethod
    def resolve_photos(obj: HiddenDanger) -> list[DangerPhoto]:
        return list(obj.photos.all())

    @staticmethod
    def resolve_events(obj: HiddenDanger) -> list[DangerEvent]:
        return list(obj.events.select_related("by"))


class DangerIn(Schema):
    org: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    location: str = Field("", max_length=200)
    grade: DangerGrade = DangerGrade.GENERAL
    source: DangerSource | None = None
    risk_point: int | None = Field(None, ge=1, le=MAX_ID)


class DangerFilters(Schema):
    status: DangerStatus | None = None
    grade: DangerGrade | None = None
    overdue: bool | None = None
    open: bool | None = None
    org: int | None = Field(None, ge=1, le=MAX_ID)
    q: str | None = Field(None, max_length=100)


class TransitionIn(Schema):
    to: str = Field(..., max_length=20)
    note: str = Field("", max_length=2000)
    measures: str | None = Field(None, max_length=4000)
    responsible: str | None = Field(None, max_length=60)
    funds: Decimal | None = Field(None, ge=0, le=10**12, allow_inf_nan=False)
    deadline: datetime | None = None
    interim_measures: str | None = Field(None, max_length=2000)


@router.get("/hidden-dangers", response=list[DangerOut])
@paginate(Pages)
def dangers_list(request: ApiRequest, filters: Query[DangerFilters]) -> QuerySet[HiddenDanger]:
    """Hidden dangers you may see, newest first; filter by `status`, `grade`, `overdue`, `open`, `org`, `q`."""
    return selectors.danger_list(user=request.auth, **filters.dict())


@router.get("/hidden-dangers/{int:danger_id}", response=DangerDetailOut)
def dangers_get(request: ApiRequest, danger_id: int) -> HiddenDanger:
    return selectors.danger_get(user=request.auth, danger_id=danger_id)


@router.post("/hidden-dangers", response={201: DangerDetailOut})
def dangers_create(request: ApiRequest, payload: DangerIn) -> Status:
    danger = services.danger_create(by=request.auth, **payload.dict())
    return Status(201, selectors.danger_get(user=request.auth, danger_id=danger.pk))


@router.post("/hidden-dangers/{int:danger_id}/transitions", response=DangerDetailOut)
def dangers_transition(request: ApiRequest, danger_id: int, payload: TransitionIn) -> HiddenDanger:
    """Move along the closed loop (`to`: rectifying, rectified, accepted, closed); 409 names the allowed moves."""
    danger = selectors.danger_get(user=request.auth, danger_id=danger_id)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    services.danger_transition(by=request.auth, danger=danger, **values)
    return selectors.danger_get(user=request.auth, danger_id=danger_id)


@router.post("/hidden-dangers/{int:danger_id}/photos", response={201: PhotoOut})
def dangers_photo(request: ApiRequest, danger_id: int, file: File[UploadedFile], stage: Form[PhotoStage]) -> Status:
    """Upload a photo (JPEG, PNG or WebP, ≤ 10 MB) as found or after rectification; stored with its SHA-256."""
    danger = selectors.danger_get(user=request.auth, danger_id=danger_id)
    if file.size is not None and file.size > services.MAX_PHOTO_BYTES:
        raise _fail("file", "A photo may be at most 10 MB.")
    photo = services.danger_photo_add(by=request.auth, danger=danger, stage=stage, data=file.read(),
                                      filename=file.name or "")  # fmt: skip
    return Status(201, photo)


# --- hazard units -------------------------------------------------------------------------------------------------


class HazardUnitOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    name: str
    kind: str
    items: list[dict[str, Any]]
    exposed_people: int
    s: float = Field(..., alias="s_value")
    is_major: bool
    r: float | None = Field(None, alias="r_value")
    grade: int | None
    devices: list[int]
    active: bool

    @staticmethod
    def resolve_devices(obj: HazardUnit) -> list[int]:
        return [d.pk for d in obj.devices.all()]


class HazardUnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: UnitKind | None = None
    items: list[HazardItemIn] | None = Field(None, max_length=200)
    exposed_people: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    devices: list[int] | None = Field(None, max_length=200)
    active: bool | None = None


class HazardUnitIn(HazardUnitPatch):
    org: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., min_length=1, max_length=120)
    kind: UnitKind
    items: list[HazardItemIn] = Field(..., max_length=200)


class HazardUnitFilters(Schema):
    org: int | None = Field(None, ge=1, le=MAX_ID)
    is_major: bool | None = None


def _unit_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if v is not None}
    if "items" in values:
        values["items"] = [
            {k: (str(v) if isinstance(v, Decimal) else v) for k, v in item.items()}
            for item in _items([HazardItemIn(**i) for i in values["items"]])
        ]
    return values


HAZARD_UNITS = _registry(
    slug="hazard-units",
    name="hazard-unit",
    model=HazardUnit,
    title=_("Hazard units (GB 18218-2018)"),
    schemas=(HazardUnitIn, HazardUnitPatch),
    out=HazardUnitOut,
    filters=HazardUnitFilters,
    list_rows=selectors.hazard_unit_list,
    get=lambda user, pk: selectors.hazard_unit_get(user=user, unit_id=pk),
    create=lambda *, by, **values: services.hazard_unit_create(by=by, **_unit_values(values)),
    update=lambda *, by, obj, **values: services.hazard_unit_update(by=by, unit=obj, **_unit_values(values)),
)
registry_api(router, HAZARD_UNITS, pages=Pages)


# --- inspections, draws, documents, commitments -------------------------------------------------------------------


class PlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=200)
    planned: int = Field(0, ge=0, le=MAX_QUANTITY)


class PlanOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    year: int
    title: str
    planned: int


class DrawIn(Schema):
    seed: str = Field(..., min_length=1, max_length=100)
    count: int = Field(..., ge=1, le=10000)
    inspectors_per: int = Field(2, ge=1, le=10)
    planned_for: date | None = None


class DrawOut(Schema):
    id: int
    plan: int = Field(..., alias="plan_id")
    seed: str
    enterprise_pool: list[int]
    inspector_pool: list[int]
    count: int
    inspectors_per: int
    result: list[dict[str, Any]]
    drawn_at: datetime


@router.post("/inspection-plans", response={201: PlanOut})
def plans_create(request: ApiRequest, payload: PlanIn) -> Status:
    return Status(201, services.plan_create(by=request.auth, **payload.dict()))


@router.get("/inspection-plans", response=list[PlanOut])
@paginate(Pages)
def plans_list(request: ApiRequest) -> QuerySet[InspectionPlan]:
    return selectors.plan_list(user=request.auth)


@router.post("/inspection-plans/{int:plan_id}/draws", response={201: DrawOut})
def plans_draw(request: ApiRequest, plan_id: int, payload: DrawIn) -> Status:
    """A double-random draw for the plan: the seed and pools are recorded so anyone can reproduce it."""
    plan = selectors.plan_get(user=request.auth, plan_id=plan_id)
    return Status(201, services.draw_make(by=request.auth, plan=plan, **payload.dict()))


@router.get("/draws/{int:draw_id}", response=DrawOut)
def draws_get(request: ApiRequest, draw_id: int) -> Draw:
    return selectors.draw_get(user=request.auth, draw_id=draw_id)


class InspectionOut(Schema):
    id: int
    self_inspection: bool
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    plan: int | None = Field(None, alias="plan_id")
    draw: int | None = Field(None, alias="draw_id")
    inspectors: list[int]
    status: str
    planned_for: date | None
    done_at: datetime | None
    checklist: list[dict[str, Any]]
    summary: str
    reinspect_by: date | None

    @staticmethod
    def resolve_inspectors(obj: Inspection) -> list[int]:
        return [u.pk for u in obj.inspectors.all()]


class FindingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    location: str = Field("", max_length=200)
    grade: DangerGrade = DangerGrade.GENERAL


class RecordIn(Schema):
    checklist: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    summary: str = Field("", max_length=4000)
    findings: list[FindingIn] = Field(default_factory=list, max_length=100)
    reinspect_by: date | None = None


class InspectionIn(Schema):
    org: int = Field(..., ge=1, le=MAX_ID)
    planned_for: date | None = None


@router.get("/inspections", response=list[InspectionOut])
@paginate(Pages)
def inspections_list(request: ApiRequest, org: int | None = Query(None, ge=1, le=MAX_ID)) -> QuerySet[Inspection]:
    return selectors.inspection_list(user=request.auth, org=org)


@router.post("/inspections", response={201: InspectionOut})
def inspections_create(request: ApiRequest, payload: InspectionIn) -> Status:
    inspection = services.inspection_create(by=request.auth, **payload.dict())
    return Status(201, selectors.inspection_get(user=request.auth, inspection_id=inspection.pk))


@router.post("/inspections/{int:inspection_id}/record", response=InspectionOut)
def inspections_record(request: ApiRequest, inspection_id: int, payload: RecordIn) -> Inspection:
    """Record the result; each finding becomes a hidden danger of the enterprise."""
    inspection = selectors.inspection_get(user=request.auth, inspection_id=inspection_id)
    values = payload.dict()
    services.inspection_record(by=request.auth, inspection=inspection, **values)
    return selectors.inspection_get(user=request.auth, inspection_id=inspection_id)


class ChecklistOut(Schema):
    industry: str
    items: list[str]


@router.get("/risk/checklists", response=ChecklistOut)
def checklists_get(request: ApiRequest, industry: str = Query("", max_length=30)) -> dict[str, Any]:
    """The inspection checklist of an industry (the common items, then the industry's own)."""
    return {"industry": industry, "items": checklist_for(industry)}


class ChecklistRowIn(Schema):
    item: str = Field(..., min_length=1, max_length=200)
    ok: bool
    note: str = Field("", max_length=500)


class SelfInspectionIn(Schema):
    org: int = Field(..., ge=1, le=MAX_ID)
    checklist: list[ChecklistRowIn] = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=4000)


@router.post("/self-inspections", response={201: InspectionOut})
def self_inspections_record(request: ApiRequest, payload: SelfInspectionIn) -> Status:
    """An enterprise's self-inspection; each item not passed becomes a hidden danger (found by self-inspection)."""
    values = payload.dict()
    inspection = services.self_inspection_record(by=request.auth, **values)
    return Status(201, selectors.inspection_get(user=request.auth, inspection_id=inspection.pk))


class DocumentIn(Schema):
    org: int = Field(..., ge=1, le=MAX_ID)
    kind: DocumentKind
    body: str = Field(..., min_length=1, max_length=8000)
    deadline: date | None = None
    inspection: int | None = Field(None, ge=1, le=MAX_ID)


class DocumentOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    kind: str
    number: str
    body: str
    deadline: date | None
    issuer: str
    issued_at: datetime


@router.post("/enforcement-documents", response={201: DocumentOut})
def documents_issue(request: ApiRequest, payload: DocumentIn) -> Status:
    values = payload.dict()
    if values["inspection"] is not None:
        values["inspection"] = selectors.inspection_get(user=request.auth, inspection_id=values["inspection"])
    return Status(201, services.document_issue(by=request.auth, **values))


@router.get("/enforcement-documents", response=list[DocumentOut])
@paginate(Pages)
def documents_list(request: ApiRequest) -> QuerySet[EnforcementDocument]:
    return selectors.document_list(user=request.auth)


class CommitmentIn(Schema):
    org: int = Field(..., ge=1, le=MAX_ID)
    items: dict[str, bool]
    exceptions: str = Field("", max_length=2000)


class CommitmentOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    day: date
    items: dict[str, bool]
    exceptions: str
    committed_at: datetime


@router.post("/commitments", response={201: CommitmentOut})
def commitments_make(request: ApiRequest, payload: CommitmentIn) -> Status:
    """Today's safety commitment of a high-risk enterprise."""
    return Status(201, services.commitment_make(by=request.auth, **payload.dict()))


@router.get("/commitments", response=list[CommitmentOut])
@paginate(Pages)
def commitments_list(request: ApiRequest, day: date | None = None) -> QuerySet[Commitment]:
    return selectors.commitment_list(user=request.auth, day=day)


@router.get("/risk/indicators")
def risk_indicators(request: ApiRequest, by: Literal["street", "industry"] = "street") -> dict[str, Any]:
    """The prevention indicators per street (or industry section) and in total, live."""
    return selectors.indicators(user=request.auth, by=by)
