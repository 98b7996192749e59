"""API of the resource registries (teams, experts, equipment, materials, warehouses, shelters: declared once in
registries.py and mounted by core.registry, Excel import and export included), the stock ledger, and the routing
queries over the resources (nearest, evacuation, coverage)."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yingji.core.access import scoped
from yingji.core.api import Pages
from yingji.core.errors import ValidationFailed
from yingji.core.geo import in_district
from yingji.core.registry import registry_api
from yingji.core.requests import ApiRequest
from yingji.resources import reach, selectors, services
from yingji.resources.models import StockBalance, StockMovement, TeamKind, Warehouse
from yingji.resources.registries import REGISTRIES

router = Router(tags=["resources"])

for _registry in REGISTRIES.values():
    registry_api(router, _registry, pages=Pages)


# --- stock ledger -----------------------------------------------------------------------------------------------


class BalanceOut(Schema):
    item: int = Field(..., alias="item_id")
    item_code: str = Field(..., alias="item.code")
    item_name: str = Field(..., alias="item.name")
    unit: str = Field(..., alias="item.unit")
    quantity: int
    minimum: int


class MovementOut(Schema):
    id: int
    warehouse: int = Field(..., alias="warehouse_id")
    item: int = Field(..., alias="item_id")
    kind: str
    delta: int
    batch: str
    expiry: date | None
    balance_after: int
    reason: str
    actor: str | None = Field(None, alias="actor.username")
    at: datetime
    transfer_ref: str


class StockIn(Schema):
    kind: Literal["in", "out", "transfer", "adjust"]
    item: int
    quantity: int = Field(..., description="positive; for `adjust` the signed change")
    reason: str = Field(..., min_length=1, max_length=200)
    batch: str | None = Field(None, max_length=60)
    expiry: date | None = None
    target: int | None = Field(None, description="receiving warehouse of a transfer")


@router.get("/warehouses/{int:warehouse_id}/stock", response=list[BalanceOut])
def warehouses_stock(request: ApiRequest, warehouse_id: int) -> QuerySet[StockBalance]:
    """What the warehouse holds, per item, with the minimum stock."""
    warehouse = selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)
    return selectors.stock_balances(warehouse=warehouse)


@router.get("/warehouses/{int:warehouse_id}/movements", response=list[MovementOut])
@paginate(Pages)
def warehouses_movements(request: ApiRequest, warehouse_id: int) -> QuerySet[StockMovement]:
    """The warehouse's stock ledger, newest first."""
    warehouse = selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)
    return selectors.stock_movements(user=request.auth, warehouse=warehouse)


@router.post("/warehouses/{int:warehouse_id}/movements", response={201: list[MovementOut]})
def warehouses_move(request: ApiRequest, warehouse_id: int, payload: StockIn) -> Status[list[StockMovement]]:
    """Append to the ledger: receive (`in`), withdraw (`out`), `transfer` to `target`, or `adjust`."""
    warehouse = selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)
    item = selectors.material_get(user=request.auth, material_id=payload.item)
    by, reason = request.auth, payload.reason
    if payload.kind == "in":
        moves = [
            services.stock_receive(
                by=by,
                warehouse=warehouse,
                item=item,
                quantity=payload.quantity,
                reason=reason,
                batch=payload.batch or "",
                expiry=payload.expiry,
            )
        ]
    elif payload.kind == "out":
        moves = services.stock_withdraw(
            by=by, warehouse=warehouse, item=item, quantity=payload.quantity, reason=reason, batch=payload.batch
        )
    elif payload.kind == "transfer":
        target = selectors.transfer_targets().filter(pk=payload.target).first() if payload.target else None
        if target is None:
            raise ValidationFailed(_("Unknown warehouse."), {"target": [_("Choose a receiving warehouse.")]})
        moves = services.stock_transfer(
            by=by,
            source=warehouse,
            target=target,
            item=item,
            quantity=payload.quantity,
            reason=reason,
            batch=payload.batch,
        )
    else:
        moves = [
            services.stock_adjust(
                by=by,
                warehouse=warehouse,
                item=item,
                delta=payload.quantity,
                reason=reason,
                batch=payload.batch or "",
                expiry=payload.expiry,
            )
        ]
    # A transfer's receiving side may lie outside the sender's scope: answer only with movements the sender may see.
    warehouses = {m.warehouse_id for m in moves}
    visible = set(scoped(Warehouse.objects.filter(pk__in=warehouses), request.auth).values_list("pk", flat=True))
    return Status(201, [m for m in moves if m.warehouse_id in visible])


class AlertsOut(Schema):
    below_minimum: list[dict]
    expired_batches: list[dict]


@router.get("/stock/alerts", response=AlertsOut)
def stock_alerts(request: ApiRequest) -> dict[str, list[dict[str, Any]]]:
    """Stock below its minimum, and batches on hand past their expiry date."""
    return {
        "below_minimum": [
            {
                "warehouse": b.warehouse_id,
                "warehouse_name": b.warehouse.name,
                "item": b.item_id,
                "item_name": b.item.name,
                "quantity": b.quantity,
                "minimum": b.minimum,
            }
            for b in selectors.stock_below_minimum(user=request.auth)
        ],
        "expired_batches": [
            {
                "warehouse": lot.warehouse_id,
                "warehouse_name": lot.warehouse.name,
                "item": lot.item_id,
                "item_name": lot.item.name,
                "batch": lot.batch,
                "expiry": str(lot.expiry),  # past, so never empty
                "quantity": lot.quantity,
            }
            for lot in selectors.lots_expired(user=request.auth)
        ],
    }


# --- routing over the resources ---------------------------------------------------------------------------------


class NearestQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    kind: Literal["team", "equipment", "warehouse", "shelter", "expert"]
    limit: int = Field(5, ge=1, le=50)


class NearestOut(Schema):
    kind: str
    id: int
    name: str
    lat: float
    lon: float
    eta_s: float
    distance_m: float
    route: dict
    url: str
    category: str
    status: str
    phone: str = ""
    free_capacity: int | None = None
    on_duty: int | None = None
    quantity: int | None = None


class NetworkOut(Schema):
    name: str
    illustrative: bool


class NearestResult(Schema):
    items: list[NearestOut]
    network: NetworkOut | None


@router.get("/resources/nearest", response=NearestResult, tags=["routing"])
def resources_nearest(request: ApiRequest, query: Query[NearestQuery]) -> dict[str, Any]:
    """Your resources of one kind ordered by travel time to (shelters: from) the point, with routes."""
    items = reach.nearest_resources(user=request.auth, **query.dict())
    return {"items": items, "network": reach.road_network_info()}


class BlockIn(Schema):
    id: str | int
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    population: int = Field(..., ge=0)


class EvacuationIn(Schema):
    blocks: list[BlockIn] | None = Field(None, max_length=10000)
    communities: list[int] | None = Field(None, max_length=1000, description="community org unit ids")
    shelters: list[int] | None = Field(None, description="only these open shelters (default: all you may see)")


class AssignmentOut(Schema):
    block: str | int
    block_name: str
    shelter: int
    shelter_name: str
    people: int
    eta_s: float
    line: dict


class ShelterLoadOut(Schema):
    id: int
    name: str
    lat: float
    lon: float
    free_capacity: int
    load: int


class EvacuationOut(Schema):
    assignments: list[AssignmentOut]
    shelters: list[ShelterLoadOut]
    population: int
    unassigned: int
    total_cost: float


@router.post("/routing/evacuation", response=EvacuationOut, tags=["routing"])
def routing_evacuation(request: ApiRequest, payload: EvacuationIn) -> dict[str, Any]:
    """Assign people to open shelters by least total travel time within free capacity (a min-cost flow).
    Give `blocks` ({id, lat, lon, population}) or `communities` (ids; their centres and the population
    estimates kept in the resources registry), and optionally `shelters`."""
    if (payload.blocks is None) == (payload.communities is None):
        message = _("Give either blocks or communities.")
        raise ValidationFailed(message, {"blocks": [message], "communities": [message]})
    if payload.blocks is not None:
        outside = [str(b.id) for b in payload.blocks if not in_district(b.lat, b.lon)]
        if outside:
            raise ValidationFailed(
                _("A block lies outside the district."),
                {"blocks": [_("Outside the district: %(ids)s") % {"ids": ", ".join(outside)}]},
            )
        blocks = [reach.Block(b.id, str(b.id), b.lat, b.lon, b.population) for b in payload.blocks]
    else:
        assert payload.communities is not None  # one of the two, checked above
        blocks = reach.community_blocks(user=request.auth, ids=payload.communities)
    return reach.evacuation_plan(user=request.auth, blocks=blocks, shelter_ids=payload.shelters)


class CoverageQuery(Schema):
    kind: TeamKind | None = None
    limit_min: float = Field(15, gt=0, le=240)


@router.get("/resources/coverage", tags=["routing"])
def resources_coverage(request: ApiRequest, query: Query[CoverageQuery]) -> dict[str, Any]:
    """Communities no team of `kind` (any kind when omitted) reaches within `limit_min` minutes, as GeoJSON."""
    return reach.coverage_gaps(user=request.auth, team_kind=query.kind, limit_min=query.limit_min)
