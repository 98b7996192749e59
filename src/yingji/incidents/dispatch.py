"""Dispatch of teams, equipment and experts to an incident, and materials issued from warehouses."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import Conflict, ValidationFailed, YingjiError
from yingji.core.models import User
from yingji.core.notify import notify
from yingji.core.roles import Role, role_group
from yingji.incidents import lifecycle
from yingji.incidents.models import Dispatch, DispatchStatus, EventKind, Incident, MaterialRequest, Status
from yingji.incidents.timeline import log, push
from yingji.resources.models import Equipment, EquipmentStatus, Expert, MaterialItem, Team, TeamStatus, Warehouse
from yingji.resources.services import stock_withdraw


def _travel(incident: Incident, lat: float | None, lon: float | None) -> tuple[int | None, int | None]:
    from yingji.routing.travel import nearest

    if incident.lat is None or lat is None:
        return None, None
    try:
        (reach,) = nearest(lat=incident.lat, lon=incident.lon, targets=[(0, lat, lon)], limit=1) or [None]
    except (YingjiError, ValueError, LookupError):
        # No road network loaded, or the resource lies off it: the order still goes out, without an ETA.
        return None, None
    if reach is None:
        return None, None
    return int(reach.eta_s), int(reach.distance_m)


def _location(kind: str, resource: Team | Equipment | Expert) -> tuple[float | None, float | None]:
    if kind == "team":
        return resource.org.lat, resource.org.lon
    if kind == "expert" and resource.lat is None:
        return resource.org.lat, resource.org.lon
    return resource.lat, resource.lon


def dispatch_create(
    *,
    by: User,
    incident: Incident,
    team: Team | None = None,
    equipment: Equipment | None = None,
    expert: Expert | None = None,
    note: str = "",
) -> Dispatch:
    """Send one team, piece of equipment or expert to the incident (one click from the recommendations)."""
    require_perm(by, "incidents.add_dispatch")
    chosen = {k: v for k, v in (("team", team), ("equipment", equipment), ("expert", expert)) if v is not None}
    if len(chosen) != 1:
        raise ValidationFailed(_("choose one resource"), {"team": [_("give exactly one of team, equipment or expert")]})
    ((kind, resource),) = chosen.items()
    # The route may load the road graph: compute it before the transaction takes the incident's row lock.
    eta_s, distance_m = _travel(incident, *_location(kind, resource))
    return _dispatch_record(
        by=by, incident=incident, kind=kind, resource=resource, note=note, eta_s=eta_s, distance_m=distance_m
    )


def _resource_name(resource: Team | Equipment | Expert) -> str:
    return resource.org.name if isinstance(resource, Team) else resource.name


def _set_busy(kind: str, resource: Team | Equipment | Expert, *, busy: bool) -> None:
    """Keep the registry's status true: a dispatched team is deployed, dispatched equipment in use; released,
    they stand by again (unless someone marked them unavailable or broken meanwhile)."""
    if kind == "team":
        old, new = (TeamStatus.STANDBY, TeamStatus.DEPLOYED) if busy else (TeamStatus.DEPLOYED, TeamStatus.STANDBY)
        Team.objects.filter(pk=resource.pk, status=old).update(status=new)
    elif kind == "equipment":
        old, new = (
            (EquipmentStatus.READY, EquipmentStatus.IN_USE) if busy else (EquipmentStatus.IN_USE, EquipmentStatus.READY)
        )
        Equipment.objects.filter(pk=resource.pk, status=old).update(status=new)


def _tell_team(dispatch: Dispatch) -> None:
    """The team's leaders get a message with the order, after commit."""
    leaders = list(User.objects.filter(org=dispatch.team.org, groups=role_group(Role.TEAM_LEADER), is_active=True))
    if not leaders:
        return
    incident = dispatch.incident
    eta = f"，预计 {round(dispatch.eta_s / 60)} 分钟到达" if dispatch.eta_s is not None else ""
    notify(
        recipients=leaders,
        title=f"调派令：{incident.code} {incident.title}",
        body=f"{dispatch.team.org.name}请立即出动前往 {incident.address or incident.org.name}{eta}。"
        "请在手机上确认接收。",
        link=reverse("incidents:dispatch", args=[dispatch.pk]),
        category="incident.dispatch",
    )


@transaction.atomic
def _dispatch_record(
    *,
    by: User,
    incident: Incident,
    kind: str,
    resource: Team | Equipment | Expert,
    note: str,
    eta_s: int | None,
    distance_m: int | None,
) -> Dispatch:
    incident = Incident.objects.select_for_update().select_related("type", "org").get(pk=incident.pk)
    if not incident.is_open:
        raise Conflict(
            _("the incident is no longer open"),
            {"status": [_("%(status)s: no dispatch") % {"status": incident.get_status_display()}]},
        )
    # Lock the resource's row: two desks may send the same team to two incidents at the same moment.
    resource = type(resource).objects.select_for_update().select_related("org").get(pk=resource.pk)
    active = Dispatch.objects.filter(**{kind: resource}).exclude(status=DispatchStatus.RELEASED)
    current = active.select_related("incident").first()
    if current is not None:
        if current.incident_id == incident.pk:
            message = _("%(name)s is already on its way to this incident.") % {"name": _resource_name(resource)}
        else:
            message = _("%(name)s is already on incident %(code)s; release it there first.") % {
                "name": _resource_name(resource),
                "code": current.incident.code,
            }
        raise Conflict(message, {kind: [message]})
    dispatch = Dispatch.objects.create(
        incident=incident,
        note=note[:200],
        dispatched_by=by,
        dispatched_at=timezone.now(),
        eta_s=eta_s,
        distance_m=distance_m,
        **{kind: resource},
    )
    _set_busy(kind, resource, busy=True)
    eta = f"，预计 {round(eta_s / 60)} 分钟到达" if eta_s is not None else ""
    log(
        incident,
        kind=EventKind.DISPATCH,
        by=by,
        text=f"调派 {dispatch.resource_name}{eta}",
        payload={"dispatch": dispatch.pk, "kind": kind, "status": dispatch.status},
    )
    if incident.status == Status.OPEN:
        incident.status = Status.RESPONDING
        incident.save(update_fields=["status", "updated_at"])
    audit_append(
        actor=by,
        action="incidents.dispatch.create",
        obj=dispatch,
        summary=f"{incident.code} 调派 {dispatch.resource_name}",
        payload={"kind": kind, "id": resource.pk, "eta_s": eta_s},
    )
    if kind == "team":
        _tell_team(dispatch)
    push(incident, "updated")
    return dispatch


@transaction.atomic
def dispatch_set_status(*, by: User, dispatch: Dispatch, status: str) -> Dispatch:
    """Move a dispatch order along dispatched → acknowledged → en route → on scene → released, stamping the time;
    any other move is a conflict naming the allowed ones."""
    require_perm(by, "incidents.change_dispatch")
    # Lock the order: the team leader and the duty desk may report its progress at the same moment.
    dispatch = (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("incident", "incident__org", "team__org", "equipment", "expert")
        .get(pk=dispatch.pk)
    )
    lifecycle.DISPATCH.check(dispatch.status, status)
    now = timezone.now()
    dispatch.status = status
    setattr(dispatch, lifecycle.DISPATCH_STAMPS[status], now)
    dispatch.save(update_fields=["status", lifecycle.DISPATCH_STAMPS[status]])
    if status == DispatchStatus.RELEASED:
        kind = dispatch.resource_kind
        resource = getattr(dispatch, kind)
        if not Dispatch.objects.filter(**{kind: resource}).exclude(status=DispatchStatus.RELEASED).exists():
            _set_busy(kind, resource, busy=False)
    log(
        dispatch.incident,
        kind=EventKind.DISPATCH,
        by=by,
        text=f"{dispatch.resource_name}：{dispatch.get_status_display()}",
        payload={"dispatch": dispatch.pk, "status": status},
    )
    audit_append(
        actor=by,
        action="incidents.dispatch.status",
        obj=dispatch,
        summary=f"{dispatch.incident.code} {dispatch.resource_name} → {status}",
    )
    push(dispatch.incident, "updated")
    return dispatch


@transaction.atomic
def material_issue(
    *, by: User, incident: Incident, warehouse: Warehouse, item: MaterialItem, quantity: int, reason: str = ""
) -> MaterialRequest:
    """Issue materials for the incident from a warehouse: stock leaves through the resources stock ledger, which
    locks the balance and refuses to overdraw it (a field error on `quantity`, nothing written)."""
    require_perm(by, "incidents.add_materialrequest")
    if not incident.is_open:
        raise Conflict(_("the incident is no longer open"), {"quantity": [_("no materials for a finished incident")]})
    reason = reason.strip()
    stock_withdraw(
        by=by, warehouse=warehouse, item=item, quantity=quantity, reason=f"{incident.code} {reason or incident.title}"
    )
    request = MaterialRequest(
        incident=incident,
        warehouse=warehouse,
        item=item,
        quantity=quantity,
        reason=reason,
        requested_by=by,
        fulfilled_at=timezone.now(),
    )
    clean_or_fail(request)
    request.save()
    why = f"，用途：{reason}" if reason else ""
    log(
        incident,
        kind=EventKind.DISPATCH,
        by=by,
        text=f"调拨物资：{item} × {quantity}{item.unit}（{warehouse}）{why}",
        payload={"material_request": request.pk},
    )
    audit_append(
        actor=by,
        action="incidents.materialrequest.issue",
        obj=request,
        summary=f"{incident.code} 调拨 {item} × {quantity}",
    )
    return request
