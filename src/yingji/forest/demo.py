"""Forest fire prevention's part of the Huangshigang demo: three forest areas on the district's wooded hills
(团城山, 黄荆山, 月亮山 — real names, illustrative outlines inside the real boundary), each with its responsible
chain, a patrol route and a month of patrols; a month of noon weather at the two forest weather stations (so the
FWI and the danger per area are computed by monitoring's own code), the danger notices and the missed patrols
that follow. Every person, phone and reading is illustrative. Idempotent: areas by code; the month is written once."""

import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from yingji.core.geo import district_geometry
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.forest import selectors, services
from yingji.forest.danger import patrols_required
from yingji.forest.models import ForestArea, Patrol
from yingji.monitoring.firedanger import fire_danger_compute
from yingji.monitoring.models import Device, Reading

HOME_STREET_CODE = "420202006"
# (code, name, centre lon, lat, half-width, half-height in degrees, patrols a day); None: inside the home street.
AREAS = [
    ("FA-TCS", "团城山林区", 115.025, 30.232, 0.009, 0.006, 1),
    ("FA-HJS", "黄荆山林区", 115.065, 30.215, 0.010, 0.005, 2),
    ("FA-YLS", "月亮山林区", None, None, 0.006, 0.004, 1),
]
STATIONS = ["AWS-TCS-01", "AWS-HJS-01"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), f"13{rng.randint(100000000, 999999999)}"


def _outline(lon: float, lat: float, dx: float, dy: float, within: BaseGeometry) -> dict[str, Any]:
    """An octagon around a centre, clipped to `within` (the district or a street), as a GeoJSON Polygon."""
    ring = [(lon + dx * math.cos(a * math.pi / 4), lat + dy * math.sin(a * math.pi / 4)) for a in range(8)]
    patch = shape({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}).intersection(within)
    patch = max(patch.geoms, key=lambda g: g.area) if hasattr(patch, "geoms") else patch
    coords = [[round(x, 6), round(y, 6)] for x, y in patch.exterior.coords]
    return mapping(shape({"type": "Polygon", "coordinates": [coords]}))


def _owner(geometry: dict, streets: list[OrgUnit], district: OrgUnit) -> OrgUnit:
    point = shape(geometry).representative_point()
    for street in streets:
        if street.area and shape(street.area).covers(point):
            return street
    return district


def _community(street: OrgUnit, geometry: dict) -> OrgUnit | None:
    point = shape(geometry).representative_point()
    for community in OrgUnit.objects.filter(parent=street, kind=OrgKind.COMMUNITY, area__isnull=False):
        if shape(community.area).covers(point):
            return community
    return None


def demo_load_forest(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo forest areas that are missing, and once the month of weather, patrols and flags."""
    rng = random.Random(seed + 41)
    district = OrgUnit.objects.filter(kind=OrgKind.DISTRICT, code="420202").first()
    if district is None:
        raise RuntimeError("load the demo district first (yingji demo)")
    streets = list(OrgUnit.objects.filter(kind=OrgKind.STREET, parent=district).order_by("code"))
    home = next((s for s in streets if s.code == HOME_STREET_CODE), None)
    created = dict.fromkeys(["forest_areas", "patrols", "fire_danger_days", "danger_notices", "missed_patrols"], 0)
    with transaction.atomic():
        existing = set(ForestArea.objects.values_list("code", flat=True))
        for code, name, lon, lat, dx, dy, per_day in AREAS:
            if code in existing:
                continue
            if lon is None or lat is None:
                if home is None or not home.area:
                    continue
                within = shape(home.area)
                centre = within.representative_point()
                geometry = _outline(centre.x, centre.y, dx, dy, within)
                owner = home
            else:
                geometry = _outline(lon, lat, dx, dy, district_geometry())
                owner = _owner(geometry, streets, district)
            area = services.forest_area_create(
                by=None,
                org=owner,
                code=code,
                name=name,
                geometry=geometry,
                patrols_per_day=per_day,
                description="示意林区：边界为演示数据。",
                illustrative=True,
            )
            _chain(rng, area, owner, geometry)
            _route(area)
            created["forest_areas"] += 1
        if not Patrol.objects.exists():
            # The areas stand for hills patrolled long before the demo: their record starts before the month.
            ForestArea.objects.filter(code__in=[a[0] for a in AREAS]).update(
                created_at=timezone.now() - timedelta(days=90)
            )
            today = timezone.localdate()
            created["fire_danger_days"] = _weather(rng, today)
            created["patrols"] = _patrols(rng, today)
            for offset in range(30, 0, -1):
                created["missed_patrols"] += len(services.patrols_flag_missed(day=today - timedelta(days=offset)))
            created["danger_notices"] = len(services.danger_notify(day=selectors.danger_day()))
    return created


def _chain(rng: random.Random, area: ForestArea, owner: OrgUnit, geometry: dict) -> None:
    commander = User.objects.filter(username="commander").first()
    street_officer = User.objects.filter(username="street", org=owner).first()
    name, phone = _person(rng)
    services.chain_member_add(
        by=None, area=area, level="district", name=name, phone=phone, position="区级林长（副区长）", user=commander
    )
    name, phone = _person(rng)
    services.chain_member_add(
        by=None, area=area, level="street", name=name, phone=phone, position=f"{owner.name}林长", user=street_officer
    )
    community = _community(owner, geometry) if owner.kind == OrgKind.STREET else None
    name, phone = _person(rng)
    services.chain_member_add(
        by=None,
        area=area,
        level="community",
        name=name,
        phone=phone,
        position=f"{community.name if community else ''}林长",
    )
    for _ranger in range(2):
        name, phone = _person(rng)
        services.chain_member_add(by=None, area=area, level="ranger", name=name, phone=phone, position="专职护林员")


def _route(area: ForestArea) -> None:
    # A loop just inside the outline.
    geom = shape(area.geometry)
    inner = geom.buffer(-0.0008)
    inner = inner if inner.area > 0 and inner.geom_type == "Polygon" else geom
    coords = [[round(x, 6), round(y, 6)] for x, y in inner.exterior.coords][::2]
    services.patrol_route_create(
        by=None, area=area, name=f"{area.name}环线", path={"type": "LineString", "coordinates": coords}
    )


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _weather(rng: random.Random, today: date) -> int:
    """Noon readings for a month at the forest stations: a wet spell, then a dry, windy week up to today, so the
    FWI climbs to high danger; monitoring's own fire_danger_compute turns them into levels."""
    stations = list(Device.objects.filter(code__in=STATIONS))
    rows = []
    days = [today - timedelta(days=offset) for offset in range(30, -1, -1)]
    for station in stations:
        for day in days:
            dry = (today - day).days <= 7
            noon = _noon(day)
            weather = {
                "temp_c": rng.uniform(24, 30) if dry else rng.uniform(12, 22),
                "rh_pct": rng.uniform(18, 30) if dry else rng.uniform(55, 90),
                "wind_ms": rng.uniform(5, 8) if dry else rng.uniform(1, 4),
            }
            for metric, value in weather.items():
                rows.append(Reading(device=station, metric=metric, ts=noon, value=round(value, 1)))
            rain = 0.0 if dry or rng.random() < 0.6 else rng.uniform(2, 20)
            rows.append(Reading(device=station, metric="rain_mm", ts=noon - timedelta(hours=3), value=round(rain, 1)))
    Reading.objects.bulk_create(rows, ignore_conflicts=True)
    computed = 0
    for station in stations:
        for day in days:
            # Today's danger is computed from 13:00 on (as the worker does); before that the demo stops at yesterday.
            if day == today and timezone.localtime().hour < 13:
                continue
            if fire_danger_compute(device=station, day=day) is not None:
                computed += 1
    return computed


def _patrols(rng: random.Random, today: date) -> int:
    """A month of patrols: each area's asked rounds most days, a few days short (which the flags will show)."""
    duty = User.objects.filter(username="duty").first()
    street = User.objects.filter(username="street").first()
    count = 0
    areas = list(ForestArea.objects.filter(code__in=[a[0] for a in AREAS]).select_related("org"))
    for offset in range(30, 0, -1):
        day = today - timedelta(days=offset)
        dangers = selectors.area_dangers(areas=areas, day=day)
        for area in areas:
            ranger = street if street is not None and area.org_id == street.org_id else duty
            if ranger is None:
                continue
            danger = dangers.get(area.pk)
            wanted = patrols_required(danger.level if danger else None, area.patrols_per_day)
            done = wanted - 1 if rng.random() < 0.15 else wanted
            for round_ in range(done):
                start = timezone.make_aware(datetime.combine(day, time(8 + round_ * 4, rng.randint(0, 50))))
                count += _one_patrol(rng, area, ranger, start)
    return count


def _one_patrol(rng: random.Random, area: ForestArea, ranger: User, start: datetime) -> int:
    patrol = services.patrol_start(by=ranger, area=area, at=start)
    route = area.routes.first()
    coords = route.path["coordinates"] if route else [[area.lon, area.lat]]
    points = []
    for i, (lon, lat) in enumerate(coords):
        jitter = 0.0002
        points.append(
            {
                "lat": lat + rng.uniform(-jitter, jitter),
                "lon": lon + rng.uniform(-jitter, jitter),
                "at": start + timedelta(minutes=5 * (i + 1)),
                "accuracy_m": rng.uniform(5, 20),
            }
        )
    services.patrol_add_points(by=ranger, patrol=patrol, points=points)
    if rng.random() < 0.08:
        lon, lat = coords[len(coords) // 2]
        services.finding_add(
            by=ranger,
            patrol=patrol,
            kind=rng.choice(["fire_hazard", "open_fire", "facility"]),
            note=rng.choice(["林下枯枝落叶堆积", "发现祭祀用火痕迹，已劝导", "防火宣传牌破损"]),
            lat=lat,
            lon=lon,
            at=start + timedelta(minutes=20),
        )
    services.patrol_end(by=ranger, patrol=patrol, at=start + timedelta(minutes=5 * (len(points) + 2)))
    return 1
