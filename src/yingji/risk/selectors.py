"""Queries of dual prevention. Every one takes the user and goes through core.access: district staff see all, a
street its subtree, an enterprise itself; "not yours" and "not found" are the same 404."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from yingji.core.access import get_scoped_or_404, scoped, under
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.selectors import matching
from yingji.risk.lec import COLOUR_HEX, COLOUR_RANK, COLOURS, NOT_ASSESSED_HEX
from yingji.risk.models import (
    OPEN_STATUSES,
    Commitment,
    DangerGrade,
    DangerStatus,
    Draw,
    EnforcementDocument,
    EnterpriseProfile,
    HazardUnit,
    HiddenDanger,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    MissedCommitment,
    RiskPoint,
)

# --- enterprises --------------------------------------------------------------------------------------------------


def enterprise_list(
    *,
    user: User,
    q: str | None = None,
    street: int | None = None,
    scale: str | None = None,
    high_risk: bool | None = None,
    industry_section: str | None = None,
) -> QuerySet[EnterpriseProfile]:
    rows = matching(
        scoped(EnterpriseProfile.objects.select_related("org", "org__parent"), user),
        q=q,
        fields=("org__name", "org__code", "uscc", "safety_manager"),
        scale=scale,
        high_risk=high_risk,
        industry_section=industry_section,
    )
    return under(rows, user, street).order_by("org__path")


def enterprise_get(*, user: User, profile_id: int) -> EnterpriseProfile:
    return get_scoped_or_404(EnterpriseProfile.objects.select_related("org", "org__parent"), user, profile_id)


def enterprise_by_code(*, user: User, code: str) -> EnterpriseProfile | None:
    return scoped(EnterpriseProfile.objects.select_related("org"), user).filter(org__code=code).first()


def street_of(unit: OrgUnit) -> OrgUnit | None:
    """The street an enterprise lies in (its parent, or its community's parent)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.STREET).first()


def enterprise_units(*, user: User) -> QuerySet[OrgUnit]:
    """Enterprise units the user may act for."""
    return scoped(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True), user, org_field="").order_by("name")


# --- risk points --------------------------------------------------------------------------------------------------


def risk_point_list(
    *, user: User, org: int | None = None, colour: str | None = None, q: str | None = None, active: bool | None = True
) -> QuerySet[RiskPoint]:
    rows = matching(
        scoped(RiskPoint.objects.select_related("org"), user),
        q=q,
        fields=("name", "hazard", "location", "org__name"),
        active=active,
        colour=colour,
    )
    return under(rows, user, org).order_by("org__name", "name", "id")


def risk_point_get(*, user: User, point_id: int) -> RiskPoint:
    return get_scoped_or_404(RiskPoint.objects.select_related("org"), user, point_id)


# --- hidden dangers -----------------------------------------------------------------------------------------------


def _with_overdue(rows: QuerySet[HiddenDanger], now: datetime) -> QuerySet[HiddenDanger]:
    return rows.annotate(
        is_overdue=Case(
            When(status=DangerStatus.RECTIFYING, deadline__lt=now, then=Value(True)),
            default=Value(False),
        )
    )


def danger_list(
    *,
    user: User,
    status: str | None = None,
    grade: str | None = None,
    overdue: bool | None = None,
    open: bool | None = None,  # noqa: A002 - the filter's public name
    org: int | None = None,
    q: str | None = None,
    now: datetime | None = None,
) -> QuerySet[HiddenDanger]:
    """Hidden dangers in scope, newest first; `overdue` are those under rectification past their deadline."""
    now = now or timezone.now()
    rows = matching(
        scoped(HiddenDanger.objects.select_related("org"), user),
        q=q,
        fields=("title", "location", "org__name"),
        status=status,
        grade=grade,
    )
    if open is not None:
        rows = rows.filter(status__in=OPEN_STATUSES) if open else rows.filter(status=DangerStatus.CLOSED)
    if overdue is not None:
        late = Q(status=DangerStatus.RECTIFYING, deadline__lt=now)
        rows = rows.filter(late) if overdue else rows.exclude(late)
    return _with_overdue(under(rows, user, org), now).order_by("-found_at", "-id")


def danger_get(*, user: User, danger_id: int) -> HiddenDanger:
    rows = _with_overdue(HiddenDanger.objects.select_related("org", "risk_point", "reported_by"), timezone.now())
    return get_scoped_or_404(rows, user, danger_id)


def supervised_list(*, user: User) -> QuerySet[HiddenDanger]:
    """Open major hidden dangers: the supervised list (挂牌督办)."""
    return danger_list(user=user, grade=DangerGrade.MAJOR, open=True)


# --- hazard units, inspections, documents, commitments ------------------------------------------------------------


def hazard_unit_list(
    *, user: User, org: int | None = None, is_major: bool | None = None, grade: int | None = None
) -> QuerySet[HazardUnit]:
    rows = scoped(HazardUnit.objects.select_related("org").prefetch_related("devices"), user)
    rows = matching(rows, active=True, is_major=is_major, grade=grade)
    return under(rows, user, org).order_by("org__name", "name")


def hazard_unit_get(*, user: User, unit_id: int) -> HazardUnit:
    return get_scoped_or_404(HazardUnit.objects.select_related("org").prefetch_related("devices"), user, unit_id)


def plan_list(*, user: User) -> QuerySet[InspectionPlan]:
    return scoped(InspectionPlan.objects.select_related("org"), user).annotate(
        done=Count("inspections", filter=Q(inspections__status=InspectionStatus.DONE))
    )


def plan_get(*, user: User, plan_id: int) -> InspectionPlan:
    return get_scoped_or_404(InspectionPlan.objects.select_related("org"), user, plan_id)


def draw_get(*, user: User, draw_id: int) -> Draw:
    return get_scoped_or_404(Draw.objects.select_related("plan", "plan__org"), user, draw_id, org_field="plan__org")


def inspection_list(*, user: User, org: int | None = None, status: str | None = None) -> QuerySet[Inspection]:
    rows = scoped(Inspection.objects.select_related("org", "plan").prefetch_related("inspectors"), user)
    rows = matching(rows, status=status)
    return under(rows, user, org).order_by("-planned_for", "-id")


def inspection_get(*, user: User, inspection_id: int) -> Inspection:
    rows = Inspection.objects.select_related("org", "plan", "draw").prefetch_related("inspectors")
    return get_scoped_or_404(rows, user, inspection_id)


def reinspections_due(*, user: User, within_days: int = 7) -> QuerySet[Inspection]:
    """Recorded inspections whose re-inspection falls due within `within_days` days (or is past)."""
    limit = timezone.localdate() + timedelta(days=within_days)
    return inspection_list(user=user, status=InspectionStatus.DONE).filter(reinspect_by__lte=limit)


def document_list(*, user: User, org: int | None = None) -> QuerySet[EnforcementDocument]:
    return under(scoped(EnforcementDocument.objects.select_related("org"), user), user, org)


def document_get(*, user: User, document_id: int) -> EnforcementDocument:
    return get_scoped_or_404(EnforcementDocument.objects.select_related("org", "issued_by"), user, document_id)


def commitment_list(*, user: User, day: date | None = None, org: int | None = None) -> QuerySet[Commitment]:
    rows = matching(scoped(Commitment.objects.select_related("org", "committed_by"), user), day=day)
    return under(rows, user, org)


def commitment_status(*, user: User, day: date | None = None) -> QuerySet[EnterpriseProfile]:
    """High-risk enterprises in scope with whether they have committed on `day` (today by default)."""
    day = day or timezone.localdate()
    rows = scoped(EnterpriseProfile.objects.filter(high_risk=True).select_related("org"), user)
    return rows.annotate(
        committed=Exists(Commitment.objects.filter(org=OuterRef("org"), day=day)),
        flagged=Exists(MissedCommitment.objects.filter(org=OuterRef("org"), day=day)),
    ).order_by("committed", "org__name")


# --- the four-colour map and the indicators -----------------------------------------------------------------------


def enterprise_colours(*, user: User) -> dict[int, str]:
    """Each enterprise in scope (by org id) → the colour of its highest active risk point (one grouped query)."""
    rank = Case(*(When(colour=c, then=Value(r)) for c, r in COLOUR_RANK.items()), output_field=IntegerField())
    rows = scoped(RiskPoint.objects.filter(active=True), user).values("org_id").annotate(top=Max(rank)).order_by()
    colour_of = {r: c for c, r in COLOUR_RANK.items()}
    return {row["org_id"]: colour_of[row["top"]] for row in rows}


def four_colour_features(*, user: User) -> list[dict[str, Any]]:
    """One GeoJSON point per located enterprise in scope, coloured by its highest risk (none: no risk points)."""
    colours = enterprise_colours(user=user)
    units = scoped(
        OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True, lat__isnull=False), user, org_field=""
    ).values_list("pk", "name", "lat", "lon", "illustrative", "parent__name")
    return [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": pk,
                "name": name,
                "street": parent or "",
                "colour": colours.get(pk, ""),
                "color": COLOUR_HEX.get(colours.get(pk, ""), NOT_ASSESSED_HEX),
                "url": f"/risk/enterprises/org/{pk}/",
                "illustrative": illustrative,
            },
        }
        for pk, name, lat, lon, illustrative, parent in units
    ]


def _street_of_path(path: str, streets: dict[str, OrgUnit]) -> OrgUnit | None:
    for prefix, street in streets.items():
        if path.startswith(prefix):
            return street
    return None


def indicators(*, user: User, by: str = "street", now: datetime | None = None) -> dict[str, Any]:
    """The prevention indicators, live, per street (or per industry section) and in total: enterprises with the
    five in place among those that must have them, risk points by colour, hidden dangers open / overdue /
    rectification rate, major hazards by grade, inspections done against plan."""
    now = now or timezone.now()
    streets = {
        s.path: s for s in scoped(OrgUnit.objects.filter(kind=OrgKind.STREET), user, org_field="").order_by("code")
    }

    def group_of(path: str, section: str) -> str:
        if by == "industry":
            return section or "-"
        street = _street_of_path(path, streets)
        return street.name if street else "-"

    groups: dict[str, dict[str, Any]] = {}

    def row(key: str) -> dict[str, Any]:
        return groups.setdefault(
            key,
            {
                "group": key,
                "enterprises": 0,
                "five_required": 0,
                "five_in_place": 0,
                "risk_points": {c: 0 for c in COLOURS},
                "dangers_total": 0,
                "dangers_open": 0,
                "dangers_overdue": 0,
                "dangers_closed": 0,
                "major_hazards": {str(g): 0 for g in range(1, 5)},
                "inspections_planned": 0,
                "inspections_done": 0,
            },
        )

    profiles = scoped(EnterpriseProfile.objects.all(), user).values(
        "org_id", "org__path", "industry_section", "scale", "high_risk", "has_emergency_org", "emergency_staff",
        "has_plan", "has_drills", "has_materials",
    )  # fmt: skip
    section_of: dict[int, str] = {}
    for p in profiles:
        section_of[p["org_id"]] = p["industry_section"]
        r = row(group_of(p["org__path"], p["industry_section"]))
        r["enterprises"] += 1
        if p["high_risk"] or p["scale"] in ("large", "medium"):
            r["five_required"] += 1
            five = p["has_emergency_org"] and p["emergency_staff"] > 0 and p["has_plan"] and p["has_drills"]
            r["five_in_place"] += bool(five and p["has_materials"])

    def section(org_id: int) -> str:
        return section_of.get(org_id, "")

    points = (
        scoped(RiskPoint.objects.filter(active=True), user)
        .values("org_id", "org__path", "colour")
        .annotate(n=Count("id"))
        .order_by()
    )
    for point in points:
        row(group_of(point["org__path"], section(point["org_id"])))["risk_points"][point["colour"]] += point["n"]

    late = Q(status=DangerStatus.RECTIFYING, deadline__lt=now)
    dangers = (
        scoped(HiddenDanger.objects.all(), user)
        .values("org_id", "org__path")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=late),
            closed=Count("id", filter=Q(status=DangerStatus.CLOSED)),
        )
        .order_by()
    )
    for d in dangers:
        r = row(group_of(d["org__path"], section(d["org_id"])))
        r["dangers_total"] += d["total"]
        r["dangers_open"] += d["open"]
        r["dangers_overdue"] += d["overdue"]
        r["dangers_closed"] += d["closed"]

    units = (
        scoped(HazardUnit.objects.filter(active=True, is_major=True), user)
        .values("org_id", "org__path", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    for u in units:
        if u["grade"]:
            row(group_of(u["org__path"], section(u["org_id"])))["major_hazards"][str(u["grade"])] += u["n"]

    inspections = (
        scoped(Inspection.objects.filter(plan__isnull=False), user)
        .values("org_id", "org__path")
        .annotate(planned=Count("id"), done=Count("id", filter=Q(status=InspectionStatus.DONE)))
        .order_by()
    )
    for i in inspections:
        r = row(group_of(i["org__path"], section(i["org_id"])))
        r["inspections_planned"] += i["planned"]
        r["inspections_done"] += i["done"]

    total = row("__total__")
    for key, r in groups.items():
        if key == "__total__":
            continue
        for name in ("enterprises", "five_required", "five_in_place", "dangers_total", "dangers_open",
                     "dangers_overdue", "dangers_closed", "inspections_planned", "inspections_done"):  # fmt: skip
            total[name] += r[name]
        for colour in COLOURS:
            total["risk_points"][colour] += r["risk_points"][colour]
        for grade in total["major_hazards"]:
            total["major_hazards"][grade] += r["major_hazards"][grade]
    for r in groups.values():
        r["five_rate"] = round(r["five_in_place"] / r["five_required"], 4) if r["five_required"] else None
        r["rectification_rate"] = round(r["dangers_closed"] / r["dangers_total"], 4) if r["dangers_total"] else None
        r["inspection_rate"] = (
            round(r["inspections_done"] / r["inspections_planned"], 4) if r["inspections_planned"] else None
        )
    total = groups.pop("__total__")
    total["group"] = ""
    return {"by": by, "groups": sorted(groups.values(), key=lambda r: r["group"]), "total": total}
