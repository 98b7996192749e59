"""Queries of the duty desk; every one takes the user and applies the data scope."""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yingji.core.access import get_scoped_or_404, scoped
from yingji.core.errors import ValidationFailed
from yingji.core.models import DISTRICT_WIDE_KINDS, User
from yingji.incidents import deadlines, documents, grading
from yingji.incidents.documents import Document
from yingji.incidents.models import (
    Dispatch,
    DispatchStatus,
    DutyShift,
    Incident,
    IncidentProposal,
    MaterialRequest,
    ProposalStatus,
    Report,
    ReportStatus,
    Review,
    Status,
    Task,
    TimelineEntry,
)
from yingji.incidents.recommend import Need, needs_for
from yingji.resources.models import StockBalance

OPEN_STATUSES = (Status.OPEN, Status.RESPONDING)


@dataclass(frozen=True)
class IncidentFilters:
    q: str | None = None
    status: str | None = None
    category: str | None = None
    type: str | None = None
    grade: str | None = None
    open: bool | None = None
    org: int | None = None
    received_from: date | None = None
    received_to: date | None = None


def incident_list(*, user: User, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    filters = filters or IncidentFilters()
    incidents = scoped(Incident.objects.select_related("type", "org", "commander"), user)
    if filters.q:
        incidents = incidents.filter(
            Q(title__icontains=filters.q)
            | Q(code__icontains=filters.q)
            | Q(address__icontains=filters.q)
            | Q(reporter_name__icontains=filters.q)
        )
    if filters.status:
        incidents = incidents.filter(status=filters.status)
    if filters.category:
        incidents = incidents.filter(category=filters.category)
    if filters.type:
        incidents = incidents.filter(type__code=filters.type)
    if filters.grade:
        incidents = incidents.filter(grade=filters.grade)
    if filters.open is not None:
        incidents = (
            incidents.filter(status__in=OPEN_STATUSES) if filters.open else incidents.exclude(status__in=OPEN_STATUSES)
        )
    if filters.org:
        incidents = incidents.filter(org__path__contains=f"/{filters.org}/")
    if filters.received_from:
        incidents = incidents.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        incidents = incidents.filter(received_at__date__lte=filters.received_to)
    return incidents


def incident_get(*, user: User, incident_id: int) -> Incident:
    return get_scoped_or_404(
        Incident.objects.select_related("type", "org", "enterprise", "commander", "merged_into", "created_by"),
        user,
        pk=incident_id,
    )


def open_incidents(*, user: User) -> QuerySet[Incident]:
    """Open incidents, the one whose report falls due first on top."""
    return (
        scoped(Incident.objects.select_related("type", "org"), user)
        .filter(status__in=OPEN_STATUSES)
        .order_by("report_deadline", "-received_at")
    )


def timeline(*, user: User, incident_id: int) -> QuerySet[TimelineEntry]:
    incident = incident_get(user=user, incident_id=incident_id)
    return incident.timeline.select_related("actor").order_by("at", "id")


def scoped_timeline(*, user: User) -> QuerySet[TimelineEntry]:
    """Timeline entries of the incidents the user sees."""
    return scoped(TimelineEntry.objects.all(), user, org_field="incident__org")


def reports_due(*, user: User) -> QuerySet[Report]:
    """Reports still to be sent for open incidents, soonest first."""
    return (
        scoped(Report.objects.select_related("incident"), user, org_field="incident__org")
        .filter(status=ReportStatus.DUE, incident__status__in=OPEN_STATUSES)
        .order_by("due_at")
    )


def report_get(*, user: User, report_id: int) -> Report:
    return get_scoped_or_404(
        Report.objects.select_related("incident", "incident__org", "incident__type", "sent_by"),
        user,
        org_field="incident__org",
        pk=report_id,
    )


def report_document_build(*, report: Report, sent_at: datetime, by: User | None) -> Document:
    """A report's document built now from the incident's data, in Chinese whatever the sender's screen speaks."""
    incident = report.incident
    with translation.override("zh-hans"):
        # One deadline everywhere: the chain starts from this report's own due time, as the page and desk show it.
        chain = [("区应急管理局（接报）", incident.received_at)] + [
            (deadlines.LEVEL_LABELS[level], due)
            for level, due in deadlines.upward_chain(first_due=report.due_at, grade=incident.grade or None)
        ]
        return documents.report_document(
            incident=incident,
            kind_label=report.get_kind_display(),
            recipient=report.recipient,
            reason=report.reason,
            sent_at=sent_at,
            by=by,
            grade_label=grading.LABELS.get(incident.grade, ""),
            tasks=list(incident.tasks.select_related("assignee_org", "assignee_user")),
            timeline=list(incident.timeline.all()),
            chain=chain,
        )


def report_document(*, report: Report) -> Document:
    """A report's document: as frozen when it was sent, else a preview built from the incident as it stands."""
    if report.content:
        return Document.from_dict(report.content)
    return report_document_build(report=report, sent_at=report.sent_at or timezone.now(), by=report.sent_by)


def review_document(*, incident: Incident, official: bool = True) -> Document:
    """The after-action review as a document; the official copy is Chinese, the on-screen one speaks the reader's
    language."""
    data = review_data(incident=incident)
    with translation.override("zh-hans") if official else nullcontext():
        return documents.review_document(
            incident=incident,
            grade_label=grading.LABELS.get(incident.grade, ""),
            figures=data["figures"],
            findings=data["findings"],
            improvements=data["improvements"],
            dated=data["updated_at"] or incident.closed_at or timezone.now(),
        )


def material_requests(*, incident: Incident) -> QuerySet[MaterialRequest]:
    """The materials issued to an incident (the caller got the incident through a scoped selector)."""
    return incident.material_requests.select_related("warehouse", "item", "requested_by")


def material_stock(*, user: User) -> QuerySet[StockBalance]:
    """What the user may draw on: items on hand in the open warehouses of the user's area."""
    return (
        scoped(StockBalance.objects.filter(quantity__gt=0, warehouse__active=True), user, org_field="warehouse__org")
        .select_related("warehouse", "item")
        .order_by("warehouse__code", "item__code")
    )


def task_get(*, user: User, task_id: int) -> Task:
    return get_scoped_or_404(
        Task.objects.select_related("incident", "incident__org"), user, org_field="incident__org", pk=task_id
    )


def on_duty(*, user: User, at: datetime | None = None) -> list[DutyShift]:
    """The shifts on duty at `at` (now): who is duty officer and duty leader."""
    at = at or timezone.now()
    rows = DutyShift.objects.select_related("officer", "leader", "org")
    # Everyone may know who is on duty at the district (streets and enterprises call them), and their own units.
    visible = rows.filter(org__kind__in=DISTRICT_WIDE_KINDS) | scoped(rows, user)
    return list(visible.filter(starts_at__lte=at, ends_at__gt=at).distinct().order_by("starts_at"))


def roster(*, user: User, week_of: date) -> dict[str, Any]:
    """The shifts of the Monday-to-Sunday week containing `week_of`."""
    monday = week_of - timedelta(days=week_of.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    start = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    end = start + timedelta(days=7)
    shifts = scoped(DutyShift.objects.select_related("officer", "leader", "org"), user).filter(
        starts_at__lt=end, ends_at__gt=start
    )
    return {"monday": monday, "days": days, "shifts": list(shifts.prefetch_related("handovers", "handovers__by"))}


def incidents_layer(user: User) -> dict[str, Any]:
    """Open incidents as GeoJSON points (map layer "incidents")."""
    features = [
        {
            "type": "Feature",
            "id": incident.pk,
            "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
            "properties": incident_summary(incident),
        }
        for incident in open_incidents(user=user).filter(lat__isnull=False)
    ]
    return {"type": "FeatureCollection", "features": features}


def review_data(*, incident: Incident) -> dict[str, Any]:
    """The after-action review of an incident: its computed figures with findings and improvement actions."""
    from yingji.incidents.review import review_figures

    sent = list(incident.reports.filter(sent_at__isnull=False).values_list("sent_at", flat=True))
    figures = review_figures(
        received_at=incident.received_at,
        closed_at=incident.closed_at,
        report_sent_times=sent,
        arrivals=arrivals(incident),
    )
    review = Review.objects.filter(incident=incident).first()

    def seconds(value: timedelta | None) -> int | None:
        return int(value.total_seconds()) if value is not None else None

    return {
        "incident": incident.pk,
        "figures": figures,
        "to_first_report_s": seconds(figures.to_first_report),
        "to_first_dispatch_s": seconds(figures.to_first_dispatch),
        "total_s": seconds(figures.total),
        "findings": review.findings if review else "",
        "improvements": review.improvements if review else "",
        "updated_at": review.updated_at if review else None,
    }


def arrivals(incident: Incident) -> list:
    """Each dispatched resource's dispatch and arrival times."""
    from yingji.incidents.review import Arrival

    return [Arrival(d.resource_name, d.dispatched_at, d.on_scene_at) for d in dispatches(incident=incident)]


def dispatch_get(*, user: User, dispatch_id: int) -> Dispatch:
    """A dispatch order of an incident the user sees, or one sent to the user's own team."""
    orders = Dispatch.objects.select_related("incident", "incident__org", "team__org", "equipment", "expert")
    visible = scoped(orders, user, org_field="incident__org") | scoped(orders, user, org_field="team__org")
    try:
        return visible.get(pk=dispatch_id)
    except Dispatch.DoesNotExist:
        raise Http404 from None


def team_dispatches(*, user: User) -> QuerySet[Dispatch]:
    """Orders sent to the teams in the user's part of the org tree (a team leader's own team), open ones first."""
    orders = Dispatch.objects.filter(team__isnull=False).select_related("incident", "incident__org", "team__org")
    return scoped(orders, user, org_field="team__org").order_by(
        models.Case(models.When(status=DispatchStatus.RELEASED, then=1), default=0), "-dispatched_at"
    )


def dispatches(*, incident: Incident) -> QuerySet[Dispatch]:
    return incident.dispatches.select_related("team__org", "equipment", "expert", "dispatched_by")


def incident_summary(incident: Incident) -> dict[str, Any]:
    """What a duty-desk page needs to show an incident in a list or on the map."""
    return {
        "id": incident.pk,
        "code": incident.code,
        "title": incident.title,
        "status": incident.status,
        "status_label": incident.get_status_display(),
        "category_label": incident.get_category_display(),
        "type_label": incident.type.name,
        "grade": incident.grade or None,
        "grade_label": grading.LABELS.get(incident.grade, ""),
        "report_deadline": incident.report_deadline.isoformat() if incident.report_deadline else None,
        "report_deadline_local": (
            f"{timezone.localtime(incident.report_deadline):%H:%M}" if incident.report_deadline else None
        ),
        "received_at": incident.received_at.isoformat(),
        "lat": incident.lat,
        "lon": incident.lon,
        "org_name": incident.org.name,
        "url": reverse("incidents:detail", args=[incident.pk]),
    }


def busy_resources(kind: str) -> frozenset[int]:
    """Ids of the teams, equipment or experts of `kind` on an incident now (an order not yet released)."""
    active = Dispatch.objects.exclude(status=DispatchStatus.RELEASED).filter(**{f"{kind}__isnull": False})
    return frozenset(active.values_list(f"{kind}_id", flat=True))


def dispatch_recommend(
    *, user: User, incident: Incident, kind: str | None = None, limit: int = 3
) -> list[dict[str, Any]]:
    """Resources to send, nearest first by road travel time, skipping busy ones. With `kind`, the nearest of that
    kind; without, what the incident's type needs in order (recommend.NEEDS), `limit` per need, each row naming
    its `need`."""
    from yingji.resources.reach import nearest_resources

    if kind is not None and kind not in ("team", "equipment", "expert"):
        raise ValidationFailed(_("unknown kind"), {"kind": [_("Choose team, equipment or expert.")]})
    if incident.lat is None:
        message = _("Place the incident on the map to get travel times.")
        raise ValidationFailed(message, {"lat": [message]})
    needs = [Need(kind, "")] if kind is not None else list(needs_for(incident.type.code))
    rows: list[dict[str, Any]] = []
    taken: dict[str, set[int]] = {}
    for need in needs:
        skip = busy_resources(need.kind) | taken.setdefault(need.kind, set())
        found = nearest_resources(
            user=user, lat=incident.lat, lon=incident.lon, kind=need.kind, limit=limit, where=need.where, exclude=skip
        )
        taken[need.kind].update(r["id"] for r in found)
        rows += [{**r, "need": str(need.label)} for r in found]
    return rows


def resources_by_travel(
    *, user: User, incident: Incident, kind: str, q: str = "", status: str = "", max_minutes: float | None = None
) -> list[dict[str, Any]]:
    """Every resource of a kind the user may see, busy ones included (marked), by travel time to the incident,
    searchable by name and filterable by status and travel time."""
    from yingji.resources.reach import nearest_resources

    if incident.lat is None:
        return []
    busy = busy_resources(kind)
    rows = nearest_resources(user=user, lat=incident.lat, lon=incident.lon, kind=kind, limit=500, busy=True)
    rows = [{**r, "busy": r["id"] in busy} for r in rows]
    if q:
        rows = [r for r in rows if q in r["name"]]
    if status:
        rows = [r for r in rows if r.get("status_code") == status]
    if max_minutes is not None:
        rows = [r for r in rows if r["eta_s"] <= max_minutes * 60]
    return rows


def pending_proposals(*, user: User) -> QuerySet[IncidentProposal]:
    """Incidents alarms propose that wait for the duty officer, in the user's scope, newest first."""
    rows = IncidentProposal.objects.filter(status=ProposalStatus.PENDING).select_related("type", "org", "alarm")
    return scoped(rows, user)


def proposal_get(*, user: User, proposal_id: int) -> IncidentProposal:
    return get_scoped_or_404(IncidentProposal.objects.select_related("type", "org", "alarm__device"), user, proposal_id)


def _resource_point(dispatch: Dispatch) -> tuple[float, float] | None:
    """Where a dispatched resource sets out from: a team's base (its org unit), equipment's or expert's place."""
    place = dispatch.team.org if dispatch.team_id else dispatch.equipment or dispatch.expert
    if place is None or place.lat is None or place.lon is None:
        return None
    return place.lat, place.lon


def incident_map(*, user: User, incident_id: int) -> dict[str, Any]:
    """The incident page's small map as GeoJSON: the incident, each dispatched resource not yet released and its
    road route to the incident on the active network (left out when there is no network or no road near). Scoped
    like the incident itself: not found and not yours are the same 404."""
    from yingji.routing.travel import NoRoadNetwork, nearest

    incident = incident_get(user=user, incident_id=incident_id)
    features: list[dict[str, Any]] = []
    if incident.lat is not None and incident.lon is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
                "properties": {"role": "incident", "name": f"{incident.code} {incident.title}", "id": incident.pk},
            }
        )
    orders = dispatches(incident=incident).exclude(status=DispatchStatus.RELEASED)
    placed = [(d, point) for d in orders if (point := _resource_point(d)) is not None]
    routes: dict[int, Any] = {}
    if placed and incident.lat is not None and incident.lon is not None:
        try:
            reaches = nearest(
                lat=incident.lat, lon=incident.lon, targets=[(d.pk, lat, lon) for d, (lat, lon) in placed]
            )
        except (NoRoadNetwork, ValidationFailed):
            reaches = []
        routes = {r.key: r for r in reaches}
    for d, (lat, lon) in placed:
        properties = {
            "dispatch": d.pk,
            "kind": d.resource_kind,
            "name": d.resource_name,
            "status": d.status,
            "status_label": d.get_status_display(),
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"role": "resource", **properties},
            }
        )
        reach = routes.get(d.pk)
        if reach is not None and reach.route:
            features.append(
                {
                    "type": "Feature",
                    "geometry": reach.route,
                    "properties": {
                        "role": "route",
                        **properties,
                        "eta_s": round(reach.eta_s),
                        "distance_m": round(reach.distance_m),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
