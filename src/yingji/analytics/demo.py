"""Illustrative history for the demo district: two years of incidents (with dispatches), a year of alarms (one
noisy rule, one flapping sensor, real alarms that people acted on) with the noisy rule's readings, early
warnings, this year's control targets and special funds — so every chart and year-on-year comparison has data
on a fresh `make run`.

Everything here is invented (labelled 示例 in its text). Incidents go through `incident_create` (grading,
reports, timeline); closing them, their dispatches, the alarms, readings and past warnings are written in bulk,
since a year of them through the services would take minutes and the services stamp the present time.
Idempotent: each part is skipped when its marker is found.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.analytics import services
from yingji.analytics.models import BudgetLine, ControlTarget
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.incidents.models import Dispatch, DispatchStatus, Incident, IncidentType, Report, ReportStatus, Status
from yingji.incidents.services import incident_create
from yingji.monitoring.models import Alarm, AlarmStatus, Device, Reading, Rule
from yingji.resources.models import Team
from yingji.warnings.models import EarlyWarning, EventType

MARK = "【示例历史数据】"
HISTORY_DAYS = 730
# Accident types and how often each occurs in a year (illustrative).
ACCIDENTS = [
    ("fire", 30),
    ("road_traffic", 25),
    ("fall", 12),
    ("mechanical", 10),
    ("gas", 8),
    ("electrocution", 5),
    ("poisoning", 4),
    ("hazchem_leak", 4),
    ("other_accident", 6),
]
DISASTERS = [("flood", 8), ("storm", 6), ("geological", 3), ("drowning", 4), ("food_poisoning", 2)]


def _when(rng: random.Random, days_ago: float) -> datetime:
    return timezone.now() - timedelta(days=days_ago, minutes=rng.randint(0, 600))


def _incidents(rng: random.Random, duty: User) -> int:
    if Incident.objects.filter(description__startswith=MARK).exists():
        return 0
    enterprises = list(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, lat__isnull=False).order_by("code"))
    streets = list(OrgUnit.objects.filter(kind=OrgKind.STREET).order_by("code"))
    types = {t.code: t for t in IncidentType.objects.all()}
    created: list[Incident] = []
    for year_back, scale in ((1, 1.15), (0, 1.0)):  # a little more last year: the control figures should fall
        for code, per_year in ACCIDENTS + DISASTERS:
            for _ in range(round(per_year * scale)):
                days_ago = rng.uniform(2, 364) + 365 * year_back
                at = _when(rng, days_ago)
                kind = types[code]
                org = rng.choice(enterprises) if kind.category == "accident" and enterprises else rng.choice(streets)
                deaths = rng.choices([0, 1, 3], weights=[92, 7, 1])[0]
                lat = (org.lat or 30.215) + rng.uniform(-0.004, 0.004)
                lon = (org.lon or 115.08) + rng.uniform(-0.004, 0.004)
                created.append(
                    incident_create(
                        by=duty,
                        title=f"{org.name}{kind.name}（示例）",
                        category=kind.category,
                        type=kind,
                        occurred_at=at,
                        received_at=at + timedelta(minutes=rng.randint(2, 25)),
                        lat=round(lat, 6),
                        lon=round(lon, 6),
                        address=org.address or org.name,
                        enterprise=org if org.kind == OrgKind.ENTERPRISE else None,
                        org=org,
                        description=f"{MARK}用于演示统计分析的虚构事件。",
                        deaths=deaths,
                        serious_injuries=rng.choices([0, 1, 2, 4], weights=[80, 12, 6, 2])[0],
                        minor_injuries=rng.choices([0, 1, 3], weights=[60, 30, 10])[0],
                        direct_loss_yuan=rng.choice([0, 5_000, 20_000, 80_000, 300_000, 1_200_000]),
                    )
                )
    # History is closed: all reports sent, closed within a day (in bulk: the services stamp the present time).
    for incident in created:
        closed = incident.received_at + timedelta(hours=rng.uniform(2, 30))
        Incident.objects.filter(pk=incident.pk).update(status=Status.CLOSED, closed_at=closed, report_deadline=None)
    Report.objects.filter(incident__in=created, status=ReportStatus.DUE).update(status=ReportStatus.SENT)
    _dispatches(rng, created, duty)
    return len(created)


def _dispatches(rng: random.Random, incidents: list[Incident], duty: User) -> None:
    teams = list(Team.objects.all())
    if not teams:
        return
    orders = []
    for incident in incidents:
        if rng.random() > 0.55:
            continue
        for team in rng.sample(teams, k=min(len(teams), rng.choice([1, 1, 2, 3]))):
            dispatched = incident.received_at + timedelta(minutes=rng.uniform(3, 20))
            on_scene = dispatched + timedelta(minutes=rng.uniform(6, 35))
            orders.append(
                Dispatch(
                    incident=incident,
                    team=team,
                    status=DispatchStatus.RELEASED,
                    dispatched_by=duty,
                    dispatched_at=dispatched,
                    acknowledged_at=dispatched + timedelta(minutes=1),
                    en_route_at=dispatched + timedelta(minutes=3),
                    on_scene_at=on_scene,
                    released_at=on_scene + timedelta(hours=rng.uniform(1, 6)),
                    note=MARK,
                )
            )
    Dispatch.objects.bulk_create(orders, batch_size=500)


def _alarms(rng: random.Random, duty: User) -> int:
    """A year of alarms: the toxic-gas rule cries wolf (one sensor flaps), gas and water-level alarms are real."""
    if Alarm.objects.filter(ack_comment=MARK).exists():
        return 0
    rules = {r.name: r for r in Rule.objects.filter(kind="threshold")}
    alarms: list[Alarm] = []

    def add(
        device: Device, rule: Rule, raised: datetime, minutes: float, peak: float, acted: bool, level: str = "blue"
    ) -> None:
        cleared = raised + timedelta(minutes=minutes)
        alarms.append(
            Alarm(
                device=device,
                rule=rule,
                org=device.org,
                metric=rule.metric,
                status=AlarmStatus.CLOSED if acted else AlarmStatus.CLEARED,
                level=level,
                value=peak,
                peak_value=peak,
                raised_at=raised,
                last_at=cleared,
                cleared_at=cleared,
                acknowledged_at=raised + timedelta(minutes=rng.uniform(1, 8)) if acted else None,
                acknowledged_by=duty if acted else None,
                ack_comment=MARK,
                closed_at=cleared + timedelta(minutes=5) if acted else None,
                closed_by=duty if acted else None,
            )
        )

    toxic = rules.get("硫化氢浓度超限")
    toxic_devices = list(Device.objects.filter(type="toxic_gas").order_by("code"))
    if toxic and toxic_devices:
        for device in toxic_devices:
            for _ in range(rng.randint(40, 90)):  # short excursions just past the blue limit, nobody acts
                add(device, toxic, _when(rng, rng.uniform(1, 364)), rng.uniform(1, 6), rng.uniform(5.0, 6.2), False)
            for _ in range(rng.randint(1, 3)):  # and a real leak now and then
                add(
                    device,
                    toxic,
                    _when(rng, rng.uniform(1, 364)),
                    rng.uniform(30, 120),
                    rng.uniform(12, 30),
                    True,
                    "yellow",
                )
        flapper = toxic_devices[0]
        start = _when(rng, 20)
        for n in range(12):  # a sensor flapping for an afternoon
            add(flapper, toxic, start + timedelta(minutes=9 * n), 3, 5.3, False)
        _readings(rng, toxic_devices[:2], toxic.metric)
    gas = rules.get("可燃气体浓度超限")
    for device in Device.objects.filter(type="combustible_gas").order_by("code")[:8] if gas else []:
        assert gas is not None  # the loop runs only when the demo has the rule
        for _ in range(rng.randint(2, 8)):
            add(
                device,
                gas,
                _when(rng, rng.uniform(1, 364)),
                rng.uniform(10, 90),
                rng.uniform(10, 40),
                True,
                rng.choice(["blue", "yellow", "orange"]),
            )
    season_year = timezone.localdate().year - (1 if timezone.localdate().month < 9 else 0)
    for rule in [r for r in rules.values() if r.metric == "water_level_m"]:
        devices = [rule.device] if rule.device is not None else list(Device.objects.filter(type="water_level"))
        limit = min(rule.thresholds.values(), default=0)
        for _ in range(rng.randint(3, 8)):  # the flood season: June to August
            day = date(season_year, rng.randint(6, 8), rng.randint(1, 28))
            raised = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
                hours=rng.randint(0, 23)
            )
            if raised < timezone.now() and devices:
                peak = limit + rng.uniform(0.1, 1.0)
                add(
                    rng.choice(devices), rule, raised, rng.uniform(120, 900), peak, True, rng.choice(["blue", "yellow"])
                )
    Alarm.objects.bulk_create(alarms, batch_size=1000)
    return len(alarms)


def _readings(rng: random.Random, devices: list[Device], metric: str) -> None:
    """Hourly readings of a year for the noisy rule's sensors: mostly 2–4 ppm, harmless excursions just past the
    5 ppm blue limit (the false alarms)."""
    if Reading.objects.filter(device__in=devices, metric=metric, ts__lt=timezone.now() - timedelta(days=60)).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for device in devices:
        for hour in range(24 * 365):
            value = rng.gauss(3.0, 0.6) + (rng.uniform(2.5, 3.5) if rng.random() < 0.03 else 0.0)
            rows.append(
                Reading(device=device, metric=metric, ts=now - timedelta(hours=hour + 1), value=round(max(value, 0), 2))
            )
    Reading.objects.bulk_create(rows, batch_size=5000)


def _warnings(rng: random.Random, duty: User) -> int:
    if EarlyWarning.objects.filter(identifier__startswith="DEMO-HIST-").exists():
        return 0
    bureau = duty.org
    assert bureau is not None  # the demo's duty officer belongs to the bureau, which issues the warnings
    streets = list(OrgUnit.objects.filter(kind=OrgKind.STREET).order_by("code"))
    kinds = [
        EventType.RAINSTORM,
        EventType.THUNDERSTORM,
        EventType.HIGH_TEMPERATURE,
        EventType.FOREST_FIRE,
        EventType.FOG,
        EventType.COLD_WAVE,
        EventType.FLOOD,
    ]
    created = 0
    for n in range(48):
        sent = _when(rng, rng.uniform(3, HISTORY_DAYS))
        kind = rng.choice(kinds)
        warning = EarlyWarning.objects.create(
            identifier=f"DEMO-HIST-{n:03d}",
            sender="yingji@420202",
            sender_name=bureau.name if bureau else "黄石港区应急管理局",
            status="published",
            event_type=kind,
            level=rng.choices(["blue", "yellow", "orange", "red"], weights=[40, 35, 20, 5])[0],
            headline=f"（示例）{EventType(kind).label}预警",
            description=f"{MARK}用于演示统计分析的虚构预警。",
            effective=sent,
            expires=sent + timedelta(hours=rng.choice([6, 12, 24])),
            sent=sent,
            org=bureau,
            created_by=duty,
        )
        warning.streets.set(rng.sample(streets, k=min(len(streets), rng.randint(1, 3))))
        created += 1
    return created


def _targets_and_funds(rng: random.Random, admin: User | None) -> int:
    year = timezone.localdate().year
    added = 0
    district = services.district()
    if not ControlTarget.objects.filter(year=year, org=district).exists():
        for indicator, limit in (
            ("incidents", 140),
            ("deaths", 12),
            ("serious_injuries", 30),
            ("direct_loss_yuan", 20_000_000),
        ):
            services.target_set(by=None, year=year, indicator=indicator, org=district, limit=limit, note="示例控制指标")
            added += 1
    if BudgetLine.objects.filter(year=year).exists():
        return added
    lines = {}
    for code, name, amount, rewards in (
        ("equipment", "应急救援装备购置", 1_200_000, False),
        ("drills", "应急演练", 300_000, False),
        ("training", "应急培训与宣传", 200_000, False),
        ("rewards", "安全生产举报奖励", 100_000, True),
    ):
        lines[code] = services.budget_line_create(
            by=None, year=year, code=code, name=name, amount_yuan=amount, rewards=rewards, org=district, note="示例数据"
        )
        added += 1
    today = timezone.localdate()
    projects = [
        ("equipment", "排涝泵车采购", 600_000),
        ("equipment", "无人机与通信设备", 350_000),
        ("drills", "防汛综合演练", 120_000),
        ("drills", "危化品泄漏处置演练", 80_000),
        ("training", "社区应急培训", 90_000),
    ]
    for code, project, amount in projects:
        on = date(year, rng.randint(1, max(1, today.month - 1)), rng.randint(1, 28))
        services.fund_entry_add(
            by=None, line=lines[code], kind="commitment", project=project, amount_yuan=amount, on=on
        )
        services.fund_entry_add(
            by=None,
            line=lines[code],
            kind="spending",
            project=project,
            amount_yuan=round(amount * rng.uniform(0.4, 1.0)),
            on=min(on + timedelta(days=30), today),
        )
    for n in range(rng.randint(4, 9)):
        services.reward_award(
            by=None,
            line=lines["rewards"],
            recipient=f"举报人{n + 1}（示例）",
            reason="举报重大事故隐患",
            amount_yuan=rng.choice([500, 1_000, 2_000, 5_000]),
            on=date(year, rng.randint(1, today.month), rng.randint(1, 28)),
        )
    del admin
    return added


def demo_load_analytics(*, seed: int, out: Callable[[str], None]) -> dict[str, Any]:
    """Add the illustrative history that is missing; returns how much of each part was added."""
    rng = random.Random(seed)
    duty = User.objects.get(username="duty")
    with transaction.atomic():
        incidents = _incidents(rng, duty)
        alarms = _alarms(rng, duty)
        warnings = _warnings(rng, duty)
        extras = _targets_and_funds(rng, None)
    out(f"analytics: {incidents} past incidents, {alarms} past alarms, {warnings} past warnings (illustrative)")
    return {
        "history_incidents": incidents,
        "history_alarms": alarms,
        "history_warnings": warnings,
        "targets_funds": extras,
    }
