"""Demo resources for Huangshigang on top of the demo district, through the services and idempotently.

Names of the parks and squares are real (黄石人防主题公园 — the 青鱼路防灾避险游园 of 5.4 ha — 团城山公园,
青山湖公园, 桂花广场); every location, team, person, phone number, quantity and date is illustrative."""

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from yingji.core.geo import district_geometry, random_points
from yingji.core.models import OrgKind, OrgUnit
from yingji.resources import services
from yingji.resources.models import (
    CommunityPopulation,
    Equipment,
    Expert,
    MaterialItem,
    Shelter,
    Team,
    Warehouse,
)

DISTRICT_CODE = "420202"
# 2020 census, 黄石港区.
DISTRICT_POPULATION = 241_589

# (code, name, kind, parent code, headcount, on duty, skills); the first three exist as demo org units.
TEAMS = [
    ("T420202001", "黄石港区综合应急救援大队", "part_time", DISTRICT_CODE, 60, 20, "综合抢险、排涝、道路清障"),
    ("T420202006001", "黄石港街道应急志愿服务队", "volunteer", "420202006", 45, 10, "疏散引导、心理疏导、物资分发"),
    ("T420202400001", "江北管理区防汛抢险队", "flood", "420202400", 40, 12, "堤防巡查、管涌抢护、排涝"),
    (
        "T420202F01",
        "黄石港区消防救援大队磁湖路消防救援站",
        "fire_rescue",
        DISTRICT_CODE,
        38,
        14,
        "灭火、抢险救援、高层救援",
    ),
    (
        "T420202F02",
        "黄石港区消防救援大队花湖消防救援站",
        "fire_rescue",
        "420202070",
        32,
        12,
        "灭火、抢险救援、化学品泄漏处置",
    ),
    ("T420202H01", "黄石港区危化品专业救援队", "hazchem", DISTRICT_CODE, 24, 8, "侦检、堵漏、洗消、危化品转输"),
    ("T420202W01", "黄石港区水上救援队", "water", "420202006", 20, 6, "水上搜救、冲锋舟操作、潜水"),
    ("T420202P01", "黄石港供电抢修队", "power", DISTRICT_CODE, 30, 10, "配网抢修、应急供电"),
    ("T420202M01", "黄石港区医疗救护队", "medical", DISTRICT_CODE, 26, 8, "现场急救、伤员转运、检伤分类"),
    ("T420202005V1", "沈家营街道志愿者队伍", "volunteer", "420202005", 50, 12, "疏散引导、物资分发"),
    ("T420202007V1", "胜阳港街道志愿者队伍", "volunteer", "420202007", 42, 10, "疏散引导、巡查"),
    ("T420202070V1", "花湖街道志愿者队伍", "volunteer", "420202070", 38, 9, "疏散引导、照料老幼"),
    ("T420202S01", "黄石蓝天救援队", "social", DISTRICT_CODE, 35, 8, "山地搜救、水域救援、绳索救援"),
]
MEMBER_ROLES = [
    ("队长", "应急救援员（三级）"),
    ("副队长", "应急救援员（四级）"),
    ("队员", "红十字救护员证"),
    ("队员", "潜水员证"),
    ("队员", "特种作业操作证（电工）"),
]
EXPERTS = [
    ("EXP001", "hazchem", "高级工程师", "大冶有色金属集团安环部"),
    ("EXP002", "hazchem", "注册安全工程师", "黄石市安全生产协会"),
    ("EXP003", "fire", "高级工程师", "黄石市消防救援支队"),
    ("EXP004", "flood", "教授级高工", "黄石市水利水电勘察设计院"),
    ("EXP005", "geology", "高级工程师", "湖北省地质局第一地质大队"),
    ("EXP006", "building", "教授", "湖北理工学院土木建筑工程学院"),
    ("EXP007", "power", "高级工程师", "国网黄石供电公司"),
    ("EXP008", "medical", "主任医师", "黄石市中心医院急诊科"),
    ("EXP009", "meteorology", "高级工程师", "黄石市气象局"),
    ("EXP010", "mine", "研究员", "湖北理工学院资源与环境工程学院"),
]
# (code, name, category, model, quantity, owner code)
EQUIPMENT = [
    ("EQ001", "大流量排涝泵车", "pump", "DFH5150TPSEX", 2, DISTRICT_CODE),
    ("EQ002", "移动式排涝泵", "pump", "QZ-500", 6, "420202400"),
    ("EQ003", "应急发电车", "generator", "500kW", 1, DISTRICT_CODE),
    ("EQ004", "柴油发电机组", "generator", "50kW", 4, "420202006"),
    ("EQ005", "全方位照明车", "lighting", "JZM-1", 2, DISTRICT_CODE),
    ("EQ006", "挖掘机", "excavator", "SY215C", 2, "420202070"),
    ("EQ007", "装载机", "loader", "LG855", 2, "420202007"),
    ("EQ008", "25吨汽车起重机", "crane", "QY25K5", 1, DISTRICT_CODE),
    ("EQ009", "冲锋舟", "boat", "YL-A500", 8, "420202006"),
    ("EQ010", "橡皮艇", "boat", "HDX-430", 6, "420202400"),
    ("EQ011", "有毒气体检测仪", "detection", "MX6", 10, DISTRICT_CODE),
    ("EQ012", "应急通信指挥车", "communication", "卫星便携站", 1, DISTRICT_CODE),
]
# (code, name, category, spec, unit, shelf life days, per-warehouse minimum)
MATERIALS = [
    ("M001", "救灾帐篷", "shelter", "12平方米", "顶", None, 20),
    ("M002", "棉被", "shelter", "2×2.3米", "床", None, 100),
    ("M003", "折叠床", "shelter", "单人", "张", None, 50),
    ("M004", "瓶装饮用水", "food", "550毫升×24", "箱", 365, 100),
    ("M005", "方便食品", "food", "方便面×12", "箱", 180, 80),
    ("M006", "救生衣", "flood", "成人", "件", None, 50),
    ("M007", "编织袋", "flood", "50×80厘米", "条", None, 2000),
    ("M008", "应急照明灯", "power", "充电式", "盏", None, 30),
    ("M009", "医疗急救包", "medical", "综合型", "个", 730, 30),
    ("M010", "防化服", "protection", "轻型", "套", 1825, 10),
    ("M011", "雨衣雨靴", "clothing", "套装", "套", None, 100),
    ("M012", "铁锹", "rescue", "尖头", "把", None, 100),
]
# (code, name, owner code)
WAREHOUSES = [
    ("WH001", "黄石港区应急物资储备库", DISTRICT_CODE),
    ("WH005", "沈家营街道应急物资储备点", "420202005"),
    ("WH006", "黄石港街道应急物资储备点", "420202006"),
    ("WH007", "胜阳港街道应急物资储备点", "420202007"),
    ("WH070", "花湖街道应急物资储备点", "420202070"),
    ("WH400", "江北管理区防汛物资仓库", "420202400"),
]
# (code, name, indoor/outdoor, class, effective area m², facilities, owner code)
BASIC = ["tents", "medical", "water", "power", "drainage", "toilets", "waste", "routes", "signs"]
SHELTERS = [
    (
        "SH001",
        "黄石人防主题公园（青鱼路防灾避险游园）",
        "outdoor",
        "fixed_medium",
        32_000,
        [*BASIC, "firefighting", "storage", "command"],
        "420202006",
    ),
    ("SH002", "团城山公园", "outdoor", "fixed_short", 60_000, [*BASIC, "firefighting", "storage"], "420202005"),
    ("SH003", "青山湖公园", "outdoor", "fixed_short", 40_000, [*BASIC, "storage"], "420202070"),
    ("SH004", "桂花广场", "outdoor", "emergency", 6_000, ["water", "toilets", "routes", "signs"], "420202007"),
    ("SH005", "广场路小学操场", "outdoor", "emergency", 4_500, ["water", "toilets", "signs"], "420202006"),
    (
        "SH006",
        "天津路小学体育馆",
        "indoor",
        "fixed_short",
        2_400,
        ["water", "power", "toilets", "medical", "signs"],
        "420202005",
    ),
    ("SH007", "黄石港区体育中心", "indoor", "fixed_medium", 5_400, [*BASIC, "bathing", "ventilation"], "420202007"),
    (
        "SH008",
        "江北管理区中心小学",
        "indoor",
        "fixed_short",
        1_800,
        ["water", "power", "toilets", "signs"],
        "420202400",
    ),
]


def _point(rng: random.Random, units: dict[str, OrgUnit], code: str) -> tuple[float, float]:
    """A random point inside the street `code` (or, for the district, inside its main street)."""
    unit = units[code]
    area = shape(unit.area) if unit.area else district_geometry()
    ((lon, lat),) = random_points(area, rng, 1)
    return round(lat, 6), round(lon, 6)


def demo_load_resources(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo teams, experts, equipment, warehouses with stock, shelters and community populations that
    are missing (by code); a second run creates nothing. Needs the demo district."""
    rng = random.Random(seed)
    today = timezone.localdate()
    units = {u.code: u for u in OrgUnit.objects.filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.TEAM])}
    if DISTRICT_CODE not in units:
        raise RuntimeError("load the demo district first (yingji demo)")
    # The district-level resources sit in 黄石港街道, the old centre.
    units_for_place = {**units, DISTRICT_CODE: units["420202006"]}
    created = dict.fromkeys(
        ["teams", "members", "experts", "equipment", "materials", "warehouses", "movements", "shelters", "populations"],
        0,
    )
    with transaction.atomic():
        profiled = set(Team.objects.values_list("org__code", flat=True))
        for code, name, kind, parent, headcount, on_duty, skills in TEAMS:
            lat, lon = _point(rng, units_for_place, parent)
            if code in profiled:
                continue
            fields: dict[str, Any] = {"kind": kind, "headcount": headcount, "on_duty": on_duty, "skills": skills}
            if code in units:
                team = services.team_create(by=None, org=units[code], **fields)
            else:
                team = services.team_create(
                    by=None,
                    parent=units[parent],
                    code=code,
                    name=name,
                    lat=lat,
                    lon=lon,
                    leader=rng.choice("王李张刘陈杨") + rng.choice(["伟", "军", "磊", "勇", "涛"]),
                    phone=f"0714-{rng.randint(6200000, 6899999)}",
                    **fields,
                )
            created["teams"] += 1
            for number, (position, certificate) in enumerate(MEMBER_ROLES, start=1):
                services.team_member_save(
                    by=None,
                    team=team,
                    name=rng.choice("王李张刘陈杨黄赵吴周")
                    + rng.choice(["建华", "志强", "海燕", "晓东", "文斌", "春燕"]),
                    position=position,
                    phone=f"139{rng.randint(10000000, 99999999)}",
                    certificate=certificate,
                    certificate_no=f"{code}-{number:02d}",
                    # Some certificates run out soon, so the alert list has something to show.
                    certificate_expiry=today + timedelta(days=rng.choice([-20, 30, 200, 400, 700])),
                )
                created["members"] += 1

        have = set(Expert.objects.values_list("code", flat=True))
        for code, field, title, organisation in EXPERTS:
            lat, lon = _point(rng, units_for_place, DISTRICT_CODE)
            if code in have:
                continue
            services.expert_create(
                by=None,
                org=units[DISTRICT_CODE],
                code=code,
                field=field,
                title=title,
                organisation=organisation,
                name=rng.choice("王李张刘陈杨黄赵吴周徐孙胡")
                + rng.choice(["国庆", "红梅", "建国", "玉兰", "明", "静"]),
                phone=f"138{rng.randint(10000000, 99999999)}",
                lat=lat,
                lon=lon,
            )
            created["experts"] += 1

        have = set(Equipment.objects.values_list("code", flat=True))
        for code, name, category, model, quantity, owner in EQUIPMENT:
            lat, lon = _point(rng, units_for_place, owner)
            if code in have:
                continue
            services.equipment_create(
                by=None,
                org=units[owner],
                code=code,
                name=name,
                category=category,
                model=model,
                quantity=quantity,
                lat=lat,
                lon=lon,
                location=f"{units[owner].name}应急装备库",
                next_maintenance=today + timedelta(days=rng.choice([-15, 20, 60, 120, 240])),
            )
            created["equipment"] += 1

        items = {m.code: m for m in MaterialItem.objects.all()}
        for code, name, category, spec, unit, shelf_life, _minimum in MATERIALS:
            if code not in items:
                items[code] = services.material_create(
                    by=None, code=code, name=name, category=category, spec=spec, unit=unit, shelf_life_days=shelf_life
                )
                created["materials"] += 1

        have = set(Warehouse.objects.values_list("code", flat=True))
        for code, name, owner in WAREHOUSES:
            lat, lon = _point(rng, units_for_place, owner)
            if code in have:
                continue
            warehouse = services.warehouse_create(
                by=None,
                org=units[owner],
                code=code,
                name=name,
                lat=lat,
                lon=lon,
                address=f"{units[owner].name}（示意地址）",
                keeper=rng.choice(["刘伟", "陈敏", "杨军", "黄涛"]),
                phone=f"0714-{rng.randint(6200000, 6899999)}",
            )
            created["warehouses"] += 1
            scale = 5 if owner == DISTRICT_CODE else 1
            for item_code, _name, _cat, _spec, _unit, shelf_life, minimum in MATERIALS:
                item = items[item_code]
                services.stock_minimum_set(by=None, warehouse=warehouse, item=item, minimum=minimum * scale // 2)
                quantity = rng.randint(minimum // 3, minimum * 2) * scale
                if quantity == 0:
                    continue
                expiry = today + timedelta(days=rng.randint(-30, shelf_life)) if shelf_life else None
                services.stock_receive(
                    by=None,
                    warehouse=warehouse,
                    item=item,
                    quantity=quantity,
                    reason="年度储备采购入库",
                    batch=f"{today:%Y}-{item_code}-{code}" if shelf_life else "",
                    expiry=expiry,
                )
                created["movements"] += 1

        have = set(Shelter.objects.values_list("code", flat=True))
        for code, name, kind, shelter_class, area, facilities, owner in SHELTERS:
            lat, lon = _point(rng, units_for_place, owner)
            if code in have:
                continue
            services.shelter_create(
                by=None,
                org=units[owner],
                code=code,
                name=name,
                kind=kind,
                shelter_class=shelter_class,
                effective_area_m2=area,
                facilities=facilities,
                lat=lat,
                lon=lon,
                is_open=code in ("SH001", "SH002", "SH003", "SH004", "SH007"),
                manager=rng.choice(["周明", "吴静", "徐磊"]),
                phone=f"0714-{rng.randint(6200000, 6899999)}",
                illustrative=True,
            )
            created["shelters"] += 1

        communities = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, active=True))
        estimated = set(CommunityPopulation.objects.values_list("community_id", flat=True))
        weights = [shape(c.area).area if c.area else 1.0 for c in communities]
        total = sum(weights) or 1.0
        for community, weight in zip(communities, weights, strict=True):
            if community.pk in estimated:
                continue
            services.community_population_set(
                by=None,
                community=community,
                population=round(DISTRICT_POPULATION * weight / total),
                source="按面积分摊2020年人口普查区人口（示意）",
                illustrative=True,
            )
            created["populations"] += 1
    out("resources: " + ", ".join(f"{k} {v}" for k, v in created.items()))
    return created
