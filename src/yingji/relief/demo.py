"""Demo relief data on top of the demo district and resources: a flood event with street reports, households and
distributions from the 黄石港街道 reserve, volunteers, a call-out, two social organisations and a compensation
claim. Illustrative; idempotent (events by code, households by number, volunteers by phone, organisations by
name)."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.core.errors import YingjiError
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.relief import services
from yingji.relief.models import (
    Award,
    CallOut,
    DisasterEvent,
    DisasterReport,
    Distribution,
    Household,
    SocialOrganisation,
    Volunteer,
)
from yingji.resources.models import MaterialItem, Warehouse

EVENT_CODE = "ZH-2026-001"
HOME_STREET = "420202006"  # 黄石港街道
OTHER_STREET = "420202007"  # 胜阳港街道
HEADS = ["陈桂兰", "刘建国", "王秀英", "张德明", "李春梅", "赵志强"]
VOLUNTEERS = [
    ("周晓燕", "13971400001", "急救（红十字救护员证）", "anytime"),
    ("吴海涛", "13971400002", "冲锋舟驾驶", "weekends"),
    ("郑丽", "13971400003", "心理疏导", "weekdays"),
    ("孙国强", "13971400004", "物资搬运、驾驶", "anytime"),
]
ORGANISATIONS = [
    ("黄石市蓝天救援队（示例）", "水上搜救、转移安置、应急照明", "何队长", "13907140001"),
    ("黄石港区红十字志愿服务队（示例）", "现场急救、物资发放、心理支持", "宋主任", "13907140002"),
]


@transaction.atomic
def demo_load_relief(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo relief records that are missing; returns how many of each were created."""
    created = dict.fromkeys(["relief_events", "relief_reports", "households", "distributions", "volunteers"], 0)
    created |= {"social_organisations": 0, "callouts": 0, "awards": 0}
    units = {u.code: u for u in OrgUnit.objects.filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET])}
    if HOME_STREET not in units:
        raise RuntimeError("load the demo district first (yingji demo)")
    street, other = units[HOME_STREET], units[OTHER_STREET]
    duty, officer, commander = (User.objects.get(username=n) for n in ("duty", "street", "commander"))
    event = DisasterEvent.objects.filter(code=EVENT_CODE).first()
    if event is None:
        event = services.event_create(
            by=duty,
            org=units["420202"],
            code=EVENT_CODE,
            name="7月强降雨洪涝灾害（示例）",
            hazard="flood",
            started_on=timezone.localdate() - timedelta(days=3),
            description="持续强降雨致沿江低洼片区内涝，部分居民紧急转移安置。数据为演示用示例。",
        )
        created["relief_events"] += 1
    figures: dict[tuple[OrgUnit, str], dict[str, Any]] = {
        (street, "initial"): {
            "affected_people": 2350,
            "relocated": 420,
            "need_aid": 380,
            "severely_damaged_houses": 6,
            "generally_damaged_houses": 41,
            "direct_loss_10k_yuan": Decimal("186.5"),
        },
        (street, "verified"): {
            "affected_people": 2610,
            "relocated": 455,
            "need_aid": 402,
            "collapsed_houses": 2,
            "severely_damaged_houses": 9,
            "generally_damaged_houses": 57,
            "direct_loss_10k_yuan": Decimal("231.8"),
        },
        (other, "initial"): {
            "affected_people": 980,
            "relocated": 130,
            "need_aid": 96,
            "generally_damaged_houses": 12,
            "crop_affected_ha": Decimal("35.2"),
            "crop_failed_ha": Decimal("4.0"),
            "direct_loss_10k_yuan": Decimal("58.3"),
        },
    }
    for (unit, stage), values in figures.items():
        if not DisasterReport.objects.filter(event=event, org=unit, stage=stage).exists():
            services.report_submit(by=duty, event=event, street=unit, stage=stage, **values)
            created["relief_reports"] += 1
    communities = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, parent=street).order_by("code")[:3]) or [street]
    households = []
    for i, head in enumerate(HEADS):
        code = f"HH-{HOME_STREET}-{i + 1:03d}"
        household = Household.objects.filter(code=code).first()
        if household is None:
            household = services.household_create(
                by=None,
                org=communities[i % len(communities)],
                code=code,
                head_name=f"{head}（示例）",
                address=f"{communities[i % len(communities)].name}{i + 3}栋",
                members=2 + i % 4,
            )
            created["households"] += 1
        households.append(household)
    warehouse = Warehouse.objects.filter(code="WH006").first()
    items = {m.code: m for m in MaterialItem.objects.filter(code__in=["M002", "M004", "M005"])}
    if warehouse is not None and not Distribution.objects.filter(event=event).exists():
        for household in households[:4]:
            for code, quantity in (("M004", 2), ("M005", 1), ("M002", household.members)):
                if code not in items:
                    continue
                try:
                    services.distribution_create(
                        by=officer,
                        event=event,
                        household=household,
                        material=items[code],
                        warehouse=warehouse,
                        quantity=quantity,
                        signed_by=household.head_name.removesuffix("（示例）"),
                    )
                    created["distributions"] += 1
                except YingjiError as exc:
                    out(f"relief demo: skipped a distribution ({exc.detail})")
    volunteers: list[Volunteer] = []
    for name, phone, skills, availability in VOLUNTEERS:
        volunteer = Volunteer.objects.filter(org=street, phone=phone).first()
        if volunteer is None:
            volunteer = services.volunteer_register(
                by=officer, org=street, name=name, phone=phone, consent=True, skills=skills, availability=availability
            )
            services.volunteer_log_hours(by=officer, volunteer=volunteer, hours=Decimal(4 + len(volunteers)))
            created["volunteers"] += 1
        volunteers.append(volunteer)
    if not CallOut.objects.filter(event=event).exists():
        callout = services.callout_send(
            by=officer,
            org=street,
            event=event,
            title="转移安置点志愿者召集",
            message="今晚18时起需要志愿者到黄石港街道安置点协助登记和物资发放。",
            volunteers=volunteers,
        )
        services.callout_reply(by=officer, callout=callout, volunteer=volunteers[0], answer="yes")
        services.callout_reply(by=officer, callout=callout, volunteer=volunteers[1], answer="no")
        created["callouts"] += 1
    organisations = []
    for name, capabilities, contact, phone in ORGANISATIONS:
        organisation = SocialOrganisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = services.organisation_create(
                by=officer, org=street, name=name, capabilities=capabilities, contact_name=contact, phone=phone
            )
            created["social_organisations"] += 1
        organisations.append(organisation)
    if not Award.objects.filter(event=event).exists():
        award = services.award_submit(
            by=officer,
            org=street,
            kind="compensation",
            event=event,
            organisation=organisations[0],
            amount_yuan=Decimal("4800"),
            reason="冲锋舟转移被困群众的油料和器材损耗补偿（示例）",
        )
        services.award_decide(by=commander, award=award, approve=True, note="同意按标准补偿")
        services.award_submit(
            by=officer,
            org=street,
            kind="reward",
            event=event,
            volunteer=volunteers[0],
            amount_yuan=Decimal("500"),
            reason="连续三昼夜在安置点服务（示例）",
        )
        created["awards"] += 2
    return created
