"""API of forest fire prevention: forest areas (GeoJSON `geometry`), their chain and fire danger, patrols from
phones (start, track points, findings with photos, end) and fire points. Every handler is scoped."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from yingji.core.api import Pages
from yingji.core.errors import ValidationFailed
from yingji.core.requests import ApiRequest
from yingji.forest import selectors, services
from yingji.forest.danger import patrols_required
from yingji.forest.models import (
    CHAIN_ORDER,
    ChainLevel,
    ChainMember,
    Finding,
    FindingKind,
    FirePoint,
    FireStatus,
    ForestArea,
    Patrol,
    PatrolRoute,
    PatrolStatus,
)

router = Router(tags=["forest"])

PHOTO = File(None)
Lat = Field(..., ge=-90, le=90, allow_inf_nan=False)
Lon = Field(..., ge=-180, le=180, allow_inf_nan=False)


class ChainOut(Schema):
    id: int
    level: str
    level_label: str = Field(..., alias="get_level_display")
    name: str
    position: str
    phone: str
    user: int | None = Field(None, alias="user_id")


class RouteOut(Schema):
    id: int
    name: str
    path: dict[str, Any]
    length_m: float


class RouteIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    path: dict[str, Any] = Field(..., description="GeoJSON LineString, WGS84 [lon, lat]")


class AreaOut(Schema):
    id: int
    code: str
    name: str
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    geometry: dict[str, Any]
    area_ha: float
    lat: float | None
    lon: float | None
    patrols_per_day: int
    description: str
    illustrative: bool
    active: bool
    chain: list[ChainOut]
    routes: list[RouteOut]

    @staticmethod
    def resolve_routes(obj: ForestArea) -> list[PatrolRoute]:
        return list(obj.routes.all())

    @staticmethod
    def resolve_chain(obj: ForestArea) -> list[ChainMember]:
        return sorted((m for m in obj.chain.all() if m.active), key=lambda m: (CHAIN_ORDER.get(m.level, 99), m.name))


class AreaIn(Schema):
    org: int = Field(..., ge=1, le=2**63 - 1)
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    geometry: dict[str, Any] = Field(..., description="GeoJSON Polygon or MultiPolygon, WGS84 [lon, lat]")
    patrols_per_day: int = Field(1, ge=1, le=24)
    description: str = Field("", max_length=2000)


class AreaChangeIn(Schema):
    org: int | None = Field(None, ge=1, le=2**63 - 1)
    name: str | None = Field(None, min_length=1, max_length=120)
    geometry: dict[str, Any] | None = None
    patrols_per_day: int | None = Field(None, ge=1, le=24)
    description: str | None = Field(None, max_length=2000)
    active: bool | None = None


class ImportIn(Schema):
    org: int = Field(..., ge=1, le=2**63 - 1)
    document: dict[str, Any] = Field(..., description="a GeoJSON FeatureCollection (properties `name`, `code`)")
    code_prefix: str = Field("FA", min_length=1, max_length=20)


class AreaFilters(Schema):
    q: str | None = Field(None, max_length=100)
    org: int | None = Field(None, ge=1, le=2**63 - 1)


class ChainIn(Schema):
    level: ChainLevel
    name: str = Field(..., min_length=1, max_length=60)
    phone: str = Field(..., min_length=3, max_length=40)
    position: str = Field("", max_length=80)
    user: int | None = Field(None, ge=1, le=2**63 - 1)


class DangerOut(Schema):
    date: date
    level: int | None
    level_name: str
    station: str
    distance_m: float | None
    patrols_required: int
    patrols_today: int


def _area(request: ApiRequest, area_id: int) -> ForestArea:
    return selectors.area_get(user=request.auth, area_id=area_id)


@router.get("/forest-areas", response=list[AreaOut])
@paginate(Pages)
def areas_list(request: ApiRequest, filters: Query[AreaFilters]) -> QuerySet[ForestArea]:
    """Forest areas you may see, each with its GeoJSON `geometry` and responsible chain."""
    return selectors.area_list(user=request.auth, **filters.dict())


@router.post("/forest-areas", response={201: AreaOut})
def areas_create(request: ApiRequest, payload: AreaIn) -> Status[ForestArea]:
    """Register an area; an invalid polygon (self-intersecting, unclosed, outside the district) answers 400."""
    return Status(201, services.forest_area_create(by=request.auth, **payload.dict()))


@router.post("/forest-areas/import", response={201: list[AreaOut]})
def areas_import(request: ApiRequest, payload: ImportIn) -> Status[list[ForestArea]]:
    """Import areas from a GeoJSON FeatureCollection, all or nothing; errors name the feature."""
    return Status(201, services.forest_areas_import(by=request.auth, **payload.dict()))


class ImportFileIn(Schema):
    org: int = Field(..., ge=1, le=2**63 - 1)
    code_prefix: str = Field("FA", min_length=1, max_length=20)


IMPORT_FILE = File(...)


@router.post("/forest-areas/import-file", response={201: list[AreaOut]})
def areas_import_file(
    request: ApiRequest, payload: Form[ImportFileIn], file: UploadedFile = IMPORT_FILE
) -> Status[list[ForestArea]]:
    """Import areas from an uploaded file (multipart `file`): a zipped ESRI Shapefile (.shp, .shx, .dbf, with
    .prj and .cpg) or GeoJSON, in WGS 84 longitude/latitude; all or nothing, errors naming the record."""
    if file.size is not None and file.size > services.MAX_IMPORT_BYTES:
        message = f"file larger than {services.MAX_IMPORT_BYTES // (1024 * 1024)} MB"
        raise ValidationFailed(message, {"file": [message]})
    return Status(201, services.forest_areas_import_file(by=request.auth, data=file.read(), **payload.dict()))


@router.get("/forest-areas/{area_id}", response=AreaOut)
def areas_get(request: ApiRequest, area_id: int) -> ForestArea:
    return _area(request, area_id)


@router.patch("/forest-areas/{area_id}", response=AreaOut)
def areas_update(request: ApiRequest, area_id: int, payload: AreaChangeIn) -> ForestArea:
    area = _area(request, area_id)
    services.forest_area_update(by=request.auth, area=area, **payload.dict(exclude_unset=True))
    return _area(request, area_id)


@router.get("/forest-areas/{area_id}/danger", response=DangerOut)
def areas_danger(request: ApiRequest, area_id: int, day: date | None = None) -> dict[str, Any]:
    """The area's fire danger on a day (default: the current one) from the weather stations, and the patrols it asks."""
    area = _area(request, area_id)
    day = day or selectors.danger_day()
    danger = selectors.area_dangers(areas=[area], day=day)[area.pk]
    return {
        "date": day,
        "level": danger.level if danger else None,
        "level_name": danger.level_name if danger else "",
        "station": danger.station if danger else "",
        "distance_m": round(danger.distance_m) if danger else None,
        "patrols_required": patrols_required(danger.level if danger else None, area.patrols_per_day),
        "patrols_today": selectors.patrols_done(day=day, area_ids=[area.pk]).get(area.pk, 0),
    }


@router.post("/forest-areas/{area_id}/chain", response={201: ChainOut})
def areas_chain_add(request: ApiRequest, area_id: int, payload: ChainIn) -> Status[ChainMember]:
    """Name a forest chief (district, street, community) or a ranger of the area."""
    area = _area(request, area_id)
    return Status(201, services.chain_member_add(by=request.auth, area=area, **payload.dict()))


@router.post("/forest-areas/{area_id}/routes", response={201: RouteOut})
def areas_route_add(request: ApiRequest, area_id: int, payload: RouteIn) -> Status[PatrolRoute]:
    """Add a patrol route (a GeoJSON LineString) to the area."""
    area = _area(request, area_id)
    return Status(201, services.patrol_route_create(by=request.auth, area=area, **payload.dict()))


class NearbyFilters(Schema):
    limit: int = Field(5, ge=1, le=20)


@router.get("/forest-areas/{area_id}/nearby")
def areas_nearby(request: ApiRequest, area_id: int, filters: Query[NearbyFilters]) -> dict[str, Any]:
    """Teams and ready equipment of your scope by travel time to the area."""
    return selectors.nearby_resources(user=request.auth, area=_area(request, area_id), limit=filters.limit)


class PatrolOut(Schema):
    id: int
    area: int = Field(..., alias="area_id")
    area_name: str = Field(..., alias="area.name")
    route: int | None = Field(None, alias="route_id")
    ranger: int = Field(..., alias="ranger_id")
    ranger_name: str
    status: PatrolStatus
    started_at: datetime
    ended_at: datetime | None
    distance_m: float
    points_count: int
    note: str

    @staticmethod
    def resolve_ranger_name(obj: Patrol) -> str:
        return str(obj.ranger)


class FindingOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    note: str
    at: datetime
    lat: float | None
    lon: float | None
    photo_sha256: str
    photo_type: str
    photo_size: int
    photo_url: str

    @staticmethod
    def resolve_photo_url(obj: Finding) -> str:
        return f"/forest/findings/{obj.pk}/photo" if obj.photo else ""


class PatrolDetailOut(PatrolOut):
    track: dict[str, Any]
    findings: list[FindingOut]

    @staticmethod
    def resolve_track(obj: Patrol) -> dict[str, Any]:
        coordinates = [[p.lon, p.lat] for p in obj.points.all()]
        return {"type": "LineString", "coordinates": coordinates}

    @staticmethod
    def resolve_findings(obj: Patrol) -> list[Finding]:
        return list(obj.findings.all())


class PatrolIn(Schema):
    area: int = Field(..., ge=1, le=2**63 - 1)
    route: int | None = Field(None, ge=1, le=2**63 - 1)
    note: str = Field("", max_length=500)


class PointIn(Schema):
    lat: float = Lat
    lon: float = Lon
    at: datetime | None = None
    accuracy_m: float | None = Field(None, ge=0, le=100_000, allow_inf_nan=False)


class PointsIn(Schema):
    points: list[PointIn] = Field(..., max_length=services.MAX_POINTS_PER_CALL)


class EndIn(Schema):
    note: str | None = Field(None, max_length=500)


class PatrolFilters(Schema):
    area: int | None = Field(None, ge=1, le=2**63 - 1)
    status: PatrolStatus | None = None


class FindingIn(Schema):
    kind: FindingKind
    note: str = Field("", max_length=500)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)


def _patrol(request: ApiRequest, patrol_id: int) -> Patrol:
    return selectors.patrol_get(user=request.auth, patrol_id=patrol_id)


@router.get("/patrols", response=list[PatrolOut])
@paginate(Pages)
def patrols_list(request: ApiRequest, filters: Query[PatrolFilters]) -> QuerySet[Patrol]:
    return selectors.patrol_list(user=request.auth, **filters.dict())


@router.post("/patrols", response={201: PatrolDetailOut})
def patrols_start(request: ApiRequest, payload: PatrolIn) -> Status[Patrol]:
    """Start a patrol of an area (from the ranger's phone)."""
    return Status(201, services.patrol_start(by=request.auth, **payload.dict()))


@router.get("/patrols/{patrol_id}", response=PatrolDetailOut)
def patrols_get(request: ApiRequest, patrol_id: int) -> Patrol:
    """A patrol with its track as a GeoJSON LineString and its findings."""
    return _patrol(request, patrol_id)


@router.post("/patrols/{patrol_id}/points", response=PatrolOut)
def patrols_points(request: ApiRequest, patrol_id: int, payload: PointsIn) -> Patrol:
    """Append track points (also a batch kept while the phone was offline)."""
    points = [p.dict() for p in payload.points]
    return services.patrol_add_points(by=request.auth, patrol=_patrol(request, patrol_id), points=points)


@router.post("/patrols/{patrol_id}/end", response=PatrolOut)
def patrols_end(request: ApiRequest, patrol_id: int, payload: EndIn) -> Patrol:
    return services.patrol_end(by=request.auth, patrol=_patrol(request, patrol_id), note=payload.note)


@router.post("/patrols/{patrol_id}/findings", response={201: FindingOut})
def patrols_finding(
    request: ApiRequest, patrol_id: int, payload: Form[FindingIn], photo: UploadedFile = PHOTO
) -> Status[Finding]:
    """Record a finding (multipart form) with an optional photo: JPEG, PNG or WebP, at most 10 MB."""
    patrol = _patrol(request, patrol_id)
    content = None
    if photo is not None:
        if photo.size is not None and photo.size > services.PHOTO_MAX_BYTES:
            message = "photo larger than 10 MB"
            raise ValidationFailed(message, {"photo": [message]})
        content = photo.read()
    finding = services.finding_add(by=request.auth, patrol=patrol, photo=content, **payload.dict())
    return Status(201, finding)


class FireIn(Schema):
    lat: float = Lat
    lon: float = Lon
    description: str = Field("", max_length=500)
    patrol: int | None = Field(None, ge=1, le=2**63 - 1)


class FireOut(Schema):
    id: int
    area: int | None = Field(None, alias="area_id")
    area_name: str | None = Field(None, alias="area.name")
    lat: float
    lon: float
    reported_at: datetime
    description: str
    status: str
    status_label: str = Field(..., alias="get_status_display")


class FireFilters(Schema):
    status: FireStatus | None = None


@router.get("/fire-points", response=list[FireOut])
@paginate(Pages)
def fires_list(request: ApiRequest, filters: Query[FireFilters]) -> QuerySet[FirePoint]:
    return selectors.fire_list(user=request.auth, status=filters.status)


@router.post("/fire-points", response={201: FireOut})
def fires_report(request: ApiRequest, payload: FireIn) -> Status[FirePoint]:
    """Report a fire point; it is placed in the forest area containing it and the area's chain is told."""
    return Status(201, services.fire_point_report(by=request.auth, **payload.dict()))
