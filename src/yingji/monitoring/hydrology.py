"""三防 on the IoT layer: hydrological stations (rain gauges, river / lake / reservoir levels, waterlogging points),
their commands and their scoped queries. The rules stay where they are: a station's 设防 / 警戒 / 保证 levels (or a
waterlogging point's depth threshold) become that device's own threshold rule, so crossings raise, escalate and
clear alarms through ingest with the rule engine's deadband (rules.threshold_level)."""

from collections.abc import Hashable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from yingji.core.access import get_scoped_or_404, org_in_scope, scoped
from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import ValidationFailed, YingjiError
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.monitoring.models import (
    Device,
    FloodResponse,
    FloodResponseRule,
    FloodResponseStatus,
    HydroStation,
    RainstormCriterion,
    Reading,
    Rule,
    StationKind,
)
from yingji.monitoring.rainfall import (
    DEFAULT_CRITERIA,
    MAX_HOURS,
    WINDOW_HOURS,
    Accumulation,
    Criterion,
    accumulate,
    station_signal,
    totals_at,
    window_signal,
)
from yingji.monitoring.rules import Level
from yingji.monitoring.services import refuse_unknown
from yingji.monitoring.signals import flood_response_changed_on_commit
from yingji.monitoring.waterlevel import (
    DEFAULT_RESPONSE_RULES,
    NUMERAL,
    STAGE_ALARM,
    ResponseCriterion,
    ResponseLevel,
    Stage,
    StationState,
    hourly_trend,
    margins,
    propose_response,
    rate_per_hour,
    stage_reached,
)

STATION_FIELDS = (
    "kind",
    "max_gap_minutes",
    "fortify_level",
    "warning_level",
    "guarantee_level",
    "level_deadband",
    "depth_threshold_m",
    "responsible_name",
    "responsible_phone",
)
LEVEL_KINDS = (StationKind.RIVER, StationKind.LAKE, StationKind.RESERVOIR)
EXPECTED_TYPE: dict[str, tuple[str, ...]] = {
    StationKind.RAIN: ("rainfall", "weather_station"),
    StationKind.RIVER: ("water_level",),
    StationKind.LAKE: ("water_level",),
    StationKind.RESERVOIR: ("water_level",),
    StationKind.WATERLOGGING: ("waterlogging",),
}


# Data: criteria and response rules ----------------------------------------------------------------


def rainstorm_criteria() -> tuple[Criterion, ...]:
    """The bureau's rainstorm signal criteria, or the national ones when it keeps none."""
    rows = RainstormCriterion.objects.filter(active=True)
    return tuple(Criterion(r.level, r.hours, r.mm, r.guidance) for r in rows) or DEFAULT_CRITERIA


def response_rules() -> tuple[ResponseCriterion, ...]:
    """The bureau's 防汛 response rules, or the illustrative defaults when it keeps none."""
    rows = FloodResponseRule.objects.filter(active=True)
    return (
        tuple(ResponseCriterion(r.level, r.stage, r.min_stations, r.station_kind) for r in rows)
        or DEFAULT_RESPONSE_RULES
    )


# Commands -----------------------------------------------------------------------------------------


def _sync_rule(station: HydroStation) -> None:
    """The device's own threshold rule from the station's levels (or depth threshold); removed when none."""
    device = station.device
    if station.kind in LEVEL_KINDS:
        limits = {STAGE_ALARM[stage]: value for stage, value in station.levels.items() if value is not None}
        metric, name, deadband, warning = "water_level_m", f"{device.name}水位", station.level_deadband, "flood"
    elif station.kind == StationKind.WATERLOGGING and station.depth_threshold_m is not None:
        limits = {"yellow": station.depth_threshold_m}
        metric, name, deadband, warning = "water_depth_m", f"{device.name}积水深度", 0.02, "waterlogging"
    else:
        limits = {}
    rule = station.rule
    if not limits:
        if rule is not None:
            Rule.objects.filter(pk=rule.pk).update(active=False)
        return
    if rule is None:
        rule = Rule(device=device, kind="threshold")
    rule.name, rule.metric, rule.deadband, rule.suggests_warning, rule.active = name, metric, deadband, warning, True
    for level in ("blue", "yellow", "orange", "red"):
        setattr(rule, level, limits.get(level))
    clean_or_fail(rule)
    rule.save()
    if station.rule_id != rule.pk:
        station.rule = rule
        station.save(update_fields=["rule"])


def _check_station(station: HydroStation, serves: list[OrgUnit]) -> None:
    errors: dict[str, list[str]] = {}
    if station.device.type not in EXPECTED_TYPE[station.kind]:
        errors["kind"] = [f"a {station.kind} station needs a device of type {' or '.join(EXPECTED_TYPE[station.kind])}"]
    if station.kind == StationKind.WATERLOGGING and station.depth_threshold_m is None:
        errors["depth_threshold_m"] = ["give the depth that alarms"]
    for org in serves:
        if org.kind != OrgKind.STREET:
            errors["serves"] = ["streets only"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)


@transaction.atomic
def station_save(
    *, by: User | None, device: Device, serves: list[OrgUnit] | None = None, **fields: Any
) -> HydroStation:
    """Give a device its hydrological role, or change it; the device's level rule follows the levels."""
    require_perm(by, "monitoring.change_device")
    refuse_unknown(fields, STATION_FIELDS)
    station = HydroStation.objects.select_for_update().filter(device=device).first() or HydroStation(device=device)
    for field, value in fields.items():
        setattr(station, field, value)
    serves = list(serves or [])
    for org in serves:
        org_in_scope(by, org, field="serves")
    _check_station(station, serves)
    clean_or_fail(station)
    station.save()
    station.serves.set(serves)
    _sync_rule(station)
    audit_append(
        actor=by,
        action="monitoring.station.save",
        obj=station,
        summary=f"水文站点 {device.code}",
        payload={**{f: getattr(station, f) for f in STATION_FIELDS}, "serves": [o.pk for o in serves]},
    )
    return station


# Queries ------------------------------------------------------------------------------------------


def station_list(*, user: User, kind: str | None = None) -> QuerySet[HydroStation]:
    stations = scoped(
        HydroStation.objects.select_related("device", "device__org", "rule"), user, org_field="device__org"
    )
    if kind:
        stations = stations.filter(kind=kind)
    return stations.prefetch_related("serves").order_by("kind", "device__code")


def station_get(*, user: User, code: str) -> HydroStation:
    stations = HydroStation.objects.select_related("device", "device__org", "rule")
    return get_scoped_or_404(stations, user, org_field="device__org", device__code=code)


def _rain(station: HydroStation, since: datetime, until: datetime) -> list[tuple[datetime, float]]:
    """The gauge's readings from the last one at or before `since` up to `until`."""
    device_id = station.device_id
    before = (
        Reading.objects.filter(device_id=device_id, metric="rain_mm", ts__lte=since)
        .order_by("-ts")
        .values_list("ts", "value")[:1]
    )
    rows = Reading.objects.filter(device_id=device_id, metric="rain_mm", ts__gt=since, ts__lte=until)
    return [*before, *rows.order_by("ts").values_list("ts", "value")]


def rainfall(*, station: HydroStation, hours: int, end: datetime | None = None) -> dict[str, Any]:
    """The rain of the last `hours` before `end` (now): amount, window, completeness, gaps and the signal it meets."""
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationFailed(_("hours from 1 to 24"), {"hours": [_("from 1 to 24")]})
    end = end or timezone.now()
    start = end - timedelta(hours=hours)
    acc = accumulate(_rain(station, start, end), start=start, end=end, max_gap=station.max_gap)
    return _accumulation_out(acc, window_signal(acc.mm, hours, rainstorm_criteria()))


def _accumulation_out(acc: Accumulation, signal: str | None) -> dict[str, Any]:
    return {
        "mm": acc.mm,
        "from": acc.start,
        "to": acc.end,
        "complete": acc.complete,
        "signal": signal,
        "gaps": [{"from": a, "to": b} for a, b in acc.gaps],
        "readings": acc.readings,
    }


def rain_summary(*, station: HydroStation, end: datetime | None = None) -> dict[str, Any]:
    """Every window (1, 3, 6, 12, 24 h) and the station's current signal with its criterion."""
    end = end or timezone.now()
    start = end - timedelta(hours=MAX_HOURS)
    readings = _rain(station, start, end)
    criteria = rainstorm_criteria()
    windows = []
    for hours in WINDOW_HOURS:
        acc = accumulate(readings, start=end - timedelta(hours=hours), end=end, max_gap=station.max_gap)
        signal = window_signal(acc.mm, hours, criteria)
        label = Level(signal).label if signal else ""
        windows.append({"hours": hours, **_accumulation_out(acc, signal), "signal_label": label})
    inside = [(t, v) for t, v in readings if t > start]
    met = station_signal(totals_at(inside, end, {c.hours for c in criteria}), criteria)
    return {"windows": windows, "signal": met, "signal_label": Level(met.level).label if met else ""}


def level_state(*, station: HydroStation, end: datetime | None = None) -> dict[str, Any]:
    """A level station now: latest level, stage reached, margins, rate over the last hour and the hourly trend."""
    end = end or timezone.now()
    points = list(
        Reading.objects.filter(
            device_id=station.device_id, metric="water_level_m", ts__gt=end - timedelta(hours=25), ts__lte=end
        )
        .order_by("ts")
        .values_list("ts", "value")
    )
    latest = points[-1] if points else None
    value = latest[1] if latest else None
    return {
        "points": points,
        "latest_at": latest[0] if latest else None,
        "level": value,
        "stage": stage_reached(value, station.levels) if value is not None else None,
        "margins": margins(value, station.levels) if value is not None else {},
        "rate_m_per_h": rate_per_hour(points, end),
        "trend": hourly_trend(points, end),
    }


def flood_response(*, user: User, end: datetime | None = None) -> dict[str, Any]:
    """The 防汛 response level the level stations in scope propose, with the rules met and each station's stage."""
    states = []
    stations = station_list(user=user).filter(kind__in=LEVEL_KINDS)
    for station in stations:
        state = level_state(station=station, end=end)
        states.append(StationState(station.device.code, station.kind, state["stage"]))
    level, met = propose_response(states, response_rules())
    return {"level": level, "met": met, "stations": states, "proposal": current_flood_response()}


def _stage_now(station: HydroStation, now: datetime) -> str | None:
    """The stage the station's latest level (of the last 25 hours, as the level page reads it) is at or over."""
    row = (
        Reading.objects.filter(
            device_id=station.device_id, metric="water_level_m", ts__gt=now - timedelta(hours=25), ts__lte=now
        )
        .order_by("-ts")
        .values_list("value", flat=True)[:1]
    )
    return stage_reached(row[0], station.levels) if row else None


# The basis is stored in Chinese, as the audit chain's summaries are.
_STAGE_ZH: dict[str, str] = {Stage.FORTIFY: "设防水位", Stage.WARNING: "警戒水位", Stage.GUARANTEE: "保证水位"}
_KIND_ZH = {StationKind.RIVER: "河道站", StationKind.LAKE: "湖泊站", StationKind.RESERVOIR: "水库站", "": "水位站"}


def _basis(level: int, met: list[ResponseCriterion]) -> str:
    parts = [
        f"{r.min_stations}个{_KIND_ZH.get(r.station_kind, '水位站')}达到{_STAGE_ZH[r.stage]}"
        for r in met
        if r.level == level
    ]
    return "；".join(parts)[:300]


def flood_response_check(*, now: datetime | None = None) -> FloodResponse | None:
    """Record the 三防 (防汛) response level every level station's state proposes now: a first level, or a more
    severe one (superseding the proposed one), is proposed and `flood_response_changed` tells the apps that activate
    plans; a milder level leaves the proposed one standing (people lower a response, not a sensor); no level at all
    (every station back below 设防) ends it. District-wide: the 防汛 command decides for the whole district, so no
    user scope applies. Returns the level just proposed, if any."""
    now = now or timezone.now()
    stations = HydroStation.objects.filter(kind__in=LEVEL_KINDS, device__active=True).select_related("device")
    states = [StationState(s.device.code, s.kind, _stage_now(s, now)) for s in stations]
    level, met = propose_response(states, response_rules())
    try:
        with transaction.atomic():
            return _record_response(level, met, states, now)
    except IntegrityError:
        return None  # another process proposed it at the same moment (one proposed at a time)


def _record_response(
    level: int | None, met: list[ResponseCriterion], states: list[StationState], now: datetime
) -> FloodResponse | None:
    current = FloodResponse.objects.select_for_update().filter(status=FloodResponseStatus.PROPOSED).first()
    if level is None or (current is not None and current.level <= level):
        if level is None and current is not None:
            current.status, current.ended_at = FloodResponseStatus.ENDED, now
            current.save(update_fields=["status", "ended_at"])
            audit_append(
                actor=None,
                action="monitoring.floodresponse.end",
                obj=current,
                summary=f"三防{NUMERAL[current.level]}级应急响应建议结束：各站水位回落至设防以下",
            )
            flood_response_changed_on_commit(current.pk, created=False)
        return None
    if current is not None:
        current.status, current.ended_at = FloodResponseStatus.SUPERSEDED, now
        current.save(update_fields=["status", "ended_at"])
    response = FloodResponse(
        level=level,
        basis=_basis(level, met),
        stations=[{"code": s.code, "kind": s.kind, "stage": s.stage} for s in states if s.stage is not None],
        proposed_at=now,
    )
    clean_or_fail(response)
    response.save()
    audit_append(
        actor=None,
        action="monitoring.floodresponse.propose",
        obj=response,
        summary=f"建议启动三防{NUMERAL[level]}级应急响应：{response.basis}",
        payload={"level": level, "stations": response.stations, "superseded": current.pk if current else None},
    )
    flood_response_changed_on_commit(response.pk, created=True)
    return response


def current_flood_response() -> FloodResponse | None:
    """The 三防 response level proposed now, if any."""
    return FloodResponse.objects.filter(status=FloodResponseStatus.PROPOSED).first()


def stage_label(stage: str | None) -> str:
    return str(Stage(stage).label) if stage else ""


# The rule that turns the derived rainstorm signal (0-4) into alarms and suggested warnings; demo and tests use it.
RAINSTORM_SIGNAL_RULE: dict[str, Any] = {
    "name": "暴雨预警信号标准",
    "device_type": "rainfall",
    "metric": "rainstorm_signal",
    "blue": 1,
    "yellow": 2,
    "orange": 3,
    "red": 4,
    "suggests_warning": "rainstorm",
}


def waterlogging_reach(*, user: User, station: HydroStation, limit: int = 3) -> dict[str, Any]:
    """The rescue teams and the drainage pumps in the user's scope nearest a waterlogging point by travel time on
    the active road network (`error` says why there are none: no road network, no position)."""
    from yingji.resources.models import Equipment, EquipmentCategory, EquipmentStatus
    from yingji.resources.reach import nearest_resources
    from yingji.resources.selectors import equipment_list
    from yingji.routing.travel import nearest

    device = station.device
    if device.lat is None or device.lon is None:
        return {"teams": [], "pumps": [], "error": "no position"}
    try:
        teams = nearest_resources(user=user, lat=device.lat, lon=device.lon, kind="team", limit=limit)
        pumps: dict[Hashable, Equipment] = {
            e.pk: e
            for e in equipment_list(user=user, category=EquipmentCategory.PUMP, status=EquipmentStatus.READY)
            if e.lat is not None
        }
        reaches = nearest(
            lat=device.lat,
            lon=device.lon,
            targets=[(k, e.lat, e.lon) for k, e in pumps.items() if e.lat is not None and e.lon is not None],
            limit=limit,
        )
    except YingjiError as exc:
        return {"teams": [], "pumps": [], "error": exc.detail}
    return {
        "teams": [{"name": t["name"], "eta_s": t["eta_s"], "phone": t.get("phone", "")} for t in teams],
        "pumps": [
            {
                "name": pumps[r.key].name,
                "org": pumps[r.key].org.name,
                "eta_s": r.eta_s,
                "quantity": pumps[r.key].quantity,
            }
            for r in reaches
        ],
        "error": "",
    }


# Pages --------------------------------------------------------------------------------------------


def _latest(device_id: int, metric: str) -> tuple[datetime, float] | None:
    row = Reading.objects.filter(device_id=device_id, metric=metric).order_by("-ts").values_list("ts", "value")[:1]
    return row[0] if row else None


def overview(*, user: User, end: datetime | None = None) -> dict[str, Any]:
    """The 三防 page: the response proposed, each gauge's windows and signal, each level station's state, each
    waterlogging point's depth."""
    end = end or timezone.now()
    rain, levels, points = [], [], []
    states = []
    for station in station_list(user=user):
        if station.kind == StationKind.RAIN:
            rain.append({"station": station, **rain_summary(station=station, end=end)})
        elif station.kind in LEVEL_KINDS:
            state = level_state(station=station, end=end)
            levels.append({"station": station, **state, "stage_label": stage_label(state["stage"])})
            states.append(StationState(station.device.code, station.kind, state["stage"]))
        else:
            latest = _latest(station.device_id, "water_depth_m")
            depth = latest[1] if latest and latest[0] > end - timedelta(hours=1) else None
            over = depth is not None and station.depth_threshold_m is not None and depth >= station.depth_threshold_m
            points.append({"station": station, "depth": depth, "at": latest[0] if latest else None, "over": over})
    level, met = propose_response(states, response_rules())
    basis = [(r.min_stations, Stage(r.stage).label) for r in met if r.level == level]
    return {
        "rain": rain,
        "levels": levels,
        "points": points,
        "response": level,
        "response_label": ResponseLevel(level).label if level else "",
        "response_basis": basis,
        "proposal": current_flood_response(),
    }


def station_page(*, user: User, station: HydroStation, end: datetime | None = None) -> dict[str, Any]:
    """One station: rain windows, or the level with its chart and margins, or a waterlogging point with its
    depth chart and the nearest teams and pumps."""
    from yingji.monitoring.chart import line_chart

    end = end or timezone.now()
    context: dict[str, Any] = {"station": station}
    if station.kind == StationKind.RAIN:
        context["rain"] = rain_summary(station=station, end=end)
        readings = _rain(station, end - timedelta(hours=24), end)
        context["chart"] = line_chart([(t, v) for t, v in readings if t > end - timedelta(hours=24)])
    elif station.kind in LEVEL_KINDS:
        state = level_state(station=station, end=end)
        guides = {str(Stage(s).label): v for s, v in station.levels.items() if v is not None}
        context["level"] = {**state, "stage_label": stage_label(state["stage"])}
        context["margins"] = [(Stage(s).label, m) for s, m in state["margins"].items()]
        context["chart"] = line_chart(state["points"], guides=guides)
    else:
        points = list(
            Reading.objects.filter(
                device_id=station.device_id, metric="water_depth_m", ts__gt=end - timedelta(hours=24)
            )
            .order_by("ts")
            .values_list("ts", "value")
        )
        threshold = station.depth_threshold_m
        depth_guide = {gettext("Alarm depth"): threshold} if threshold is not None else None
        context["chart"] = line_chart(points, guides=depth_guide)
        context["depth"] = points[-1][1] if points else None
        context["reach"] = waterlogging_reach(user=user, station=station)
    return context
