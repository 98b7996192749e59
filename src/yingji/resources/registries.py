"""The six resource registries declared once (core.registry): API, pages and Excel follow from each declaration.
Team members, the stock ledger and travel-time queries stay hand-written."""

from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yingji.core.models import OrgUnit
from yingji.core.registry import Registry, by_slug
from yingji.resources import forms, schemas, selectors, services
from yingji.resources.models import Equipment, Expert, Facility, MaterialItem, Shelter, Team, Warehouse
from yingji.resources.sheets import with_sheet

# A team is written as one record although its name, code, place and contact live on its org unit.
TEAM_API_FIELDS = (
    "code",
    "name",
    "kind",
    "parent",
    "lat",
    "lon",
    "address",
    "leader",
    "phone",
    "headcount",
    "on_duty",
    "skills",
    "status",
    "notes",
)


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _place(obj: Any) -> str:
    return f"{obj.lat:.5f}, {obj.lon:.5f}" if obj.lat is not None else "—"


REGISTRIES: dict[str, Registry] = by_slug(
    with_sheet(registry)
    for registry in [
        Registry(
            slug="teams",
            model=Team,
            fields=TEAM_API_FIELDS,
            out=schemas.TeamOut,
            filters=schemas.TeamFilters,
            borrowed={name: (OrgUnit, attr) for name, attr in services.TEAM_ORG_FIELDS.items()},
            required=("parent",),
            payload_ids={"parent": OrgUnit},
            refetch=True,
            docs={
                "list": "Rescue teams you may see; search with `q`, filter by `kind`, `status` or owner unit `org`.",
                "create": "Register a team: its org unit (kind team) is created under `parent`.",
            },
            name="team",
            title=gettext_lazy("Rescue teams"),
            filter_form=forms.TeamFilterForm,
            form=forms.TeamForm,
            columns=[
                (gettext_lazy("Kind"), lambda t: t.get_kind_display()),
                (gettext_lazy("Parent unit"), lambda t: t.org.parent),
                (gettext_lazy("On duty / headcount"), lambda t: f"{t.on_duty} / {t.headcount}"),
                (gettext_lazy("Leader"), lambda t: f"{t.org.contact} {t.org.phone}"),
                (gettext_lazy("Status"), lambda t: t.get_status_display()),
            ],
            detail=[
                (gettext_lazy("Code"), lambda t: t.org.code),
                (gettext_lazy("Kind"), lambda t: t.get_kind_display()),
                (gettext_lazy("Parent unit"), lambda t: t.org.parent),
                (gettext_lazy("Status"), lambda t: t.get_status_display()),
                (gettext_lazy("Headcount"), lambda t: t.headcount),
                (gettext_lazy("On duty"), lambda t: t.on_duty),
                (gettext_lazy("Leader"), lambda t: t.org.contact or "—"),
                (gettext_lazy("Phone"), lambda t: t.org.phone or "—"),
                (gettext_lazy("Base address"), lambda t: t.org.address or "—"),
                (gettext_lazy("Location"), lambda t: _place(t.org)),
                (gettext_lazy("Skills"), lambda t: t.skills or "—"),
                (gettext_lazy("Notes"), lambda t: t.notes or "—"),
            ],
            list_rows=selectors.team_list,
            get=lambda user, pk: selectors.team_get(user=user, team_id=pk),
            create=services.team_create,
            update=lambda *, by, obj, **v: services.team_update(by=by, team=obj, **v),
        ),
        Registry(
            slug="experts",
            model=Expert,
            fields=services.EXPERT_FIELDS,
            out=schemas.ExpertOut,
            filters=schemas.ExpertFilters,
            name="expert",
            title=gettext_lazy("Experts"),
            filter_form=forms.ExpertFilterForm,
            form=forms.ExpertForm,
            columns=[
                (gettext_lazy("Field"), lambda x: x.get_field_display()),
                (pgettext_lazy("expert", "Title"), lambda x: x.title),
                (gettext_lazy("Organisation"), lambda x: x.organisation),
                (gettext_lazy("Phone"), lambda x: x.phone),
                (gettext_lazy("Availability"), lambda x: x.get_availability_display()),
            ],
            detail=[
                (gettext_lazy("Code"), lambda x: x.code),
                (gettext_lazy("Field"), lambda x: x.get_field_display()),
                (pgettext_lazy("expert", "Title"), lambda x: x.title or "—"),
                (gettext_lazy("Organisation"), lambda x: x.organisation or "—"),
                (gettext_lazy("Phone"), lambda x: x.phone or "—"),
                (gettext_lazy("Availability"), lambda x: x.get_availability_display()),
                (gettext_lazy("Owner"), lambda x: x.org),
                (gettext_lazy("Location"), _place),
                (gettext_lazy("Notes"), lambda x: x.notes or "—"),
            ],
            list_rows=selectors.expert_list,
            get=lambda user, pk: selectors.expert_get(user=user, expert_id=pk),
            create=services.expert_create,
            update=lambda *, by, obj, **v: services.expert_update(by=by, expert=obj, **v),
        ),
        Registry(
            slug="equipment",
            model=Equipment,
            fields=services.EQUIPMENT_FIELDS,
            out=schemas.EquipmentOut,
            filters=schemas.EquipmentFilters,
            docs={"list": "Large equipment; `overdue=true` for equipment past its maintenance date."},
            name="equipment",
            title=gettext_lazy("Large equipment"),
            filter_form=forms.EquipmentFilterForm,
            form=forms.EquipmentForm,
            columns=[
                (gettext_lazy("Category"), lambda e: e.get_category_display()),
                (gettext_lazy("Model"), lambda e: e.model),
                (gettext_lazy("Quantity"), lambda e: e.quantity),
                (gettext_lazy("Owner"), lambda e: e.org),
                (gettext_lazy("Status"), lambda e: e.get_status_display()),
                (gettext_lazy("Next maintenance"), lambda e: e.next_maintenance or "—"),
            ],
            detail=[
                (gettext_lazy("Code"), lambda e: e.code),
                (gettext_lazy("Category"), lambda e: e.get_category_display()),
                (gettext_lazy("Model"), lambda e: e.model or "—"),
                (gettext_lazy("Quantity"), lambda e: e.quantity),
                (gettext_lazy("Status"), lambda e: e.get_status_display()),
                (gettext_lazy("Next maintenance"), lambda e: e.next_maintenance or "—"),
                (gettext_lazy("Owner"), lambda e: e.org),
                (gettext_lazy("Location"), lambda e: e.location or "—"),
                (gettext_lazy("Coordinates"), _place),
                (gettext_lazy("Keeper"), lambda e: f"{e.keeper} {e.phone}".strip() or "—"),
            ],
            list_rows=selectors.equipment_list,
            get=lambda user, pk: selectors.equipment_get(user=user, equipment_id=pk),
            create=services.equipment_create,
            update=lambda *, by, obj, **v: services.equipment_update(by=by, equipment=obj, **v),
        ),
        Registry(
            slug="materials",
            model=MaterialItem,
            fields=services.MATERIAL_FIELDS,
            out=schemas.MaterialOut,
            filters=schemas.MaterialFilters,
            payload_ids={},
            refetch=True,
            docs={"list": "The material catalogue, with `on_hand` summed over the warehouses you may see."},
            name="material",
            title=gettext_lazy("Material catalogue"),
            perm="materialitem",
            filter_form=forms.MaterialFilterForm,
            form=forms.MaterialForm,
            columns=[
                (gettext_lazy("Category"), lambda m: m.get_category_display()),
                (gettext_lazy("Specification"), lambda m: m.spec),
                (gettext_lazy("Unit"), lambda m: m.unit),
                (gettext_lazy("Shelf life (days)"), lambda m: m.shelf_life_days or "—"),
                (gettext_lazy("On hand"), lambda m: m.on_hand),
            ],
            detail=[
                (gettext_lazy("Code"), lambda m: m.code),
                (gettext_lazy("Category"), lambda m: m.get_category_display()),
                (gettext_lazy("Specification"), lambda m: m.spec or "—"),
                (gettext_lazy("Unit"), lambda m: m.unit),
                (gettext_lazy("Shelf life (days)"), lambda m: m.shelf_life_days or "—"),
                (gettext_lazy("On hand"), lambda m: m.on_hand),
            ],
            list_rows=selectors.material_list,
            get=lambda user, pk: selectors.material_get(user=user, material_id=pk),
            create=services.material_create,
            update=lambda *, by, obj, **v: services.material_update(by=by, material=obj, **v),
        ),
        Registry(
            slug="warehouses",
            model=Warehouse,
            fields=services.WAREHOUSE_FIELDS,
            out=schemas.WarehouseOut,
            filters=schemas.WarehouseFilters,
            name="warehouse",
            title=gettext_lazy("Warehouses"),
            filter_form=forms.WarehouseFilterForm,
            form=forms.WarehouseForm,
            columns=[
                (gettext_lazy("Owner"), lambda w: w.org),
                (gettext_lazy("Address"), lambda w: w.address),
                (gettext_lazy("Keeper"), lambda w: f"{w.keeper} {w.phone}"),
                (gettext_lazy("Items in stock"), lambda w: w.item_count),
                (gettext_lazy("Below minimum"), lambda w: w.low_count or "—"),
            ],
            detail=[
                (gettext_lazy("Code"), lambda w: w.code),
                (gettext_lazy("Owner"), lambda w: w.org),
                (gettext_lazy("Address"), lambda w: w.address or "—"),
                (gettext_lazy("Location"), _place),
                (gettext_lazy("Keeper"), lambda w: f"{w.keeper} {w.phone}".strip() or "—"),
                (gettext_lazy("Active"), lambda w: _yes(w.active)),
            ],
            list_rows=selectors.warehouse_list,
            get=lambda user, pk: selectors.warehouse_get(user=user, warehouse_id=pk),
            create=services.warehouse_create,
            update=lambda *, by, obj, **v: services.warehouse_update(by=by, warehouse=obj, **v),
        ),
        Registry(
            slug="shelters",
            model=Shelter,
            fields=services.SHELTER_FIELDS,
            out=schemas.ShelterOut,
            filters=schemas.ShelterFilters,
            annotations={"facilities": list[Literal[tuple(Facility.values)]]},  # type: ignore[misc]  # built at run time
            docs={
                "create": "Register a shelter; without `capacity_given` its capacity follows from area and class.",
                "update": "Change a shelter: open or close it, or set its current occupancy (never above capacity).",
            },
            name="shelter",
            title=gettext_lazy("Shelters"),
            filter_form=forms.ShelterFilterForm,
            form=forms.ShelterForm,
            columns=[
                (gettext_lazy("Class"), lambda s: s.get_shelter_class_display()),
                (gettext_lazy("Indoor or outdoor"), lambda s: s.get_kind_display()),
                (gettext_lazy("Effective area (m²)"), lambda s: s.effective_area_m2),
                (gettext_lazy("Occupancy / capacity"), lambda s: f"{s.occupancy} / {s.capacity}"),
                (gettext_lazy("Open"), lambda s: _yes(s.is_open)),
            ],
            detail=[
                (gettext_lazy("Code"), lambda s: s.code),
                (gettext_lazy("Class"), lambda s: s.get_shelter_class_display()),
                (gettext_lazy("Indoor or outdoor"), lambda s: s.get_kind_display()),
                (gettext_lazy("Effective area (m²)"), lambda s: s.effective_area_m2),
                (gettext_lazy("Capacity"), lambda s: s.capacity),
                (gettext_lazy("Stated capacity"), lambda s: s.capacity_given or "—"),
                (gettext_lazy("Current occupancy"), lambda s: s.occupancy),
                (gettext_lazy("Open"), lambda s: _yes(s.is_open)),
                (gettext_lazy("Facilities"), lambda s: "、".join(s.facility_labels()) or "—"),
                (gettext_lazy("Owner"), lambda s: s.org),
                (gettext_lazy("Address"), lambda s: s.address or "—"),
                (gettext_lazy("Location"), _place),
                (gettext_lazy("Manager"), lambda s: f"{s.manager} {s.phone}".strip() or "—"),
            ],
            list_rows=selectors.shelter_list,
            get=lambda user, pk: selectors.shelter_get(user=user, shelter_id=pk),
            create=services.shelter_create,
            update=lambda *, by, obj, **v: services.shelter_update(by=by, shelter=obj, **v),
        ),
    ]
)
