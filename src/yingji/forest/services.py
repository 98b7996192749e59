"""Commands of forest fire prevention: areas (drawn or imported), the responsible chain, routes, patrols from
phones (start, track points, findings with photos, end), fire points, and the platform's daily jobs: notify the
chain of high fire danger once per area and day, and flag the days an area was patrolled too little."""

import json
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import org_in_scope, resolve_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import Transitions, apply_changes, clean_or_fail, require_perm
from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.core.models import OrgKind, OrgUnit, PersonalChannel, User
from yingji.core.notify import outbox_enqueue, sms_to_addresses
from yingji.core.photos import PhotoStore
from yingji.forest import selectors, shapefiles
from yingji.forest.danger import patrols_required
from yingji.forest.geometry import (
    GeometryError,
    area_hectares,
    haversine_m,
    inside_point,
    line_length_m,
    line_shape,
    normalised,
    polygon_shape,
)
from yingji.forest.models import (
    ChainMember,
    DangerNotice,
    Finding,
    FirePoint,
    ForestArea,
    MissedPatrol,
    Patrol,
    PatrolRoute,
    PatrolStatus,
    TrackPoint,
)

PATROL_LIFECYCLE = Transitions({PatrolStatus.ACTIVE: [PatrolStatus.ENDED], PatrolStatus.ENDED: []})
# Photos from phones: JPEG, PNG or WebP (core.photos: recognised by their first bytes, kept under their checksum),
# at most this large.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTOS = PhotoStore("forest", max_bytes=PHOTO_MAX_BYTES)
MAX_POINTS_PER_CALL = 1000
MAX_IMPORT_FEATURES = 500
# An uploaded area file (page, API, command line) is read into memory: at most this large.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
AREA_UNIT_KINDS = (OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY)


def _geometry_or_fail(geometry: Any, field: str = "geometry") -> Any:
    try:
        return polygon_shape(geometry)
    except GeometryError as exc:
        raise ValidationFailed(f"{field}: {exc}", {field: [str(exc)]}) from None


def _area_unit(by: User | None, org: Any) -> OrgUnit:
    unit = org_in_scope(by, org, field="org", required=True)
    assert unit is not None  # required=True refuses a missing unit
    if unit.kind not in AREA_UNIT_KINDS:
        message = _("A forest area belongs to the district, a street or a community.")
        raise ValidationFailed(message, {"org": [message]})
    return unit


def _place(area: ForestArea, geometry: Any) -> None:
    geom = _geometry_or_fail(geometry)
    area.geometry = normalised(geom)
    area.area_ha = round(area_hectares(geom), 2)
    area.lat, area.lon = inside_point(geom)


@transaction.atomic
def forest_area_create(
    *,
    by: User | None,
    org: OrgUnit | int,
    code: str,
    name: str,
    geometry: Any,
    patrols_per_day: int = 1,
    description: str = "",
    illustrative: bool = False,
) -> ForestArea:
    """Register a forest area; its polygon is checked (valid, inside the district) and measured."""
    require_perm(by, "forest.add_forestarea")
    area = ForestArea(
        org=_area_unit(by, org),
        code=code.strip(),
        name=name.strip(),
        patrols_per_day=patrols_per_day,
        description=description,
        illustrative=illustrative,
    )
    _place(area, geometry)
    clean_or_fail(area)
    area.save()
    audit_append(
        actor=by,
        action="forest.forestarea.create",
        obj=area,
        summary=f"林区 {area.code} {area.name}",
        payload={"area_ha": area.area_ha, "org": area.org_id},
    )
    return area


AREA_FIELDS = ("name", "patrols_per_day", "description", "active", "geometry", "org")


@transaction.atomic
def forest_area_update(*, by: User | None, area: ForestArea, **changes: Any) -> ForestArea:
    """Change an area; a new polygon is checked and measured again."""
    require_perm(by, "forest.change_forestarea")
    area = ForestArea.objects.select_for_update().get(pk=area.pk)
    if "org" in changes:
        changes["org"] = _area_unit(by, changes["org"])
    if "geometry" in changes:
        probe = ForestArea()
        _place(probe, changes["geometry"])
        changes.update(geometry=probe.geometry)
        area.area_ha, area.lat, area.lon = probe.area_ha, probe.lat, probe.lon
        area.save(update_fields=["area_ha", "lat", "lon"])
    area, _diff = apply_changes(
        by=by, instance=area, changes=changes, fields=AREA_FIELDS, action="forest.forestarea.update"
    )
    return area


def _features(document: bytes | str | dict) -> list[dict[str, Any]]:
    if isinstance(document, bytes | str):
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError):
            message = _("The file is not JSON.")
            raise ValidationFailed(message, {"file": [message]}) from None
    if not isinstance(document, dict):
        message = _("Give a GeoJSON FeatureCollection, Feature or geometry.")
        raise ValidationFailed(message, {"file": [message]})
    if document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or not features:
            message = _("The collection has no features.")
            raise ValidationFailed(message, {"file": [message]})
        return features
    if document.get("type") == "Feature":
        return [document]
    return [{"type": "Feature", "geometry": document, "properties": {}}]


@transaction.atomic
def forest_areas_import(
    *, by: User | None, org: OrgUnit | int, document: bytes | str | dict[str, Any], code_prefix: str = "FA"
) -> list[ForestArea]:
    """Import forest areas from GeoJSON (each feature's `name` and `code` properties; codes made up where missing).
    All or nothing: one bad feature refuses the file, naming the feature and what is wrong with it."""
    require_perm(by, "forest.add_forestarea")
    unit = _area_unit(by, org)
    return _import_features(by=by, unit=unit, features=_features(document), code_prefix=code_prefix, row="features")


@transaction.atomic
def forest_areas_import_shapefile(
    *,
    by: User | None,
    org: OrgUnit | int,
    data: bytes | None = None,
    parts: dict[str, bytes] | None = None,
    code_prefix: str = "FA",
) -> list[ForestArea]:
    """Import forest areas from a zipped ESRI Shapefile (`data`) or its files by suffix (`parts`): polygons in
    WGS 84 longitude/latitude, names and codes from the .dbf. All or nothing, errors naming the record
    (`records[n]`, counted from 1 as GIS software shows them) and what is wrong."""
    require_perm(by, "forest.add_forestarea")
    unit = _area_unit(by, org)
    try:
        layer = shapefiles.read_zip(data) if data is not None else shapefiles.read_parts(parts or {})
    except shapefiles.ShapefileError as exc:
        raise ValidationFailed(str(exc), {"file": [str(exc)]}) from None
    return _import_features(by=by, unit=unit, features=layer.features, code_prefix=code_prefix, row="records")


def forest_areas_import_file(
    *, by: User | None, org: OrgUnit | int, data: bytes, code_prefix: str = "FA"
) -> list[ForestArea]:
    """Import an uploaded file: a zipped shapefile (recognised by its ZIP signature) or a GeoJSON document."""
    if shapefiles.is_zip(data):
        return forest_areas_import_shapefile(by=by, org=org, data=data, code_prefix=code_prefix)
    return forest_areas_import(by=by, org=org, document=data, code_prefix=code_prefix)


def _import_features(
    *, by: User | None, unit: OrgUnit, features: list[Any], code_prefix: str, row: str
) -> list[ForestArea]:
    if len(features) > MAX_IMPORT_FEATURES:
        message = _("At most %(n)d areas per file.") % {"n": MAX_IMPORT_FEATURES}
        raise ValidationFailed(message, {"file": [message]})
    errors: dict[str, list[str]] = {}
    prepared = []
    taken = set(ForestArea.objects.values_list("code", flat=True))
    for number, feature in enumerate(features, start=1):
        label = f"{row}[{number}]"
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if geometry is None and row == "records":
            errors[f"{label}.geometry"] = [_("The record has no shape.")]
            continue
        try:
            polygon_shape(geometry)
        except GeometryError as exc:
            errors[f"{label}.geometry"] = [str(exc)]
            continue
        name = str(properties.get("name") or properties.get("NAME") or properties.get("名称") or "").strip()[:120]
        code = str(properties.get("code") or properties.get("CODE") or properties.get("编号") or "").strip()[:40]
        if not name:
            errors[f"{label}.name"] = [
                _("Each area needs a name (a .dbf field NAME or 名称).")
                if row == "records"
                else _("Each area needs a name (property `name`).")
            ]
            continue
        if not code:
            serial = 1
            while f"{code_prefix}{serial:03d}" in taken:
                serial += 1
            code = f"{code_prefix}{serial:03d}"
        if code in taken:
            errors[f"{label}.code"] = [_("Code %(code)s is already used.") % {"code": code}]
            continue
        taken.add(code)
        prepared.append((code, name, geometry))
    if errors:
        field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{field}: {messages[0]}", errors)
    return [
        forest_area_create(by=by, org=unit, code=code, name=name, geometry=geometry)
        for code, name, geometry in prepared
    ]


@transaction.atomic
def chain_member_add(
    *,
    by: User | None,
    area: ForestArea,
    level: str,
    name: str,
    phone: str,
    position: str = "",
    user: User | int | None = None,
) -> ChainMember:
    """Name a responsible person of an area (a forest chief at some level, or a ranger)."""
    require_perm(by, "forest.add_chainmember")
    account = None
    if user is not None:
        account = resolve_in_scope(User.objects.filter(is_active=True), by, user, field="user")
    member = ChainMember(
        area=area, level=level, name=name.strip(), phone=phone.strip(), position=position, user=account
    )
    clean_or_fail(member)
    member.save()
    audit_append(
        actor=by,
        action="forest.chainmember.add",
        obj=member,
        summary=f"{area.name} {member.get_level_display()} {member.name}",
        payload={"area": area.pk, "level": level},
    )
    return member


@transaction.atomic
def chain_member_retire(*, by: User | None, member: ChainMember) -> ChainMember:
    """Take a person off the chain (kept for the record)."""
    require_perm(by, "forest.change_chainmember")
    member, _diff = apply_changes(
        by=by, instance=member, changes={"active": False}, fields=("active",), action="forest.chainmember.retire"
    )
    return member


@transaction.atomic
def patrol_route_create(*, by: User | None, area: ForestArea, name: str, path: Any) -> PatrolRoute:
    require_perm(by, "forest.add_patrolroute")
    try:
        line = line_shape(path)
    except GeometryError as exc:
        raise ValidationFailed(f"path: {exc}", {"path": [str(exc)]}) from None
    route = PatrolRoute(area=area, name=name.strip(), path=normalised(line), length_m=round(line_length_m(line.coords)))
    clean_or_fail(route)
    route.save()
    audit_append(actor=by, action="forest.patrolroute.create", obj=route, summary=f"{area.name} {route.name}")
    return route


# --- patrols ----------------------------------------------------------------------------------------------


@transaction.atomic
def patrol_start(
    *,
    by: User,
    area: ForestArea | int,
    route: PatrolRoute | int | None = None,
    at: datetime | None = None,
    note: str = "",
) -> Patrol:
    """Start a patrol of an area the ranger may see; one patrol under way per ranger at a time."""
    require_perm(by, "forest.add_patrol")
    found = resolve_in_scope(ForestArea.objects.filter(active=True), by, area, field="area", required=True)
    assert found is not None  # required=True refuses a missing area
    chosen = None
    if route is not None:
        chosen = resolve_in_scope(PatrolRoute.objects.filter(area=found), None, route, field="route")
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=5):
        message = _("A patrol cannot start in the future.")
        raise ValidationFailed(message, {"at": [message]})
    if Patrol.objects.select_for_update().filter(ranger=by, status=PatrolStatus.ACTIVE).exists():
        message = _("You have a patrol under way; end it first.")
        raise ValidationFailed(message, {"area": [message]})
    patrol = Patrol(area=found, route=chosen, org=found.org, ranger=by, started_at=at, note=note)
    clean_or_fail(patrol)
    patrol.save()
    audit_append(actor=by, action="forest.patrol.start", obj=patrol, summary=f"{found.name} 巡护开始")
    return patrol


def _own_active(by: User | None, patrol: Patrol) -> Patrol:
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if by is not None and patrol.ranger_id != by.pk and not by.is_superuser:
        raise NotAllowed(_("Only the ranger on this patrol may record it."))
    return patrol


@transaction.atomic
def patrol_add_points(*, by: User | None, patrol: Patrol, points: list[dict[str, Any]]) -> Patrol:
    """Append track points (a phone sends them in batches, also those it kept while offline)."""
    require_perm(by, "forest.change_patrol")
    patrol = _own_active(by, patrol)
    if patrol.status != PatrolStatus.ACTIVE:
        PATROL_LIFECYCLE.check(patrol.status, PatrolStatus.ACTIVE)
    if not points:
        return patrol
    if len(points) > MAX_POINTS_PER_CALL:
        message = _("At most %(n)d points per call.") % {"n": MAX_POINTS_PER_CALL}
        raise ValidationFailed(message, {"points": [message]})
    now = timezone.now()
    rows = []
    for number, point in enumerate(points):
        at = point.get("at") or now
        if at < patrol.started_at - timedelta(minutes=5) or at > now + timedelta(minutes=5):
            message = _("Point %(n)d lies outside the patrol's time.") % {"n": number + 1}
            raise ValidationFailed(message, {"points": [message]})
        row = TrackPoint(patrol=patrol, at=at, lat=point["lat"], lon=point["lon"], accuracy_m=point.get("accuracy_m"))
        clean_or_fail(row, exclude=["patrol"])
        rows.append(row)
    last = patrol.points.order_by("-at", "-id").first()
    ordered = sorted(rows, key=lambda r: r.at)
    chain = ([last] if last else []) + ordered
    added = sum(haversine_m(a.lat, a.lon, b.lat, b.lon) for a, b in zip(chain, chain[1:], strict=False))
    TrackPoint.objects.bulk_create(rows)
    patrol.distance_m = round(patrol.distance_m + added, 1)
    patrol.points_count += len(rows)
    patrol.save(update_fields=["distance_m", "points_count"])
    return patrol


@transaction.atomic
def patrol_end(*, by: User | None, patrol: Patrol, at: datetime | None = None, note: str | None = None) -> Patrol:
    require_perm(by, "forest.change_patrol")
    patrol = _own_active(by, patrol)
    PATROL_LIFECYCLE.check(patrol.status, PatrolStatus.ENDED)
    patrol.status = PatrolStatus.ENDED
    patrol.ended_at = at or timezone.now()
    if note is not None:
        patrol.note = note
    clean_or_fail(patrol)
    patrol.save(update_fields=["status", "ended_at", "note"])
    audit_append(
        actor=by,
        action="forest.patrol.end",
        obj=patrol,
        summary=f"{patrol.area.name} 巡护结束",
        payload={"distance_m": patrol.distance_m, "points": patrol.points_count},
    )
    return patrol


@transaction.atomic
def finding_add(
    *,
    by: User | None,
    patrol: Patrol,
    kind: str,
    note: str = "",
    lat: float | None = None,
    lon: float | None = None,
    photo: bytes | None = None,
    at: datetime | None = None,
) -> Finding:
    """Record what a patrol found, with an optional photo (type and size checked, kept under its checksum)."""
    require_perm(by, "forest.add_finding")
    patrol = _own_active(by, patrol)
    if patrol.status != PatrolStatus.ACTIVE:
        PATROL_LIFECYCLE.check(patrol.status, PatrolStatus.ACTIVE)
    finding = Finding(patrol=patrol, kind=kind, note=note, lat=lat, lon=lon, at=at or timezone.now())
    clean_or_fail(finding)
    if photo:
        stored = PHOTOS.keep(photo)
        finding.photo, finding.photo_sha256 = stored.name, stored.sha256
        finding.photo_type, finding.photo_size = stored.content_type, stored.size
    finding.save()
    audit_append(
        actor=by,
        action="forest.finding.add",
        obj=finding,
        summary=f"{patrol.area.name} {finding.get_kind_display()}",
        payload={"patrol": patrol.pk, "photo_sha256": finding.photo_sha256},
    )
    return finding


@transaction.atomic
def fire_point_report(
    *,
    by: User,
    lat: float,
    lon: float,
    description: str = "",
    patrol: Patrol | int | None = None,
    at: datetime | None = None,
) -> FirePoint:
    """Report a fire; it is placed in the area that contains it (or the reporter's unit when none does)."""
    require_perm(by, "forest.add_firepoint")
    if patrol is not None:
        patrol = resolve_in_scope(Patrol, by, patrol, field="patrol")
    area = selectors.area_at(lat=lat, lon=lon)
    org = area.org if area is not None else by.org
    if org is None:
        message = _("The point lies in no forest area.")
        raise ValidationFailed(message, {"lat": [message]})
    fire = FirePoint(
        area=area,
        org=org,
        patrol=patrol,
        lat=lat,
        lon=lon,
        description=description,
        reported_at=at or timezone.now(),
        reported_by=by,
    )
    clean_or_fail(fire)
    fire.save()
    audit_append(
        actor=by,
        action="forest.firepoint.report",
        obj=fire,
        summary=f"火点 {area.name if area else ''} {lat:.4f},{lon:.4f}",
        payload={"area": area.pk if area else None},
    )
    if area is not None:
        # Inside the report's transaction: the outbox rows go or stay with it.
        _tell_chain(area=area, title=_("Fire reported in %(area)s") % {"area": area.name}, body=description, obj=fire)
    return fire


# --- the platform's daily jobs ------------------------------------------------------------------------------


def _tell_chain(*, area: ForestArea, title: str, body: str, obj: Any) -> int:
    """Inbox and SMS to everyone on the area's chain; returns how many people were reached."""
    members = selectors.chain_of(area)
    users = [m.user for m in members if m.user is not None and m.user.is_active]
    link = f"/forest/areas/{area.pk}/"
    if users:
        outbox_enqueue(
            recipients=users,
            channels=[PersonalChannel.INBOX, PersonalChannel.SMS],
            title=title,
            body=body,
            link=link,
            topic="forest",
        )
    phones = [m.phone for m in members if not m.user_id]
    texted = sms_to_addresses(title=title, body=body, link=link, phones=phones, topic="forest", obj=obj)
    return len({m.user_id for m in members if m.user_id}) + texted


def danger_notify(*, day: date) -> list[DangerNotice]:
    """Tell the responsible chain of each area at high fire danger on `day`, once per area and day, with the
    patrol rounds the danger asks for. Safe to run again and from two workers at once: the unique
    (area, date) row is written first, in the same transaction as the messages."""
    areas = list(ForestArea.objects.filter(active=True))
    dangers = selectors.area_dangers(areas=areas, day=day)
    already = set(DangerNotice.objects.filter(date=day).values_list("area_id", flat=True))
    notices = []
    for area in areas:
        danger = dangers.get(area.pk)
        if danger is None or not danger.high or area.pk in already:
            continue
        wanted = patrols_required(danger.level, area.patrols_per_day)
        try:
            with transaction.atomic():
                notice = DangerNotice.objects.create(
                    area=area,
                    date=day,
                    level=danger.level,
                    level_name=danger.level_name,
                    station=danger.station,
                    patrols_per_day=wanted,
                )
                title = _("%(area)s: fire danger level %(level)d (%(name)s) on %(day)s") % {
                    "area": area.name,
                    "level": danger.level,
                    "name": danger.level_name,
                    "day": day.isoformat(),
                }
                body = _(
                    "Station %(station)s. Patrol the area at least %(n)d times today, stop all open fire, "
                    "keep the rangers and fire teams on call."
                ) % {"station": danger.station, "n": wanted}
                notice.recipients = _tell_chain(area=area, title=title, body=body, obj=notice)
                notice.save(update_fields=["recipients"])
                audit_append(
                    actor=None,
                    action="forest.dangernotice.send",
                    obj=notice,
                    summary=f"{area.name} {day} 森林火险{danger.level}级 通知责任链",
                    payload={"level": danger.level, "patrols_per_day": wanted, "recipients": notice.recipients},
                )
        except IntegrityError:
            # Another worker notified this area for the day between our read and our write.
            continue
        notices.append(notice)
    return notices


def patrols_flag_missed(*, day: date) -> list[MissedPatrol]:
    """Flag each area patrolled (patrols started that local day and ended) fewer times than its fire danger
    asked, once per area and day, and tell its chain."""
    areas = list(ForestArea.objects.filter(active=True, created_at__date__lte=day))
    dangers = selectors.area_dangers(areas=areas, day=day)
    done = selectors.patrols_done(day=day)
    flagged = []
    already = set(MissedPatrol.objects.filter(date=day).values_list("area_id", flat=True))
    for area in areas:
        if area.pk in already:
            continue
        danger = dangers.get(area.pk)
        level = danger.level if danger else None
        expected = patrols_required(level, area.patrols_per_day)
        count = done.get(area.pk, 0)
        if count >= expected:
            continue
        try:
            with transaction.atomic():
                missed = MissedPatrol.objects.create(area=area, date=day, expected=expected, done=count, level=level)
                title = _("%(area)s: patrols missed on %(day)s (%(done)d of %(expected)d)") % {
                    "area": area.name,
                    "day": day.isoformat(),
                    "done": count,
                    "expected": expected,
                }
                _tell_chain(area=area, title=title, body="", obj=missed)
                audit_append(
                    actor=None,
                    action="forest.missedpatrol.flag",
                    obj=missed,
                    summary=f"{area.name} {day} 巡护 {count}/{expected}",
                    payload={"expected": expected, "done": count, "level": level},
                )
        except IntegrityError:
            continue
        flagged.append(missed)
    return flagged
