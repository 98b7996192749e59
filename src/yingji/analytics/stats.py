"""The statistics: one registry (`STATS`, name → function of (user, filters)) so that every figure is computed,
served at `/api/v1/stats/<name>`, exported to Excel and put in the reports in one place. A domain app that lands
later (hidden dangers, plans and drills, relief, training) adds its figures with one `@register` here.

Every function reads the domain apps' models read-only, through the user's data scope (`in_scope`), and counts
real events only (`real_only`: exercise data never counts). `user=None` is the platform itself (the report
schedule) and sees the whole district.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from statistics import median
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yingji.analytics.filters import StatFilters
from yingji.analytics.models import BudgetLine, ControlTarget, EntryKind, FundEntry, Indicator, RewardAward
from yingji.core.errors import YingjiError
from yingji.core.models import Industry, OrgUnit, User
from yingji.core.scopes import scope_root, scoped
from yingji.incidents.models import Category, Dispatch, Grade, Incident, Status
from yingji.monitoring.models import Alarm, AlarmStatus, DeviceType, Level
from yingji.resources.models import Equipment, EquipmentStatus, StockBalance, StockLot, Team, TeamStatus
from yingji.warnings.models import EarlyWarning, EventType, MsgType

Result = dict[str, Any]
StatFunction = Callable[[User | None, StatFilters], Result]

# Batches expiring within this many days count as "expiring".
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class Stat:
    """A registered statistic: `compare` adds the same figures for the same period a year earlier."""

    name: str
    label: str | Promise
    func: StatFunction
    compare: bool = True


STATS: dict[str, Stat] = {}


def register(name: str, *, label: str | Promise, compare: bool = True) -> Callable[[StatFunction], StatFunction]:
    """Register a statistic under `name` (the last part of its API path)."""

    def add(func: StatFunction) -> StatFunction:
        STATS[name] = Stat(name=name, label=label, func=func, compare=compare)
        return func

    return add


def compute(name: str, *, user: User | None, filters: StatFilters) -> Result:
    """A statistic's figures for the filters, with `previous` (a year earlier) when it compares; KeyError when
    no statistic has that name."""
    stat = STATS[name]
    result = stat.func(user, filters)
    if stat.compare:
        result["previous"] = stat.func(user, filters.previous_year())
    return result


# ---- the two rules every statistic follows -----------------------------------------------------------------


def real_only(rows: QuerySet, through: str = "") -> QuerySet:
    """Drop exercise data (drills): rows whose model (or the model reached through `through`, e.g. "incident")
    has an `exercise` field keep only `exercise=False`. A model without the field has no exercise rows yet, so
    the filter starts working the day the field lands, with no change here."""
    model = rows.model
    for part in filter(None, through.split("__")):
        model = model._meta.get_field(part).related_model
    if not any(field.name == "exercise" for field in model._meta.get_fields()):
        return rows
    return rows.filter(**{f"{through}__exercise" if through else "exercise": False})


def in_scope(rows: QuerySet, user: User | None, org_field: str = "org") -> QuerySet:
    """The rows the user may see (core.scopes); the platform (`None`) sees all."""
    return rows if user is None else scoped(rows, user, org_field=org_field)


def in_street(rows: QuerySet, filters: StatFilters, org_field: str = "org") -> QuerySet:
    """Narrow to the street (or any unit) the filters name; its path was resolved within the user's scope."""
    if not filters.street_path:
        return rows
    return rows.filter(**{f"{org_field}__path__startswith": filters.street_path})


def in_area(rows: QuerySet, user: User | None, filters: StatFilters, org_field: str = "org") -> QuerySet:
    """`in_scope` then `in_street`: the rows of the user's area within the street the filters name."""
    return in_street(in_scope(rows, user, org_field), filters, org_field)


def zero_filled(choices: list[tuple[str, Any]], counts: dict[str, int], blank: str | None = None) -> dict[str, int]:
    """Counts keyed by every choice, zero or not, so a table has the same rows each month."""
    keys = [value for value, _label in choices] + ([blank] if blank else [])
    figures = {key: 0 for key in keys}
    for key, value in counts.items():
        figures[key or blank or ""] = figures.get(key or blank or "", 0) + value
    return figures


def _counts(rows: QuerySet, field: str) -> dict[Any, int]:
    return {key: n for key, n in rows.order_by().values_list(field).annotate(n=Count("pk"))}


def empty_months(filters: StatFilters) -> dict[str, int]:
    """Every local calendar month of the period ("2026-01"), at zero."""
    months = {}
    day = filters.date_from.replace(day=1)
    while day <= filters.date_to:
        months[day.strftime("%Y-%m")] = 0
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def month_counts(rows: QuerySet, field: str, filters: StatFilters) -> dict[str, int]:
    """Rows per local calendar month of the period ("2026-01" → n), every month present."""
    months = empty_months(filters)
    tz = timezone.get_current_timezone()
    for month, n in rows.order_by().annotate(m=TruncMonth(field, tzinfo=tz)).values_list("m").annotate(n=Count("pk")):
        key = month.strftime("%Y-%m")
        if key in months:
            months[key] += n
    return months


def _industries(counts: dict[str | None, int]) -> dict[str, int]:
    figures: dict[str, int] = {}
    for key, n in counts.items():
        figures[key or "none"] = figures.get(key or "none", 0) + n
    return dict(sorted(figures.items()))


def duration_seconds(value: Any) -> float:
    """An averaged duration in seconds: a timedelta on PostgreSQL, microseconds on SQLite."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value) / 1_000_000


def _seconds(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"n": 0, "mean_s": None, "median_s": None}
    return {"n": len(values), "mean_s": round(sum(values) / len(values), 1), "median_s": round(median(values), 1)}


# Labels of the keys of each table, for pages, Excel and PDF.
DIMENSIONS: dict[str, dict[str, Any]] = {
    "by_grade": {**dict(Grade.choices), "ungraded": _("Not graded")},
    "by_category": dict(Category.choices),
    "by_level": dict(Level.choices),
    "by_event_type": dict(EventType.choices),
    "by_status": {**dict(AlarmStatus.choices)},
    "by_device_type": dict(DeviceType.choices),
    "by_resource": {"team": _("Teams"), "equipment": _("Equipment"), "expert": _("Experts")},
    "teams": dict(TeamStatus.choices),
    "equipment": dict(EquipmentStatus.choices),
    "by_industry": {**dict(Industry.choices), "none": _("No enterprise")},
}

FIGURE_LABELS: dict[str, Any] = {
    "count": _("Count"),
    "deaths": _("Deaths"),
    "missing": _("Missing"),
    "serious_injuries": _("Serious injuries"),
    "direct_loss_yuan": _("Direct economic loss (yuan)"),
    "per_day": _("Per day"),
    "acknowledged": _("Acknowledged"),
    "acknowledged_share": _("Share acknowledged"),
    "mean_ack_s": _("Mean time to acknowledge (s)"),
    "incidents_dispatched": _("Incidents with dispatches"),
    "stock_below_minimum": _("Stock lines below minimum"),
    "lots_expired": _("Batches expired"),
    "lots_expiring": _("Batches expiring within 30 days"),
    "team_headcount_standby": _("Team members on standby"),
    "team_headcount_deployed": _("Team members deployed"),
    "budget_yuan": _("Budget (yuan)"),
    "committed_yuan": _("Committed (yuan)"),
    "spent_yuan": _("Spent (yuan)"),
    "awards_yuan": _("Awards (yuan)"),
    "remaining_yuan": _("Remaining (yuan)"),
    "execution_rate": _("Execution rate"),
    "to_dispatch_mean_s": _("Mean time to first dispatch (s)"),
    "to_dispatch_median_s": _("Median time to first dispatch (s)"),
    "arrivals": _("Arrivals on scene"),
    "to_arrival_mean_s": _("Mean time from dispatch to arrival (s)"),
    "to_arrival_median_s": _("Median time from dispatch to arrival (s)"),
    "alarms": _("Alarms"),
    "likely_false": _("Likely false"),
    "likely_false_share": _("Share likely false"),
    "flaps": _("Flaps"),
    "unacted": _("Nobody acted"),
    "minutes": _("Cleared within (minutes)"),
    "by_grade": _("By grade"),
    "by_category": _("By category"),
    "by_industry": _("By industry"),
    "by_month": _("By month"),
    "targets": _("Control targets"),
    "by_level": _("By level"),
    "by_event_type": _("By event type"),
    "by_status": _("By status"),
    "by_device_type": _("By device type"),
    "by_resource": _("By resource"),
    "teams": _("Teams by status"),
    "equipment": _("Equipment by status"),
    "below_minimum": _("Below minimum"),
    "lines": _("Budget lines"),
    "by_project": _("Spending by project"),
    "awards": _("Awards"),
    "by_device": _("By device"),
    "by_site": _("By site"),
    "by_rule": _("By rule"),
    "most_unacted_rules": _("Rules nobody acts on"),
    "suggestions": _("Suggested thresholds"),
    "trends": _("After rule changes"),
    "name": _("Name"),
    "warehouse": _("Warehouse"),
    "item": _("Item"),
    "quantity": _("On hand"),
    "minimum": _("Minimum"),
    "unit": _("Unit"),
    "project": _("Project"),
    "recipient": _("Recipient"),
    "reason": _("Reason"),
    "amount_yuan": _("Amount (yuan)"),
    "date": _("Date"),
    "year": _("Year"),
    "code": _("Code"),
    "indicator": _("Indicator"),
    "label": _("Indicator"),
    "limit": _("Limit"),
    "actual": _("Actual"),
    "used_share": _("Share used"),
    "within": _("Within target"),
    "metric": _("Metric"),
    "current": _("Current limit"),
    "suggested": _("Suggested limit"),
    "quantile": _("Quantile"),
    "readings": _("Readings"),
    "real_alarms": _("Alarms acted on"),
    "real_kept": _("Alarms acted on still raised"),
    "false_alarms": _("Likely false"),
    "false_avoided": _("False alarms avoided"),
    "changed_at": _("Changed at"),
    "before_per_day": _("Per day before"),
    "after_per_day": _("Per day after"),
    "days_after": _("Days after"),
    # dual prevention
    "enterprises_with_points": _("Enterprises with risk points"),
    "major_hazard_units": _("Major hazard units"),
    "by_colour": _("Risk points by level"),
    "by_hazard_grade": _("Major hazard units by grade"),
    "found": _("Hidden dangers found"),
    "rectified": _("Rectified"),
    "closed": _("Closed out"),
    "open": _("Still open"),
    "overdue": _("Overdue now"),
    "major_open": _("Major hidden dangers still open"),
    "rectification_rate": _("Rectification rate"),
    "by_danger_grade": _("By hidden-danger grade"),
    "by_source": _("By who found them"),
    "by_authorities": _("Inspections by the authorities"),
    "self_inspections": _("Enterprise self-inspections"),
    "dangers_found": _("Hidden dangers found by inspections"),
    "by_document": _("Enforcement documents issued"),
    # plans and drills
    "in_force": _("Plans in force"),
    "filed": _("Plans filed"),
    "by_plan_status": _("Plans by status"),
    "by_plan_level": _("Plans by level"),
    "reviews": _("Expert reviews concluded"),
    "filings": _("Filings with the district"),
    "drills_held": _("Drills held"),
    "drill_mean_score": _("Mean drill score"),
    "plans_drilled": _("Plans in force drilled"),
    "drill_coverage": _("Drill coverage of plans in force"),
    "by_conclusion": _("Reviews by conclusion"),
    "by_drill_form": _("Drills by form"),
    "by_drill_content": _("Drills by content"),
    # relief
    "events": _("Disaster events"),
    "distributions": _("Relief hand-outs"),
    "households_served": _("Households given relief"),
    "people_served": _("People in those households"),
    "awards_approved": _("Compensation and rewards approved"),
    "awards_approved_yuan": _("Compensation and rewards approved (yuan)"),
    "by_hazard": _("Events by hazard"),
    "materials": _("Materials handed out"),
    "handouts": _("Hand-outs"),
    # training
    "sessions": _("Training sessions held"),
    "courses": _("Courses"),
    "trainees": _("Trainees"),
    "signed_in": _("Signed in"),
    "examined": _("Sat the exam"),
    "passed": _("Passed"),
    "pass_rate": _("Exam pass rate"),
    "certificates": _("Certificates issued"),
    "by_audience": _("Trainees by audience"),
}


# ---- incidents ---------------------------------------------------------------------------------------------


def incident_rows(user: User | None, filters: StatFilters) -> QuerySet[Incident]:
    """The real incidents that occurred in the period (duplicates merged into another excluded)."""
    rows = Incident.objects.exclude(status=Status.MERGED).filter(
        occurred_at__gte=filters.start, occurred_at__lt=filters.end
    )
    rows = in_area(rows, user, filters)
    if filters.industry:
        rows = rows.filter(enterprise__industry=filters.industry)
    if filters.category:
        rows = rows.filter(category=filters.category)
    return real_only(rows)


def _target_unit(user: User | None, filters: StatFilters) -> OrgUnit | None:
    # The unit whose targets apply: the street filtered on, else the user's own area (the district for the
    # platform and district staff); none for an account outside the org tree.
    from yingji.analytics.services import area_of

    if filters.street:
        return OrgUnit.objects.filter(pk=filters.street).first()
    try:
        return area_of(user)
    except YingjiError:
        return None


def targets(user: User | None, filters: StatFilters, figures: dict[str, int]) -> list[dict[str, Any]]:
    """The annual control targets of the period's year against the period's figures (a period within one year)."""
    if filters.date_from.year != filters.date_to.year or filters.industry or filters.category:
        return []
    unit = _target_unit(user, filters)
    if unit is None:
        return []
    rows = []
    for target in ControlTarget.objects.filter(year=filters.date_to.year, org=unit).order_by("indicator"):
        actual = figures.get(target.indicator, 0)
        rows.append(
            {
                "indicator": target.indicator,
                "label": str(Indicator(target.indicator).label),
                "year": target.year,
                "limit": target.limit,
                "actual": actual,
                "used_share": round(actual / target.limit, 4) if target.limit else None,
                "within": actual <= target.limit,
            }
        )
    return rows


@register("incidents", label=_("Accidents and incidents"))
def incidents_stat(user: User | None, filters: StatFilters) -> Result:
    """Count, deaths, serious injuries and direct loss of the incidents that occurred in the period, by grade
    (State Council Order 493, art. 3), by category (Emergency Response Law, art. 3) and by month."""
    rows = incident_rows(user, filters)
    # One pass for the totals and both breakdowns.
    grades = {f"grade_{g or 'ungraded'}": Count("pk", filter=Q(grade=g)) for g in [*Grade.values, ""]}
    categories = {f"category_{c}": Count("pk", filter=Q(category=c)) for c in Category.values}
    figures = rows.aggregate(
        count=Count("pk"),
        deaths=Coalesce(Sum("deaths"), 0),
        missing=Coalesce(Sum("missing"), 0),
        serious_injuries=Coalesce(Sum("serious_injuries"), 0),
        direct_loss_yuan=Coalesce(Sum("direct_loss_yuan"), 0),
        **grades,
        **categories,
    )
    totals = {k: v for k, v in figures.items() if not k.startswith(("grade_", "category_"))}
    industries = _counts(rows, "enterprise__industry")
    result: Result = {
        **totals,
        "by_grade": {key.removeprefix("grade_"): figures[key] for key in grades},
        "by_category": {key.removeprefix("category_"): figures[key] for key in categories},
        "by_industry": _industries(industries),
        "by_month": month_counts(rows, "occurred_at", filters),
    }
    result["targets"] = targets(user, filters, {**totals, "incidents": totals["count"]})
    return result


# ---- early warnings ----------------------------------------------------------------------------------------


def warning_rows(user: User | None, filters: StatFilters) -> QuerySet[EarlyWarning]:
    """Warnings first issued in the period (an update or a cancellation is not a new warning), seen by their
    issuing unit's area or the streets they name."""
    rows = EarlyWarning.objects.filter(sent__gte=filters.start, sent__lt=filters.end, msg_type=MsgType.ALERT)
    root = None
    if user is not None:
        try:
            root = scope_root(user)
        except PermissionError:
            return rows.none()
        if not user.is_active:
            return rows.none()
    for path in [root.path if root else "", filters.street_path]:
        if path:
            ids = rows.filter(Q(org__path__startswith=path) | Q(streets__path__startswith=path)).values("pk")
            rows = rows.filter(pk__in=ids)
    return real_only(rows)


@register("warnings", label=_("Early warnings issued"))
def warnings_stat(user: User | None, filters: StatFilters) -> Result:
    """Early warnings issued in the period, by level (Emergency Response Law, art. 43) and event type."""
    rows = warning_rows(user, filters)
    levels = rows.aggregate(count=Count("pk"), **{level: Count("pk", filter=Q(level=level)) for level in Level.values})
    return {
        "count": levels.pop("count"),
        "by_level": levels,
        "by_event_type": {k: n for k, n in _counts(rows, "event_type").items() if n},
        "by_month": month_counts(rows, "sent", filters),
    }


# ---- alarms ------------------------------------------------------------------------------------------------


def alarm_rows(user: User | None, filters: StatFilters) -> QuerySet[Alarm]:
    """Alarms raised in the period on devices the user sees."""
    rows = Alarm.objects.filter(raised_at__gte=filters.start, raised_at__lt=filters.end)
    rows = in_area(rows, user, filters)
    if filters.industry:
        rows = rows.filter(Q(org__industry=filters.industry) | Q(device__installation_org__industry=filters.industry))
    return real_only(rows)


@register("alarms", label=_("Monitoring alarms"))
def alarms_stat(user: User | None, filters: StatFilters) -> Result:
    """Alarms raised in the period by level, status and device type; how many were acknowledged and how fast.
    Counted from the daily roll-up where it holds the day unchanged (`rollup`), from the alarms elsewhere."""
    from yingji.analytics.rollup import alarm_groups

    by_level = {v: 0 for v in Level.values}
    by_status = {v: 0 for v in AlarmStatus.values}
    by_type: dict[str, int] = {}
    by_month = empty_months(filters)
    count = acked = 0
    ack_seconds = 0.0
    for group in alarm_groups(user, filters):
        n = group["count"]
        count, acked, ack_seconds = count + n, acked + group["acknowledged"], ack_seconds + group["ack_seconds"]
        by_level[group["level"]] = by_level.get(group["level"], 0) + n
        by_status[group["status"]] = by_status.get(group["status"], 0) + n
        by_type[group["device_type"]] = by_type.get(group["device_type"], 0) + n
        month = group["day"].strftime("%Y-%m")
        if month in by_month:
            by_month[month] += n
    return {
        "count": count,
        "per_day": round(count / filters.days, 2),
        "acknowledged": acked,
        "acknowledged_share": round(acked / count, 4) if count else None,
        "mean_ack_s": round(ack_seconds / acked, 1) if acked else None,
        "by_level": by_level,
        "by_status": by_status,
        "by_device_type": {k: n for k, n in by_type.items() if n},
        "by_month": by_month,
    }


# ---- dispatches and response times -------------------------------------------------------------------------


def dispatch_rows(user: User | None, filters: StatFilters) -> QuerySet[Dispatch]:
    rows = Dispatch.objects.filter(dispatched_at__gte=filters.start, dispatched_at__lt=filters.end)
    rows = in_area(rows, user, filters, "incident__org")
    if filters.industry:
        rows = rows.filter(incident__enterprise__industry=filters.industry)
    if filters.category:
        rows = rows.filter(incident__category=filters.category)
    return real_only(rows, "incident")


@register("dispatches", label=_("Dispatches and response times"))
def dispatches_stat(user: User | None, filters: StatFilters) -> Result:
    """Dispatch orders given in the period by resource, the time from receiving an incident to its first
    dispatch, and from each dispatch to arrival on scene."""
    rows = dispatch_rows(user, filters)
    kinds = rows.aggregate(
        team=Count("pk", filter=Q(team__isnull=False)),
        equipment=Count("pk", filter=Q(equipment__isnull=False)),
        expert=Count("pk", filter=Q(expert__isnull=False)),
    )
    first: dict[int, tuple[Any, Any]] = {}
    arrivals = []
    for incident_id, received, dispatched, on_scene in rows.order_by().values_list(
        "incident_id", "incident__received_at", "dispatched_at", "on_scene_at"
    ):
        if incident_id not in first or dispatched < first[incident_id][1]:
            first[incident_id] = (received, dispatched)
        if on_scene is not None:
            arrivals.append((on_scene - dispatched).total_seconds())
    to_dispatch = _seconds([max(0.0, (d - r).total_seconds()) for r, d in first.values()])
    to_arrival = _seconds(arrivals)
    return {
        "count": sum(kinds.values()),
        "incidents_dispatched": len(first),
        "by_resource": kinds,
        "to_dispatch_mean_s": to_dispatch["mean_s"],
        "to_dispatch_median_s": to_dispatch["median_s"],
        "arrivals": to_arrival["n"],
        "to_arrival_mean_s": to_arrival["mean_s"],
        "to_arrival_median_s": to_arrival["median_s"],
    }


# ---- resources (a snapshot: no year-on-year) ---------------------------------------------------------------


@register("resources", label=_("Resources on hand"), compare=False)
def resources_stat(user: User | None, filters: StatFilters) -> Result:
    """Teams on standby and deployed, equipment by status, stock lines below their minimum, and batches
    expired or expiring within 30 days — as they stand now, whatever the period."""
    teams = in_area(Team.objects.all(), user, filters)
    equipment = in_area(Equipment.objects.all(), user, filters)
    balances = in_area(StockBalance.objects.all(), user, filters, "warehouse__org")
    lots = in_area(StockLot.objects.all(), user, filters, "warehouse__org")
    today = timezone.localdate()
    below = balances.filter(minimum__gt=0, quantity__lt=F("minimum")).select_related("warehouse", "item")
    headcount = dict(teams.order_by().values_list("status").annotate(n=Coalesce(Sum("headcount"), 0)))
    return {
        "teams": zero_filled(TeamStatus.choices, _counts(teams, "status")),
        "team_headcount_standby": headcount.get(TeamStatus.STANDBY, 0),
        "team_headcount_deployed": headcount.get(TeamStatus.DEPLOYED, 0),
        "equipment": zero_filled(EquipmentStatus.choices, _counts(equipment, "status")),
        "stock_below_minimum": below.count(),
        "lots_expired": lots.filter(quantity__gt=0, expiry__lt=today).count(),
        "lots_expiring": lots.filter(
            quantity__gt=0, expiry__gte=today, expiry__lte=today + timedelta(days=EXPIRY_WARNING_DAYS)
        ).count(),
        "below_minimum": [
            {
                "warehouse": row.warehouse.name,
                "item": row.item.name,
                "quantity": row.quantity,
                "minimum": row.minimum,
                "unit": row.item.unit,
            }
            for row in below.order_by("warehouse__code", "item__code")[:50]
        ],
    }


# ---- special funds -----------------------------------------------------------------------------------------


@register("funds", label=_("Special funds"), compare=False)
def funds_stat(user: User | None, filters: StatFilters) -> Result:
    """The budget lines of the years the period touches: budget, commitments and spending (to the period's end),
    rewards fund awards, what remains; spending by project."""
    years = range(filters.date_from.year, filters.date_to.year + 1)
    lines = in_area(BudgetLine.objects.filter(year__in=years), user, filters).order_by("year", "code")
    entries = FundEntry.objects.filter(line__in=lines, date__lte=filters.date_to)
    awards = RewardAward.objects.filter(line__in=lines, date__lte=filters.date_to)
    by_line: dict[int, dict[str, int]] = {}
    for line_id, kind, total in entries.order_by().values_list("line_id", "kind").annotate(t=Sum("amount_yuan")):
        by_line.setdefault(line_id, {})[kind] = total
    awarded = dict(awards.order_by().values_list("line_id").annotate(t=Sum("amount_yuan")))
    rows = []
    for line in lines:
        spent = by_line.get(line.pk, {}).get(EntryKind.SPENDING, 0)
        paid = awarded.get(line.pk, 0)
        rows.append(
            {
                "year": line.year,
                "code": line.code,
                "name": line.name,
                "budget_yuan": line.amount_yuan,
                "committed_yuan": by_line.get(line.pk, {}).get(EntryKind.COMMITMENT, 0),
                "spent_yuan": spent,
                "awards_yuan": paid,
                "remaining_yuan": line.amount_yuan - spent - paid,
            }
        )
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("budget_yuan", "committed_yuan", "spent_yuan", "awards_yuan", "remaining_yuan")
    }
    used = totals["spent_yuan"] + totals["awards_yuan"]
    projects = (
        entries.filter(kind=EntryKind.SPENDING)
        .order_by()
        .values_list("project")
        .annotate(t=Sum("amount_yuan"))
        .order_by("-t", "project")
    )
    return {
        **totals,
        "execution_rate": round(used / totals["budget_yuan"], 4) if totals["budget_yuan"] else None,
        "lines": rows,
        "by_project": [{"project": project, "spent_yuan": total} for project, total in projects],
        "awards": [
            {"date": a.date.isoformat(), "recipient": a.recipient, "reason": a.reason, "amount_yuan": a.amount_yuan}
            for a in awards.order_by("date", "id")[:200]
        ],
    }


# Alarm quality and the statistics of the later domain apps register themselves in their own modules; import
# them so the registry is complete.
from yingji.analytics import domains, quality  # noqa: E402, F401

DIMENSIONS.update(domains.DIMENSIONS)
