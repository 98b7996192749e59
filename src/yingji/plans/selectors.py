"""Queries over plans, versions, cards, drills and scenarios; each takes the user and applies the data scope.
Plans in force are matched to incidents by `plans_matching` (called from the incidents app)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yingji.core.access import get_scoped_or_404, scoped, under
from yingji.core.errors import ValidationFailed
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.plans import match, services
from yingji.plans.models import (
    IN_FORCE,
    LEVEL_RANK,
    Drill,
    Plan,
    PlanStep,
    PlanVersion,
    Scenario,
)
from yingji.plans.structure import text_diff
from yingji.resources import selectors as resource_selectors
from yingji.resources.models import EquipmentStatus, TeamStatus
from yingji.routing.travel import nearest


def plan_list(
    *,
    user: User,
    q: str | None = None,
    level: str | None = None,
    status: str | None = None,
    org: int | None = None,
    incident_type: str | None = None,
) -> QuerySet[Plan]:
    """Plans in the user's scope, filtered."""
    rows = scoped(Plan.objects.select_related("org"), user)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(filing_number__icontains=q))
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    rows = under(rows, user, org)
    if incident_type:
        # JSON containment is not portable to SQLite: filter the (short) list of plans here.
        keep = [p.pk for p in rows if not p.incident_types or incident_type in p.incident_types]
        rows = rows.filter(pk__in=keep)
    return rows


def plan_get(*, user: User, plan_id: int) -> Plan:
    return get_scoped_or_404(Plan.objects.select_related("org"), user, plan_id)


def plan_detail(*, plan: Plan) -> Plan:
    """The plan with its whole structure loaded."""
    return (
        Plan.objects.select_related("org")
        .prefetch_related(
            "sections",
            "roles__org",
            "tiers",
            Prefetch("steps", queryset=PlanStep.objects.select_related("role")),
            "reporting__role",
            "resources__team__org",
            "resources__equipment",
            "resources__warehouse",
            "resources__expert",
            "annexes",
            "attachments",
            "filings",
            "reviews__experts",
        )
        .get(pk=plan.pk)
    )


def version_get(*, plan: Plan, number: int) -> PlanVersion:
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def version_diff(*, plan: Plan, old: int, new: int) -> list[str]:
    """A readable diff between two versions of the plan."""
    before, after = version_get(plan=plan, number=old), version_get(plan=plan, number=new)
    return text_diff(before.text, after.text, old_label=f"v{old}", new_label=f"v{new}")


# --- response cards -------------------------------------------------------------------------------------------


@dataclass
class Card:
    """A response card (应急处置卡, 生产安全事故应急预案管理办法 art. 19) for one role: when it applies, the steps in
    order per level, whom to call and what to report."""

    role: str
    unit: str
    duties: str
    triggers: list[tuple[str, str]]
    steps: list[tuple[str, list[str]]]
    contacts: list[tuple[str, str]]
    reports: list[str]


def plan_cards(*, plan: Plan, role_id: int | None = None) -> list[Card]:
    """The plan's response cards, one per role (or the one role asked for), generated from its structure."""
    plan = plan_detail(plan=plan)
    tiers = sorted(plan.tiers.all(), key=lambda t: LEVEL_RANK[t.level])
    contacts = [
        (f"{r.name} {r.contact}".strip(), r.phone or (r.org.phone if r.org_id else "")) for r in plan.roles.all()
    ]
    contacts = [(who, phone) for who, phone in contacts if phone]
    contacts += [
        (d.recipient, d.phone) for d in plan.reporting.all() if d.phone and (d.recipient, d.phone) not in contacts
    ]
    for link in plan.resources.all():
        phone = link.team.org.phone if link.team_id else getattr(link.resource, "phone", "")
        if phone:
            contacts.append((str(link.resource), phone))
    cards = []
    for role in plan.roles.all():
        if role_id is not None and role.pk != role_id:
            continue
        steps = []
        for tier in tiers:
            actions = [
                f"{s.action}" + (f"（{s.due_minutes} 分钟内）" if s.due_minutes else "")
                for s in sorted(plan.steps.all(), key=lambda s: s.order)
                if s.role_id == role.pk and s.level == tier.level
            ]
            if actions:
                steps.append((tier.level, actions))
        reports = [
            f"{d.what} → {d.recipient} {d.phone}".strip() + (f"，{d.within_minutes} 分钟内" if d.within_minutes else "")
            for d in plan.reporting.all()
            if d.role_id in (None, role.pk)
        ]
        cards.append(
            Card(
                role=role.name,
                unit=role.org.name if role.org_id else plan.org.name,
                duties=role.duties,
                triggers=[(t.level, t.trigger) for t in tiers],
                steps=steps,
                contacts=[c for c in contacts if not c[0].startswith(role.name)] or contacts,
                reports=reports,
            )
        )
    if role_id is not None and not cards:
        raise Http404
    return cards


# --- matching -------------------------------------------------------------------------------------------------


def plans_matching(*, type_code: str, type_name: str, enterprise: OrgUnit | None, place: OrgUnit) -> list[match.Match]:
    """Plans in force that apply to an incident of this type at this place, closest to the scene first. Plans in
    force are known to every responder, so the list is not limited to the caller's scope."""
    candidates = Plan.objects.filter(status__in=IN_FORCE).select_related("org").prefetch_related("tiers")
    return match.match_plans(
        candidates,
        type_code=type_code,
        type_name=type_name,
        enterprise_id=enterprise.pk if enterprise else None,
        place_path=place.path,
    )


def plan_in_force(*, plan_id: int) -> Plan:
    """A plan in force by id, else Http404 (for activation from an incident)."""
    plan = Plan.objects.filter(pk=plan_id, status__in=IN_FORCE).select_related("org").first() if plan_id else None
    if plan is None:
        raise Http404
    return plan


# --- statistics -----------------------------------------------------------------------------------------------


def overdue_evaluations(*, user: User, today: date | None = None) -> list[Plan]:
    """Plans in force whose three-year evaluation has fallen due."""
    today = today or timezone.localdate()
    plans = scoped(Plan.objects.filter(status__in=IN_FORCE).select_related("org"), user)
    return [p for p in plans if (due := services.evaluation_due(p)) is not None and due <= today]


def filing_stats(*, user: User, year: int | None = None) -> list[dict[str, Any]]:
    """Per street: enterprise plans filed (this year) and in force, and plans overdue for evaluation."""
    year = year or timezone.localdate().year
    streets = scoped(OrgUnit.objects.filter(kind=OrgKind.STREET), user, org_field="")
    overdue = overdue_evaluations(user=user)
    rows = []
    for street in streets:
        plans = scoped(Plan.objects.filter(org__path__startswith=street.path), user)
        counts = plans.aggregate(
            total=Count("pk"),
            in_force=Count("pk", filter=Q(status__in=IN_FORCE)),
            filed_this_year=Count("filings", filter=Q(filings__year=year)),
        )
        rows.append(
            {
                "street": street.name,
                "street_id": street.pk,
                **counts,
                "overdue": sum(1 for p in overdue if p.org.path.startswith(street.path)),
            }
        )
    return rows


def industry_stats(*, user: User) -> list[dict[str, Any]]:
    """Per industry: enterprise plans in force and overdue for evaluation."""
    overdue = {p.pk for p in overdue_evaluations(user=user)}
    plans = scoped(Plan.objects.filter(org__kind=OrgKind.ENTERPRISE).select_related("org"), user)
    table: dict[str, dict[str, Any]] = {}
    for plan in plans:
        row = table.setdefault(
            plan.org.industry or "other",
            {"industry": plan.org.get_industry_display() or "其他", "in_force": 0, "overdue": 0},
        )
        row["in_force"] += plan.status in IN_FORCE
        row["overdue"] += plan.pk in overdue
    return sorted(table.values(), key=lambda r: r["industry"])


# --- drills and scenarios -------------------------------------------------------------------------------------


def drill_list(*, user: User, year: int | None = None) -> QuerySet[Drill]:
    rows = scoped(Drill.objects.select_related("org", "plan", "scenario"), user)
    if year:
        rows = rows.filter(scheduled_for__year=year)
    return rows


def drill_get(*, user: User, drill_id: int) -> Drill:
    return get_scoped_or_404(Drill.objects.select_related("org", "plan", "scenario"), user, drill_id)


def undrilled(*, user: User, year: int | None = None) -> dict[str, list[Any]]:
    """Plans in force and high-risk enterprises (hazardous chemicals, gas, metallurgy, construction, ports) with
    no drill done this year (生产安全事故应急预案管理办法 art. 33; 生产安全事故应急条例 art. 8)."""
    year = year or timezone.localdate().year
    drilled = Drill.objects.filter(scheduled_for__year=year, status__in=["done", "evaluated"])
    plans = scoped(Plan.objects.filter(status__in=IN_FORCE).select_related("org"), user).exclude(
        pk__in=drilled.exclude(plan=None).values("plan")
    )
    risky = scoped(
        OrgUnit.objects.filter(
            kind=OrgKind.ENTERPRISE, active=True, industry__in=["hazchem", "gas", "metallurgy", "construction", "port"]
        ),
        user,
        org_field="",
    ).exclude(pk__in=drilled.values("org"))
    return {"plans": list(plans), "enterprises": list(risky)}


def scenario_list(*, user: User) -> QuerySet[Scenario]:
    return scoped(Scenario.objects.select_related("org").prefetch_related("needs"), user)


def scenario_get(*, user: User, scenario_id: int) -> Scenario:
    return get_scoped_or_404(Scenario.objects.select_related("org"), user, scenario_id)


def readiness(*, user: User, scenario: Scenario, lat: float, lon: float, minutes: float) -> list[dict[str, Any]]:
    """One row per resource kind the scenario needs: needed, what can arrive at (lat, lon) within `minutes` by
    travel time on the road network (teams count one each, equipment by its quantity), and the shortfall."""
    if not (0 < minutes <= 24 * 60):
        raise ValidationFailed("minutes: between 0 and 1440", {"minutes": ["give between 0 and 1440 minutes"]})
    rows = []
    for need in scenario.needs.all():
        family, _sep, kind = need.kind.partition(":")
        if family == "team":
            found = resource_selectors.team_list(user=user, kind=kind).exclude(status=TeamStatus.UNAVAILABLE)
            targets = [(t.pk, t.org.lat, t.org.lon, 1) for t in found if t.org.lat is not None]
        else:
            found = resource_selectors.equipment_list(user=user, category=kind, status=EquipmentStatus.READY)
            targets = [(e.pk, e.lat, e.lon, e.quantity) for e in found if e.lat is not None]
        amounts = {key: amount for key, _lat, _lon, amount in targets}
        reaches = nearest(
            lat=lat,
            lon=lon,
            targets=[(key, t_lat, t_lon) for key, t_lat, t_lon, _amount in targets],
            direction="to_point",
            max_eta_s=minutes * 60,
        )
        reachable = sum(amounts[r.key] for r in reaches)
        rows.append(
            {
                "kind": need.kind,
                "label": need.label,
                "needed": need.quantity,
                "reachable": reachable,
                "shortfall": max(0, need.quantity - reachable),
            }
        )
    return rows
