"""The statistics of the domain apps that landed after the first ones: dual prevention (risk points, hidden
dangers, inspections), plans and drills, disaster relief and training. Each registers itself in `stats.STATS`
like the others, so the API, the pages, Excel and the reports show it with no code of their own.

Every function reads the other app's models read-only, through the user's data scope and the filters' street
(`in_area`), and narrows by industry on the owning unit. A snapshot (risk points, plans by status) answers for
now whatever the period and does not compare; a figure of the period compares with the year before.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.analytics.filters import StatFilters
from yingji.analytics.stats import Result, in_area, in_scope, month_counts, real_only, register, zero_filled
from yingji.core.models import User
from yingji.plans.models import (
    IN_FORCE,
    Conclusion,
    Drill,
    DrillContent,
    DrillForm,
    DrillStatus,
    Plan,
    PlanFiling,
    PlanLevel,
    PlanReview,
    PlanStatus,
)
from yingji.relief import selectors as relief
from yingji.relief.models import Award, AwardStatus, DisasterEvent, Distribution, Hazard, Household
from yingji.risk.models import (
    Colour,
    DangerGrade,
    DangerSource,
    DangerStatus,
    DocumentKind,
    EnforcementDocument,
    HazardUnit,
    HiddenDanger,
    Inspection,
    InspectionStatus,
    RiskPoint,
)
from yingji.training.models import Attendance, Audience, Certificate, SessionStatus, TrainingSession

# Drills that took place: done, and those evaluated since.
DRILLS_HELD = (DrillStatus.DONE, DrillStatus.EVALUATED)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _industry(rows: QuerySet, filters: StatFilters, org_field: str = "org") -> QuerySet:
    """Narrow to the industry the filters name, read on the owning unit."""
    return rows.filter(**{f"{org_field}__industry": filters.industry}) if filters.industry else rows


def _rows(rows: QuerySet, user: User | None, filters: StatFilters, org_field: str = "org") -> QuerySet:
    """The user's area, the street and the industry of the filters; exercise data dropped."""
    return real_only(_industry(in_area(rows, user, filters, org_field), filters, org_field))


# ---- dual prevention ---------------------------------------------------------------------------------------


@register("risk-points", label=_("Risk points by level"), compare=False)
def risk_points_stat(user: User | None, filters: StatFilters) -> Result:
    """Active risk points by colour (the four-colour risk levels of the dual prevention mechanism: red major,
    orange higher, yellow general, blue low), the enterprises they lie in, and the major hazard units by grade
    (GB 18218-2018, art. 4.2) — as they stand now, whatever the period."""
    points = _rows(RiskPoint.objects.filter(active=True), user, filters)
    colours = points.aggregate(**{c: Count("pk", filter=Q(colour=c)) for c in Colour.values})
    units = _rows(HazardUnit.objects.filter(active=True, is_major=True, grade__isnull=False), user, filters)
    grades = units.aggregate(**{str(g): Count("pk", filter=Q(grade=g)) for g in range(1, 5)})
    return {
        "count": sum(colours.values()),
        "enterprises_with_points": points.order_by().values("org_id").distinct().count(),
        "major_hazard_units": sum(grades.values()),
        "by_colour": colours,
        "by_hazard_grade": grades,
    }


@register("hidden-dangers", label=_("Hidden dangers"))
def hidden_dangers_stat(user: User | None, filters: StatFilters) -> Result:
    """Hidden dangers found in the period by grade (一般/重大事故隐患, 安全生产事故隐患排查治理暂行规定 art. 3) and
    by who found them; of those, how many were rectified (rectification accepted or closed out), closed out,
    are still open, and are overdue now (under rectification past the deadline); the rectification rate
    (整改销号率) is closed out / found, as the risk app's indicators count it."""
    rows = _rows(HiddenDanger.objects.filter(found_at__gte=filters.start, found_at__lt=filters.end), user, filters)
    now = timezone.now()
    figures = rows.aggregate(
        found=Count("pk"),
        rectified=Count("pk", filter=Q(status__in=[DangerStatus.ACCEPTED, DangerStatus.CLOSED])),
        closed=Count("pk", filter=Q(status=DangerStatus.CLOSED)),
        open=Count("pk", filter=~Q(status=DangerStatus.CLOSED)),
        overdue=Count("pk", filter=Q(status=DangerStatus.RECTIFYING, deadline__lt=now)),
        major=Count("pk", filter=Q(grade=DangerGrade.MAJOR)),
        major_open=Count("pk", filter=Q(grade=DangerGrade.MAJOR) & ~Q(status=DangerStatus.CLOSED)),
        **{f"source_{s}": Count("pk", filter=Q(source=s)) for s in DangerSource.values},
        **{f"grade_{g}": Count("pk", filter=Q(grade=g)) for g in DangerGrade.values},
    )
    return {
        "found": figures["found"],
        "rectified": figures["rectified"],
        "closed": figures["closed"],
        "open": figures["open"],
        "overdue": figures["overdue"],
        "major_open": figures["major_open"],
        "rectification_rate": _share(figures["closed"], figures["found"]),
        "by_danger_grade": {g: figures[f"grade_{g}"] for g in DangerGrade.values},
        "by_source": {s: figures[f"source_{s}"] for s in DangerSource.values},
        "by_month": month_counts(rows, "found_at", filters),
    }


def dangers_overdue(user: User | None) -> int:
    """Hidden dangers in the user's area under rectification past their deadline, now (the dashboard's figure)."""
    rows = HiddenDanger.objects.filter(status=DangerStatus.RECTIFYING, deadline__lt=timezone.now())
    return real_only(in_scope(rows, user)).count()


@register("inspections", label=_("Inspections and enforcement"))
def inspections_stat(user: User | None, filters: StatFilters) -> Result:
    """Inspections recorded in the period (by the authorities and the enterprises' own), the hidden dangers they
    found, and the enforcement documents issued (orders to rectify, penalty decisions)."""
    done = Inspection.objects.filter(status=InspectionStatus.DONE, done_at__gte=filters.start, done_at__lt=filters.end)
    inspections = _rows(done, user, filters)
    counts = inspections.aggregate(
        count=Count("pk"),
        by_authorities=Count("pk", filter=Q(self_inspection=False)),
        self_inspections=Count("pk", filter=Q(self_inspection=True)),
    )
    findings = _rows(HiddenDanger.objects.filter(inspection__in=inspections.values("pk")), user, filters).count()
    issued = EnforcementDocument.objects.filter(issued_at__gte=filters.start, issued_at__lt=filters.end)
    documents = _rows(issued, user, filters).aggregate(
        **{k: Count("pk", filter=Q(kind=k)) for k in DocumentKind.values}
    )
    return {**counts, "dangers_found": findings, "by_document": documents}


# ---- plans and drills --------------------------------------------------------------------------------------


@register("plans", label=_("Emergency plans"), compare=False)
def plans_stat(user: User | None, filters: StatFilters) -> Result:
    """Emergency plans by status and by level, and how many are in force (approved, filed or being revised) and
    filed — as they stand now, whatever the period."""
    rows = _rows(Plan.objects.all(), user, filters)
    statuses = rows.aggregate(**{s: Count("pk", filter=Q(status=s)) for s in PlanStatus.values})
    levels = rows.exclude(status=PlanStatus.ABOLISHED).aggregate(
        **{lv: Count("pk", filter=Q(level=lv)) for lv in PlanLevel.values}
    )
    return {
        "count": sum(statuses.values()),
        "in_force": sum(statuses[s] for s in IN_FORCE),
        "filed": statuses[PlanStatus.FILED],
        "by_plan_status": statuses,
        "by_plan_level": levels,
    }


@register("drills", label=_("Plan reviews, filings and drills"))
def drills_stat(user: User | None, filters: StatFilters) -> Result:
    """In the period: expert reviews concluded by conclusion, plans filed with the district, and drills held by
    form and content (AQ/T 9007-2019, art. 4) with their mean score, and the plans in force they covered."""
    reviews = _rows(
        PlanReview.objects.filter(concluded_at__gte=filters.start, concluded_at__lt=filters.end), user, filters,
        "plan__org",
    )  # fmt: skip
    conclusions = reviews.aggregate(**{c: Count("pk", filter=Q(conclusion=c)) for c in Conclusion.values})
    filings = _rows(
        PlanFiling.objects.filter(filed_at__gte=filters.start, filed_at__lt=filters.end), user, filters, "plan__org"
    )
    held = Drill.objects.filter(status__in=DRILLS_HELD, scheduled_for__gte=filters.start, scheduled_for__lt=filters.end)
    drills = _rows(held, user, filters)
    figures = drills.aggregate(
        count=Count("pk"),
        mean_score=Avg("score"),
        **{f"form_{f}": Count("pk", filter=Q(form=f)) for f in DrillForm.values},
        **{f"content_{c}": Count("pk", filter=Q(content=c)) for c in DrillContent.values},
    )
    in_force = _rows(Plan.objects.filter(status__in=IN_FORCE), user, filters)
    drilled = in_force.filter(pk__in=drills.exclude(plan=None).values("plan")).count()
    plans_in_force = in_force.count()
    mean = figures["mean_score"]
    return {
        "reviews": sum(conclusions.values()),
        "filings": filings.count(),
        "drills_held": figures["count"],
        "drill_mean_score": round(float(mean), 1) if mean is not None else None,
        "plans_drilled": drilled,
        "drill_coverage": _share(drilled, plans_in_force),
        "by_conclusion": conclusions,
        "by_drill_form": {f: figures[f"form_{f}"] for f in DrillForm.values},
        "by_drill_content": {c: figures[f"content_{c}"] for c in DrillContent.values},
        "by_month": month_counts(drills, "scheduled_for", filters),
    }


# ---- disaster relief ---------------------------------------------------------------------------------------


def _events(user: User | None) -> QuerySet[DisasterEvent]:
    # The relief app's rule: a unit sees its own events and the district-wide ones its streets report on.
    return DisasterEvent.objects.all() if user is None else relief.event_list(user=user)


def _yuan(value: Decimal | None) -> float:
    return float(round(value or Decimal(0), 2))


@register("relief", label=_("Disaster relief"))
def relief_stat(user: User | None, filters: StatFilters) -> Result:
    """Disaster events that began in the period by hazard (自然灾害情况统计调查制度), the households and people
    relief was handed to and the materials handed out (from warehouse stock), and the rescue compensation and
    rewards approved, in yuan."""
    events = _events(user).filter(started_on__gte=filters.date_from, started_on__lte=filters.date_to)
    if filters.street_path:
        events = events.filter(
            Q(org__path__startswith=filters.street_path)
            | Q(reports__org__path__startswith=filters.street_path)
            | Q(distributions__org__path__startswith=filters.street_path)
        ).distinct()
    hazards = dict(events.order_by().values_list("hazard").annotate(n=Count("pk", distinct=True)))
    handed = Distribution.objects.filter(distributed_at__gte=filters.start, distributed_at__lt=filters.end)
    # Relief goes to households of communities: the industry filter does not apply.
    distributions = real_only(in_area(handed, user, filters))
    households = distributions.order_by().values("household").distinct()
    people = Household.objects.filter(pk__in=households).aggregate(n=Coalesce(Sum("members"), 0))["n"]
    materials = (
        distributions.order_by()
        .values_list("material__name", "material__unit")
        .annotate(quantity=Sum("quantity"), handouts=Count("pk"))
        .order_by("material__name", "material__unit")
    )
    approved = Award.objects.filter(
        status=AwardStatus.APPROVED, decided_at__gte=filters.start, decided_at__lt=filters.end
    )
    awards = real_only(in_area(approved, user, filters)).aggregate(n=Count("pk"), total=Sum("amount_yuan"))
    return {
        "events": sum(hazards.values()),
        "distributions": distributions.count(),
        "households_served": households.count(),
        "people_served": people,
        "awards_approved": awards["n"],
        "awards_approved_yuan": _yuan(awards["total"]),
        "by_hazard": zero_filled(Hazard.choices, hazards),
        "materials": [
            {"item": name, "unit": unit, "quantity": quantity, "handouts": handouts}
            for name, unit, quantity, handouts in materials
        ],
    }


# ---- training ----------------------------------------------------------------------------------------------


@register("training", label=_("Training"))
def training_stat(user: User | None, filters: StatFilters) -> Result:
    """Training sessions held in the period (finished) and their courses — those organised in the user's area or
    attended by its trainees; the trainees of the area who enrolled, signed in and sat the exam, how many passed
    (the pass rate is passed / examined), and the certificates issued; trainees by audience."""
    held = TrainingSession.objects.filter(
        status=SessionStatus.FINISHED, starts_at__gte=filters.start, starts_at__lt=filters.end
    )
    trainees = _rows(Attendance.objects.filter(session__in=held), user, filters)
    organised = _rows(held, user, filters)
    sessions = held.filter(Q(pk__in=organised.values("pk")) | Q(pk__in=trainees.values("session_id")))
    figures = trainees.aggregate(
        enrolled=Count("pk"),
        signed_in=Count("pk", filter=Q(signed_in_at__isnull=False)),
        examined=Count("pk", filter=Q(score__isnull=False)),
        passed=Count("pk", filter=Q(passed=True)),
        **{f"audience_{a}": Count("pk", filter=Q(session__course__audience=a)) for a in Audience.values},
    )
    certificates = _rows(
        Certificate.objects.filter(issued_on__gte=filters.date_from, issued_on__lte=filters.date_to), user, filters
    )
    return {
        "sessions": sessions.count(),
        "courses": sessions.order_by().values("course_id").distinct().count(),
        "trainees": figures["enrolled"],
        "signed_in": figures["signed_in"],
        "examined": figures["examined"],
        "passed": figures["passed"],
        "pass_rate": _share(figures["passed"], figures["examined"]),
        "certificates": certificates.count(),
        "by_audience": {a: figures[f"audience_{a}"] for a in Audience.values},
    }


# Labels of the keys of the tables above, for pages, Excel and PDF (merged into stats.DIMENSIONS).
DIMENSIONS: dict[str, dict[str, Any]] = {
    "by_colour": dict(Colour.choices),
    "by_hazard_grade": {"1": _("Grade 1"), "2": _("Grade 2"), "3": _("Grade 3"), "4": _("Grade 4")},
    "by_danger_grade": dict(DangerGrade.choices),
    "by_source": dict(DangerSource.choices),
    "by_document": dict(DocumentKind.choices),
    "by_plan_status": dict(PlanStatus.choices),
    "by_plan_level": dict(PlanLevel.choices),
    "by_conclusion": dict(Conclusion.choices),
    "by_drill_form": dict(DrillForm.choices),
    "by_drill_content": dict(DrillContent.choices),
    "by_hazard": dict(Hazard.choices),
    "by_audience": dict(Audience.choices),
}
