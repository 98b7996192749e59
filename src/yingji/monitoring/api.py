"""API of monitoring: devices, telemetry ingest over HTTP, alarms, rules and the fire danger calculator."""

import json
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer, django_auth
from pydantic import field_validator

from yingji.core.api import Pages
from yingji.core.errors import ValidationFailed
from yingji.core.models import User
from yingji.core.requests import ApiRequest
from yingji.core.services import token_authenticate
from yingji.monitoring import firealarm, hydrology, selectors, services
from yingji.monitoring.conf import fwi_bands
from yingji.monitoring.fwi import Codes, Weather, consecutive, danger_band, fwi_series
from yingji.monitoring.ingest import Envelope, IngestEngine, valid_device_code
from yingji.monitoring.models import (
    Alarm,
    AlarmStatus,
    Device,
    DeviceStatus,
    DeviceType,
    HydroStation,
    Level,
    Rule,
    StationKind,
    Verification,
)

router = Router(tags=["monitoring"])

MAX_BATCH = 5000


class TelemetryRequest(HttpRequest):
    """A telemetry post: `request.auth` is a person (who may post for the devices in scope) or a device."""

    auth: User | Device


class UserOrDeviceToken(HttpBearer):
    """A person's API token, or a device's own token (which may post only that device's readings)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | Device | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            return user
        return services.device_authenticate(token)


# Devices ------------------------------------------------------------------------------------------


class DeviceOut(Schema):
    id: int
    code: str
    name: str
    type: str
    type_label: str = Field(..., alias="get_type_display")
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    installation: str
    installation_org: int | None = Field(None, alias="installation_org_id")
    metrics: list[str] = Field(..., alias="metric_codes")
    lat: float | None
    lon: float | None
    address: str
    status: str
    last_seen_at: datetime | None
    open_alarms: int = 0


class DeviceFilters(Schema):
    q: str | None = Field(None, max_length=100)
    type: DeviceType | None = None
    status: DeviceStatus | None = None
    org: int | None = Field(None, ge=1)


@router.get("/devices", response=list[DeviceOut])
@paginate(Pages)
def devices_list(request: ApiRequest, filters: Query[DeviceFilters]) -> QuerySet[Device]:
    """Devices you may see; filter by `type`, `status`, owner or watched `org`, or search with `q`."""
    return selectors.device_list(
        user=request.auth, q=filters.q, type=filters.type, status=filters.status, org=filters.org
    )


@router.get("/devices/{code}", response=DeviceOut)
def devices_get(request: ApiRequest, code: str) -> Device:
    return selectors.device_get(user=request.auth, code=code)


# Telemetry ----------------------------------------------------------------------------------------


class TelemetryError(Schema):
    index: int
    reason: str


class TelemetryOut(Schema):
    accepted: int
    rejected: int
    readings: int
    errors: list[TelemetryError]


@router.post(
    "/telemetry",
    auth=[UserOrDeviceToken(), django_auth],
    response={202: TelemetryOut},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "maxItems": MAX_BATCH,
                        "items": {
                            "type": "object",
                            "properties": {
                                "device": {"type": "string"},
                                "ts": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "integer"}]},
                                "metrics": {"type": "object", "additionalProperties": {"type": "number"}},
                            },
                        },
                    }
                }
            }
        }
    },
)
def telemetry_post(request: TelemetryRequest) -> Status:
    """A batch of readings: `[{"device": code, "ts": ISO 8601 or epoch ms, "metrics": {…}}, …]`. Items that
    cannot be used are counted as rejected (with the reason) and kept as dead letters; the rest are stored."""
    try:
        items = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationFailed(_("the body is not JSON"), {"body": [_("not JSON")]}) from None
    if not isinstance(items, list):
        raise ValidationFailed(_("the body must be a JSON array"), {"body": [_("expected an array of readings")]})
    if len(items) > MAX_BATCH:
        raise ValidationFailed(f"at most {MAX_BATCH} items per request", {"body": [f"more than {MAX_BATCH} items"]})
    codes = {item["device"] for item in items if isinstance(item, dict) and valid_device_code(item.get("device"))}
    allowed = selectors.telemetry_devices_allowed(auth=request.auth, codes=codes)
    envelopes = [
        Envelope("http", str(item.get("device", ""))[:200] if isinstance(item, dict) else "", item) for item in items
    ]
    result = IngestEngine().ingest(envelopes, allowed=lambda device: device.pk in allowed)
    return Status(
        202,
        {
            "accepted": result.accepted,
            "rejected": result.rejected,
            "readings": result.readings,
            "errors": [{"index": i, "reason": r} for i, r in result.errors],
        },
    )


# Alarms -------------------------------------------------------------------------------------------


class AlarmOut(Schema):
    id: int
    device: str = Field(..., alias="device.code")
    device_name: str = Field(..., alias="device.name")
    rule: int = Field(..., alias="rule_id")
    rule_name: str = Field(..., alias="rule.name")
    opens_incident: bool = Field(..., alias="rule.opens_incident")
    org: int = Field(..., alias="org_id")
    metric: str
    status: str
    level: str
    value: float | None
    peak_value: float | None
    repeat_count: int
    raised_at: datetime
    last_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(None, alias="acknowledged_by.username")
    ack_comment: str
    assignee: str | None = Field(None, alias="assignee.username")
    escalated_at: datetime | None
    cleared_at: datetime | None
    closed_at: datetime | None
    needs_verification: bool = Field(..., alias="rule.needs_verification")
    verification: str
    verified_at: datetime | None
    verify_note: str


class AlarmFilters(Schema):
    status: AlarmStatus | None = Field(None, description="active, acknowledged, cleared or closed")
    device: str | None = Field(None, max_length=64)
    level: Level | None = None
    rule: int | None = Field(None, ge=1)


@router.get("/alarms", response=list[AlarmOut])
@paginate(Pages)
def alarms_list(request: ApiRequest, filters: Query[AlarmFilters]) -> QuerySet[Alarm]:
    """Alarms you may see, newest first; e.g. `?status=active&device=GAS-01`."""
    return selectors.alarm_list(
        user=request.auth, status=filters.status, device=filters.device, level=filters.level, rule=filters.rule
    )


@router.get("/alarms/{alarm_id}", response=AlarmOut)
def alarms_get(request: ApiRequest, alarm_id: int) -> Alarm:
    return selectors.alarm_get(user=request.auth, alarm_id=alarm_id)


class AckIn(Schema):
    comment: str = Field("", max_length=500)
    assignee: str | None = Field(None, max_length=150, description="username of the person who handles it")


class CloseIn(Schema):
    comment: str = Field("", max_length=500)


def _assignee(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed(_("unknown assignee"), {"assignee": [_("no such user")]})
    return user


@router.post("/alarms/{alarm_id}/ack", response=AlarmOut)
def alarms_ack(request: ApiRequest, alarm_id: int, payload: AckIn) -> Alarm:
    """Acknowledge an alarm (with a comment and optionally an assignee); 409 when already acknowledged."""
    alarm = selectors.alarm_get(user=request.auth, alarm_id=alarm_id)
    services.alarm_acknowledge(
        by=request.auth, alarm=alarm, comment=payload.comment, assignee=_assignee(payload.assignee)
    )
    return selectors.alarm_get(user=request.auth, alarm_id=alarm_id)


@router.post("/alarms/{alarm_id}/close", response=AlarmOut)
def alarms_close(request: ApiRequest, alarm_id: int, payload: CloseIn) -> Alarm:
    """Close a cleared or acknowledged alarm."""
    alarm = selectors.alarm_get(user=request.auth, alarm_id=alarm_id)
    services.alarm_close(by=request.auth, alarm=alarm, comment=payload.comment)
    return selectors.alarm_get(user=request.auth, alarm_id=alarm_id)


# Rules --------------------------------------------------------------------------------------------


class RuleOut(Schema):
    id: int
    name: str
    kind: str
    device_type: str
    device: str | None = Field(None, alias="device.code")
    metric: str
    direction: str
    blue: float | None
    yellow: float | None
    orange: float | None
    red: float | None
    deadband: float
    level: str
    rate_delta: float | None
    window_s: int
    offline_minutes: int
    escalate_after_minutes: int | None
    opens_incident: bool
    opens_at_once: bool
    suggests_warning: str
    plan: int | None
    active: bool


@router.get("/rules", response=list[RuleOut])
@paginate(Pages)
def rules_list(request: ApiRequest, q: str | None = None) -> QuerySet[Rule]:
    return selectors.rule_list(user=request.auth, q=q)


# Fire danger --------------------------------------------------------------------------------------


class StartCodes(Schema):
    ffmc: float = Field(85.0, ge=0, le=101)
    # Far above any observed value (DMC rarely passes a few hundred, DC a thousand): finite and bounded.
    dmc: float = Field(6.0, ge=0, le=10_000)
    dc: float = Field(15.0, ge=0, le=10_000)


class Observation(Schema):
    date: date
    temp_c: float = Field(..., ge=-60, le=60)
    rh_pct: float = Field(..., ge=0, le=100)
    wind_kmh: float = Field(..., ge=0, le=300)
    rain_mm: float = Field(..., ge=0, le=1000)


class FwiIn(Schema):
    latitude: float = Field(..., ge=-90, le=90)
    start: StartCodes = StartCodes.model_validate({})
    observations: list[Observation] = Field(..., min_length=1, max_length=366)

    @field_validator("observations")
    @classmethod
    def consecutive_days(cls, observations: list[Observation]) -> list[Observation]:
        if not consecutive([o.date for o in observations]):
            raise ValueError("dates must be consecutive days in order")
        return observations


class FwiDayOut(Schema):
    date: date
    ffmc: float
    dmc: float
    dc: float
    isi: float
    bui: float
    fwi: float
    level: int
    level_name: str
    suggested_warning: str | None


class FwiOut(Schema):
    days: list[FwiDayOut]


@router.post("/fire-danger/fwi", response=FwiOut, tags=["fire danger"])
def fire_danger_fwi(request: ApiRequest, payload: FwiIn) -> dict[str, Any]:
    """Canadian FWI System indices and the fire danger level for consecutive days of noon observations,
    from the start codes of the day before the first (defaults 85 / 6 / 15). Values are rounded to 0.1."""
    start = Codes(payload.start.ffmc, payload.start.dmc, payload.start.dc)
    weather = [Weather(o.date.month, o.temp_c, o.rh_pct, o.wind_kmh, o.rain_mm) for o in payload.observations]
    bands = fwi_bands()
    days = []
    for obs, day in zip(payload.observations, fwi_series(start, weather, latitude=payload.latitude), strict=True):
        band = danger_band(day.fwi, bands)
        days.append(
            {
                "date": obs.date,
                **{k: round(getattr(day, k), 1) for k in ("ffmc", "dmc", "dc", "isi", "bui", "fwi")},
                "level": band.level,
                "level_name": band.name,
                "suggested_warning": band.warning,
            }
        )
    return {"days": days}


# Fire alarms: verification and false-alarm rates -------------------------------------------------


class VerifyIn(Schema):
    result: Verification
    note: str = Field("", max_length=500)


@router.post("/alarms/{alarm_id}/verify", response=AlarmOut, tags=["smart fire"])
def alarms_verify(request: ApiRequest, alarm_id: int, payload: VerifyIn) -> Alarm:
    """Verify a fire alarm (火警): `real` (the duty desk opens an incident at the building), `false_alarm` (closed
    with the reason) or `test` (closed). 409 when the alarm is not a fire alarm or is already verified."""
    alarm = selectors.alarm_get(user=request.auth, alarm_id=alarm_id)
    firealarm.alarm_verify(by=request.auth, alarm=alarm, result=payload.result, note=payload.note)
    return selectors.alarm_get(user=request.auth, alarm_id=alarm_id)


class RateOut(Schema):
    real: int
    false_alarm: int
    test: int
    pending: int
    rate: float | None


class VenueRateOut(RateOut):
    id: int
    name: str


class DeviceRateOut(RateOut):
    code: str
    name: str
    venue: str


class RatesQuery(Schema):
    days: int = Field(90, ge=1, le=3660)


class RatesOut(Schema):
    venues: list[VenueRateOut]
    devices: list[DeviceRateOut]


@router.get("/fire/false-alarm-rates", response=RatesOut, tags=["smart fire"])
def fire_false_alarm_rates(request: ApiRequest, period: Query[RatesQuery]) -> dict[str, Any]:
    """Verified fire alarms of the last `days` per venue and per device, with the false-alarm rate
    (false / (real + false); tests left out)."""
    since = timezone.now() - timedelta(days=period.days)
    return firealarm.false_alarm_rates(user=request.auth, since=since)


# Hydrology: rain, levels, 防汛 response ------------------------------------------------------------


class GapOut(Schema):
    start: datetime = Field(..., alias="from")
    end: datetime = Field(..., alias="to")


class RainfallOut(Schema):
    mm: float
    start: datetime = Field(..., alias="from")
    end: datetime = Field(..., alias="to")
    complete: bool
    signal: Level | None
    gaps: list[GapOut]
    readings: int


class RainfallQuery(Schema):
    hours: int = Field(3, ge=1, le=24)
    to: datetime | None = Field(None, description="end of the window (default now)")


class StationOut(Schema):
    code: str = Field(..., alias="device.code")
    name: str = Field(..., alias="device.name")
    kind: str
    serves: list[str]
    lat: float | None = Field(None, alias="device.lat")
    lon: float | None = Field(None, alias="device.lon")
    fortify_level: float | None
    warning_level: float | None
    guarantee_level: float | None
    depth_threshold_m: float | None
    responsible_name: str
    responsible_phone: str

    @staticmethod
    def resolve_serves(obj: HydroStation) -> list[str]:
        return [org.name for org in obj.serves.all()]


@router.get("/hydrology/stations", response=list[StationOut], tags=["hydrology"])
def hydrology_stations(request: ApiRequest, kind: StationKind | None = None) -> list[HydroStation]:
    """Rain gauges, level stations and waterlogging points you may see."""
    return list(hydrology.station_list(user=request.auth, kind=kind))


@router.get("/hydrology/stations/{code}/rainfall", response=RainfallOut, by_alias=True, tags=["hydrology"])
def hydrology_rainfall(request: ApiRequest, code: str, window: Query[RainfallQuery]) -> dict[str, Any]:
    """Rain of the last `hours` (1-24) ending `to`: `mm`, `from`, `to`, `complete` (no gap longer than the
    station's allowed silence), the rainstorm `signal` the amount meets (blue, yellow, orange, red or null) and
    the `gaps` themselves (shown, not filled)."""
    station = hydrology.station_get(user=request.auth, code=code)
    if window.to is not None and window.to.tzinfo is None:
        raise ValidationFailed(_("to needs a UTC offset"), {"to": [_("give a UTC offset (Z or +08:00)")]})
    if window.to is not None and not 2000 <= window.to.year <= 2100:
        raise ValidationFailed(_("to is out of range"), {"to": [_("a time between 2000 and 2100")]})
    return hydrology.rainfall(station=station, hours=window.hours, end=window.to)


class TrendOut(Schema):
    hour: datetime
    level: float | None
    change: float | None


class LevelOut(Schema):
    level: float | None
    latest_at: datetime | None
    stage: str | None
    margins: dict[str, float]
    rate_m_per_h: float | None
    trend: list[TrendOut]


@router.get("/hydrology/stations/{code}/level", response=LevelOut, tags=["hydrology"])
def hydrology_level(request: ApiRequest, code: str) -> dict[str, Any]:
    """A level station now: level, the stage reached (fortify 设防, warning 警戒, guarantee 保证), the margin to each
    (negative: below), metres per hour over the last hour, and the last 24 hours hour by hour."""
    station = hydrology.station_get(user=request.auth, code=code)
    if station.kind not in hydrology.LEVEL_KINDS:
        raise ValidationFailed(_("not a level station"), {"code": [_("not a river, lake or reservoir station")]})
    return hydrology.level_state(station=station)


class ResponseRuleOut(Schema):
    level: int
    stage: str
    min_stations: int
    station_kind: str


class StationStateOut(Schema):
    code: str
    kind: str
    stage: str | None


class FloodProposalOut(Schema):
    id: int
    level: int
    basis: str
    status: str
    proposed_at: datetime


class FloodResponseOut(Schema):
    level: int | None
    met: list[ResponseRuleOut]
    stations: list[StationStateOut]
    proposal: FloodProposalOut | None = None


@router.get("/hydrology/response", response=FloodResponseOut, tags=["hydrology"])
def hydrology_response(request: ApiRequest) -> dict[str, Any]:
    """The 防汛 response level (4 = Ⅳ … 1 = Ⅰ, null: none) the level stations in your scope propose, by the
    bureau's response rules; `proposal`: the district-wide level proposed to the duty desk now (the plans that cover
    it are proposed for activation), if any."""
    return hydrology.flood_response(user=request.auth)


class ReachTeamOut(Schema):
    name: str
    eta_s: float
    phone: str = ""


class ReachPumpOut(Schema):
    name: str
    org: str
    eta_s: float
    quantity: int


class ReachOut(Schema):
    teams: list[ReachTeamOut]
    pumps: list[ReachPumpOut]
    error: str


@router.get("/hydrology/stations/{code}/reach", response=ReachOut, tags=["hydrology"])
def hydrology_reach(request: ApiRequest, code: str) -> dict[str, Any]:
    """A waterlogging point's nearest rescue teams and drainage pumps (in your scope) by travel time; `error` says
    why there are none (no road network, no position)."""
    station = hydrology.station_get(user=request.auth, code=code)
    if station.kind != StationKind.WATERLOGGING:
        raise ValidationFailed(_("not a waterlogging point"), {"code": [_("not a waterlogging point")]})
    return hydrology.waterlogging_reach(user=request.auth, station=station)
