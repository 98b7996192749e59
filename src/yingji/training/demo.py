"""Training's part of the Huangshigang demo: courses for each audience, past sessions with attendance, scores and
certificates (some expiring within the month), upcoming sessions, the rescue base's facilities with bookings, the
experience hall's slots for two weeks with some visits, and the 100-question quiz bank (data/questions.csv).
Illustrative throughout; idempotent (courses, facilities by code; slots by start; questions by text)."""

import csv
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.training import services
from yingji.training.models import (
    Attendance,
    Booking,
    Course,
    Facility,
    HallSlot,
    Question,
    TrainingSession,
)

BUREAU_CODE = "420202YJ"
QUESTIONS = Path(__file__).with_name("data") / "questions.csv"

COURSES = [
    ("TR-GB", "党政领导干部应急管理能力培训", "officials", 16, 0),
    ("TR-ZY", "生产经营单位主要负责人安全生产知识和管理能力培训", "principals", 32, 36),
    ("TR-AQ", "生产经营单位安全生产管理人员培训", "safety_managers", 32, 36),
    ("TR-TZ", "特种作业人员（电工、焊接与热切割）安全技术培训", "special_operations", 40, 72),
    ("TR-JY", "综合救援队伍水域与高空救援技能培训", "rescue_teams", 24, 24),
    ("TR-GZ", "社区居民应急避险与自救互救公益培训", "public", 4, 0),
]
FACILITIES = [
    ("BASE-W1", "水域救援训练池", "water", 20, "50 m × 25 m 静水池与急流模拟槽"),
    ("BASE-F1", "真火模拟训练室", "real_fire", 16, "燃气驱动的油罐、厨房、配电柜火情"),
    ("BASE-C1", "坍塌与有限空间训练场", "collapse", 24, "废墟搜救、受限空间救援"),
    ("BASE-T1", "隧道事故训练区", "tunnel", 30, "80 m 模拟隧道，烟雾与车辆事故"),
    ("BASE-V1", "车辆与船舶救援训练区", "vehicle_ship", 20, "破拆车辆与靠泊船舶"),
    ("BASE-H1", "高层救援训练塔", "high_rise", 30, "九层训练塔，绳索与云梯"),
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), f"13{rng.randint(100000000, 999999999)}"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def demo_load_training(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add whatever of training's demo data is missing; a second run creates nothing."""
    rng = random.Random(seed + 14)
    bureau = OrgUnit.objects.filter(code=BUREAU_CODE).first()
    if bureau is None:
        raise RuntimeError("load the demo district first (yingji demo)")
    created = dict.fromkeys(
        ["courses", "sessions", "certificates", "facilities", "bookings", "hall_slots", "questions"], 0
    )
    today = timezone.localdate()
    with transaction.atomic():
        created["questions"] = _questions()
        courses = {c.code: c for c in Course.objects.filter(code__in=[c[0] for c in COURSES])}
        for code, title, audience, hours, months in COURSES:
            if code not in courses:
                courses[code] = services.course_create(
                    by=None,
                    org=bureau,
                    code=code,
                    title=title,
                    audience=audience,
                    hours=hours,
                    certificate_months=months,
                )
                created["courses"] += 1
        if not TrainingSession.objects.exists():
            created["sessions"], created["certificates"] = _sessions(rng, courses, today)
        facilities = {f.code: f for f in Facility.objects.filter(code__in=[f[0] for f in FACILITIES])}
        for code, name, kind, capacity, description in FACILITIES:
            if code not in facilities:
                facilities[code] = services.facility_create(
                    by=None, org=bureau, code=code, name=name, kind=kind, capacity=capacity, description=description
                )
                created["facilities"] += 1
        if not Booking.objects.exists():
            created["bookings"] = _bookings(rng, list(facilities.values()), today)
        created["hall_slots"] = _hall(rng, bureau, today)
    return created


def _questions() -> int:
    existing = set(Question.objects.values_list("topic", "text"))
    added = 0
    with QUESTIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["topic"], row["question"]) in existing:
                continue
            services.question_add(
                by=None,
                topic=row["topic"],
                text=row["question"],
                choices=[row["a"], row["b"], row["c"], row["d"]],
                answer="ABCD".index(row["answer"]),
                explanation=row["explanation"],
            )
            added += 1
    return added


def _sessions(rng: random.Random, courses: dict[str, Course], today: date) -> tuple[int, int]:
    """Past sessions with trainees from the demo enterprises (signed in, scored, certified) and upcoming ones."""
    enterprises = list(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True).order_by("code"))
    teams = list(OrgUnit.objects.filter(kind=OrgKind.TEAM, active=True).order_by("code"))
    manager = User.objects.filter(username="enterprise").first()
    sessions = certificates = 0
    plan = [
        ("TR-AQ", -1090, enterprises), ("TR-ZY", -1075, enterprises), ("TR-AQ", -200, enterprises),
        ("TR-JY", -700, teams), ("TR-TZ", -40, enterprises), ("TR-GZ", -20, []),
    ]  # fmt: skip
    for code, offset, units in plan:
        day = today + timedelta(days=offset)
        session = services.session_create(
            by=None,
            course=courses[code],
            starts_at=_at(day, 9),
            ends_at=_at(day, 17),
            place="黄石港区应急管理局培训中心",
            instructors="应急管理局讲师团",
        )
        sessions += 1
        for unit in rng.sample(units, min(len(units), 8)):
            name, phone = _person(rng)
            # Past sessions are history: their sign-in and score are written as they were recorded then.
            attendance = Attendance.objects.create(
                session=session, org=unit, name=name, phone=phone, signed_in_at=session.starts_at + timedelta(minutes=5)
            )
            score = rng.randint(52, 98)
            attendance.score, attendance.passed = score, score >= courses[code].pass_score
            attendance.save(update_fields=["score", "passed"])
            if attendance.passed and courses[code].certificate_months:
                services.certificate_issue(by=None, attendance=attendance, issued_on=day)
                certificates += 1
        if code == "TR-AQ" and offset == -200 and manager is not None and manager.org is not None:
            # The demo enterprise manager passed this year's course (so one enterprise is trained).
            attendance = Attendance.objects.create(
                session=session,
                org=manager.org,
                user=manager,
                name=str(manager),
                phone="13900000000",
                signed_in_at=session.starts_at,
                score=88,
                passed=True,
            )
            services.certificate_issue(by=None, attendance=attendance, issued_on=day)
            certificates += 1
    for code, offset in (("TR-AQ", 5), ("TR-ZY", 12), ("TR-JY", 9), ("TR-GZ", 3)):
        day = today + timedelta(days=offset)
        services.session_create(
            by=None,
            course=courses[code],
            starts_at=_at(day, 9),
            ends_at=_at(day, 16, 30),
            place="黄石港区应急管理局培训中心",
            instructors="应急管理局讲师团",
        )
        sessions += 1
    return sessions, certificates


def _bookings(rng: random.Random, facilities: list[Facility], today: date) -> int:
    units = list(OrgUnit.objects.filter(kind__in=[OrgKind.TEAM, OrgKind.ENTERPRISE], active=True).order_by("code"))
    booked = 0
    for offset in range(1, 22):
        day = today + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for facility in rng.sample(facilities, 3):
            start = rng.choice([8, 9, 13, 14])
            unit = rng.choice(units)
            services.booking_create(
                by=None,
                facility=facility,
                org=unit,
                start=_at(day, start),
                end=_at(day, start + rng.choice([2, 3])),
                purpose=rng.choice(["专项技能训练", "年度复训", "联合演练", "新队员入职训练"]),
                people=rng.randint(6, facility.capacity),
            )
            booked += 1
    return booked


def _hall(rng: random.Random, bureau: OrgUnit, today: date) -> int:
    """Three visiting slots a day (closed Mondays) for two weeks, some booked by schools and communities."""
    existing = set(HallSlot.objects.values_list("starts_at", flat=True))
    added = 0
    groups = [("黄石港区实验小学", "school"), ("磁湖社区居民", "community"), ("黄石八中初二年级", "school")]
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        if day.weekday() == 0:
            continue
        for hour, minute in ((9, 0), (10, 30), (14, 30)):
            start = _at(day, hour, minute)
            if start in existing:
                continue
            slot = services.hall_slot_create(
                by=None, org=bureau, starts_at=start, ends_at=start + timedelta(minutes=75), capacity=40
            )
            added += 1
            if rng.random() < 0.4:
                name, kind = rng.choice(groups)
                contact, phone = _person(rng)
                services.hall_booking_create(
                    by=None,
                    slot=slot,
                    group_name=name,
                    group_kind=kind,
                    contact=contact,
                    phone=phone,
                    visitors=rng.randint(15, 38),
                )
    return added
