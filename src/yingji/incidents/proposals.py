"""Incidents an alarm proposes (监测报警 → 事件): the duty officer opens the incident, attaches the alarm to one already
open, or dismisses it. A rule marked "opens at once" skips the question, but still joins an open incident of the same
enterprise instead of opening a second one."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.audit import audit_append
from yingji.core.commands import Transitions, require_perm
from yingji.core.errors import ValidationFailed
from yingji.core.live import publish
from yingji.core.models import OrgKind, User
from yingji.incidents.intake import incident_create
from yingji.incidents.models import (
    EventKind,
    Incident,
    IncidentProposal,
    IncidentType,
    ProposalStatus,
    Status,
)
from yingji.incidents.timeline import LIVE_CHANNEL, timeline_append

PROPOSAL = Transitions(
    {
        ProposalStatus.PENDING: (ProposalStatus.CONFIRMED, ProposalStatus.ATTACHED, ProposalStatus.DISMISSED),
        ProposalStatus.CONFIRMED: (),
        ProposalStatus.ATTACHED: (),
        ProposalStatus.DISMISSED: (),
    }
)

# Which incident type an alarm of each device type most likely announces.
TYPE_BY_DEVICE: dict[str, str] = {
    "combustible_gas": "gas",
    "toxic_gas": "hazchem_leak",
    "liquid_level": "hazchem_leak",
    "pressure": "explosion",
    "temperature": "fire",
    "smoke": "fire",
    "electrical_fire": "fire",
    "fire_alarm": "fire",
    "fire_panel": "fire",
    "water_level": "flood",
    "rainfall": "flood",
    "displacement": "building_collapse",
}


def alarm_title(alarm: Any) -> str:
    return f"{alarm.device.name} · {alarm.rule.name} · {alarm.get_level_display()}"


def _open_incident_of(enterprise_id: int | None) -> Incident | None:
    if enterprise_id is None:
        return None
    return (
        Incident.objects.filter(enterprise_id=enterprise_id, status__in=[Status.OPEN, Status.RESPONDING])
        .order_by("-received_at")
        .first()
    )


def _link(incident: Incident, alarm: Any, *, by: User | None, text: str) -> None:
    timeline_append(
        incident=incident,
        kind=EventKind.ALARM,
        by=by,
        text=f"{text}：{alarm_title(alarm)}",
        payload={"alarm": alarm.pk},
    )


@transaction.atomic
def proposal_from_alarm(*, alarm: Any) -> IncidentProposal | Incident:
    """What an alarm of a rule that opens incidents leads to: a proposal for the duty officer, or (rule "at once")
    an incident, joined to the enterprise's open incident when there is one."""
    earlier = IncidentProposal.objects.filter(alarm=alarm).first()
    if earlier is not None:
        return earlier  # one proposal per alarm, whatever the alarm does next
    code = TYPE_BY_DEVICE.get(alarm.device.type, "other_accident")
    incident_type = IncidentType.objects.filter(code=code, active=True).first() or IncidentType.objects.get(
        code="other_accident"
    )
    enterprise = alarm.org if alarm.org.kind == OrgKind.ENTERPRISE else None
    fields = {
        "title": f"{alarm.device.name}报警：{alarm.rule.name}",
        "type": incident_type,
        # A device without a location stands where its owner is.
        "lat": alarm.device.lat if alarm.device.lat is not None else alarm.org.lat,
        "lon": alarm.device.lon if alarm.device.lon is not None else alarm.org.lon,
        "address": alarm.device.address or alarm.org.address or alarm.org.name,
        "enterprise": enterprise,
        "org": alarm.org,
        "description": f"监测报警：{alarm_title(alarm)}，读数 {alarm.value}",
    }
    if alarm.rule.opens_at_once:
        current = _open_incident_of(enterprise.pk if enterprise else None)
        if current is not None:
            _link(current, alarm, by=None, text="关联报警")
            return current
        incident = incident_create(
            by=None,
            category=incident_type.category,
            source="sensor",
            occurred_at=min(alarm.raised_at, timezone.now()),
            **fields,
        )
        _link(incident, alarm, by=None, text="关联报警")
        return incident
    proposal = IncidentProposal.objects.create(raised_at=alarm.raised_at, alarm=alarm, **fields)
    data = proposal_summary(proposal)
    scope = alarm.org.path
    transaction.on_commit(lambda: publish(LIVE_CHANNEL, "proposal", data, scope=scope))
    return proposal


def proposal_summary(proposal: IncidentProposal) -> dict[str, Any]:
    """What the desk shows of a proposal."""
    current = _open_incident_of(proposal.enterprise_id)
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "type_label": proposal.type.name,
        "status": proposal.status,
        "raised_at": proposal.raised_at.isoformat(),
        "alarm": proposal.alarm_id,
        "open_incident": {"id": current.pk, "code": current.code} if current else None,
    }


def _decide(by: User, proposal: IncidentProposal, status: str, **fields: Any) -> IncidentProposal:
    proposal = IncidentProposal.objects.select_for_update().select_related("alarm", "org").get(pk=proposal.pk)
    PROPOSAL.check(proposal.status, status)
    proposal.status, proposal.decided_by, proposal.decided_at = status, by, timezone.now()
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["status", "decided_by", "decided_at", *fields])
    audit_append(
        actor=by,
        action=f"incidents.proposal.{status}",
        obj=proposal,
        summary=f"{proposal.title}：{proposal.get_status_display()}",
        payload={"incident": proposal.incident_id, "reason": proposal.reason},
    )
    data = proposal_summary(proposal)
    scope = proposal.org.path
    transaction.on_commit(lambda: publish(LIVE_CHANNEL, "proposal", data, scope=scope))
    return proposal


@transaction.atomic
def proposal_confirm(*, by: User, proposal: IncidentProposal) -> Incident:
    """Open the proposed incident (the duty officer confirms it)."""
    require_perm(by, "incidents.add_incident")
    alarm = proposal.alarm
    incident = incident_create(
        by=by,
        title=proposal.title,
        category=proposal.type.category,
        type=proposal.type,
        source="sensor",
        occurred_at=min(proposal.raised_at, timezone.now()),
        lat=proposal.lat,
        lon=proposal.lon,
        address=proposal.address,
        enterprise=proposal.enterprise,
        org=proposal.org,
        description=proposal.description,
    )
    _link(incident, alarm, by=by, text="关联报警")
    _decide(by, proposal, ProposalStatus.CONFIRMED, incident=incident)
    return incident


@transaction.atomic
def proposal_attach(*, by: User, proposal: IncidentProposal, incident: Incident) -> Incident:
    """Attach the alarm to an incident already open (the same enterprise's, usually) instead of opening another."""
    require_perm(by, "incidents.change_incident")
    if not incident.is_open:
        message = _("Choose an open incident.")
        raise ValidationFailed(message, {"incident": [message]})
    _link(incident, proposal.alarm, by=by, text="关联报警")
    _decide(by, proposal, ProposalStatus.ATTACHED, incident=incident)
    return incident


@transaction.atomic
def proposal_dismiss(*, by: User, proposal: IncidentProposal, reason: str) -> IncidentProposal:
    """Dismiss the proposal (a false alarm, a test), with the reason."""
    require_perm(by, "incidents.add_incident")
    if not reason.strip():
        message = _("Give the reason.")
        raise ValidationFailed(message, {"reason": [message]})
    return _decide(by, proposal, ProposalStatus.DISMISSED, reason=reason.strip()[:200])
