"""Commands that change the resource registries and the stock ledger. One transaction each, audited.

Every command takes `by` (None for the system itself, e.g. the demo loader): it needs the role's model
permission and may only touch records of org units in its scope.
"""

import uuid
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import org_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, refuse_nulls, require_perm
from yingji.core.errors import ValidationFailed
from yingji.core.inputs import MAX_QUANTITY
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.services import org_create, org_update
from yingji.resources import shelter_capacity
from yingji.resources.models import (
    CommunityPopulation,
    Equipment,
    Expert,
    Facility,
    MaterialItem,
    MovementKind,
    Shelter,
    StockBalance,
    StockLot,
    StockMovement,
    Team,
    TeamMember,
    Warehouse,
)

M = TypeVar("M", bound=models.Model)

# What a team's profile keeps itself; its name, code, place and contact live on its OrgUnit.
TEAM_FIELDS = ("kind", "headcount", "on_duty", "skills", "status", "notes")
# The team's editable OrgUnit fields, by the name the team registry uses for them.
TEAM_ORG_FIELDS = {
    "code": "code",
    "name": "name",
    "parent": "parent",
    "lat": "lat",
    "lon": "lon",
    "address": "address",
    "leader": "contact",
    "phone": "phone",
}
MEMBER_FIELDS = ("name", "position", "phone", "certificate", "certificate_no", "certificate_expiry")
EXPERT_FIELDS = (
    "org",
    "code",
    "name",
    "field",
    "title",
    "organisation",
    "phone",
    "availability",
    "lat",
    "lon",
    "notes",
)
EQUIPMENT_FIELDS = (
    "org",
    "code",
    "name",
    "category",
    "model",
    "quantity",
    "location",
    "lat",
    "lon",
    "status",
    "next_maintenance",
    "keeper",
    "phone",
)
MATERIAL_FIELDS = ("code", "name", "category", "spec", "unit", "shelf_life_days")
WAREHOUSE_FIELDS = ("org", "code", "name", "address", "lat", "lon", "keeper", "phone", "active")
SHELTER_FIELDS = (
    "org",
    "code",
    "name",
    "kind",
    "shelter_class",
    "address",
    "lat",
    "lon",
    "effective_area_m2",
    "capacity_given",
    "facilities",
    "is_open",
    "occupancy",
    "manager",
    "phone",
    "illustrative",
)


# --- shared checks -------------------------------------------------------------------------------------------


def _snapshot(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(instance, f"{f}_id" if f == "org" else f) for f in fields}


def _set_fields(instance: models.Model, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    refuse_nulls(instance, changes)
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationFailed(_("unknown field %(field)s") % {"field": field}, {field: [_("Unknown field.")]})
        setattr(instance, field, value)


def _check_coordinates(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise ValidationFailed(_("give both latitude and longitude"), {"lon": [_("Give both latitude and longitude.")]})


def _create(*, by: User | None, model: type[M], fields: dict[str, Any], allowed: tuple[str, ...]) -> M:
    """Create a registry row owned by an org unit in the actor's scope."""
    require_perm(by, f"resources.add_{model._meta.model_name}")
    if "org" in allowed:
        org_in_scope(by, fields.get("org"), required=True)
    instance = model()
    _set_fields(instance, fields, allowed)
    _check_coordinates(getattr(instance, "lat", None), getattr(instance, "lon", None))
    clean_or_fail(instance)
    instance.save()
    audit_append(
        actor=by,
        action=f"resources.{model._meta.model_name}.create",
        obj=instance,
        summary=f"新建{model._meta.verbose_name} {instance}",
        payload=_snapshot(instance, allowed),
    )
    return instance


def _locked(by: User | None, instance: M) -> M:
    """Re-read a registry row under a lock, checking it is the actor's to change."""
    require_perm(by, f"resources.change_{instance._meta.model_name}")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if hasattr(locked, "org_id"):
        org_in_scope(by, locked.org, required=True)  # type: ignore[attr-defined]  # rows with an org_id have an org
    return locked


def _audit_update(by: User | None, instance: models.Model, before: dict[str, Any], fields: tuple[str, ...]) -> None:
    after = _snapshot(instance, fields)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        audit_append(
            actor=by,
            action=f"resources.{instance._meta.model_name}.update",
            obj=instance,
            summary=f"修改{instance._meta.verbose_name} {instance}",
            payload=changed,
        )


@transaction.atomic
def _update(*, by: User | None, instance: M, changes: dict[str, Any], allowed: tuple[str, ...]) -> M:
    instance = _locked(by, instance)
    before = _snapshot(instance, allowed)
    _set_fields(instance, changes, allowed)
    if "org" in changes:  # only registries with an owner unit are given one
        org_in_scope(by, instance.org, required=True)  # type: ignore[attr-defined]
    _check_coordinates(getattr(instance, "lat", None), getattr(instance, "lon", None))
    clean_or_fail(instance)
    instance.save()
    _audit_update(by, instance, before, allowed)
    return instance


# --- rescue teams --------------------------------------------------------------------------------------------


def _team_org_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {TEAM_ORG_FIELDS[k]: v for k, v in fields.items() if k in TEAM_ORG_FIELDS}


def _team_check(team: Team) -> None:
    if team.on_duty > team.headcount:
        raise ValidationFailed(_("more on duty than the headcount"), {"on_duty": [_("Cannot exceed the headcount.")]})
    clean_or_fail(team, exclude=["org"])


@transaction.atomic
def team_create(*, by: User | None, org: OrgUnit | None = None, **fields: Any) -> Team:
    """Register a rescue team: create its OrgUnit (kind team) under `parent`, or give a profile to an
    existing team unit passed as `org`."""
    require_perm(by, "resources.add_team")
    unknown = set(fields) - set(TEAM_FIELDS) - set(TEAM_ORG_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(_("unknown field %(field)s") % {"field": field}, {field: [_("Unknown field.")]})
    team = Team(**{k: v for k, v in fields.items() if k in TEAM_FIELDS})
    _team_check(team)
    if org is None:
        org_in_scope(by, fields.get("parent"), field="parent", required=True)
        org = org_create(by=by, kind=OrgKind.TEAM, **_team_org_fields(fields))
    else:
        org_in_scope(by, org, required=True)
        if org.kind != OrgKind.TEAM or Team.objects.filter(org=org).exists():
            raise ValidationFailed(
                _("not a team unit without a profile"), {"org": [_("Not a team unit without a profile.")]}
            )
        if _team_org_fields(fields):
            org = org_update(by=by, org=org, **_team_org_fields(fields))
    team.org = org
    team.save()
    audit_append(
        actor=by,
        action="resources.team.create",
        obj=team,
        summary=f"登记救援队伍 {org.name}",
        payload=_snapshot(team, TEAM_FIELDS),
    )
    return team


@transaction.atomic
def team_update(*, by: User | None, team: Team, **changes: Any) -> Team:
    """Change a team's profile and the fields of its OrgUnit (name, code, parent, place, leader, phone)."""
    team = _locked(by, team)
    unknown = set(changes) - set(TEAM_FIELDS) - set(TEAM_ORG_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(_("unknown field %(field)s") % {"field": field}, {field: [_("Unknown field.")]})
    before = _snapshot(team, TEAM_FIELDS)
    refuse_nulls(team, {f: v for f, v in changes.items() if f in TEAM_FIELDS})
    for field in TEAM_FIELDS:
        if field in changes:
            setattr(team, field, changes[field])
    _team_check(team)
    org_changes = _team_org_fields(changes)
    if "parent" in org_changes:
        org_in_scope(by, org_changes["parent"], field="parent", required=True)
    if org_changes:
        team.org = org_update(by=by, org=team.org, **org_changes)
    team.save()
    _audit_update(by, team, before, TEAM_FIELDS)
    return team


@transaction.atomic
def team_member_save(*, by: User | None, team: Team, member: TeamMember | None = None, **fields: Any) -> TeamMember:
    """Add a member to a team, or change one of its members."""
    team = _locked(by, team)
    if member is None:
        member = TeamMember(team=team)
    elif member.team_id != team.pk:
        raise ValidationFailed(_("member of another team"), {"member": [_("Not a member of this team.")]})
    _set_fields(member, fields, MEMBER_FIELDS)
    clean_or_fail(member, exclude=["team"])
    created = member.pk is None
    member.save()
    audit_append(
        actor=by,
        action="resources.teammember.add" if created else "team.member.update",
        obj=team,
        summary=f"{'添加' if created else '修改'}队员 {member.name}（{team.org.name}）",
        payload={"member": member.pk, **_snapshot(member, MEMBER_FIELDS)},
    )
    return member


@transaction.atomic
def team_member_remove(*, by: User | None, team: Team, member: TeamMember) -> None:
    """Take a member off a team's roll."""
    team = _locked(by, team)
    if member.team_id != team.pk:
        raise ValidationFailed(_("member of another team"), {"member": [_("Not a member of this team.")]})
    audit_append(
        actor=by,
        action="resources.teammember.remove",
        obj=team,
        summary=f"移除队员 {member.name}（{team.org.name}）",
        payload={"member": member.pk, "name": member.name},
    )
    member.delete()


# --- experts, equipment, material items, warehouses ----------------------------------------------------------


@transaction.atomic
def expert_create(*, by: User | None, **fields: Any) -> Expert:
    return _create(by=by, model=Expert, fields=fields, allowed=EXPERT_FIELDS)


def expert_update(*, by: User | None, expert: Expert, **changes: Any) -> Expert:
    return _update(by=by, instance=expert, changes=changes, allowed=EXPERT_FIELDS)


@transaction.atomic
def equipment_create(*, by: User | None, **fields: Any) -> Equipment:
    return _create(by=by, model=Equipment, fields=fields, allowed=EQUIPMENT_FIELDS)


def equipment_update(*, by: User | None, equipment: Equipment, **changes: Any) -> Equipment:
    return _update(by=by, instance=equipment, changes=changes, allowed=EQUIPMENT_FIELDS)


@transaction.atomic
def material_create(*, by: User | None, **fields: Any) -> MaterialItem:
    return _create(by=by, model=MaterialItem, fields=fields, allowed=MATERIAL_FIELDS)


def material_update(*, by: User | None, material: MaterialItem, **changes: Any) -> MaterialItem:
    return _update(by=by, instance=material, changes=changes, allowed=MATERIAL_FIELDS)


@transaction.atomic
def warehouse_create(*, by: User | None, **fields: Any) -> Warehouse:
    return _create(by=by, model=Warehouse, fields=fields, allowed=WAREHOUSE_FIELDS)


def warehouse_update(*, by: User | None, warehouse: Warehouse, **changes: Any) -> Warehouse:
    return _update(by=by, instance=warehouse, changes=changes, allowed=WAREHOUSE_FIELDS)


# --- shelters ------------------------------------------------------------------------------------------------


def _shelter_derive(shelter: Shelter) -> None:
    """Derive capacity (stated, or from area and class) and check facilities and occupancy against it."""
    unknown = [f for f in shelter.facilities or [] if f not in Facility.values]
    if unknown:
        raise ValidationFailed(
            _("unknown facility"), {"facilities": [_("Unknown facility: %(f)s") % {"f": f} for f in unknown]}
        )
    if shelter.effective_area_m2 is None or not shelter.shelter_class:
        return  # full_clean reports the missing field
    if shelter.capacity_given is not None:
        ceiling = shelter_capacity.max_stated_capacity(shelter.effective_area_m2, shelter.shelter_class)
        if ceiling is not None and shelter.capacity_given > ceiling:
            raise ValidationFailed(
                _("capacity too large for the area"),
                {
                    "capacity_given": [
                        _("GB 21734-2008 §5.4: more than 1.5 m² per person; at most %(n)d.") % {"n": ceiling}
                    ]
                },
            )
        shelter.capacity = shelter.capacity_given
    else:
        shelter.capacity = shelter_capacity.capacity_from_area(
            shelter.effective_area_m2, shelter.shelter_class, settings.SHELTER_AREA_PER_PERSON_M2
        )
    if shelter.occupancy is not None and shelter.occupancy > shelter.capacity:
        raise ValidationFailed(
            _("occupancy above capacity"),
            {"occupancy": [_("Cannot exceed the capacity (%(n)d).") % {"n": shelter.capacity}]},
        )


@transaction.atomic
def shelter_create(*, by: User | None, **fields: Any) -> Shelter:
    """Register a shelter; its capacity follows from area and class unless `capacity_given` states it."""
    require_perm(by, "resources.add_shelter")
    org_in_scope(by, fields.get("org"), required=True)
    shelter = Shelter()
    _set_fields(shelter, fields, SHELTER_FIELDS)
    _check_coordinates(shelter.lat, shelter.lon)
    _shelter_derive(shelter)
    clean_or_fail(shelter)
    shelter.save()
    audit_append(
        actor=by,
        action="resources.shelter.create",
        obj=shelter,
        summary=f"新建避难场所 {shelter.name}",
        payload={**_snapshot(shelter, SHELTER_FIELDS), "capacity": shelter.capacity},
    )
    return shelter


@transaction.atomic
def shelter_update(*, by: User | None, shelter: Shelter, **changes: Any) -> Shelter:
    """Change a shelter (opening, closing and occupancy included); the row is locked so two desks
    counting arrivals at once cannot push occupancy past capacity."""
    shelter = _locked(by, shelter)
    fields = (*SHELTER_FIELDS, "capacity")
    before = _snapshot(shelter, fields)
    _set_fields(shelter, changes, SHELTER_FIELDS)
    if "org" in changes:
        org_in_scope(by, shelter.org, required=True)
    _check_coordinates(shelter.lat, shelter.lon)
    _shelter_derive(shelter)
    clean_or_fail(shelter)
    shelter.save()
    _audit_update(by, shelter, before, fields)
    return shelter


# --- community population estimates --------------------------------------------------------------------------


@transaction.atomic
def community_population_set(
    *, by: User | None, community: OrgUnit, population: int, source: str = "", illustrative: bool = False
) -> CommunityPopulation:
    """Record a community's population estimate (used to plan evacuations by community)."""
    require_perm(by, "resources.change_communitypopulation")
    org_in_scope(by, community, field="community", required=True)
    if community.kind != OrgKind.COMMUNITY:
        raise ValidationFailed(_("not a community"), {"community": [_("Not a community.")]})
    if population < 0:
        raise ValidationFailed(_("negative population"), {"population": [_("Cannot be negative.")]})
    estimate, _created = CommunityPopulation.objects.update_or_create(
        community=community, defaults={"population": population, "source": source, "illustrative": illustrative}
    )
    audit_append(
        actor=by,
        action="resources.communitypopulation.update",
        obj=community,
        summary=f"社区人口 {community.name}: {population}",
        payload={"population": population, "source": source},
    )
    return estimate


# --- the stock ledger ----------------------------------------------------------------------------------------


def _stock_checks(by: User | None, warehouse: Warehouse, item: MaterialItem, quantity: int, reason: str) -> None:
    require_perm(by, "resources.add_stockmovement")
    org_in_scope(by, warehouse.org, field="warehouse", required=True)
    errors: dict[str, list[str]] = {}
    if not warehouse.active:
        errors["warehouse"] = [_("The warehouse is closed.")]
    if not isinstance(quantity, int) or quantity <= 0:
        errors["quantity"] = [_("Must be a positive whole number.")]
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = [_("At most %(n)d.") % {"n": MAX_QUANTITY}]
    if not reason.strip():
        errors["reason"] = [_("Give a reason.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)


def _locked_balances(pairs: list[tuple[Warehouse, MaterialItem]]) -> list[StockBalance]:
    """The balance rows of (warehouse, item) pairs, created if missing, locked in primary-key order so two
    transfers in opposite directions cannot deadlock."""
    ids = [StockBalance.objects.get_or_create(warehouse=w, item=i)[0].pk for w, i in pairs]
    # Lock the stock row: two withdrawals may draw on the same warehouse at once.
    locked = {b.pk: b for b in StockBalance.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [locked[pk] for pk in ids]


def _draw(warehouse: Warehouse, item: MaterialItem, quantity: int, batch: str | None) -> list[tuple[StockLot, int]]:
    """Which lots a withdrawal of `quantity` takes from: the named batch, or first-expiring-first-out over the
    batches not yet expired. Called with the item's balance row locked."""
    today = timezone.localdate()
    lots = StockLot.objects.select_for_update().filter(warehouse=warehouse, item=item, quantity__gt=0)
    if batch is not None:
        lots = lots.filter(batch=batch)
    usable = [lot for lot in lots.order_by("expiry", "batch") if lot.expiry is None or lot.expiry >= today]
    # SQL puts NULL expiry first on some databases and last on others: undated lots go last.
    usable.sort(key=lambda lot: (lot.expiry is None, lot.expiry or today, lot.batch))
    available = sum(lot.quantity for lot in usable)
    if quantity > available:
        raise ValidationFailed(
            _("insufficient stock"),
            {"quantity": [_("Only %(n)d %(unit)s usable on hand.") % {"n": available, "unit": item.unit}]},
        )
    taken, left = [], quantity
    for lot in usable:
        take = min(left, lot.quantity)
        taken.append((lot, take))
        left -= take
        if left == 0:
            break
    return taken


def _lot_for_receipt(warehouse: Warehouse, item: MaterialItem, batch: str, expiry: date | None) -> StockLot:
    lot, created = StockLot.objects.select_for_update().get_or_create(
        warehouse=warehouse, item=item, batch=batch, defaults={"expiry": expiry}
    )
    if not created and lot.expiry != expiry:
        if lot.quantity > 0:
            raise ValidationFailed(
                _("batch already on hand with another expiry"),
                {
                    "expiry": [
                        _("Batch %(batch)s is on hand with expiry %(expiry)s.")
                        % {"batch": batch or "—", "expiry": lot.expiry or "—"}
                    ]
                },
            )
        lot.expiry = expiry
    return lot


def _append(
    *,
    by: User | None,
    balance: StockBalance,
    lot: StockLot,
    kind: str,
    delta: int,
    reason: str,
    transfer_ref: str = "",
) -> StockMovement:
    """Append one ledger line and move the balance and lot with it; the database's non-negative checks
    back up the service's own."""
    balance.quantity += delta
    lot.quantity += delta
    if balance.quantity < 0 or lot.quantity < 0:
        raise ValidationFailed(_("stock cannot go negative"), {"quantity": [_("Stock cannot go negative.")]})
    if balance.quantity > MAX_QUANTITY:
        raise ValidationFailed(_("stock too large"), {"quantity": [_("At most %(n)d.") % {"n": MAX_QUANTITY}]})
    balance.save(update_fields=["quantity"])
    lot.save(update_fields=["quantity", "expiry"])
    return StockMovement.objects.create(
        warehouse_id=balance.warehouse_id,
        item_id=balance.item_id,
        kind=kind,
        delta=delta,
        batch=lot.batch,
        expiry=lot.expiry,
        balance_after=balance.quantity,
        reason=reason.strip(),
        actor=by if by is not None and by.is_authenticated else None,
        at=timezone.now(),
        transfer_ref=transfer_ref,
    )


def _audit_movements(by: User | None, action: str, summary: str, movements: list[StockMovement]) -> None:
    audit_append(
        actor=by,
        action=action,
        obj=movements[0],
        summary=summary,
        payload={
            "movements": [
                {"id": m.pk, "warehouse": m.warehouse_id, "item": m.item_id, "delta": m.delta, "batch": m.batch}
                for m in movements
            ],
            "reason": movements[0].reason,
        },
    )


@transaction.atomic
def stock_receive(
    *,
    by: User | None,
    warehouse: Warehouse,
    item: MaterialItem,
    quantity: int,
    reason: str,
    batch: str = "",
    expiry: date | None = None,
) -> StockMovement:
    """Take a batch into a warehouse."""
    _stock_checks(by, warehouse, item, quantity, reason)
    (balance,) = _locked_balances([(warehouse, item)])
    lot = _lot_for_receipt(warehouse, item, batch.strip(), expiry)
    movement = _append(by=by, balance=balance, lot=lot, kind=MovementKind.IN, delta=quantity, reason=reason)
    _audit_movements(
        by, "stock.receive", f"入库 {warehouse.name} {item.name} {quantity}{item.unit}（{reason}）", [movement]
    )
    return movement


@transaction.atomic
def stock_withdraw(
    *,
    by: User | None,
    warehouse: Warehouse,
    item: MaterialItem,
    quantity: int,
    reason: str,
    batch: str | None = None,
) -> list[StockMovement]:
    """Issue stock from a warehouse, first-expiring first unless a batch is named; one ledger line per batch
    drawn. Fails with a field error, writing nothing, when not enough usable stock is on hand."""
    _stock_checks(by, warehouse, item, quantity, reason)
    (balance,) = _locked_balances([(warehouse, item)])
    movements = [
        _append(by=by, balance=balance, lot=lot, kind=MovementKind.OUT, delta=-take, reason=reason)
        for lot, take in _draw(warehouse, item, quantity, batch)
    ]
    _audit_movements(
        by,
        "resources.stockmovement.withdraw",
        f"出库 {warehouse.name} {item.name} {quantity}{item.unit}（{reason}）",
        movements,
    )
    return movements


@transaction.atomic
def stock_transfer(
    *,
    by: User | None,
    source: Warehouse,
    target: Warehouse,
    item: MaterialItem,
    quantity: int,
    reason: str,
    batch: str | None = None,
) -> list[StockMovement]:
    """Move stock between warehouses, batches and expiry dates kept; a pair of ledger lines per batch."""
    _stock_checks(by, source, item, quantity, reason)
    if target.pk == source.pk:
        raise ValidationFailed(_("same warehouse"), {"target": [_("Choose another warehouse.")]})
    if not target.active:
        raise ValidationFailed(_("target closed"), {"target": [_("The warehouse is closed.")]})
    out_balance, in_balance = _locked_balances([(source, item), (target, item)])
    ref = uuid.uuid4().hex
    movements = []
    for lot, take in _draw(source, item, quantity, batch):
        movements.append(
            _append(
                by=by,
                balance=out_balance,
                lot=lot,
                kind=MovementKind.TRANSFER_OUT,
                delta=-take,
                reason=reason,
                transfer_ref=ref,
            )
        )
        target_lot = _lot_for_receipt(target, item, lot.batch, lot.expiry)
        movements.append(
            _append(
                by=by,
                balance=in_balance,
                lot=target_lot,
                kind=MovementKind.TRANSFER_IN,
                delta=take,
                reason=reason,
                transfer_ref=ref,
            )
        )
    _audit_movements(
        by,
        "stock.transfer",
        f"调拨 {source.name} → {target.name} {item.name} {quantity}{item.unit}（{reason}）",
        movements,
    )
    return movements


@transaction.atomic
def stock_adjust(
    *,
    by: User | None,
    warehouse: Warehouse,
    item: MaterialItem,
    delta: int,
    reason: str,
    batch: str = "",
    expiry: date | None = None,
) -> StockMovement:
    """Correct a batch's quantity after a stock-take or a write-off (expired, damaged); never below zero."""
    require_perm(by, "resources.change_stockbalance")
    if not isinstance(delta, int) or delta == 0:
        raise ValidationFailed(_("adjustment must be a non-zero whole number"), {"delta": [_("Must not be zero.")]})
    _stock_checks(by, warehouse, item, abs(delta), reason)
    (balance,) = _locked_balances([(warehouse, item)])
    batch = batch.strip()
    lot: StockLot | None
    if delta > 0:
        lot = _lot_for_receipt(warehouse, item, batch, expiry)
    else:
        lot = StockLot.objects.select_for_update().filter(warehouse=warehouse, item=item, batch=batch).first()
        if lot is None or lot.quantity + delta < 0:
            on_hand = lot.quantity if lot else 0
            raise ValidationFailed(
                _("stock cannot go negative"),
                {
                    "delta": [
                        _("Batch %(batch)s has only %(n)d %(unit)s.")
                        % {"batch": batch or "—", "n": on_hand, "unit": item.unit}
                    ]
                },
            )
    movement = _append(by=by, balance=balance, lot=lot, kind=MovementKind.ADJUST, delta=delta, reason=reason)
    _audit_movements(
        by, "stock.adjust", f"盘点调整 {warehouse.name} {item.name} {delta:+d}{item.unit}（{reason}）", [movement]
    )
    return movement


@transaction.atomic
def stock_minimum_set(*, by: User | None, warehouse: Warehouse, item: MaterialItem, minimum: int) -> StockBalance:
    """Set the minimum stock of an item in a warehouse (an alert is raised below it)."""
    require_perm(by, "resources.change_stockbalance")
    org_in_scope(by, warehouse.org, field="warehouse", required=True)
    if minimum < 0:
        raise ValidationFailed(_("negative minimum"), {"minimum": [_("Cannot be negative.")]})
    (balance,) = _locked_balances([(warehouse, item)])
    before = balance.minimum
    balance.minimum = minimum
    balance.save(update_fields=["minimum"])
    if before != minimum:
        audit_append(
            actor=by,
            action="resources.stockbalance.minimum",
            obj=balance,
            summary=f"最低库存 {warehouse.name} {item.name}: {minimum}{item.unit}",
            payload={"minimum": [before, minimum]},
        )
    return balance
