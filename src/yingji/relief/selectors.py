"""Queries of disaster relief, each through the user's scope (core.access), and the statistics by event and
street."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from yingji.core.access import scoped
from yingji.core.inputs import MAX_ID
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.relief.models import (
    FIGURES,
    Award,
    CallOut,
    DisasterEvent,
    DisasterReport,
    Distribution,
    Household,
    SocialOrganisation,
    Stage,
    Volunteer,
)

STAGE_ORDER: dict[str, int] = {Stage.INITIAL: 0, Stage.VERIFIED: 1, Stage.FINAL: 2}


def event_list(*, user: User, status: str | None = None) -> QuerySet[DisasterEvent]:
    """Events a user may see: those their unit leads or lies under, and district-wide events for everyone in
    the district (a street reports on an event the district opened)."""
    rows = DisasterEvent.objects.select_related("org")
    if not scoped(OrgUnit.objects.all(), user, org_field="").exists():
        return rows.none()
    mine = scoped(rows, user)
    district_wide = rows.filter(org__kind__in=[OrgKind.DISTRICT, OrgKind.BUREAU])
    rows = (mine | district_wide).distinct()
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-started_on", "-id")


def event_get(*, user: User, event_id: int) -> DisasterEvent:
    if not isinstance(event_id, int) or not 0 < event_id <= MAX_ID:
        raise Http404
    event = event_list(user=user).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def report_list(*, user: User, event: int | None = None, stage: str | None = None) -> QuerySet[DisasterReport]:
    rows = scoped(DisasterReport.objects.select_related("event", "org", "created_by"), user)
    if event:
        rows = rows.filter(event_id=event)
    if stage:
        rows = rows.filter(stage=stage)
    return rows


def household_list(*, user: User, q: str | None = None) -> QuerySet[Household]:
    rows = scoped(Household.objects.select_related("org"), user)
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(head_name__icontains=q) | Q(address__icontains=q))
    return rows


def distribution_list(*, user: User, event: int | None = None, household: int | None = None) -> QuerySet[Distribution]:
    rows = scoped(
        Distribution.objects.select_related("event", "household", "material", "warehouse", "org", "created_by"), user
    )
    if event:
        rows = rows.filter(event_id=event)
    if household:
        rows = rows.filter(household_id=household)
    return rows


def volunteer_list(*, user: User, q: str | None = None, active: bool | None = None) -> QuerySet[Volunteer]:
    rows = scoped(Volunteer.objects.select_related("org", "team__org"), user)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(skills__icontains=q))
    if active is not None:
        rows = rows.filter(active=active)
    return rows


def callout_list(*, user: User) -> QuerySet[CallOut]:
    return scoped(CallOut.objects.select_related("org", "event").prefetch_related("replies__volunteer"), user)


def organisation_list(*, user: User) -> QuerySet[SocialOrganisation]:
    return scoped(SocialOrganisation.objects.select_related("org"), user)


def award_list(*, user: User, status: str | None = None) -> QuerySet[Award]:
    rows = scoped(Award.objects.select_related("org", "organisation", "volunteer", "event"), user)
    return rows.filter(status=status) if status else rows


def latest_reports(*, user: User, event: DisasterEvent) -> list[DisasterReport]:
    """Each street's latest-stage report for the event (the figures that count), in street order."""
    latest: dict[int, DisasterReport] = {}
    for report in report_list(user=user, event=event.pk).order_by("org__path"):
        current = latest.get(report.org_id)
        if current is None or STAGE_ORDER[report.stage] > STAGE_ORDER[current.stage]:
            latest[report.org_id] = report
    return list(latest.values())


def event_stats(*, user: User, event: DisasterEvent) -> dict[str, Any]:
    """Damage by street (latest stage each) with totals, and relief handed out by street and material."""
    reports = latest_reports(user=user, event=event)
    totals = {
        name: sum((getattr(r, name) for r in reports), Decimal(0) if name.endswith(("_ha", "_yuan")) else 0)
        for name in FIGURES
    }
    rows = (
        distribution_list(user=user, event=event.pk)
        .values("org__kind", "org__name", "org__parent__name", "material__name", "material__unit")
        .annotate(quantity=Sum("quantity"), households=Count("household", distinct=True))
        .order_by("org__parent__name", "org__name", "material__name")
    )
    by_street: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: {"quantity": 0, "households": 0})
    for row in rows:
        street = row["org__name"] if row["org__kind"] == OrgKind.STREET else row["org__parent__name"]
        cell = by_street[(street, row["material__name"], row["material__unit"])]
        cell["quantity"] += row["quantity"]
        cell["households"] += row["households"]
    relief = [{"street": s, "material": m, "unit": u, **values} for (s, m, u), values in sorted(by_street.items())]
    households = distribution_list(user=user, event=event.pk).values("household").distinct().count()
    return {"reports": reports, "totals": totals, "relief": relief, "households_served": households}
