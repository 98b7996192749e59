"""Queries of the analytics app: statistics through the registry, the dashboard's figures, reports and targets.
Every one takes the user and stays inside their data scope."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.analytics.filters import MAX_SPAN_DAYS, StatFilters, year_start
from yingji.analytics.models import ControlTarget, Report
from yingji.analytics.stats import STATS, Result, compute, in_scope, incident_rows, month_counts, real_only
from yingji.core.access import get_scoped_or_404, org_in_scope, scoped
from yingji.core.commands import require_perm
from yingji.core.errors import ValidationFailed
from yingji.core.models import User
from yingji.incidents import grading
from yingji.incidents import selectors as incidents
from yingji.incidents.models import Grade, Incident, TimelineEntry
from yingji.monitoring.models import OPEN_STATUSES as OPEN_ALARMS
from yingji.monitoring.models import Alarm, Level
from yingji.resources.models import Equipment, EquipmentStatus, Team, TeamStatus
from yingji.warnings import selectors as warnings

# More key figures for the dashboard: name → function of the user returning {"label", "value"[, "url"]}. Apps
# that land later (hidden dangers overdue, plans due for filing) add theirs here; the dashboard shows each as a
# key figure beside the others.
PANELS: dict[str, Callable[[User], Any]] = {}


def _dangers_overdue_panel(user: User) -> dict[str, Any]:
    from yingji.analytics.domains import dangers_overdue

    return {
        "label": _("Hidden dangers overdue"),
        "value": dangers_overdue(user),
        "url": reverse("risk:dangers") + "?overdue=true",
    }


PANELS["hidden_dangers_overdue"] = _dangers_overdue_panel
# More map layers (names in core.maplayers.LAYERS) drawn on the dashboard's map when they exist, e.g. the risk
# app's four-colour risk layer; a feature's `properties.color` colours it, `properties.name` labels it.
EXTRA_LAYERS: list[str] = ["risk", "risk_points", "hidden_dangers_overdue"]


def dashboard_layers() -> list[dict[str, str]]:
    """The extra map layers that exist on this installation: name, and the label its app gave it."""
    from yingji.core.maplayers import LAYER_INFO, LAYERS

    return [
        {"name": name, "label": str(LAYER_INFO[name].label) if name in LAYER_INFO else name}
        for name in EXTRA_LAYERS
        if name in LAYERS
    ]


def stat_filters(
    *,
    user: User,
    date_from: date | None = None,
    date_to: date | None = None,
    street: int | None = None,
    industry: str = "",
    category: str = "",
    minutes: int = 10,
) -> StatFilters:
    """Filters from request values: the year to date by default; the street checked to lie in the user's scope."""
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or year_start(date_to)
    if date_from > date_to:
        raise ValidationFailed("from", {"from": [_("The start must not lie after the end.")]})
    if (date_to - date_from).days > MAX_SPAN_DAYS:
        raise ValidationFailed("to", {"to": [_("A period may span ten years at most.")]})
    if date_from.year < 1900 or date_to.year > 9998:
        raise ValidationFailed("from", {"from": [_("The period lies outside the calendar the platform keeps.")]})
    path = ""
    if street is not None:
        unit = org_in_scope(user, street, field="street")
        path = unit.path if unit is not None else ""
    return StatFilters(
        date_from=date_from,
        date_to=date_to,
        street=street,
        street_path=path,
        industry=industry or "",
        category=category or "",
        minutes=minutes,
    )


def stat_get(*, user: User, name: str, filters: StatFilters) -> Result:
    """A registered statistic for the user's area; Http404 for an unknown name."""
    require_perm(user, "analytics.view_statistics")
    if name not in STATS:
        raise Http404
    return compute(name, user=user, filters=filters)


def stat_catalogue() -> list[dict[str, Any]]:
    return [{"name": s.name, "label": str(s.label), "compare": s.compare} for s in STATS.values()]


# ---- the command dashboard ---------------------------------------------------------------------------------


def _open_incidents(user: User) -> dict[str, Any]:
    rows = real_only(incidents.open_incidents(user=user))
    by_grade = {key: 0 for key in [*Grade.values, "ungraded"]}
    for grade, n in rows.order_by().values_list("grade").annotate(n=Count("pk")):
        by_grade[grade or "ungraded"] += n
    latest = [
        {
            "id": i.pk,
            "code": i.code,
            "title": i.title,
            "grade": i.grade or None,
            "grade_label": grading.LABELS.get(i.grade, ""),
            "status_label": i.get_status_display(),
            "org": i.org.name,
            "received_at": timezone.localtime(i.received_at).isoformat(),
            "url": reverse("incidents:detail", args=[i.pk]),
        }
        for i in rows.order_by("-received_at")[:8]
    ]
    labels = {**dict(Grade.choices), "ungraded": _("Not graded")}
    return {
        "count": sum(by_grade.values()),
        "by_grade": by_grade,
        "grade_labels": {k: str(v) for k, v in labels.items()},
        "latest": latest,
    }


def _active_alarms(user: User) -> dict[str, Any]:
    rows = real_only(scoped(Alarm.objects.filter(status__in=OPEN_ALARMS), user))
    by_level = {key: 0 for key in Level.values}
    for level, n in rows.order_by().values_list("level").annotate(n=Count("pk")):
        by_level[level] = by_level.get(level, 0) + n
    latest = [
        {
            "id": a.pk,
            "device": a.device.name,
            "rule": a.rule.name,
            "level": a.level,
            "level_label": a.get_level_display(),
            "status_label": a.get_status_display(),
            "raised_at": timezone.localtime(a.raised_at).isoformat(),
            "url": reverse("monitoring:alarm-detail", args=[a.pk]),
        }
        for a in rows.select_related("device", "rule").order_by("-raised_at")[:8]
    ]
    return {
        "count": sum(by_level.values()),
        "by_level": by_level,
        "level_labels": {k: str(v) for k, v in Level.choices},
        "latest": latest,
    }


def _warnings_in_force() -> dict[str, Any]:
    # Published warnings are public record: everyone sees those in force.
    rows = warnings.warning_current()
    return {
        "count": rows.count(),
        "latest": [
            {
                "id": w.pk,
                "headline": w.headline,
                "level": w.level,
                "level_label": w.get_level_display(),
                "event_label": w.get_event_type_display(),
                "expires": timezone.localtime(w.expires).isoformat() if w.expires else None,
                "url": reverse("warnings:detail", args=[w.pk]),
            }
            for w in rows[:6]
        ],
    }


def _resources(user: User) -> dict[str, Any]:
    teams = in_scope(Team.objects.all(), user)
    by_status = {key: {"teams": 0, "people": 0} for key in TeamStatus.values}
    for status, n, people in (
        teams.order_by().values_list("status").annotate(n=Count("pk"), people=Coalesce(Sum("headcount"), 0))
    ):
        by_status[status] = {"teams": n, "people": people}
    equipment = dict(
        in_scope(Equipment.objects.all(), user)
        .order_by()
        .values_list("status")
        .annotate(n=Coalesce(Sum("quantity"), 0))
    )
    return {
        "teams": by_status,
        "team_labels": {k: str(v) for k, v in TeamStatus.choices},
        "equipment_ready": equipment.get(EquipmentStatus.READY, 0),
        "equipment_in_use": equipment.get(EquipmentStatus.IN_USE, 0),
    }


def _recent_events(user: User) -> list[dict[str, Any]]:
    entries = scoped(TimelineEntry.objects.select_related("incident"), user, org_field="incident__org")
    events = [
        {
            "at": timezone.localtime(e.at).isoformat(),
            "kind": "incident",
            "text": f"{e.incident.code} {e.text}",
            "url": reverse("incidents:detail", args=[e.incident_id]),
        }
        for e in real_only(entries, "incident").order_by("-at", "-id")[:12]
    ]
    alarms = scoped(Alarm.objects.select_related("device", "rule"), user).order_by("-raised_at")[:12]
    events += [
        {
            "at": timezone.localtime(a.raised_at).isoformat(),
            "kind": "alarm",
            "text": f"{a.device.name} · {a.rule.name} · {a.get_level_display()}",
            "url": reverse("monitoring:alarm-detail", args=[a.pk]),
        }
        for a in alarms
    ]
    return sorted(events, key=lambda e: e["at"], reverse=True)[:12]


def _trends(user: User) -> dict[str, Any]:
    """Incidents per month for the last twelve months and alarms per day for the last fourteen days."""
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    filters = StatFilters(date_from=first, date_to=today)
    months = month_counts(incident_rows(user, filters), "occurred_at", filters)
    since = today - timedelta(days=13)
    days = {(since + timedelta(days=n)).isoformat(): 0 for n in range(14)}
    start = StatFilters(date_from=since, date_to=today).start
    alarms = scoped(Alarm.objects.filter(raised_at__gte=start), user)
    tz = timezone.get_current_timezone()
    for day, n in (
        alarms.order_by().annotate(d=TruncDate("raised_at", tzinfo=tz)).values_list("d").annotate(n=Count("pk"))
    ):
        key = day.isoformat()
        if key in days:
            days[key] += n
    return {"incidents_by_month": months, "alarms_by_day": days}


def dashboard(*, user: User) -> dict[str, Any]:
    """Everything the command dashboard shows, for the user's area."""
    require_perm(user, "analytics.view_statistics")
    today = timezone.localdate()
    today_filters = StatFilters(date_from=today, date_to=today)
    received_today = (
        real_only(scoped(Incident.objects.all(), user))
        .filter(received_at__gte=today_filters.start, received_at__lt=today_filters.end)
        .count()
    )
    return {
        "now": timezone.localtime().isoformat(),
        "on_duty": [
            {
                "officer": str(s.officer),
                "leader": str(s.leader),
                "phone": s.phone,
                "org": s.org.name,
                "until": timezone.localtime(s.ends_at).isoformat(),
            }
            for s in incidents.on_duty(user=user)
        ],
        "incidents_today": received_today,
        "open_incidents": _open_incidents(user),
        "alarms": _active_alarms(user),
        "warnings": _warnings_in_force(),
        "resources": _resources(user),
        "recent": _recent_events(user),
        "trends": _trends(user),
        "panels": {name: panel(user) for name, panel in PANELS.items()},
    }


# ---- reports and targets -----------------------------------------------------------------------------------


def report_list(*, user: User) -> QuerySet[Report]:
    """The report archive of the user's area, newest first."""
    require_perm(user, "analytics.view_report")
    return scoped(Report.objects.select_related("org", "requested_by"), user).order_by("-requested_at", "-id")


def report_get(*, user: User, report_id: int) -> Report:
    return get_scoped_or_404(Report.objects.select_related("org", "requested_by"), user, pk=report_id)


def target_list(*, user: User, year: int | None = None) -> QuerySet[ControlTarget]:
    rows = scoped(ControlTarget.objects.select_related("org", "set_by"), user)
    return rows.filter(year=year) if year else rows
