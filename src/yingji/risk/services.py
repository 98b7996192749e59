"""Commands of dual prevention: enterprise profiles, risk points, the hidden-danger closed loop and its photos,
hazard units, inspections and double-random draws, enforcement documents, daily commitments. One transaction
each, audited."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import org_in_scope, resolve_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import apply_changes, clean_or_fail, require_perm
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.notify import notify
from yingji.core.photos import PhotoStore
from yingji.core.roles import GROUP_NAMES, Role, user_has_role
from yingji.core.services import org_create, org_update
from yingji.risk import conf, gb18218, lec
from yingji.risk.draw import double_random
from yingji.risk.lifecycle import DANGER, roles_for
from yingji.risk.models import (
    DOCUMENT_PREFIX,
    Commitment,
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
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Method,
    MissedCommitment,
    PhotoStage,
    RiskFlag,
    RiskPoint,
)
from yingji.risk.uscc import normalise, uscc_problem

PROFILE_FIELDS = (
    "uscc",
    "industry_section",
    "industry_division",
    "scale",
    "legal_representative",
    "safety_manager",
    "safety_phone",
    "employees",
    "hazardous_chemicals",
    "high_risk",
    "risk_flags",
    "has_emergency_org",
    "emergency_staff",
    "has_plan",
    "has_drills",
    "has_materials",
)
AUTHORITY_FIELDS = ("high_risk", "risk_flags")
UNIT_FIELDS = ("name", "address", "lat", "lon", "contact", "phone", "industry")
ISSUER = "黄石港区应急管理局"
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Photos of hidden dangers: under uploads/risk/, content-addressed (core.photos); errors name the upload's field.
PHOTOS = PhotoStore("risk", max_bytes=MAX_PHOTO_BYTES, field="file")


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", {field: [message]})


def _enterprise(by: User | None, org: Any, field: str = "org") -> OrgUnit:
    unit = org_in_scope(by, org, field=field, required=True)
    assert unit is not None  # required: a missing unit was refused
    if unit.kind != OrgKind.ENTERPRISE:
        raise _fail(field, _("Choose an enterprise."))
    return unit


# --- enterprise profiles ------------------------------------------------------------------------------------------


TEXT_PROFILE_FIELDS = ("uscc", "industry_section", "industry_division", "legal_representative", "safety_manager",
                       "safety_phone", "hazardous_chemicals")  # fmt: skip


def _profile_values(values: dict[str, Any]) -> dict[str, Any]:
    # An empty cell or an omitted value: text becomes "", anything else keeps its default.
    values = {k: ("" if v is None and k in TEXT_PROFILE_FIELDS else v) for k, v in values.items()}
    values = {k: v for k, v in values.items() if v is not None}
    if "uscc" in values:
        values["uscc"] = normalise(values["uscc"] or "")
        problem = uscc_problem(values["uscc"]) if values["uscc"] else None
        if problem:
            raise _fail("uscc", problem)
    if "risk_flags" in values:
        flags = list(dict.fromkeys(values["risk_flags"] or []))
        unknown = [f for f in flags if f not in RiskFlag.values]
        if unknown:
            raise _fail("risk_flags", _("Unknown feature: %(f)s") % {"f": ", ".join(map(str, unknown))})
        values["risk_flags"] = flags
    return values


def _uscc_free(code: str, org: OrgUnit) -> None:
    if code and EnterpriseProfile.objects.filter(uscc=code).exclude(org=org).exists():
        raise _fail("uscc", _("Another enterprise has this credit code."))


@transaction.atomic
def enterprise_create(
    *,
    by: User | None,
    code: str,
    name: str,
    parent: OrgUnit | int | None = None,
    address: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    contact: str | None = None,
    phone: str | None = None,
    industry: str | None = None,
    **profile: Any,
) -> EnterpriseProfile:
    """Give an enterprise its profile: the enterprise unit with `code` in the actor's scope gets one, or a new
    enterprise unit is created under `parent` (a street or community)."""
    require_perm(by, "risk.add_enterpriseprofile")
    unknown = sorted(set(profile) - set(PROFILE_FIELDS))
    if unknown:
        raise _fail(unknown[0], _("Unknown field."))
    values = _profile_values(profile)
    existing = OrgUnit.objects.filter(code=code).first()
    given = {"address": address, "lat": lat, "lon": lon, "contact": contact, "phone": phone, "industry": industry}
    # What is not given is left as the unit has it (a profile for an existing unit keeps its location).
    unit_values = {"name": name, **{k: v for k, v in given.items() if v is not None}}
    if existing is not None:
        org = _enterprise(by, existing, field="code")
        if EnterpriseProfile.objects.filter(org=org).exists():
            raise _fail("code", _("This enterprise already has a profile."))
        org = org_update(by=by, org=org, **unit_values)
    else:
        parent_unit = org_in_scope(by, parent, field="parent", required=True)
        assert parent_unit is not None  # required: a missing parent was refused
        if parent_unit.kind not in (OrgKind.STREET, OrgKind.COMMUNITY):
            raise _fail("parent", _("An enterprise sits under a street or a community."))
        org = org_create(by=by, code=code, kind=OrgKind.ENTERPRISE, parent=parent_unit, **unit_values)
    profile_row = EnterpriseProfile(org=org, **values)
    _uscc_free(profile_row.uscc, org)
    clean_or_fail(profile_row)
    profile_row.save()
    audit_append(actor=by, action="risk.enterpriseprofile.create", obj=profile_row, summary=f"企业档案 {org.name}",
                 payload={"org": org.pk, "uscc": profile_row.uscc})  # fmt: skip
    return profile_row


@transaction.atomic
def enterprise_update(*, by: User | None, profile: EnterpriseProfile, **changes: Any) -> EnterpriseProfile:
    """Change a profile and the unit's name, address, location and contacts; the enterprise's own manager may."""
    require_perm(by, "risk.change_enterpriseprofile")
    profile = EnterpriseProfile.objects.select_for_update().select_related("org").get(pk=profile.pk)
    unit_changes = {k: v for k, v in changes.items() if k in UNIT_FIELDS}
    rest = {k: v for k, v in changes.items() if k not in UNIT_FIELDS}
    if unit_changes:
        org_update(by=by, org=profile.org, **unit_changes)
    rest = _profile_values(rest)
    _uscc_free(rest.get("uscc", ""), profile.org)
    if by is not None and by.org_id == profile.org_id:
        # The bureau decides who is high-risk (and so must commit daily): not the enterprise itself.
        for name in AUTHORITY_FIELDS:
            if name in rest and rest[name] != getattr(profile, name):
                message = _("Only the authorities change this.")
                raise NotAllowed(message, {name: [message]})
    apply_changes(by=by, instance=profile, changes=rest, fields=PROFILE_FIELDS,
                  action="risk.enterpriseprofile.update")  # fmt: skip
    return profile


# --- risk points --------------------------------------------------------------------------------------------------

RISK_POINT_FIELDS = (
    "name",
    "location",
    "hazard",
    "accident_types",
    "control_measures",
    "control_level",
    "responsible",
    "responsible_phone",
    "emergency_measures",
    "active",
)
ASSESSMENT_FIELDS = ("method", "l_value", "e_value", "c_value", "likelihood", "severity")


def _assess(point: RiskPoint) -> None:
    """Score and colour a risk point from its assessment (LEC or the matrix)."""
    try:
        if point.method == Method.LEC:
            if point.l_value is None or point.e_value is None or point.c_value is None:
                raise ValueError("l_value", _("Give L, E and C."))
            result = lec.lec(point.l_value, point.e_value, point.c_value, conf.lec_bands())
            point.score, point.colour = result.d, result.colour
            point.likelihood = point.severity = None
        elif point.method == Method.MATRIX:
            if point.likelihood is None or point.severity is None:
                raise ValueError("likelihood", _("Give likelihood and severity."))
            outcome = lec.matrix(point.likelihood, point.severity, conf.matrix_bands())
            point.score, point.colour = Decimal(outcome.score), outcome.colour
            point.l_value = point.e_value = point.c_value = None
        else:
            raise ValueError("method", _("Choose LEC or the matrix."))
    except ValueError as exc:
        field = {"l": "l_value", "e": "e_value", "c": "c_value"}.get(exc.args[0], exc.args[0])
        raise _fail(field, str(exc.args[1])) from None


@transaction.atomic
def risk_point_create(*, by: User | None, org: OrgUnit | int, **values: Any) -> RiskPoint:
    require_perm(by, "risk.add_riskpoint")
    unit = _enterprise(by, org)
    unknown = sorted(set(values) - set(RISK_POINT_FIELDS) - set(ASSESSMENT_FIELDS))
    if unknown:
        raise _fail(unknown[0], _("Unknown field."))
    point = RiskPoint(org=unit, **values)
    _assess(point)
    clean_or_fail(point)
    point.save()
    audit_append(actor=by, action="risk.riskpoint.create", obj=point, summary=f"风险点 {unit.name} {point.name}",
                 payload={"colour": point.colour, "score": str(point.score)})  # fmt: skip
    return point


@transaction.atomic
def risk_point_update(*, by: User | None, point: RiskPoint, **changes: Any) -> RiskPoint:
    require_perm(by, "risk.change_riskpoint")
    point = RiskPoint.objects.select_for_update().get(pk=point.pk)
    assessment = {k: v for k, v in changes.items() if k in ASSESSMENT_FIELDS}
    for name, value in assessment.items():
        setattr(point, name, value)
    if assessment:
        _assess(point)
    rest = {k: v for k, v in changes.items() if k not in ASSESSMENT_FIELDS}
    if assessment:
        rest.update(score=point.score, colour=point.colour)
        clean_or_fail(point)
        point.save()
        audit_append(actor=by, action="risk.riskpoint.assess", obj=point, summary=f"风险点评估 {point.name}",
                     payload={"colour": point.colour, "score": str(point.score)})  # fmt: skip
        rest.pop("score"), rest.pop("colour")
    apply_changes(by=by, instance=point, changes=rest, fields=RISK_POINT_FIELDS, action="risk.riskpoint.update")
    return point


# --- hidden dangers -----------------------------------------------------------------------------------------------


def _event(danger: HiddenDanger, *, by: User | None, before: str, note: str = "") -> None:
    DangerEvent.objects.create(
        danger=danger, from_status=before, to_status=danger.status, by=by, note=note, at=timezone.now()
    )


@transaction.atomic
def danger_create(
    *,
    by: User | None,
    org: OrgUnit | int,
    title: str,
    description: str = "",
    location: str = "",
    grade: str = DangerGrade.GENERAL,
    source: str | None = None,
    risk_point: RiskPoint | int | None = None,
    inspection: Inspection | None = None,
    found_at: datetime | None = None,
) -> HiddenDanger:
    """Register a hidden danger found by the enterprise itself, an inspector, or reported by the public."""
    require_perm(by, "risk.add_hiddendanger")
    unit = _enterprise(by, org)
    point = resolve_in_scope(RiskPoint.objects.filter(org=unit), by, risk_point, field="risk_point")
    if source is None:
        enterprise_side = by is not None and by.org_id == unit.pk
        source = DangerSource.SELF if enterprise_side else DangerSource.INSPECTOR
    danger = HiddenDanger(
        org=unit,
        risk_point=point,
        inspection=inspection,
        title=title,
        description=description,
        location=location,
        grade=grade,
        source=source,
        found_at=found_at or timezone.now(),
        reported_by=by,
    )
    clean_or_fail(danger)
    danger.save()
    _event(danger, by=by, before="")
    audit_append(actor=by, action="risk.hiddendanger.create", obj=danger, summary=f"隐患 {unit.name} {title}",
                 payload={"grade": grade, "source": source})  # fmt: skip
    if danger.grade == DangerGrade.MAJOR:
        _tell_bureau_of_major(danger)
    return danger


def _tell_bureau_of_major(danger: HiddenDanger) -> None:
    notify(
        recipients=_users_with_role(Role.INSPECTOR, None),
        title=_("Major hidden danger under supervision: %(t)s") % {"t": danger.title},
        body=danger.org.name,
        link=f"/risk/dangers/{danger.pk}/",
        category="risk",
    )


ASSIGN_FIELDS = ("measures", "responsible", "funds", "deadline", "interim_measures")


@transaction.atomic
def danger_transition(
    *,
    by: User | None,
    danger: HiddenDanger,
    to: str,
    note: str = "",
    measures: str | None = None,
    responsible: str | None = None,
    funds: Decimal | None = None,
    deadline: datetime | None = None,
    interim_measures: str | None = None,
) -> HiddenDanger:
    """Move a hidden danger along its closed loop; an invalid move is a 409 naming the allowed ones."""
    require_perm(by, "risk.change_hiddendanger")
    danger = HiddenDanger.objects.select_for_update().select_related("org").get(pk=danger.pk)
    before = danger.status
    DANGER.check(before, to)
    roles = roles_for(before, to, major=danger.grade == DangerGrade.MAJOR)
    if by is not None and not user_has_role(by, *roles):
        message = _("Your role may not take this step.")
        if to == DangerStatus.CLOSED and danger.grade == DangerGrade.MAJOR:
            message = _("A major hidden danger is under the bureau's supervision; only the bureau may close it.")
        raise NotAllowed(message, {"to": [message]})
    now = timezone.now()
    if to == DangerStatus.RECTIFYING and before == DangerStatus.REPORTED:
        given = {"measures": measures, "responsible": responsible, "funds": funds, "deadline": deadline,
                 "interim_measures": interim_measures}  # fmt: skip
        missing = {k: [_("Required: the five in place.")] for k, v in given.items() if v in (None, "")}
        if missing:
            raise ValidationFailed(_("Give measures, responsible person, funds, deadline and interim measures."),
                                   missing)  # fmt: skip
        assert deadline is not None  # a missing deadline is among `missing`
        if deadline <= now:
            raise _fail("deadline", _("The deadline must lie in the future."))
        for name, value in given.items():
            setattr(danger, name, value)
    elif to == DangerStatus.RECTIFYING:  # returned by the verifier
        if not note.strip():
            raise _fail("note", _("Say why the rectification is returned."))
        danger.returned_count += 1
        danger.rectified_at = None
        if deadline is not None:
            if deadline <= now:
                raise _fail("deadline", _("The deadline must lie in the future."))
            danger.deadline = deadline
            danger.overdue_notified_at = None
    elif to == DangerStatus.RECTIFIED:
        if not danger.photos.filter(stage=PhotoStage.RECTIFIED).exists():
            raise _fail("photos", _("Upload at least one photo of the rectified state first."))
        danger.rectified_at, danger.rectification_note = now, note
    elif to == DangerStatus.ACCEPTED:
        danger.verified_by, danger.verified_at = by, now
    elif to == DangerStatus.CLOSED:
        danger.closed_at = now
    danger.status = to
    clean_or_fail(danger)
    danger.save()
    _event(danger, by=by, before=before, note=note)
    audit_append(actor=by, action=f"risk.hiddendanger.{to}", obj=danger, summary=f"隐患 {danger.title}: {to}",
                 payload={"from": before, "to": to, "note": note})  # fmt: skip
    return danger


@transaction.atomic
def danger_photo_add(
    *, by: User | None, danger: HiddenDanger, stage: str, data: bytes, filename: str = ""
) -> DangerPhoto:
    """Store a JPEG, PNG or WebP photo (at most 10 MB; the type is read from the bytes, not the name)."""
    require_perm(by, "risk.change_hiddendanger")
    danger = HiddenDanger.objects.select_for_update().get(pk=danger.pk)
    if stage not in PhotoStage.values:
        raise _fail("stage", _("Unknown stage."))
    if danger.status == DangerStatus.CLOSED:
        raise Conflict(_("A closed hidden danger takes no more photos."), {"file": [_("Closed.")]})
    if stage == PhotoStage.RECTIFIED and danger.status != DangerStatus.RECTIFYING:
        message = _("Photos of the rectified state are added while the rectification is under way.")
        raise Conflict(message, {"stage": [message]})
    stored = PHOTOS.keep(data)
    photo = DangerPhoto.objects.create(
        danger=danger,
        stage=stage,
        path=stored.path,
        sha256=stored.sha256,
        content_type=stored.content_type,
        size=stored.size,
        original_name=(filename or "")[:200],
        uploaded_by=by,
    )
    audit_append(actor=by, action="risk.hiddendanger.photo", obj=danger, summary=f"隐患照片 {danger.title}",
                 payload={"sha256": stored.sha256, "stage": stage, "size": stored.size})  # fmt: skip
    return photo


def _users_with_role(role: str, org: OrgUnit | None) -> QuerySet[User]:
    users = User.objects.filter(is_active=True, groups__name=GROUP_NAMES[role])
    return users.filter(org=org) if org is not None else users


def dangers_notify_overdue(*, now: datetime | None = None) -> int:
    """Tell the enterprise and the inspector who found it about each newly overdue hidden danger (once)."""
    now = now or timezone.now()
    due = HiddenDanger.objects.filter(
        status=DangerStatus.RECTIFYING, deadline__lt=now, overdue_notified_at__isnull=True
    ).select_related("org", "reported_by")
    told = 0
    for danger in due[:500]:
        with transaction.atomic():
            recipients = list(User.objects.filter(is_active=True, org=danger.org))
            if danger.reported_by is not None:
                recipients.append(danger.reported_by)
            notify(
                recipients=recipients,
                title=_("Hidden danger overdue: %(t)s") % {"t": danger.title},
                body=_("%(org)s: rectification was due %(due)s.")
                % {"org": danger.org.name, "due": timezone.localtime(danger.deadline).strftime("%Y-%m-%d %H:%M")},
                link=f"/risk/dangers/{danger.pk}/",
                category="risk",
            )
            HiddenDanger.objects.filter(pk=danger.pk).update(overdue_notified_at=now)
            audit_append(actor=None, action="risk.hiddendanger.overdue", obj=danger, summary=f"隐患逾期 {danger.title}")
            told += 1
    return told


# --- major hazard units (GB 18218-2018) ---------------------------------------------------------------------------


def _identify(unit: HazardUnit) -> None:
    try:
        result = gb18218.identify(unit.items, unit.exposed_people)
    except gb18218.HazardInputError as exc:
        raise _fail(exc.field, exc.message) from None
    unit.s_value = Decimal(str(round(float(result.s), 6)))
    unit.is_major = result.is_major
    unit.r_value = Decimal(str(round(float(result.r), 6))) if result.r is not None else None
    unit.grade = result.grade


def _devices(by: User | None, ids: list[int]) -> list[Any]:
    # monitoring's Device, reached through the relation: monitoring sits beside risk, not below it.
    device_model: Any = HazardUnit.devices.field.related_model
    return [resolve_in_scope(device_model, by, pk, field="devices", required=True) for pk in ids]


@transaction.atomic
def hazard_unit_create(
    *,
    by: User | None,
    org: OrgUnit | int,
    name: str,
    kind: str,
    items: list[dict[str, Any]],
    exposed_people: int = 0,
    devices: list[int] | None = None,
    active: bool = True,
) -> HazardUnit:
    require_perm(by, "risk.add_hazardunit")
    unit = HazardUnit(
        org=_enterprise(by, org), name=name, kind=kind, items=items, exposed_people=exposed_people, active=active
    )
    _identify(unit)
    clean_or_fail(unit)
    unit.save()
    unit.devices.set(_devices(by, devices or []))
    audit_append(actor=by, action="risk.hazardunit.create", obj=unit, summary=f"危险源单元 {unit.name}",
                 payload={"s": str(unit.s_value), "grade": unit.grade})  # fmt: skip
    return unit


@transaction.atomic
def hazard_unit_update(*, by: User | None, unit: HazardUnit, **changes: Any) -> HazardUnit:
    require_perm(by, "risk.change_hazardunit")
    unit = HazardUnit.objects.select_for_update().get(pk=unit.pk)
    device_ids = changes.pop("devices", None)
    unknown = sorted(set(changes) - {"name", "kind", "items", "exposed_people", "active"})
    if unknown:
        raise _fail(unknown[0], _("Unknown field."))
    for name, value in changes.items():
        setattr(unit, name, value)
    _identify(unit)
    clean_or_fail(unit)
    unit.save()
    if device_ids is not None:
        unit.devices.set(_devices(by, device_ids))
    audit_append(actor=by, action="risk.hazardunit.update", obj=unit, summary=f"危险源单元 {unit.name}",
                 payload={"s": str(unit.s_value), "grade": unit.grade, "changed": sorted(changes)})  # fmt: skip
    return unit


# --- inspections, draws, documents --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, by: User | None, year: int, title: str, planned: int = 0, org: OrgUnit | None = None
) -> InspectionPlan:
    require_perm(by, "risk.add_inspectionplan")
    owner = org_in_scope(by, org, field="org") if org is not None else (by.org if by is not None else None)
    if owner is None:
        raise _fail("org", _("Give the planning unit."))
    plan = InspectionPlan(org=owner, year=year, title=title, planned=planned, created_by=by)
    clean_or_fail(plan)
    plan.save()
    audit_append(actor=by, action="risk.inspectionplan.create", obj=plan, summary=f"检查计划 {title}")
    return plan


@transaction.atomic
def draw_make(
    *, by: User | None, plan: InspectionPlan, seed: str, count: int, inspectors_per: int = 2,
    planned_for: date | None = None,
) -> Draw:  # fmt: skip
    """Draw enterprises (the profiled ones under the plan's unit) and inspectors (the inspectors and street
    officers of the plan's unit), record seed, pools and result, and plan one inspection per enterprise."""
    require_perm(by, "risk.add_draw")
    seed = (seed or "").strip()
    if not seed or len(seed) > 100:
        raise _fail("seed", _("Give a seed of 1 to 100 characters."))
    enterprise_pool = list(
        EnterpriseProfile.objects.filter(org__path__startswith=_root_path(plan.org), org__active=True).values_list(
            "org_id", flat=True
        )
    )
    inspectors = User.objects.filter(
        is_active=True,
        org__path__startswith=_root_path(plan.org),
        groups__name__in=[GROUP_NAMES[Role.INSPECTOR], GROUP_NAMES[Role.STREET_OFFICER]],
    )
    if plan.org.kind not in (OrgKind.STREET,):
        inspectors = inspectors.filter(groups__name=GROUP_NAMES[Role.INSPECTOR])
    inspector_pool = sorted(set(inspectors.values_list("pk", flat=True)))
    try:
        assignments = double_random(
            seed=seed, enterprises=enterprise_pool, inspectors=inspector_pool, count=count,
            inspectors_per=inspectors_per,
        )  # fmt: skip
    except ValueError as exc:
        raise _fail(exc.args[0], exc.args[1] if len(exc.args) > 1 else str(exc)) from None
    draw = Draw.objects.create(
        plan=plan,
        seed=seed,
        enterprise_pool=sorted(set(enterprise_pool)),
        inspector_pool=inspector_pool,
        count=count,
        inspectors_per=inspectors_per,
        result=[{"enterprise": a.enterprise, "inspectors": list(a.inspectors)} for a in assignments],
        drawn_by=by,
        drawn_at=timezone.now(),
    )
    for assignment in assignments:
        inspection = Inspection.objects.create(
            org_id=assignment.enterprise, plan=plan, draw=draw, planned_for=planned_for
        )
        inspection.inspectors.set(assignment.inspectors)
    audit_append(actor=by, action="risk.draw.make", obj=draw, summary=f"双随机抽取 {plan.title}",
                 payload={"seed": seed, "result": draw.result})  # fmt: skip
    return draw


def _root_path(org: OrgUnit) -> str:
    # District staff sit in the bureau: the inspectors of a district plan are found from the district root.
    if org.kind == OrgKind.STREET:
        return org.path
    return "/" + org.path.strip("/").split("/")[0] + "/"


@transaction.atomic
def inspection_create(
    *, by: User | None, org: OrgUnit | int, planned_for: date | None = None, plan: InspectionPlan | None = None
) -> Inspection:
    """An ad-hoc inspection (not drawn), with the actor as its inspector."""
    require_perm(by, "risk.add_inspection")
    inspection = Inspection.objects.create(org=_enterprise(by, org), plan=plan, planned_for=planned_for)
    if by is not None:
        inspection.inspectors.add(by)
    audit_append(actor=by, action="risk.inspection.create", obj=inspection, summary=f"检查 {inspection.org.name}")
    return inspection


@transaction.atomic
def inspection_record(
    *,
    by: User | None,
    inspection: Inspection,
    checklist: list[dict[str, Any]],
    summary: str = "",
    findings: list[dict[str, Any]] | None = None,
    reinspect_by: date | None = None,
) -> Inspection:
    """Record an inspection's result; each finding becomes a hidden danger of the enterprise."""
    require_perm(by, "risk.change_inspection")
    inspection = Inspection.objects.select_for_update().select_related("org").get(pk=inspection.pk)
    checklist = _checklist(checklist)
    if inspection.status == InspectionStatus.DONE:
        raise Conflict(_("This inspection is already recorded."), {"status": [_("Already recorded.")]})
    inspection.checklist, inspection.summary, inspection.reinspect_by = checklist, summary, reinspect_by
    inspection.status, inspection.done_at = InspectionStatus.DONE, timezone.now()
    clean_or_fail(inspection)
    inspection.save()
    source = DangerSource.SELF if inspection.self_inspection else DangerSource.INSPECTOR
    for finding in findings or []:
        danger_create(by=by, org=inspection.org, inspection=inspection, source=source, **finding)
    audit_append(actor=by, action="risk.inspection.record", obj=inspection, summary=f"检查记录 {inspection.org.name}",
                 payload={"findings": len(findings or [])})  # fmt: skip
    return inspection


def _checklist(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for index, row in enumerate(rows or []):
        item = str(row.get("item", "")).strip() if isinstance(row, dict) else ""
        if not item or len(item) > 200:
            raise _fail(f"checklist.{index}.item", _("Give the item checked (at most 200 characters)."))
        cleaned.append({"item": item, "ok": bool(row.get("ok")), "note": str(row.get("note", ""))[:500]})
    return cleaned


@transaction.atomic
def self_inspection_record(
    *, by: User | None, org: OrgUnit | int, checklist: list[dict[str, Any]], summary: str = ""
) -> Inspection:
    """An enterprise's self-inspection with its industry checklist; each item not passed becomes a hidden danger."""
    require_perm(by, "risk.add_hiddendanger")
    unit = _enterprise(by, org)
    rows = _checklist(checklist)
    inspection = Inspection.objects.create(org=unit, self_inspection=True, planned_for=timezone.localdate())
    if by is not None:
        inspection.inspectors.add(by)
    inspection.checklist, inspection.summary = rows, summary
    inspection.status, inspection.done_at = InspectionStatus.DONE, timezone.now()
    inspection.save()
    for row in rows:
        if not row["ok"]:
            danger_create(by=by, org=unit, inspection=inspection, source=DangerSource.SELF, title=row["item"],
                          description=row["note"])  # fmt: skip
    audit_append(actor=by, action="risk.inspection.self", obj=inspection, summary=f"企业自查 {unit.name}",
                 payload={"failed": sum(not r["ok"] for r in rows)})  # fmt: skip
    return inspection


def reinspections_remind(*, today: date | None = None) -> int:
    """Remind the inspectors of each inspection whose re-inspection falls due tomorrow or today (once a day)."""
    today = today or timezone.localdate()
    due = (
        Inspection.objects.filter(
            status=InspectionStatus.DONE, reinspect_by__gte=today, reinspect_by__lte=today + timedelta(days=1)
        )
        .select_related("org")
        .prefetch_related("inspectors")
    )
    told = 0
    for inspection in due:
        if inspection.reminded_on == today:
            continue
        title = _("Re-inspection due %(day)s: %(org)s") % {"day": inspection.reinspect_by, "org": inspection.org.name}
        notify(recipients=list(inspection.inspectors.all()), title=title, link=f"/risk/inspections/{inspection.pk}/",
               category="risk")  # fmt: skip
        Inspection.objects.filter(pk=inspection.pk).update(reminded_on=today)
        told += 1
    return told


@transaction.atomic
def document_issue(
    *,
    by: User | None,
    org: OrgUnit | int,
    kind: str,
    body: str,
    deadline: date | None = None,
    inspection: Inspection | None = None,
) -> EnforcementDocument:
    """Issue a numbered enforcement document: 黄石港应急{责改|罚}〔year〕N号, numbered per kind and year."""
    require_perm(by, "risk.add_enforcementdocument")
    unit = _enterprise(by, org)
    if kind not in DOCUMENT_PREFIX:
        raise _fail("kind", _("Unknown document kind."))
    if not body.strip():
        raise _fail("body", _("This field cannot be blank."))
    now = timezone.now()
    year = timezone.localdate(now).year
    for _attempt in range(3):
        seq = (EnforcementDocument.objects.filter(kind=kind, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
        document = EnforcementDocument(
            org=unit, inspection=inspection, kind=kind, year=year, seq=seq,
            number=f"黄石港应急{DOCUMENT_PREFIX[DocumentKind(kind)]}〔{year}〕{seq}号", body=body, deadline=deadline,
            issuer=ISSUER, issued_by=by, issued_at=now,
        )  # fmt: skip
        try:
            with transaction.atomic():
                document.save()
            break
        except IntegrityError:
            continue  # another document took the number at the same moment
    else:
        raise Conflict(_("Could not number the document; try again."))
    notify(recipients=User.objects.filter(is_active=True, org=unit), title=document.number, body=unit.name,
           link=f"/risk/documents/{document.pk}/", category="risk")  # fmt: skip
    audit_append(actor=by, action="risk.enforcementdocument.issue", obj=document, summary=document.number)
    return document


# --- daily commitments --------------------------------------------------------------------------------------------

COMMITMENT_ITEMS = ("major_hazards_controlled", "key_equipment_normal", "special_operations_controlled")


@transaction.atomic
def commitment_make(
    *, by: User | None, org: OrgUnit | int, items: dict[str, bool], exceptions: str = "", day: date | None = None
) -> Commitment:
    """Today's safety commitment of an enterprise; an item not under control needs its exception stated."""
    require_perm(by, "risk.add_commitment")
    unit = _enterprise(by, org)
    unknown = sorted(set(items) - set(COMMITMENT_ITEMS))
    if unknown:
        raise _fail("items", _("Unknown item: %(i)s") % {"i": ", ".join(unknown)})
    values = {key: bool(items.get(key, False)) for key in COMMITMENT_ITEMS}
    if not all(values.values()) and not exceptions.strip():
        raise _fail("exceptions", _("Say what is not under control."))
    day = day or timezone.localdate()
    if Commitment.objects.filter(org=unit, day=day).exists():
        raise Conflict(_("This enterprise has already committed for the day."), {"day": [_("Already committed.")]})
    commitment = Commitment(org=unit, day=day, items=values, exceptions=exceptions, committed_by=by,
                            committed_at=timezone.now())  # fmt: skip
    clean_or_fail(commitment)
    commitment.save()
    audit_append(actor=by, action="risk.commitment.make", obj=commitment, summary=f"安全承诺 {unit.name} {day}",
                 payload=values)  # fmt: skip
    return commitment


def commitments_flag_missing(*, now: datetime | None = None) -> int:
    """After the day's deadline (10:00 by default), flag each high-risk enterprise without a commitment and tell
    its street's officers and the bureau's inspectors; each enterprise is flagged once a day."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < conf.commitment_deadline():
        return 0
    day = local.date()
    committed = Commitment.objects.filter(day=day).values("org_id")
    flagged = MissedCommitment.objects.filter(day=day).values("org_id")
    missing = list(
        EnterpriseProfile.objects.filter(high_risk=True, org__active=True)
        .exclude(org_id__in=committed)
        .exclude(org_id__in=flagged)
        .select_related("org", "org__parent")
    )
    if not missing:
        return 0
    with transaction.atomic():
        MissedCommitment.objects.bulk_create(
            [MissedCommitment(org=p.org, day=day, flagged_at=now) for p in missing], ignore_conflicts=True
        )
        by_street: dict[int, list[str]] = {}
        for profile in missing:
            street = profile.org.parent
            while street is not None and street.kind != OrgKind.STREET:
                street = street.parent
            if street is not None:
                by_street.setdefault(street.pk, []).append(profile.org.name)
        for street_id, names in by_street.items():
            notify(recipients=_users_with_role(Role.STREET_OFFICER, OrgUnit(pk=street_id)),
                   title=_("Safety commitments missing today: %(n)d") % {"n": len(names)}, body="、".join(names),
                   link="/risk/commitments/", category="risk")  # fmt: skip
        notify(recipients=_users_with_role(Role.INSPECTOR, None),
               title=_("Safety commitments missing today: %(n)d") % {"n": len(missing)},
               body="、".join(p.org.name for p in missing), link="/risk/commitments/", category="risk")  # fmt: skip
        audit_append(actor=None, action="risk.commitment.missing", summary=f"未承诺 {day}: {len(missing)}",
                     payload={"orgs": [p.org_id for p in missing]})  # fmt: skip
    return len(missing)
