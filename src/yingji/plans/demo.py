"""Demo plans for Huangshigang on top of the demo district and resources: the district overall plan, five district
special plans, street plans, on-site and comprehensive plans of the home street's hazardous-chemicals enterprises,
two drills (one scored) and five scenarios. Everything here is illustrative. Idempotent: known by title."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.plans import services
from yingji.plans.models import Conclusion, Drill, Plan, PlanStatus, Scenario
from yingji.resources.models import Expert

BUREAU_PHONE = "0714-6222110"


def _body(chief: str, roles: list[tuple[str, str, str]], tiers: dict[str, str], steps: list[tuple]) -> dict[str, Any]:
    """A plan body: roles (name, duties, phone), triggers per level, steps (level, role, action, minutes)."""
    order: dict[tuple[str, str], int] = {}
    rows = []
    for level, role, action, minutes in steps:
        order[(level, role)] = order.get((level, role), 0) + 1
        rows.append(
            {"level": level, "role": role, "order": order[(level, role)], "action": action, "due_minutes": minutes}
        )
    return {
        "sections": [{"part": "general", "heading": "适用范围", "body": f"本预案由{chief}组织实施。"}],
        "roles": [{"name": n, "duties": d, "phone": p} for n, d, p in roles],
        "tiers": [{"level": level, "trigger": trigger} for level, trigger in tiers.items()],
        "steps": rows,
        "reporting": [
            {
                "role": roles[0][0],
                "what": "事件简要情况、伤亡、已采取措施",
                "recipient": "黄石港区应急管理局",
                "phone": BUREAU_PHONE,
                "within_minutes": 60,
            }
        ],
        "annexes": [{"title": "有关部门和人员联系方式", "body": f"区应急管理局值班室 {BUREAU_PHONE}"}],
    }


DISTRICT_ROLES = [
    ("总指挥", "区政府分管副区长：决定启动、调整和终止响应，统一指挥", "0714-6222001"),
    ("区应急管理局", "信息汇总报告、协调调度救援力量和物资", BUREAU_PHONE),
    ("事发地街道", "先期处置、组织群众疏散转移和安置", "0714-6222300"),
    ("区消防救援大队", "灭火、抢险救援和人员搜救", "0714-6222119"),
]
DISTRICT_TIERS = {
    "IV": "发生一般突发事件，或事发地街道请求支援",
    "III": "发生较大突发事件，或一般事件有扩大趋势",
    "II": "发生重大突发事件，由区政府报请市政府启动",
}


def _district_steps(kind: str) -> list[tuple]:
    return [
        ("IV", "区应急管理局", f"接报后核实{kind}情况，30分钟内书面报区政府", 30),
        ("IV", "事发地街道", "组织先期处置，划定警戒区", 30),
        ("III", "总指挥", "赶赴现场，成立现场指挥部", 60),
        ("III", "区消防救援大队", f"调派救援力量开展{kind}处置", 15),
        ("III", "区应急管理局", "调集应急物资和专家，1小时内报市应急管理局", 60),
        ("II", "总指挥", "报请市政府启动市级响应，配合市级指挥部", 30),
        ("II", "事发地街道", "组织危险区域群众全部转移至避难场所", 120),
    ]


SPECIALS = [
    ("黄石港区危险化学品事故应急预案", ("hazchem_leak", "explosion", "poisoning"), "危险化学品事故"),
    ("黄石港区防汛抗旱应急预案", ("flood", "storm"), "汛情"),
    ("黄石港区森林火灾应急预案", ("forest_fire",), "森林火情"),
    ("黄石港区城市火灾事故应急预案", ("fire",), "火灾"),
    ("黄石港区地震应急预案", ("earthquake", "building_collapse"), "震情"),
]


def _file(plan: Plan, commander: User, experts: list[Expert]) -> Plan:
    plan = services.plan_transition(by=None, plan=plan, to=PlanStatus.UNDER_REVIEW)
    services.plan_review_update(
        by=commander, plan=plan, experts=experts, comments="要素齐全，职责清晰，措施可行。", conclusion=Conclusion.PASS
    )
    plan = services.plan_transition(by=commander, plan=plan, to=PlanStatus.APPROVED)
    return services.plan_transition(by=commander, plan=plan, to=PlanStatus.FILED)


def _plan(title: str, existing: set[str], **fields: Any) -> Plan | None:
    if title in existing:
        return None
    body = fields.pop("body")
    plan = services.plan_create(by=None, title=title, **fields)
    return services.plan_body_set(by=None, plan=plan, body=body)


@transaction.atomic
def demo_load_plans(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo plans, drills and scenarios that are missing; returns how many of each were created."""
    commander = User.objects.get(username="commander")
    district = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).order_by("path").first()
    assert district is not None  # the core demo loader, which runs first, made it
    streets = {s.name: s for s in OrgUnit.objects.filter(kind=OrgKind.STREET)}
    experts = list(Expert.objects.order_by("code")[:3])
    existing = set(Plan.objects.values_list("title", flat=True))
    created: list[Plan] = []

    def add(title: str, *, file: bool = True, **fields: Any) -> None:
        plan = _plan(title, existing, **fields)
        if plan is not None:
            created.append(_file(plan, commander, experts) if file else plan)

    add(
        "黄石港区突发事件总体应急预案",
        org=district,
        level="district_overall",
        body=_body("区人民政府", DISTRICT_ROLES, DISTRICT_TIERS, _district_steps("突发事件")),
    )
    for title, types, kind in SPECIALS:
        add(
            title,
            org=district,
            level="district_special",
            incident_types=types,
            body=_body("区人民政府", DISTRICT_ROLES, DISTRICT_TIERS, _district_steps(kind)),
        )
    for name in ("黄石港街道", "胜阳港街道"):
        street = streets.get(name)
        if street is None:
            continue
        roles = [
            ("街道应急指挥部总指挥", "街道办事处主任：组织先期处置", street.phone or "0714-6222300"),
            ("社区网格员", "报告险情、引导群众疏散", ""),
        ]
        tiers = {"IV": "辖区内发生一般突发事件"}
        steps = [
            ("IV", roles[0][0], "到场组织先期处置，向区应急管理局报告", 30),
            ("IV", "社区网格员", "通知居民并引导至应急避难场所", 30),
        ]
        add(f"{name}突发事件应急预案", org=street, level="street", body=_body(f"{name}办事处", roles, tiers, steps))
    home = streets.get("黄石港街道")
    hazchem: QuerySet[OrgUnit] | list[OrgUnit]
    hazchem = OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, industry="hazchem").order_by("code")
    if home is not None:
        hazchem = list(hazchem.filter(path__startswith=home.path)[:2]) + list(
            hazchem.exclude(path__startswith=home.path)[:1]
        )
    for index, enterprise in enumerate(hazchem):
        roles = [
            ("总指挥", "企业主要负责人：启动和终止响应，报告政府", enterprise.phone or "0714-6000000"),
            ("现场处置组", "关阀堵漏、设置警戒、疏散人员", ""),
            ("医疗救护组", "现场急救、联系120", ""),
        ]
        tiers = {"IV": "少量泄漏，岗位可控制", "II": "大量泄漏、火灾或人员中毒，需要外部救援"}
        steps = [
            ("IV", "现场处置组", "佩戴空气呼吸器，关闭泄漏点上下游阀门", 5),
            ("IV", "总指挥", "到场确认险情，决定是否提升响应", 15),
            ("II", "总指挥", "拨打119并报告黄石港区应急管理局，启动公司综合预案", 10),
            ("II", "现场处置组", "疏散下风向500米内人员，设置警戒区", 20),
            ("II", "医疗救护组", "救治中毒人员，引导120到场", 20),
        ]
        body = _body(enterprise.name, roles, tiers, steps)
        add(
            f"{enterprise.name}储罐区泄漏现场处置方案",
            org=enterprise,
            level="enterprise_onsite",
            incident_types=("hazchem_leak", "fire", "explosion", "poisoning"),
            body=body,
        )
        add(
            f"{enterprise.name}生产安全事故综合应急预案",
            org=enterprise,
            level="enterprise_comprehensive",
            body=body,
            file=index != 1,
        )
    drills = _drills(commander, district)
    scenarios = _scenarios(district)
    out(f"plans: {len(created)} created, {drills} drills, {scenarios} scenarios")
    return {"plans": len(created), "drills": drills, "scenarios": scenarios}


def _drills(commander: User, district: OrgUnit) -> int:
    titles = ["2026年黄石港区危险化学品泄漏综合演练", "2026年防汛抢险桌面推演"]
    if Drill.objects.filter(title__in=titles).exists():
        return 0
    hazchem = Plan.objects.filter(title="黄石港区危险化学品事故应急预案").first()
    flood = Plan.objects.filter(title="黄石港区防汛抗旱应急预案").first()
    now = timezone.now()
    done = services.drill_create(
        by=None,
        org=district,
        title=titles[0],
        content="comprehensive",
        form="field",
        plan=hazchem,
        scheduled_for=now - timedelta(days=20),
        participants="区应急管理局、区消防救援大队、黄石港街道、涉事企业",
    )
    services.drill_evaluate(
        by=commander,
        drill=done,
        items={"1.7": ("yes", "初报 35 分钟送出"), "2.2": ("yes", ""), "4.7": ("no", "现场指挥部未调集洗消力量")},
        findings="信息报告及时；洗消力量调集不足。",
        improvements="补充洗消装备调集程序，由区消防救援大队负责，30日内完成。",
    )
    # Illustrative figures standing in for the logs of an exercise incident.
    services.drill_record_metrics(
        by=None,
        drill=done,
        metrics={"report_min": 35, "dispatch_min": 8, "arrival_min": 41, "tasks_total": 6, "tasks_on_time": 5},
    )
    services.drill_create(
        by=None,
        org=district,
        title=titles[1],
        content="single",
        form="tabletop",
        plan=flood,
        scheduled_for=now + timedelta(days=30),
        participants="区防汛办、各街道",
    )
    return 2


SCENARIOS = [
    (
        "沿江危化品码头储罐泄漏并引发火灾",
        "hazchem_leak",
        "储罐泄漏 → 可燃气体扩散 → 遇火源爆燃 → 邻罐受热",
        500,
        3,
        15,
        {"team:fire_rescue": 3, "team:hazchem": 2, "team:medical": 1, "equipment:fire_engine": 4},
    ),
    (
        "长江黄石段超警戒水位、城区内涝",
        "flood",
        "持续强降雨 → 长江水位超警 → 沿江低洼地带内涝 → 群众转移",
        2000,
        0,
        5,
        {"team:flood": 3, "equipment:pump": 6, "equipment:boat": 4},
    ),
    (
        "花湖山林火灾",
        "forest_fire",
        "山林起火 → 大风蔓延 → 威胁林缘社区",
        1500,
        0,
        3,
        {"team:fire_rescue": 2, "team:volunteer": 2, "equipment:rescue_vehicle": 2},
    ),
    (
        "商场火灾人员被困",
        "fire",
        "电气起火 → 浓烟蔓延 → 人员被困",
        200,
        2,
        20,
        {"team:fire_rescue": 2, "team:medical": 2, "equipment:fire_engine": 3},
    ),
    (
        "5.0级地震建筑倒塌",
        "earthquake",
        "地震 → 老旧房屋倒塌 → 人员被埋压 → 次生火灾",
        3000,
        5,
        60,
        {"team:building": 2, "team:medical": 2, "equipment:excavator": 3, "equipment:crane": 1},
    ),
]


def _scenarios(district: OrgUnit) -> int:
    existing = set(Scenario.objects.values_list("title", flat=True))
    created = 0
    for title, type_code, chain, radius, deaths, injuries, needs in SCENARIOS:
        if title in existing:
            continue
        services.scenario_create(
            by=None,
            org=district,
            title=title,
            incident_type=type_code,
            event_chain=chain,
            radius_m=radius,
            affected_area=f"事发点周边约 {radius} 米（示意）",
            expected_deaths=deaths,
            expected_injuries=injuries,
            needs=needs,
        )
        created += 1
    return created


__all__ = ["demo_load_plans"]
