"""Read schemas and filters of the resource registries (the write schemas follow from the models, core.registry)."""

from datetime import date

from django.utils import timezone
from ninja import Field, Schema

from yingji.core.inputs import MAX_ID
from yingji.resources.models import (
    Availability,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
    ExpertField,
    MaterialCategory,
    ShelterClass,
    ShelterKind,
    TeamKind,
    TeamStatus,
)


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


class TeamFilters(Schema):
    q: str | None = Field(None, max_length=100)
    kind: TeamKind | None = None
    status: TeamStatus | None = None
    org: int | None = Field(None, ge=1, le=MAX_ID)


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


class ExpertFilters(Schema):
    q: str | None = Field(None, max_length=100)
    field: ExpertField | None = None
    availability: Availability | None = None
    org: int | None = Field(None, ge=1, le=MAX_ID)


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
    def resolve_maintenance_overdue(obj: Equipment) -> bool:
        return obj.next_maintenance is not None and obj.next_maintenance < timezone.localdate()


class EquipmentFilters(Schema):
    q: str | None = Field(None, max_length=100)
    category: EquipmentCategory | None = None
    status: EquipmentStatus | None = None
    overdue: bool | None = None
    org: int | None = Field(None, ge=1, le=MAX_ID)


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


class MaterialFilters(Schema):
    q: str | None = Field(None, max_length=100)
    category: MaterialCategory | None = None


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


class WarehouseFilters(Schema):
    q: str | None = Field(None, max_length=100)
    active: bool | None = None
    org: int | None = Field(None, ge=1, le=MAX_ID)


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


class ShelterFilters(Schema):
    q: str | None = Field(None, max_length=100)
    kind: ShelterKind | None = None
    shelter_class: ShelterClass | None = None
    is_open: bool | None = None
    org: int | None = Field(None, ge=1, le=MAX_ID)
