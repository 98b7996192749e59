"""API of the resource registries (teams, experts, equipment, materials, warehouses and stock, shelters), their
Excel import and export, and the routing queries over them (nearest, evacuation, coverage)."""

from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yingji.core.api import Pages
from yingji.core.audit import audit_export
from yingji.core.errors import ValidationFailed
from yingji.core.geo import in_district
from yingji.core.models import OrgUnit, User
from yingji.core.scopes import scoped
from yingji.resources import excel, reach, selectors, services
from yingji.resources.models import (
    Availability,
    EquipmentCategory,
    EquipmentStatus,
    ExpertField,
    Facility,
    MaterialCategory,
    ShelterClass,
    ShelterKind,
    TeamKind,
    TeamStatus,
)
from yingji.resources.sheets import SHEETS

router = Router(tags=["resources"])
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _org(user: User, org_id: int | None, field: str = "org") -> OrgUnit | None:
    """An org unit in the user's scope by id; anything else reads as not found."""
    if org_id is None:
        return None
    org = scoped(OrgUnit.objects.filter(pk=org_id), user, org_field="").first()
    if org is None:
        raise ValidationFailed(_("Unit not found."), {field: [_("Unit not found.")]})
    return org


def _values(payload: Schema, *, partial: bool) -> dict[str, Any]:
    return payload.dict(exclude_unset=partial)


# --- teams ------------------------------------------------------------------------------------------------------


class TeamOut(Schema):
    id: int
    code: str = Field(..., alias="org.code")
    name: str = Field(..., alias="org.name")
    org: int = Field(..., alias="org_id")
    parent: int | None = Field(None, alias="org.parent_id")
    parent_name: str | None = Field(None, alias="org.parent.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    lat: float | None = Field(None, alias="org.lat")
    lon: float | None = Field(None, alias="org.lon")
    address: str = Field(..., alias="org.address")
    leader: str = Field(..., alias="org.contact")
    phone: str = Field(..., alias="org.phone")
    headcount: int
    on_duty: int
    skills: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    notes: str


class TeamIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    kind: TeamKind
    parent: int
    lat: float | None = None
    lon: float | None = None
    address: str = Field("", max_length=200)
    leader: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)
    headcount: int = Field(0, ge=0)
    on_duty: int = Field(0, ge=0)
    skills: str = Field("", max_length=300)
    status: TeamStatus = TeamStatus.STANDBY
    notes: str = ""


class TeamPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: TeamKind | None = None
    parent: int | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = Field(None, max_length=200)
    leader: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=40)
    headcount: int | None = Field(None, ge=0)
    on_duty: int | None = Field(None, ge=0)
    skills: str | None = Field(None, max_length=300)
    status: TeamStatus | None = None
    notes: str | None = None


class TeamFilters(Schema):
    q: str | None = Field(None, max_length=100)
    kind: TeamKind | None = None
    status: TeamStatus | None = None
    org: int | None = None


def _team_values(user: User, payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = _values(payload, partial=partial)
    if "parent" in values:
        values["parent"] = _org(user, values["parent"], "parent")
    return values


@router.get("/teams", response=list[TeamOut])
@paginate(Pages)
def teams_list(request, filters: Query[TeamFilters]):
    """Rescue teams you may see; search with `q`, filter by `kind`, `status` or owner unit `org`."""
    return selectors.team_list(user=request.auth, **filters.dict())


@router.get("/teams/{int:team_id}", response=TeamOut)
def teams_get(request, team_id: int):
    return selectors.team_get(user=request.auth, team_id=team_id)


@router.post("/teams", response={201: TeamOut})
def teams_create(request, payload: TeamIn):
    """Register a team: its org unit (kind team) is created under `parent`."""
    team = services.team_create(by=request.auth, **_team_values(request.auth, payload, partial=False))
    return Status(201, selectors.team_get(user=request.auth, team_id=team.pk))


@router.patch("/teams/{int:team_id}", response=TeamOut)
def teams_update(request, team_id: int, payload: TeamPatch):
    team = selectors.team_get(user=request.auth, team_id=team_id)
    services.team_update(by=request.auth, team=team, **_team_values(request.auth, payload, partial=True))
    return selectors.team_get(user=request.auth, team_id=team_id)


# --- experts ----------------------------------------------------------------------------------------------------


class ExpertOut(Schema):
    id: int
    code: str
    name: str
    field: str
    field_label: str = Field(..., alias="get_field_display")
    title: str
    organisation: str
    phone: str
    availability: str
    availability_label: str = Field(..., alias="get_availability_display")
    lat: float | None
    lon: float | None
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    notes: str


class ExpertIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=60)
    field: ExpertField
    title: str = Field("", max_length=60)
    organisation: str = Field("", max_length=120)
    phone: str = Field("", max_length=40)
    availability: Availability = Availability.AVAILABLE
    lat: float | None = None
    lon: float | None = None
    org: int
    notes: str = ""


class ExpertPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=60)
    field: ExpertField | None = None
    title: str | None = Field(None, max_length=60)
    organisation: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=40)
    availability: Availability | None = None
    lat: float | None = None
    lon: float | None = None
    org: int | None = None
    notes: str | None = None


class ExpertFilters(Schema):
    q: str | None = Field(None, max_length=100)
    field: ExpertField | None = None
    availability: Availability | None = None
    org: int | None = None


def _owned_values(user: User, payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = _values(payload, partial=partial)
    if "org" in values:
        values["org"] = _org(user, values["org"])
    return values


@router.get("/experts", response=list[ExpertOut])
@paginate(Pages)
def experts_list(request, filters: Query[ExpertFilters]):
    return selectors.expert_list(user=request.auth, **filters.dict())


@router.get("/experts/{int:expert_id}", response=ExpertOut)
def experts_get(request, expert_id: int):
    return selectors.expert_get(user=request.auth, expert_id=expert_id)


@router.post("/experts", response={201: ExpertOut})
def experts_create(request, payload: ExpertIn):
    return Status(201, services.expert_create(by=request.auth, **_owned_values(request.auth, payload, partial=False)))


@router.patch("/experts/{int:expert_id}", response=ExpertOut)
def experts_update(request, expert_id: int, payload: ExpertPatch):
    expert = selectors.expert_get(user=request.auth, expert_id=expert_id)
    return services.expert_update(by=request.auth, expert=expert, **_owned_values(request.auth, payload, partial=True))


# --- equipment --------------------------------------------------------------------------------------------------


class EquipmentOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str = Field(..., alias="get_category_display")
    model: str
    quantity: int
    location: str
    lat: float | None
    lon: float | None
    status: str
    status_label: str = Field(..., alias="get_status_display")
    next_maintenance: date | None
    maintenance_overdue: bool = False
    keeper: str
    phone: str
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")

    @staticmethod
    def resolve_maintenance_overdue(obj) -> bool:
        return obj.next_maintenance is not None and obj.next_maintenance < timezone.localdate()


class EquipmentIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    category: EquipmentCategory
    model: str = Field("", max_length=80)
    quantity: int = Field(1, ge=0)
    location: str = Field("", max_length=200)
    lat: float | None = None
    lon: float | None = None
    status: EquipmentStatus = EquipmentStatus.READY
    next_maintenance: date | None = None
    keeper: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)
    org: int


class EquipmentPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    category: EquipmentCategory | None = None
    model: str | None = Field(None, max_length=80)
    quantity: int | None = Field(None, ge=0)
    location: str | None = Field(None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    status: EquipmentStatus | None = None
    next_maintenance: date | None = None
    keeper: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=40)
    org: int | None = None


class EquipmentFilters(Schema):
    q: str | None = Field(None, max_length=100)
    category: EquipmentCategory | None = None
    status: EquipmentStatus | None = None
    overdue: bool | None = None
    org: int | None = None


@router.get("/equipment", response=list[EquipmentOut])
@paginate(Pages)
def equipment_list(request, filters: Query[EquipmentFilters]):
    """Large equipment; `overdue=true` for equipment past its maintenance date."""
    return selectors.equipment_list(user=request.auth, **filters.dict())


@router.get("/equipment/{int:equipment_id}", response=EquipmentOut)
def equipment_get(request, equipment_id: int):
    return selectors.equipment_get(user=request.auth, equipment_id=equipment_id)


@router.post("/equipment", response={201: EquipmentOut})
def equipment_create(request, payload: EquipmentIn):
    return Status(
        201, services.equipment_create(by=request.auth, **_owned_values(request.auth, payload, partial=False))
    )


@router.patch("/equipment/{int:equipment_id}", response=EquipmentOut)
def equipment_update(request, equipment_id: int, payload: EquipmentPatch):
    row = selectors.equipment_get(user=request.auth, equipment_id=equipment_id)
    return services.equipment_update(
        by=request.auth, equipment=row, **_owned_values(request.auth, payload, partial=True)
    )


# --- materials --------------------------------------------------------------------------------------------------


class MaterialOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str = Field(..., alias="get_category_display")
    spec: str
    unit: str
    shelf_life_days: int | None
    on_hand: int = 0


class MaterialIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=100)
    category: MaterialCategory
    spec: str = Field("", max_length=100)
    unit: str = Field(..., min_length=1, max_length=20)
    shelf_life_days: int | None = Field(None, ge=1)


class MaterialPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=100)
    category: MaterialCategory | None = None
    spec: str | None = Field(None, max_length=100)
    unit: str | None = Field(None, min_length=1, max_length=20)
    shelf_life_days: int | None = Field(None, ge=1)


class MaterialFilters(Schema):
    q: str | None = Field(None, max_length=100)
    category: MaterialCategory | None = None


@router.get("/materials", response=list[MaterialOut])
@paginate(Pages)
def materials_list(request, filters: Query[MaterialFilters]):
    """The material catalogue, with `on_hand` summed over the warehouses you may see."""
    return selectors.material_list(user=request.auth, **filters.dict())


@router.get("/materials/{int:material_id}", response=MaterialOut)
def materials_get(request, material_id: int):
    return selectors.material_get(user=request.auth, material_id=material_id)


@router.post("/materials", response={201: MaterialOut})
def materials_create(request, payload: MaterialIn):
    item = services.material_create(by=request.auth, **_values(payload, partial=False))
    return Status(201, selectors.material_get(user=request.auth, material_id=item.pk))


@router.patch("/materials/{int:material_id}", response=MaterialOut)
def materials_update(request, material_id: int, payload: MaterialPatch):
    item = selectors.material_get(user=request.auth, material_id=material_id)
    services.material_update(by=request.auth, material=item, **_values(payload, partial=True))
    return selectors.material_get(user=request.auth, material_id=material_id)


# --- warehouses and stock ---------------------------------------------------------------------------------------


class WarehouseOut(Schema):
    id: int
    code: str
    name: str
    address: str
    lat: float | None
    lon: float | None
    keeper: str
    phone: str
    active: bool
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")


class WarehouseIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    address: str = Field("", max_length=200)
    lat: float | None = None
    lon: float | None = None
    keeper: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)
    active: bool = True
    org: int


class WarehousePatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    address: str | None = Field(None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    keeper: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=40)
    active: bool | None = None
    org: int | None = None


class WarehouseFilters(Schema):
    q: str | None = Field(None, max_length=100)
    active: bool | None = None
    org: int | None = None


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


@router.get("/warehouses", response=list[WarehouseOut])
@paginate(Pages)
def warehouses_list(request, filters: Query[WarehouseFilters]):
    return selectors.warehouse_list(user=request.auth, **filters.dict())


@router.get("/warehouses/{int:warehouse_id}", response=WarehouseOut)
def warehouses_get(request, warehouse_id: int):
    return selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)


@router.post("/warehouses", response={201: WarehouseOut})
def warehouses_create(request, payload: WarehouseIn):
    return Status(
        201, services.warehouse_create(by=request.auth, **_owned_values(request.auth, payload, partial=False))
    )


@router.patch("/warehouses/{int:warehouse_id}", response=WarehouseOut)
def warehouses_update(request, warehouse_id: int, payload: WarehousePatch):
    row = selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)
    return services.warehouse_update(
        by=request.auth, warehouse=row, **_owned_values(request.auth, payload, partial=True)
    )


@router.get("/warehouses/{int:warehouse_id}/stock", response=list[BalanceOut])
def warehouses_stock(request, warehouse_id: int):
    """What the warehouse holds, per item, with the minimum stock."""
    warehouse = selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)
    return selectors.stock_balances(warehouse=warehouse)


@router.get("/warehouses/{int:warehouse_id}/movements", response=list[MovementOut])
@paginate(Pages)
def warehouses_movements(request, warehouse_id: int):
    """The warehouse's stock ledger, newest first."""
    warehouse = selectors.warehouse_get(user=request.auth, warehouse_id=warehouse_id)
    return selectors.stock_movements(user=request.auth, warehouse=warehouse)


@router.post("/warehouses/{int:warehouse_id}/movements", response={201: list[MovementOut]})
def warehouses_move(request, warehouse_id: int, payload: StockIn):
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
        target = selectors.transfer_targets().filter(pk=payload.target).first()
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
    return Status(201, moves)


class AlertsOut(Schema):
    below_minimum: list[dict]
    expired_batches: list[dict]


@router.get("/stock/alerts", response=AlertsOut)
def stock_alerts(request):
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
                "expiry": lot.expiry.isoformat(),
                "quantity": lot.quantity,
            }
            for lot in selectors.lots_expired(user=request.auth)
        ],
    }


# --- shelters ---------------------------------------------------------------------------------------------------


class ShelterOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    shelter_class: str
    shelter_class_label: str = Field(..., alias="get_shelter_class_display")
    address: str
    lat: float | None
    lon: float | None
    effective_area_m2: int
    capacity_given: int | None
    capacity: int
    facilities: list[str]
    is_open: bool
    occupancy: int
    free_capacity: int
    manager: str
    phone: str
    illustrative: bool
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")


class ShelterIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    kind: ShelterKind
    shelter_class: ShelterClass
    address: str = Field("", max_length=200)
    lat: float | None = None
    lon: float | None = None
    effective_area_m2: int = Field(..., ge=0)
    capacity_given: int | None = Field(None, ge=0)
    facilities: list[Facility] = []
    is_open: bool = False
    occupancy: int = Field(0, ge=0)
    manager: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)
    org: int


class ShelterPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: ShelterKind | None = None
    shelter_class: ShelterClass | None = None
    address: str | None = Field(None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    effective_area_m2: int | None = Field(None, ge=0)
    capacity_given: int | None = Field(None, ge=0)
    facilities: list[Facility] | None = None
    is_open: bool | None = None
    occupancy: int | None = Field(None, ge=0)
    manager: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=40)
    org: int | None = None


class ShelterFilters(Schema):
    q: str | None = Field(None, max_length=100)
    kind: ShelterKind | None = None
    shelter_class: ShelterClass | None = None
    is_open: bool | None = None
    org: int | None = None


def _shelter_values(user: User, payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = _owned_values(user, payload, partial=partial)
    if values.get("facilities") is not None:
        values["facilities"] = [str(f) for f in values["facilities"]]
    return values


@router.get("/shelters", response=list[ShelterOut])
@paginate(Pages)
def shelters_list(request, filters: Query[ShelterFilters]):
    return selectors.shelter_list(user=request.auth, **filters.dict())


@router.get("/shelters/{int:shelter_id}", response=ShelterOut)
def shelters_get(request, shelter_id: int):
    return selectors.shelter_get(user=request.auth, shelter_id=shelter_id)


@router.post("/shelters", response={201: ShelterOut})
def shelters_create(request, payload: ShelterIn):
    """Register a shelter; without `capacity_given` its capacity follows from area and class."""
    return Status(
        201, services.shelter_create(by=request.auth, **_shelter_values(request.auth, payload, partial=False))
    )


@router.patch("/shelters/{int:shelter_id}", response=ShelterOut)
def shelters_update(request, shelter_id: int, payload: ShelterPatch):
    """Change a shelter: open or close it, or set its current occupancy (never above capacity)."""
    shelter = selectors.shelter_get(user=request.auth, shelter_id=shelter_id)
    return services.shelter_update(
        by=request.auth, shelter=shelter, **_shelter_values(request.auth, payload, partial=True)
    )


# --- Excel ------------------------------------------------------------------------------------------------------


class ImportOut(Schema):
    created: int
    updated: int


def xlsx_response(sheet: excel.Sheet, user: User) -> HttpResponse:
    """The registry as an .xlsx download named for it and the day."""
    response = HttpResponse(excel.export_xlsx(sheet, user=user), content_type=excel.XLSX_CONTENT_TYPE)
    filename = f"{sheet.title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{sheet.slug}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    audit_export(actor=user, what=f"resources.{sheet.slug}", filename=filename)
    return response


def read_upload(file: UploadedFile) -> bytes:
    if file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is too large."), {"file": [_("At most 10 MB.")]})
    return file.read()


def _excel_routes(sheet: excel.Sheet) -> None:
    def export(request):
        return xlsx_response(sheet, request.auth)

    def import_(request, file: File[UploadedFile]):
        report = excel.import_xlsx(sheet, user=request.auth, data=read_upload(file))
        return {"created": report.created, "updated": report.updated}

    export.__doc__ = f"The {sheet.slug} registry as an .xlsx file (same columns as the import)."
    import_.__doc__ = f"Import {sheet.slug} from an .xlsx file: all rows or none; errors as 第N行 字段: 原因."
    router.add_api_operation(f"/{sheet.slug}/export", ["GET"], export, url_name=f"{sheet.slug}-export")
    router.add_api_operation(
        f"/{sheet.slug}/import", ["POST"], import_, response=ImportOut, url_name=f"{sheet.slug}-import"
    )


for _sheet in SHEETS.values():
    _excel_routes(_sheet)


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
def resources_nearest(request, query: Query[NearestQuery]):
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
def routing_evacuation(request, payload: EvacuationIn):
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
        blocks = reach.community_blocks(user=request.auth, ids=payload.communities)
    return reach.evacuation_plan(user=request.auth, blocks=blocks, shelter_ids=payload.shelters)


class CoverageQuery(Schema):
    kind: TeamKind | None = None
    limit_min: float = Field(15, gt=0, le=240)


@router.get("/resources/coverage", tags=["routing"])
def resources_coverage(request, query: Query[CoverageQuery]):
    """Communities no team of `kind` (any kind when omitted) reaches within `limit_min` minutes, as GeoJSON."""
    return reach.coverage_gaps(user=request.auth, team_kind=query.kind, limit_min=query.limit_min)
