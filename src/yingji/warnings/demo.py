"""Demo warnings for Huangshigang on top of the demo district: two published warnings, one draft and the
default subscriptions. Idempotent: warnings are known by headline, subscriptions by name."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import box, mapping, shape

from yingji.core.models import OrgKind, OrgUnit, Subscription, User
from yingji.core.roles import Role
from yingji.warnings import services
from yingji.warnings.models import EarlyWarning

RAIN = "黄石港区气象台发布暴雨黄色预警"
FIRE = "花湖街道山林地带森林火险橙色预警"
FOG = "江北管理区大雾蓝色预警（草稿）"


def _hills(street: OrgUnit) -> dict[str, Any]:
    """An illustrative hill-forest polygon inside the street's (illustrative) area."""
    area = shape(street.area)
    point = area.representative_point()
    patch = box(point.x - 0.006, point.y - 0.004, point.x + 0.006, point.y + 0.004).intersection(area)
    patch = max(patch.geoms, key=lambda g: g.area) if hasattr(patch, "geoms") else patch
    ring = [[round(x, 6), round(y, 6)] for x, y in patch.exterior.coords]
    return mapping(shape({"type": "Polygon", "coordinates": [ring]}))


def _subscriptions(streets: list[OrgUnit]) -> int:
    wanted: list[tuple[str, dict[str, Any], list[OrgUnit]]] = [
        ("值班员：橙色及以上预警", {"role": Role.DUTY_OFFICER, "min_level": "orange"}, []),
        ("指挥长：橙色及以上预警", {"role": Role.COMMANDER, "min_level": "orange"}, []),
    ] + [
        (f"{s.name}应急员：本街道预警", {"role": Role.STREET_OFFICER, "org": s, "include_subtree": True}, [s])
        for s in streets
    ]
    existing = set(Subscription.objects.filter(name__in=[name for name, *_r in wanted]).values_list("name", flat=True))
    created = 0
    for name, fields, area in wanted:
        if name in existing:
            continue
        subscription = Subscription(name=name, topic=services.TOPIC, channels=["inbox"], **fields)
        subscription.full_clean()
        subscription.save()
        subscription.streets.set(area)
        created += 1
    return created


@transaction.atomic
def demo_load_warnings(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo warnings and subscriptions that are missing; returns how many of each were created."""
    duty, commander = User.objects.get(username="duty"), User.objects.get(username="commander")
    streets = {s.name: s for s in OrgUnit.objects.filter(kind=OrgKind.STREET).order_by("code")}
    subscriptions = _subscriptions(list(streets.values()))
    now = timezone.now()
    # (the warning's fields, whether it is published): the published ones are approved by the commander first.
    demo: list[tuple[dict[str, Any], bool]] = [
        (
            {
                "event_type": "rainstorm",
                "level": "yellow",
                "headline": RAIN,
                "description": "受强对流天气影响，预计未来6小时内黄石港街道、胜阳港街道降雨量将达50毫米以上，"
                "沿江低洼地带易积水。",
                "instruction": "1. 停止户外集会和露天作业；2. 低洼地带、地下车库做好排水准备；"
                "3. 注意防范城市内涝和地质灾害。",
                "streets": [streets["黄石港街道"], streets["胜阳港街道"]],
                "expires": now + timedelta(hours=12),
            },
            True,
        ),
        (
            {
                "event_type": "forest_fire",
                "level": "orange",
                "headline": FIRE,
                "description": "近期持续晴热少雨，花湖街道山林地带森林火险气象等级高，林内可燃物极易燃烧。",
                "instruction": "严禁一切野外用火；进山人员不得携带火种；发现火情立即拨打12119或119。",
                "area_polygon": _hills(streets["花湖街道"]),
                "area_desc": "花湖街道山林地带（示意范围）",
                "expires": now + timedelta(days=2),
            },
            True,
        ),
        (
            {
                "event_type": "fog",
                "level": "blue",
                "headline": FOG,
                "description": "预计明晨江北管理区沿江将出现能见度低于500米的大雾。",
                "instruction": "车辆减速慢行，轮渡注意航行安全。",
                "streets": [streets["江北管理区"]],
                "expires": now + timedelta(days=1),
            },
            False,
        ),
    ]
    existing = set(
        EarlyWarning.objects.filter(headline__in=[fields["headline"] for fields, _p in demo]).values_list(
            "headline", flat=True
        )
    )
    created = 0
    for fields, published in demo:
        if fields["headline"] in existing:
            continue
        warning = services.warning_create(by=duty, **fields)
        if published:
            services.warning_publish(by=commander, warning=services.warning_approve(by=commander, warning=warning))
        created += 1
    out(f"warnings: {created} created, {subscriptions} subscriptions")
    return {"warnings": created, "subscriptions": subscriptions}
