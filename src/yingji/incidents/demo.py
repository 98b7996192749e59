"""Demo data of the duty desk on top of the demo district: this week's roster and a few open and closed
incidents in Huangshigang with their timelines. Idempotent: shifts are found by start, incidents by title."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.incidents import services
from yingji.incidents.models import DutyShift, Incident, IncidentType, ReportKind, ReportStatus

SHIFT_START = time(8, 30)


def _roster(duty: User, commander: User, org: OrgUnit) -> int:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    created = 0
    # From the Sunday before: its shift runs into Monday morning, so someone is always on duty this week.
    for n in range(-1, 7):
        starts = timezone.make_aware(datetime.combine(monday + timedelta(days=n), SHIFT_START))
        if DutyShift.objects.filter(org=org, starts_at=starts).exists():
            continue
        services.shift_create(
            by=None,
            org=org,
            starts_at=starts,
            ends_at=starts + timedelta(days=1),
            officer=duty,
            leader=commander,
            phone="0714-6222110",
        )
        created += 1
    return created


def _incident(title: str, **fields: Any) -> Incident | None:
    if Incident.objects.filter(title=title).exists():
        return None
    return services.incident_create(title=title, **fields)


def _send_all(by: User, incident: Incident) -> None:
    for report in incident.reports.filter(status=ReportStatus.DUE):
        services.report_send(by=by, report=report)


def _close(by: User, commander: User, incident: Incident, findings: str, improvements: str) -> None:
    _send_all(by, incident)
    final = services.report_add(by=by, incident=incident, kind=ReportKind.FINAL, reason="处置完毕")
    services.report_send(by=by, report=final)
    services.incident_close(by=by, incident=incident)
    services.review_save(by=commander, incident=incident, findings=findings, improvements=improvements)


def demo_load_incidents(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the duty desk's demo data; returns how many shifts and incidents were created."""
    duty = User.objects.get(username="duty")
    commander = User.objects.get(username="commander")
    types = {t.code: t for t in IncidentType.objects.all()}
    streets = list(OrgUnit.objects.filter(kind=OrgKind.STREET, lat__isnull=False).order_by("code"))
    chemical = (
        OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, industry="hazchem", lat__isnull=False).order_by("code").first()
    )
    # The core demo (loaded first) puts the duty officer in the district and has a hazardous-chemicals enterprise.
    assert chemical is not None and duty.org is not None
    now = timezone.now()
    made = 0
    with transaction.atomic():
        shifts = _roster(duty, commander, duty.org)
        leak = _incident(
            f"{chemical.name}储罐区可燃气体泄漏",
            by=duty,
            category="accident",
            type=types["hazchem_leak"],
            source="enterprise",
            occurred_at=now - timedelta(minutes=50),
            received_at=now - timedelta(minutes=40),
            lat=chemical.lat,
            lon=chemical.lon,
            address=chemical.address,
            enterprise=chemical,
            reporter_name=chemical.contact or "企业安全员",
            reporter_phone=chemical.phone,
            minor_injuries=1,
            description="储罐区法兰密封失效，可燃气体探测器报警，企业已启动现场处置方案。",
        )
        if leak is not None:
            made += 1
            services.incident_note(by=duty, incident=leak, text="已通知胜阳港街道和区消防救援大队。")
        street = streets[0]
        crash = _incident(
            "黄石大道货车与公交车相撞",
            by=duty,
            category="accident",
            type=types["road_traffic"],
            source="transfer_110",
            occurred_at=now - timedelta(hours=3),
            received_at=now - timedelta(hours=2, minutes=55),
            lat=street.lat,
            lon=street.lon,
            address="黄石大道与湖滨大道交叉口",
            reporter_name="110指挥中心",
            deaths=1,
            serious_injuries=3,
            minor_injuries=6,
        )
        if crash is not None:
            made += 1
            _send_all(duty, crash)
            services.incident_command(
                by=commander, incident=crash, commander=commander, response_level="IV", post_address="事发路口东侧"
            )
            services.task_create(
                by=commander,
                incident=crash,
                title="交通管制与现场警戒",
                assignee_org=street,
                due_at=now + timedelta(hours=1),
            )
        fire = _incident(
            "居民楼厨房火灾",
            by=duty,
            category="accident",
            type=types["fire"],
            source="transfer_119",
            occurred_at=now - timedelta(days=3, hours=2),
            received_at=now - timedelta(days=3, hours=1, minutes=50),
            lat=streets[1].lat,
            lon=streets[1].lon,
            address=f"{streets[1].name}某小区5栋",
            minor_injuries=2,
            direct_loss_yuan=180_000,
        )
        if fire is not None:
            made += 1
            _close(duty, commander, fire, "接报后10分钟内完成初报，消防力量15分钟到场。", "开展老旧小区燃气安全排查。")
        flood = _incident(
            "强降雨致低洼路段积水",
            by=duty,
            category="natural_disaster",
            type=types["flood"],
            source="street",
            occurred_at=now - timedelta(days=10),
            received_at=now - timedelta(days=10) + timedelta(minutes=5),
            lat=streets[-1].lat,
            lon=streets[-1].lon,
            address=f"{streets[-1].name}沿江路",
            reporter_name=f"{streets[-1].name}应急办",
        )
        if flood is not None:
            made += 1
            _close(duty, commander, flood, "排涝泵车及时到位，未造成人员伤亡。", "增设低洼路段积水监测点。")
    out(f"duty desk: {shifts} shifts, {made} incidents")
    return {"shifts": shifts, "incidents": made}
