"""Queries of forest fire prevention, scoped to the user (an area belongs to its street or community), and the
day's fire danger per area from monitoring's weather stations."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from shapely.geometry import Point, shape

from yingji.core.access import get_scoped_or_404, scoped, under
from yingji.core.errors import YingjiError
from yingji.core.models import User
from yingji.forest.danger import AreaDanger, StationDay, area_danger, patrols_required
from yingji.forest.models import (
    CHAIN_ORDER,
    ChainMember,
    DangerNotice,
    FirePoint,
    ForestArea,
    MissedPatrol,
    Patrol,
    PatrolRoute,
    PatrolStatus,
)
from yingji.monitoring.metrics import DeviceType
from yingji.monitoring.models import FireDangerDay


def area_list(
    *, user: User, q: str | None = None, org: int | None = None, include_inactive: bool = False
) -> QuerySet[ForestArea]:
    areas = scoped(ForestArea.objects.select_related("org"), user)
    if not include_inactive:
        areas = areas.filter(active=True)
    if q:
        areas = areas.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if org:
        areas = under(areas, user, org)
    active_chain = Prefetch("chain", queryset=ChainMember.objects.filter(active=True).select_related("user"))
    active_routes = Prefetch("routes", queryset=PatrolRoute.objects.filter(active=True))
    return areas.prefetch_related(active_chain, active_routes).order_by("code")


def area_get(*, user: User, area_id: int) -> ForestArea:
    return get_scoped_or_404(area_list(user=user, include_inactive=True), user, pk=area_id)


def area_at(*, lat: float, lon: float) -> ForestArea | None:
    """The active area containing a point (the platform's view: fire points are placed before scoping)."""
    point = Point(lon, lat)
    for area in ForestArea.objects.filter(active=True).select_related("org"):
        if shape(area.geometry).covers(point):
            return area
    return None


def chain_of(area: ForestArea) -> list[ChainMember]:
    """The area's active responsible chain, district chief first, rangers last."""
    members = ChainMember.objects.filter(area=area, active=True).select_related("user")
    return sorted(members, key=lambda m: (CHAIN_ORDER.get(m.level, 99), m.name))


def danger_day(*, now: datetime | None = None) -> date:
    """The day whose fire danger is current: today once any station's is computed (after noon), else yesterday."""
    today = timezone.localdate(now or timezone.now())
    if FireDangerDay.objects.filter(date=today).exists():
        return today
    return today - timedelta(days=1)


def station_days(*, day: date) -> list[StationDay]:
    """Every placed weather station's fire danger on a day. Stations are district infrastructure: their
    readings say something about every area, whoever may see the station itself."""
    rows = FireDangerDay.objects.filter(
        date=day, device__type=DeviceType.WEATHER_STATION, device__active=True, device__lat__isnull=False
    ).select_related("device")
    return [
        StationDay(r.device.name, r.device.lat, r.device.lon, r.level, r.level_name, r.fwi)
        for r in rows
        if r.device.lat is not None and r.device.lon is not None
    ]


def area_dangers(*, areas: list[ForestArea], day: date) -> dict[int, AreaDanger | None]:
    """Each area's fire danger on `day` (None where no station reaches it)."""
    stations = station_days(day=day)
    return {area.pk: area_danger(shape(area.geometry), stations) if stations else None for area in areas}


def patrols_done(*, day: date, area_ids: list[int] | None = None) -> dict[int, int]:
    """Ended patrols per area that started on the local day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    patrols = Patrol.objects.filter(
        status=PatrolStatus.ENDED, started_at__gte=start, started_at__lt=start + timedelta(days=1)
    )
    if area_ids is not None:
        patrols = patrols.filter(area_id__in=area_ids)
    return dict(patrols.values_list("area").annotate(n=Count("id")).values_list("area", "n"))


def area_overview(*, user: User, day: date | None = None) -> list[dict[str, Any]]:
    """Each area the user may see with the day's danger, the patrols it asks and those done today."""
    areas = list(area_list(user=user))
    day = day or danger_day()
    dangers = area_dangers(areas=areas, day=day)
    done = patrols_done(day=timezone.localdate(), area_ids=[a.pk for a in areas])
    rows = []
    for area in areas:
        danger = dangers.get(area.pk)
        rows.append(
            {
                "area": area,
                "danger": danger,
                "patrols_required": patrols_required(danger.level if danger else None, area.patrols_per_day),
                "patrols_today": done.get(area.pk, 0),
            }
        )
    return rows


def patrol_list(
    *,
    user: User,
    area: int | None = None,
    status: str | None = None,
    ranger: int | None = None,
    since: datetime | None = None,
) -> QuerySet[Patrol]:
    patrols = scoped(Patrol.objects.select_related("area", "ranger", "route", "org"), user)
    if area:
        patrols = patrols.filter(area_id=area)
    if status:
        patrols = patrols.filter(status=status)
    if ranger:
        patrols = patrols.filter(ranger_id=ranger)
    if since:
        patrols = patrols.filter(started_at__gte=since)
    return patrols.annotate(findings_count=Count("findings")).order_by("-started_at", "-id")


def patrol_get(*, user: User, patrol_id: int) -> Patrol:
    return get_scoped_or_404(
        Patrol.objects.select_related("area", "ranger", "route", "org").prefetch_related("findings"), user, pk=patrol_id
    )


def patrol_active_for(*, user: User) -> Patrol | None:
    """The user's own patrol under way, if any."""
    return Patrol.objects.filter(ranger=user, status=PatrolStatus.ACTIVE).select_related("area").first()


def fire_list(*, user: User, status: str | None = None) -> QuerySet[FirePoint]:
    fires = scoped(FirePoint.objects.select_related("area", "reported_by"), user)
    return fires.filter(status=status) if status else fires


def notice_list(*, user: User, area: int | None = None) -> QuerySet[DangerNotice]:
    notices = scoped(DangerNotice.objects.select_related("area"), user, org_field="area__org")
    return notices.filter(area_id=area) if area else notices


def missed_list(*, user: User, area: int | None = None) -> QuerySet[MissedPatrol]:
    missed = scoped(MissedPatrol.objects.select_related("area"), user, org_field="area__org")
    return missed.filter(area_id=area) if area else missed


def nearby_resources(*, user: User, area: ForestArea, limit: int = 5) -> dict[str, Any]:
    """Forest-fire teams and equipment of the user's scope by travel time to the area's inside point;
    `error` says why there is no answer (no road network loaded, the point off the network)."""
    from yingji.resources.reach import nearest_resources

    out: dict[str, Any] = {"team": [], "equipment": [], "error": ""}
    if area.lat is None or area.lon is None:
        return out
    for kind in ("team", "equipment"):
        try:
            out[kind] = nearest_resources(user=user, lat=area.lat, lon=area.lon, kind=kind, limit=limit)
        except YingjiError as exc:
            # No road network loaded (409) or the point off the network (400): say so on the page.
            out["error"] = exc.detail
    return out
