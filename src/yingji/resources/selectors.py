"""Queries over the resource registries and the stock ledger; every one takes the user and applies the
data scope (`core.scopes`): "not yours" and "not found" are the same 404."""

from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from yingji.core.access import get_scoped_or_404, scoped, under
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.selectors import matching
from yingji.resources.models import (
    CommunityPopulation,
    Equipment,
    Expert,
    MaterialItem,
    Shelter,
    StockBalance,
    StockLot,
    StockMovement,
    Team,
    TeamMember,
    Warehouse,
)

CERTIFICATE_WARNING_DAYS = 60


def org_choices(*, user: User) -> QuerySet[OrgUnit]:
    """Units the user may own records with: their scope, teams excluded (a team owns itself)."""
    return scoped(OrgUnit.objects.filter(active=True).exclude(kind=OrgKind.TEAM), user, org_field="")


def org_lookup(*, user: User, value: str) -> OrgUnit | None:
    """A unit in scope by code, or by name when exactly one unit carries it."""
    units = scoped(OrgUnit.objects.all(), user, org_field="")
    by_code = units.filter(code=value).first()
    if by_code is not None:
        return by_code
    by_name = list(units.filter(name=value)[:2])
    return by_name[0] if len(by_name) == 1 else None


# --- teams -----------------------------------------------------------------------------------------------------


def team_list(
    *,
    user: User,
    q: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    org: int | None = None,
) -> QuerySet[Team]:
    teams = scoped(Team.objects.select_related("org", "org__parent"), user)
    teams = matching(teams, q=q, fields=("org__name", "org__code", "org__contact", "skills"))
    if kind:
        teams = teams.filter(kind=kind)
    if status:
        teams = teams.filter(status=status)
    return under(teams, user, org).annotate(member_count=Count("members")).order_by("org__path")


def team_get(*, user: User, team_id: int) -> Team:
    return get_scoped_or_404(Team.objects.select_related("org", "org__parent"), user, pk=team_id)


def team_by_code(*, user: User, code: str) -> Team | None:
    return scoped(Team.objects.select_related("org"), user).filter(org__code=code).first()


def certificates_expiring(*, user: User, within_days: int = CERTIFICATE_WARNING_DAYS) -> QuerySet[TeamMember]:
    """Members whose certificate has expired or expires within `within_days` days, soonest first."""
    limit = timezone.localdate() + timedelta(days=within_days)
    members = TeamMember.objects.filter(certificate_expiry__lte=limit).select_related("team", "team__org")
    return scoped(members, user, org_field="team__org").order_by("certificate_expiry", "name")


# --- experts, equipment ----------------------------------------------------------------------------------------


def expert_list(
    *,
    user: User,
    q: str | None = None,
    field: str | None = None,
    availability: str | None = None,
    org: int | None = None,
) -> QuerySet[Expert]:
    experts = scoped(Expert.objects.select_related("org"), user)
    experts = matching(experts, q=q, fields=("name", "code", "organisation", "title", "phone"))
    if field:
        experts = experts.filter(field=field)
    if availability:
        experts = experts.filter(availability=availability)
    return under(experts, user, org)


def expert_get(*, user: User, expert_id: int) -> Expert:
    return get_scoped_or_404(Expert.objects.select_related("org"), user, pk=expert_id)


def equipment_list(
    *,
    user: User,
    q: str | None = None,
    category: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    org: int | None = None,
) -> QuerySet[Equipment]:
    rows = scoped(Equipment.objects.select_related("org"), user)
    rows = matching(rows, q=q, fields=("name", "code", "model", "location", "keeper"))
    if category:
        rows = rows.filter(category=category)
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(next_maintenance__lt=timezone.localdate())
    return under(rows, user, org)


def equipment_get(*, user: User, equipment_id: int) -> Equipment:
    return get_scoped_or_404(Equipment.objects.select_related("org"), user, pk=equipment_id)


# --- materials, warehouses, stock ------------------------------------------------------------------------------


def material_list(*, user: User, q: str | None = None, category: str | None = None) -> QuerySet[MaterialItem]:
    """The district-wide catalogue, with what is on hand in the warehouses the user may see."""
    on_hand = (
        scoped(StockBalance.objects.filter(item=OuterRef("pk")), user, org_field="warehouse__org")
        .values("item")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    items = MaterialItem.objects.annotate(on_hand=Coalesce(Subquery(on_hand, output_field=IntegerField()), Value(0)))
    if user is None or not user.is_authenticated:
        return items.none()
    items = matching(items, q=q, fields=("name", "code", "spec"))
    if category:
        items = items.filter(category=category)
    return items


def material_get(*, user: User, material_id: int) -> MaterialItem:
    item = material_list(user=user).filter(pk=material_id).first()
    if item is None:
        raise Http404
    return item


def warehouse_list(
    *,
    user: User,
    q: str | None = None,
    active: bool | None = None,
    org: int | None = None,
) -> QuerySet[Warehouse]:
    rows = scoped(Warehouse.objects.select_related("org"), user)
    rows = matching(rows, q=q, fields=("name", "code", "address", "keeper"))
    if active is not None:
        rows = rows.filter(active=active)
    low = Count("balances", filter=Q(balances__minimum__gt=0, balances__quantity__lt=F("balances__minimum")))
    counts = {"item_count": Count("balances", filter=Q(balances__quantity__gt=0)), "low_count": low}
    return under(rows, user, org).annotate(**counts).order_by("code")


def warehouse_get(*, user: User, warehouse_id: int) -> Warehouse:
    return get_scoped_or_404(Warehouse.objects.select_related("org"), user, pk=warehouse_id)


def warehouse_choices(*, user: User) -> QuerySet[Warehouse]:
    return scoped(Warehouse.objects.filter(active=True), user)


def transfer_targets() -> QuerySet[Warehouse]:
    """Any open warehouse may receive a transfer: streets send reserves to the district and back."""
    return Warehouse.objects.filter(active=True)


def stock_balances(*, warehouse: Warehouse) -> QuerySet[StockBalance]:
    """A warehouse's balances (the caller got the warehouse through a scoped selector)."""
    return warehouse.balances.select_related("item").order_by("item__code")


def stock_lots(*, warehouse: Warehouse) -> QuerySet[StockLot]:
    return warehouse.lots.filter(quantity__gt=0).select_related("item").order_by("item__code", "expiry", "batch")


def stock_movements(*, user: User, warehouse: Warehouse | None = None) -> QuerySet[StockMovement]:
    rows = scoped(StockMovement.objects.select_related("item", "warehouse", "actor"), user, org_field="warehouse__org")
    return rows.filter(warehouse=warehouse) if warehouse is not None else rows


def stock_on_hand_from_ledger(*, warehouse: Warehouse, item: MaterialItem) -> int:
    """On-hand as the sum of the ledger: what the balance row must always equal."""
    total = StockMovement.objects.filter(warehouse=warehouse, item=item).aggregate(total=Sum("delta"))["total"]
    return total or 0


def stock_below_minimum(*, user: User) -> QuerySet[StockBalance]:
    rows = StockBalance.objects.filter(minimum__gt=0, quantity__lt=F("minimum")).select_related(
        "warehouse", "warehouse__org", "item"
    )
    return scoped(rows, user, org_field="warehouse__org").order_by("warehouse__code", "item__code")


def lots_expired(*, user: User, on: date | None = None) -> QuerySet[StockLot]:
    """Batches still on hand whose expiry date has passed."""
    on = on or timezone.localdate()
    rows = StockLot.objects.filter(quantity__gt=0, expiry__lt=on).select_related("warehouse", "warehouse__org", "item")
    return scoped(rows, user, org_field="warehouse__org").order_by("expiry", "warehouse__code")


def equipment_maintenance_overdue(*, user: User) -> QuerySet[Equipment]:
    return equipment_list(user=user, overdue=True).order_by("next_maintenance")


# --- shelters --------------------------------------------------------------------------------------------------


def shelter_list(
    *,
    user: User,
    q: str | None = None,
    kind: str | None = None,
    shelter_class: str | None = None,
    is_open: bool | None = None,
    org: int | None = None,
) -> QuerySet[Shelter]:
    rows = scoped(Shelter.objects.select_related("org"), user)
    rows = matching(rows, q=q, fields=("name", "code", "address", "manager"))
    if kind:
        rows = rows.filter(kind=kind)
    if shelter_class:
        rows = rows.filter(shelter_class=shelter_class)
    if is_open is not None:
        rows = rows.filter(is_open=is_open)
    return under(rows, user, org)


def shelter_get(*, user: User, shelter_id: int) -> Shelter:
    return get_scoped_or_404(Shelter.objects.select_related("org"), user, pk=shelter_id)


# --- communities -----------------------------------------------------------------------------------------------


def communities_with_population(*, user: User, ids: list[int] | None = None) -> QuerySet[OrgUnit]:
    rows = scoped(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, active=True), user, org_field="")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    estimate = CommunityPopulation.objects.filter(community=OuterRef("pk")).values("population")[:1]
    return rows.annotate(population=Subquery(estimate, output_field=IntegerField()))


def registry_counts(*, user: User) -> dict[str, int]:
    """How many records of each registry the user sees."""
    return {
        "teams": team_list(user=user).count(),
        "experts": expert_list(user=user).count(),
        "equipment": equipment_list(user=user).count(),
        "materials": MaterialItem.objects.count() if user.is_authenticated else 0,
        "warehouses": scoped(Warehouse.objects.all(), user).count(),
        "shelters": shelter_list(user=user).count(),
    }
