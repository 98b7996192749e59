"""The column specs of each registry's spreadsheet (see excel.py). Headers are fixed Chinese titles."""

from typing import Any

from yingji.core.models import User
from yingji.core.scopes import scoped
from yingji.resources import selectors, services
from yingji.resources.excel import Column, Sheet
from yingji.resources.models import (
    Availability,
    Equipment,
    EquipmentCategory,
    EquipmentStatus,
    Expert,
    ExpertField,
    Facility,
    MaterialCategory,
    MaterialItem,
    Shelter,
    ShelterClass,
    ShelterKind,
    TeamKind,
    TeamStatus,
    Warehouse,
)


def _org_lookup(user: User, value: str) -> Any:
    return selectors.org_lookup(user=user, value=value)


def _find(model: type, user: User, code: Any) -> Any:
    return scoped(model.objects.all(), user).filter(code=code).first() if code else None


LAT = Column("纬度", "lat", "float")
LON = Column("经度", "lon", "float")
OWNER = Column("所属单位", "org", "org", required=True)

SHEETS: dict[str, Sheet] = {
    "teams": Sheet(
        slug="teams",
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
        rows=lambda user: selectors.team_list(user=user),
        find=lambda user, code: selectors.team_by_code(user=user, code=code) if code else None,
        create=services.team_create,
        update=lambda *, by, obj, **values: services.team_update(by=by, team=obj, **values),
        lookup_org=_org_lookup,
    ),
    "experts": Sheet(
        slug="experts",
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
        rows=lambda user: selectors.expert_list(user=user),
        find=lambda user, code: _find(Expert, user, code),
        create=services.expert_create,
        update=lambda *, by, obj, **values: services.expert_update(by=by, expert=obj, **values),
        lookup_org=_org_lookup,
    ),
    "equipment": Sheet(
        slug="equipment",
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
        rows=lambda user: selectors.equipment_list(user=user),
        find=lambda user, code: _find(Equipment, user, code),
        create=services.equipment_create,
        update=lambda *, by, obj, **values: services.equipment_update(by=by, equipment=obj, **values),
        lookup_org=_org_lookup,
    ),
    "materials": Sheet(
        slug="materials",
        title="物资目录",
        columns=[
            Column("编码", "code", required=True),
            Column("名称", "name", required=True),
            Column("类别", "category", "choice", required=True, choices=MaterialCategory),
            Column("规格", "spec"),
            Column("计量单位", "unit", required=True),
            Column("保质期（天）", "shelf_life_days", "int"),
        ],
        rows=lambda user: selectors.material_list(user=user),
        find=lambda user, code: MaterialItem.objects.filter(code=code).first() if code else None,
        create=services.material_create,
        update=lambda *, by, obj, **values: services.material_update(by=by, material=obj, **values),
    ),
    "warehouses": Sheet(
        slug="warehouses",
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
        rows=lambda user: selectors.warehouse_list(user=user),
        find=lambda user, code: _find(Warehouse, user, code),
        create=services.warehouse_create,
        update=lambda *, by, obj, **values: services.warehouse_update(by=by, warehouse=obj, **values),
        lookup_org=_org_lookup,
    ),
    "shelters": Sheet(
        slug="shelters",
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
        rows=lambda user: selectors.shelter_list(user=user),
        find=lambda user, code: _find(Shelter, user, code),
        create=services.shelter_create,
        update=lambda *, by, obj, **values: services.shelter_update(by=by, shelter=obj, **values),
        lookup_org=_org_lookup,
    ),
}
