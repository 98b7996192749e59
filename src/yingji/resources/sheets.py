"""The column specs of each registry's spreadsheet (see excel.py); headers are fixed Chinese titles. The rows and
the services behind a sheet are its registry's (`with_sheet`)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Model

from yingji.core.models import User
from yingji.core.registry import Registry
from yingji.core.scopes import scoped
from yingji.resources import selectors
from yingji.resources.excel import Column, Sheet, export_xlsx, import_xlsx
from yingji.resources.models import (
    Availability,
    EquipmentCategory,
    EquipmentStatus,
    ExpertField,
    Facility,
    MaterialCategory,
    MaterialItem,
    ShelterClass,
    ShelterKind,
    TeamKind,
    TeamStatus,
)


@dataclass(frozen=True)
class SheetSpec:
    """A registry's spreadsheet as declared: its title and columns, and how a row's code finds its record when that
    is not "by code among the rows the user may see". Its rows and services are the registry's (`with_sheet`)."""

    title: str
    columns: list[Column]
    find: Callable[[User, Any], Any] | None = None


def _org_lookup(user: User, value: str) -> Any:
    return selectors.org_lookup(user=user, value=value)


def _scoped_find(model: type[Model]) -> Callable[[User, Any], Any]:
    return lambda user, code: scoped(model._default_manager.all(), user).filter(code=code).first() if code else None


LAT = Column("纬度", "lat", "float")
LON = Column("经度", "lon", "float")
OWNER = Column("所属单位", "org", "org", required=True)

SHEETS: dict[str, SheetSpec] = {
    "teams": SheetSpec(
        title="救援队伍",
        columns=[
            Column("编码", "code", required=True, get=lambda t: t.org.code),
            Column("名称", "name", required=True, get=lambda t: t.org.name),
            Column("类别", "kind", "choice", required=True, choices=TeamKind),
            Column("上级单位", "parent", "org", required=True, get=lambda t: t.org.parent),
            Column("纬度", "lat", "float", get=lambda t: t.org.lat),
            Column("经度", "lon", "float", get=lambda t: t.org.lon),
            Column("驻地地址", "address", get=lambda t: t.org.address),
            Column("负责人", "leader", get=lambda t: t.org.contact),
            Column("联系电话", "phone", get=lambda t: t.org.phone),
            Column("总人数", "headcount", "int", required=True),
            Column("在岗人数", "on_duty", "int", required=True),
            Column("专业技能", "skills"),
            Column("状态", "status", "choice", required=True, choices=TeamStatus),
        ],
        find=lambda user, code: selectors.team_by_code(user=user, code=code) if code else None,
    ),
    "experts": SheetSpec(
        title="专家",
        columns=[
            Column("编码", "code", required=True),
            Column("姓名", "name", required=True),
            Column("专业领域", "field", "choice", required=True, choices=ExpertField),
            Column("职称", "title"),
            Column("工作单位", "organisation"),
            Column("联系电话", "phone"),
            Column("可用状态", "availability", "choice", required=True, choices=Availability),
            LAT,
            LON,
            OWNER,
        ],
    ),
    "equipment": SheetSpec(
        title="大型装备",
        columns=[
            Column("编码", "code", required=True),
            Column("名称", "name", required=True),
            Column("类别", "category", "choice", required=True, choices=EquipmentCategory),
            Column("型号", "model"),
            Column("数量", "quantity", "int", required=True),
            Column("存放地点", "location"),
            LAT,
            LON,
            Column("状态", "status", "choice", required=True, choices=EquipmentStatus),
            Column("下次保养日期", "next_maintenance", "date"),
            Column("保管人", "keeper"),
            Column("联系电话", "phone"),
            OWNER,
        ],
    ),
    "materials": SheetSpec(
        title="物资目录",
        columns=[
            Column("编码", "code", required=True),
            Column("名称", "name", required=True),
            Column("类别", "category", "choice", required=True, choices=MaterialCategory),
            Column("规格", "spec"),
            Column("计量单位", "unit", required=True),
            Column("保质期（天）", "shelf_life_days", "int"),
        ],
        find=lambda user, code: MaterialItem.objects.filter(code=code).first() if code else None,
    ),
    "warehouses": SheetSpec(
        title="物资储备库",
        columns=[
            Column("编码", "code", required=True),
            Column("名称", "name", required=True),
            Column("地址", "address"),
            LAT,
            LON,
            Column("保管员", "keeper"),
            Column("联系电话", "phone"),
            Column("启用", "active", "bool", default=True),
            OWNER,
        ],
    ),
    "shelters": SheetSpec(
        title="应急避难场所",
        columns=[
            Column("编码", "code", required=True),
            Column("名称", "name", required=True),
            Column("室内/室外", "kind", "choice", required=True, choices=ShelterKind),
            Column("场所类型", "shelter_class", "choice", required=True, choices=ShelterClass),
            Column("地址", "address"),
            LAT,
            LON,
            Column("有效面积（平方米）", "effective_area_m2", "int", required=True),
            Column("核定容量（人）", "capacity_given", "int"),
            Column("配套设施", "facilities", "choices", choices=Facility),
            Column("开放", "is_open", "bool"),
            Column("当前安置人数", "occupancy", "int", default=0),
            Column("管理人", "manager"),
            Column("联系电话", "phone"),
            OWNER,
        ],
    ),
}


def with_sheet(registry: Registry) -> Registry:
    """The registry with its Excel export and import: its sheet's columns over its own selector and services."""
    spec = SHEETS[registry.slug]
    sheet = Sheet(
        slug=registry.slug,
        title=spec.title,
        columns=spec.columns,
        rows=lambda user: registry.list_rows(user=user),
        find=spec.find or _scoped_find(registry.model),
        create=registry.create,
        update=registry.update,
        lookup_org=_org_lookup,
    )
    return replace(
        registry,
        export_xlsx=lambda user: export_xlsx(sheet, user=user),
        import_xlsx=lambda user, data: import_xlsx(sheet, user=user, data=data),
        sheet_title=spec.title,
    )
