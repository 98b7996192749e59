"""Demo prevention data on the demo district: profiles for every enterprise, risk points, hidden dangers in every
state (some overdue, some major), two major hazard units (an LPG filling station and the chlorine store of a water
works) watched by the demo devices, an inspection plan with a recorded double-random draw, and 30 days of daily
commitments. Everything is illustrative and seeded; the loader only adds what is missing."""

import random
import struct
import zlib
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.core.models import Industry, OrgKind, OrgUnit, User
from yingji.risk import services
from yingji.risk.models import (
    Commitment,
    DangerStatus,
    EnterpriseProfile,
    HazardUnit,
    HiddenDanger,
    InspectionPlan,
    Scale,
)
from yingji.risk.uscc import CHARSET, check_character

CONTROL = "落实岗位责任制，定期巡检，设置警示标志。"
EMERGENCY = "立即停止作业，疏散人员，报告值班室。"
ORDER_TEXT = "经检查，你单位安全出口被货物占用，违反《中华人民共和国消防法》有关规定。\n现责令你单位于期限内整改完毕。"
PLAN_TITLE = "2026年度安全生产执法检查计划（演示）"
DRAW_SEED = "黄石港-2026-第1批"
SECTIONS: dict[str, tuple[str, str]] = {
    Industry.HAZARDOUS_CHEMICALS: ("C", "26"),
    Industry.GAS: ("D", "45"),
    Industry.METALLURGY: ("C", "31"),
    Industry.BUILDING_MATERIALS: ("C", "30"),
    Industry.MACHINERY: ("C", "34"),
    Industry.LOGISTICS: ("G", "59"),
    Industry.PORT: ("G", "55"),
    Industry.CONSTRUCTION: ("E", "47"),
    Industry.PRINTING: ("C", "23"),
    Industry.FOOD: ("C", "14"),
    Industry.RETAIL: ("F", "52"),
    Industry.TEXTILES: ("C", "17"),
    Industry.HOSPITALITY: ("H", "61"),
    Industry.OTHER: ("L", "72"),
}
FLAGS: dict[str, list[str]] = {Industry.HAZARDOUS_CHEMICALS: ["hazchem", "major_hazard"], Industry.GAS: ["gas"],
         Industry.METALLURGY: ["molten_metal"]}  # fmt: skip
HIGH_RISK = {Industry.HAZARDOUS_CHEMICALS, Industry.GAS, Industry.METALLURGY}
# (name, hazard, accidents, LEC or matrix assessment, control level)
LEC, MATRIX = "lec", "matrix"
POINTS = [
    ("储罐区", "易燃液体储罐泄漏遇点火源", "火灾、爆炸",
     {"method": LEC, "l_value": 1, "e_value": 6, "c_value": 40}, "company"),
    ("配电室", "电气线路老化、私拉乱接", "触电、火灾",
     {"method": LEC, "l_value": 1, "e_value": 6, "c_value": 7}, "workshop"),
    ("有限空间", "污水池、地下室缺氧及有毒气体", "中毒和窒息",
     {"method": MATRIX, "likelihood": 3, "severity": 5}, "company"),
    ("叉车作业区", "叉车行驶与行人交叉", "车辆伤害",
     {"method": MATRIX, "likelihood": 2, "severity": 4}, "team"),
    ("机加工车间", "机械转动部位无防护", "机械伤害",
     {"method": LEC, "l_value": 3, "e_value": 6, "c_value": 7}, "team"),
    ("仓库", "可燃物堆放、通道堵塞", "火灾",
     {"method": MATRIX, "likelihood": 1, "severity": 3}, "post"),
    ("熔炼炉", "高温熔融金属喷溅", "灼烫、爆炸",
     {"method": LEC, "l_value": 6, "e_value": 6, "c_value": 15}, "company"),
]  # fmt: skip
DANGERS = [
    ("消防通道被杂物堵塞", "general"),
    ("配电箱未可靠接地", "general"),
    ("安全出口指示灯损坏", "general"),
    ("可燃气体报警器未定期检定", "general"),
    ("储罐区防火堤破损", "major"),
    ("特种作业人员无证上岗", "general"),
]


def _uscc(rng: random.Random) -> str:
    first17 = "91420202" + "".join(rng.choice(CHARSET) for _ in range(9))
    return first17 + check_character(first17)


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG standing in for a photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    width = height = 32
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _profiles(rng: random.Random, enterprises: list[OrgUnit]) -> list[EnterpriseProfile]:
    created = []
    have = set(EnterpriseProfile.objects.values_list("org_id", flat=True))
    for org in enterprises:
        if org.pk in have:
            continue
        high = org.industry in HIGH_RISK
        section, division = SECTIONS.get(org.industry, ("L", "72"))
        five = rng.random() < (0.8 if high else 0.5)
        created.append(
            services.enterprise_create(
                by=None,
                code=org.code,
                name=org.name,
                uscc=_uscc(rng),
                industry_section=section,
                industry_division=division,
                scale=rng.choice([Scale.MEDIUM, Scale.SMALL, Scale.SMALL, Scale.LARGE if high else Scale.MICRO]),
                legal_representative=org.contact or "张伟",
                safety_manager=org.contact or "李娜",
                safety_phone=org.phone,
                employees=rng.randint(12, 480),
                high_risk=high,
                risk_flags=FLAGS.get(org.industry, []),
                has_emergency_org=True,
                emergency_staff=rng.randint(1, 6) if five else 0,
                has_plan=True,
                has_drills=five,
                has_materials=five,
            )
        )  # fmt: skip
    return created


def _points(rng: random.Random, profiles: list[EnterpriseProfile]) -> int:
    count = 0
    for profile in profiles:
        industry = profile.org.industry
        choices = POINTS if industry in HIGH_RISK else [p for p in POINTS if p[0] not in ("储罐区", "熔炼炉")]
        for name, hazard, accidents, assessment, level in rng.sample(choices, k=rng.randint(2, 4)):
            if name == "熔炼炉" and industry != Industry.METALLURGY:
                continue
            texts = {"hazard": hazard, "accident_types": accidents, "control_measures": CONTROL,
                     "emergency_measures": EMERGENCY}  # fmt: skip
            services.risk_point_create(by=None, org=profile.org, name=name, control_level=level,
                                       responsible=profile.safety_manager, **texts, **assessment)  # fmt: skip
            count += 1
    return count


def _dangers(rng: random.Random, profiles: list[EnterpriseProfile], inspector: User | None) -> int:
    """Hidden dangers in every state of the closed loop, a few of them overdue."""
    photo = _png((120, 160, 90))
    states = [
        DangerStatus.REPORTED,
        DangerStatus.RECTIFYING,
        DangerStatus.RECTIFYING,
        DangerStatus.RECTIFIED,
        DangerStatus.ACCEPTED,
        DangerStatus.CLOSED,
        DangerStatus.CLOSED,
    ]
    now = timezone.now()
    count = 0
    for index, profile in enumerate(profiles[:24]):
        title, grade = DANGERS[index % len(DANGERS)]
        target = states[index % len(states)]
        found = now - timedelta(days=rng.randint(3, 40))
        danger = services.danger_create(by=inspector, org=profile.org, title=title, grade=grade, found_at=found,
                                        location=rng.choice(["一号车间", "仓库", "储罐区", "办公楼"]))  # fmt: skip
        if target != DangerStatus.REPORTED:
            services.danger_transition(by=None, danger=danger, to=DangerStatus.RECTIFYING, measures="按规范整改",
                                       responsible=profile.safety_manager, funds=Decimal(rng.randint(5, 200) * 100),
                                       deadline=now + timedelta(days=rng.randint(3, 20)),
                                       interim_measures="设置警戒区，专人看守")  # fmt: skip
        if target in (DangerStatus.RECTIFIED, DangerStatus.ACCEPTED, DangerStatus.CLOSED):
            services.danger_photo_add(by=None, danger=danger, stage="rectified", data=photo, filename="整改后.png")
            services.danger_transition(by=None, danger=danger, to=DangerStatus.RECTIFIED, note="已整改")
        if target in (DangerStatus.ACCEPTED, DangerStatus.CLOSED):
            services.danger_transition(by=inspector, danger=danger, to=DangerStatus.ACCEPTED, note="复查合格")
        if target == DangerStatus.CLOSED:
            services.danger_transition(by=inspector, danger=danger, to=DangerStatus.CLOSED)
        if target == DangerStatus.RECTIFYING and index % 2 == 1:
            # Overdue: its deadline passed days ago.
            HiddenDanger.objects.filter(pk=danger.pk).update(deadline=now - timedelta(days=rng.randint(1, 5)))
        count += 1
    return count


def _hazard_units(enterprises: list[OrgUnit]) -> int:
    gas = next((e for e in enterprises if e.industry == Industry.GAS), None)
    chem = next((e for e in enterprises if e.industry == Industry.HAZARDOUS_CHEMICALS), None)
    wanted = [
        (gas, "LPG储罐区（液化石油气充装站）", "storage",
         [{"name": "液化石油气", "category": "W2", "quantity_t": "120"}], 80),
        (chem, "水厂液氯库", "storage", [{"name": "液氯", "quantity_t": "30"}], 150),
    ]  # fmt: skip
    created = 0
    for org, name, kind, items, people in wanted:
        if org is None or HazardUnit.objects.filter(org=org, name=name).exists():
            continue
        device_model: Any = HazardUnit.devices.field.related_model  # monitoring's Device, a peer app
        devices = list(device_model.objects.filter(installation_org=org).values_list("pk", flat=True))
        services.hazard_unit_create(by=None, org=org, name=name, kind=kind, items=items, exposed_people=people,
                                    devices=devices)  # fmt: skip
        created += 1
    return created


def _plan(inspector: User | None) -> int:
    if InspectionPlan.objects.filter(title=PLAN_TITLE).exists() or inspector is None:
        return 0
    plan = services.plan_create(by=inspector, year=timezone.localdate().year, title=PLAN_TITLE, planned=6)
    draw = services.draw_make(by=inspector, plan=plan, seed=DRAW_SEED, count=6, inspectors_per=1,
                              planned_for=timezone.localdate() + timedelta(days=7))  # fmt: skip
    first = draw.inspections.order_by("id").first()
    assert first is not None  # the draw made six inspections
    services.inspection_record(by=inspector, inspection=first, summary="检查发现隐患1处，已责令整改。",
                               checklist=[{"item": "安全出口畅通", "ok": False}, {"item": "应急预案备案", "ok": True}],
                               findings=[{"title": "安全出口被货物占用"}],
                               reinspect_by=timezone.localdate() + timedelta(days=5))  # fmt: skip
    services.document_issue(by=inspector, org=first.org, kind="order", inspection=first,
                            body=ORDER_TEXT,
                            deadline=timezone.localdate() + timedelta(days=5))  # fmt: skip
    return 1


def _commitments(rng: random.Random, profiles: list[EnterpriseProfile]) -> int:
    today = timezone.localdate()
    have = set(Commitment.objects.filter(day__gte=today - timedelta(days=30)).values_list("org_id", "day"))
    count = 0
    for profile in profiles:
        if not profile.high_risk:
            continue
        for back in range(30, 0, -1):
            day = today - timedelta(days=back)
            if (profile.org_id, day) in have or rng.random() < 0.06:
                continue  # a missed day now and then
            ok = rng.random() > 0.05
            items = {
                "major_hazards_controlled": True,
                "key_equipment_normal": ok,
                "special_operations_controlled": True,
            }
            services.commitment_make(by=None, org=profile.org, day=day, items=items,
                                     exceptions="" if ok else "循环水泵检修，已启用备用泵")  # fmt: skip
            count += 1
    return count


@transaction.atomic
def demo_load_risk(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo prevention data that is missing; returns what was created."""
    rng = random.Random(seed * 7 + 11)
    enterprises = list(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True).order_by("code"))
    inspector = User.objects.filter(username="inspector").first()
    profiles = _profiles(rng, enterprises)
    added = {
        "enterprise profiles": len(profiles),
        "risk points": _points(rng, profiles),
        "hidden dangers": _dangers(rng, profiles, inspector),
        "hazard units": _hazard_units(enterprises),
        "inspection plans": _plan(inspector),
        "commitments": _commitments(rng, profiles),
    }
    return added
