"""Commands of disaster relief. Stock moves only through the resources app's ledger services (stock_withdraw);
call-outs go out through the platform's notification outbox (the worker delivers them with retries)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import org_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import apply_changes, clean_or_fail, require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import (
    ChannelConfig,
    ChannelKind,
    Delivery,
    DeliveryChannel,
    OrgKind,
    OrgUnit,
    OutboxMessage,
    User,
)
from yingji.core.notify import sms_to_addresses
from yingji.relief import lifecycle
from yingji.relief.models import (
    FIGURES,
    Answer,
    Award,
    AwardStatus,
    CallOut,
    CallOutReply,
    DisasterEvent,
    DisasterReport,
    Distribution,
    EventStatus,
    Household,
    SocialOrganisation,
    Volunteer,
)
from yingji.resources.models import MaterialItem, Team, TeamKind, Warehouse
from yingji.resources.services import stock_withdraw


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", {field: [message]})


def _in_scope(by: User | None, org: OrgUnit, field: str = "org") -> None:
    """The unit must lie in the actor's scope (the platform itself sees all); "not yours" reads as not found."""
    org_in_scope(by, org, field=field, required=True)


# --- events and reports -----------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    by: User | None,
    org: OrgUnit,
    code: str,
    name: str,
    hazard: str,
    started_on: date,
    description: str = "",
) -> DisasterEvent:
    require_perm(by, "relief.add_disasterevent")
    _in_scope(by, org)
    event = DisasterEvent(
        org=org,
        code=code.strip(),
        name=name.strip(),
        hazard=hazard,
        started_on=started_on,
        description=description,
        created_by=by,
    )
    clean_or_fail(event)
    event.save()
    audit_append(actor=by, action="relief.event.create", obj=event, summary=f"灾害事件 {event}")
    return event


@transaction.atomic
def event_close(*, by: User | None, event: DisasterEvent, ended_on: date | None = None) -> DisasterEvent:
    require_perm(by, "relief.change_disasterevent")
    event = DisasterEvent.objects.select_for_update().get(pk=event.pk)
    lifecycle.EVENT.check(event.status, EventStatus.CLOSED)
    event, _diff = apply_changes(
        by=by,
        instance=event,
        changes={"status": EventStatus.CLOSED, "ended_on": ended_on or timezone.localdate()},
        fields=("status", "ended_on"),
        action="relief.event.close",
    )
    return event


def current_stage(*, event: DisasterEvent, street: OrgUnit) -> str:
    """The latest stage a street has filed for the event ("" when none)."""
    order = {s: i for i, s in enumerate(("initial", "verified", "final"))}
    stages = DisasterReport.objects.filter(event=event, org=street).values_list("stage", flat=True)
    return max(stages, key=order.__getitem__, default="")


@transaction.atomic
def report_submit(
    *,
    by: User | None,
    event: DisasterEvent,
    street: OrgUnit,
    stage: str,
    reported_on: date | None = None,
    notes: str = "",
    **figures: Any,
) -> DisasterReport:
    """File a street's damage figures for an event at the next stage (initial → verified → final)."""
    require_perm(by, "relief.add_disasterreport")
    _in_scope(by, street, "street")
    if street.kind != OrgKind.STREET:
        raise _fail("street", _("Reports are filed by streets."))
    unknown = sorted(set(figures) - set(FIGURES))
    if unknown:
        raise _fail(unknown[0], _("Unknown item."))
    # Lock the event: two people filing the same street's next stage at once must not both pass the check.
    event = DisasterEvent.objects.select_for_update().get(pk=event.pk)
    lifecycle.STAGES.check(current_stage(event=event, street=street), stage)
    report = DisasterReport(
        event=event,
        org=street,
        stage=stage,
        reported_on=reported_on or timezone.localdate(),
        notes=notes,
        created_by=by,
        **figures,
    )
    clean_or_fail(report)
    report.save()
    audit_append(
        actor=by,
        action=f"relief.report.{stage}",
        obj=report,
        summary=f"灾情{report.get_stage_display()} {event.code} {street.name}",
        payload={name: str(getattr(report, name)) for name in FIGURES},
    )
    return report


# --- households and distribution --------------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *,
    by: User | None,
    org: OrgUnit,
    code: str,
    head_name: str,
    phone: str = "",
    address: str = "",
    members: int = 1,
) -> Household:
    require_perm(by, "relief.add_household")
    _in_scope(by, org)
    household = Household(
        org=org, code=code.strip(), head_name=head_name.strip(), phone=phone, address=address, members=members
    )
    clean_or_fail(household)
    household.save()
    audit_append(actor=by, action="relief.household.create", obj=household, summary=f"登记户 {household.code}")
    return household


def household_history(*, household: Household, event: DisasterEvent | None = None) -> QuerySet[Distribution]:
    """What a household has received, newest first (for one event or all)."""
    rows = Distribution.objects.filter(household=household).select_related("event", "material", "warehouse")
    return rows.filter(event=event) if event is not None else rows


@transaction.atomic
def distribution_create(
    *,
    by: User | None,
    event: DisasterEvent,
    household: Household,
    material: MaterialItem,
    warehouse: Warehouse,
    quantity: int,
    signed_by: str,
    override_reason: str = "",
    distributed_at: datetime | None = None,
) -> Distribution:
    """Hand relief to a household, drawing it from the warehouse through the stock ledger. The same item for
    the same household in the same event a second time is refused (409) unless a reason for the repeat is given."""
    require_perm(by, "relief.add_distribution")
    _in_scope(by, household.org, "household")
    if event.status != EventStatus.OPEN:
        raise Conflict(_("The event is closed."), {"event": [_("The event is closed.")]})
    if not signed_by.strip():
        raise _fail("signed_by", _("Who signed for it?"))
    # Lock the household: two volunteers at two tables must not both hand out the same item to one family.
    household = Household.objects.select_for_update().get(pk=household.pk)
    earlier = Distribution.objects.filter(event=event, household=household, material=material)
    override_reason = override_reason.strip()
    if earlier.exists() and not override_reason:
        first = earlier.order_by("distributed_at").first()
        assert first is not None  # earlier.exists() said so, and the household row is locked
        message = _("%(household)s already received %(item)s for this event on %(when)s; give a reason to repeat.") % {
            "household": household,
            "item": material.name,
            "when": timezone.localtime(first.distributed_at).strftime("%Y-%m-%d %H:%M"),
        }
        raise Conflict(message, {"override_reason": [message]})
    movements = stock_withdraw(
        by=by,
        warehouse=warehouse,
        item=material,
        quantity=quantity,
        reason=f"救灾发放 {event.code} {household.code}"[:200],
    )
    distribution = Distribution(
        event=event,
        household=household,
        material=material,
        warehouse=warehouse,
        quantity=quantity,
        signed_by=signed_by.strip(),
        distributed_at=distributed_at or timezone.now(),
        override_reason=override_reason,
        movements=[m.pk for m in movements],
        org=household.org,
        created_by=by,
    )
    clean_or_fail(distribution)
    distribution.save()
    audit_append(
        actor=by,
        action="relief.distribution.create",
        obj=distribution,
        summary=f"救灾发放 {event.code} {household.code} {material.name}×{quantity}",
        payload={"movements": distribution.movements, "override_reason": override_reason},
    )
    return distribution


# --- volunteers, call-outs, organisations, awards ---------------------------------------------------------------


@transaction.atomic
def volunteer_register(
    *,
    by: User | None,
    org: OrgUnit,
    name: str,
    phone: str,
    consent: bool,
    skills: str = "",
    availability: str = "anytime",
    team: Team | None = None,
) -> Volunteer:
    """Register a volunteer; without their consent to be kept on file and called, nothing is stored."""
    require_perm(by, "relief.add_volunteer")
    _in_scope(by, org)
    if not consent:
        raise _fail("consent", _("The volunteer's consent is required."))
    if team is not None and team.kind != TeamKind.VOLUNTEER:
        raise _fail("team", _("Choose a volunteer team."))
    volunteer = Volunteer(
        org=org,
        name=name.strip(),
        phone=phone.strip(),
        skills=skills,
        availability=availability,
        team=team,
        consent_at=timezone.now(),
    )
    clean_or_fail(volunteer)
    volunteer.save()
    audit_append(actor=by, action="relief.volunteer.register", obj=volunteer, summary=f"登记志愿者 {volunteer.name}")
    return volunteer


@transaction.atomic
def volunteer_log_hours(*, by: User | None, volunteer: Volunteer, hours: Decimal) -> Volunteer:
    """Add hours served."""
    require_perm(by, "relief.change_volunteer")
    if not (Decimal("0") < hours <= Decimal("24")):
        raise _fail("hours", _("Between 0 and 24 hours at a time."))
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    volunteer, _diff = apply_changes(
        by=by,
        instance=volunteer,
        changes={"hours_served": volunteer.hours_served + hours},
        fields=("hours_served",),
        action="relief.volunteer.hours",
    )
    return volunteer


@transaction.atomic
def callout_send(
    *,
    by: User | None,
    org: OrgUnit,
    title: str,
    message: str,
    volunteers: list[Volunteer],
    event: DisasterEvent | None = None,
    wecom: ChannelConfig | None = None,
) -> CallOut:
    """Call volunteers: one SMS each through the active SMS gateway and, if named, a post to a WeChat Work group
    robot, queued in the notification outbox; a reply row per volunteer waits for their yes or no."""
    require_perm(by, "relief.add_callout")
    _in_scope(by, org)
    if not volunteers:
        raise _fail("volunteers", _("Choose at least one volunteer."))
    if wecom is not None and (wecom.kind != ChannelKind.WECOM or not wecom.active):
        raise _fail("wecom", _("Choose an active WeChat Work group robot."))
    text = f"{message.strip()}\n回复 1 能到场，回复 2 不能到场。"
    outbox = OutboxMessage.objects.create(topic="relief.callout", title=title[:200], body=text)
    callout = CallOut(org=org, event=event, title=title.strip(), message=message.strip(), outbox=outbox, created_by=by)
    clean_or_fail(callout)
    callout.save()
    outbox.object_type, outbox.object_id = callout._meta.label_lower, str(callout.pk)
    outbox.save(update_fields=["object_type", "object_id"])
    texted = sms_to_addresses(
        title=title, body=text, phones=[v.phone for v in volunteers], topic="relief.callout", message=outbox
    )
    now = timezone.now()
    deliveries = []
    if wecom is not None:
        deliveries.append(
            Delivery(
                message=outbox, channel=DeliveryChannel.WECOM, config=wecom, address=wecom.url, next_attempt_at=now
            )
        )
    Delivery.objects.bulk_create(deliveries)
    CallOutReply.objects.bulk_create([CallOutReply(callout=callout, volunteer=v) for v in volunteers])
    audit_append(
        actor=by,
        action="relief.callout.send",
        obj=callout,
        summary=f"志愿者召集 {callout.title}",
        payload={"volunteers": [v.pk for v in volunteers], "deliveries": texted + len(deliveries)},
    )
    return callout


def parse_answer(text: str) -> str:
    """A reply's yes or no: 1/是/能/可以/yes → yes; 2/否/不/no → no (an SMS gateway relays the text)."""
    value = (text or "").strip().lower()
    if value in ("yes", "no"):
        return value
    if value.startswith(("1", "是", "能", "可以", "好", "y")):
        return Answer.YES
    if value.startswith(("2", "否", "不", "n")):
        return Answer.NO
    raise _fail("answer", _("Reply 1 (yes) or 2 (no)."))


@transaction.atomic
def callout_reply(*, by: User | None, callout: CallOut, volunteer: Volunteer, answer: str) -> CallOutReply:
    """Record a volunteer's yes or no (entered by staff, or relayed by the SMS gateway as the platform)."""
    require_perm(by, "relief.change_callout")
    reply = CallOutReply.objects.select_for_update().filter(callout=callout, volunteer=volunteer).first()
    if reply is None:
        raise _fail("volunteer", _("This volunteer was not called."))
    reply, _diff = apply_changes(
        by=by,
        instance=reply,
        changes={"answer": parse_answer(answer), "replied_at": timezone.now()},
        fields=("answer", "replied_at"),
        action="relief.callout.reply",
    )
    return reply


@transaction.atomic
def organisation_create(
    *,
    by: User | None,
    org: OrgUnit,
    name: str,
    capabilities: str,
    contact_name: str,
    phone: str,
    credit_code: str = "",
) -> SocialOrganisation:
    require_perm(by, "relief.add_socialorganisation")
    _in_scope(by, org)
    organisation = SocialOrganisation(
        org=org,
        name=name.strip(),
        capabilities=capabilities.strip(),
        contact_name=contact_name.strip(),
        phone=phone.strip(),
        credit_code=credit_code.strip().upper(),
    )
    clean_or_fail(organisation)
    organisation.save()
    audit_append(actor=by, action="relief.organisation.create", obj=organisation, summary=f"社会组织 {organisation}")
    return organisation


@transaction.atomic
def award_submit(
    *,
    by: User | None,
    org: OrgUnit,
    kind: str,
    amount_yuan: Decimal,
    reason: str,
    organisation: SocialOrganisation | None = None,
    volunteer: Volunteer | None = None,
    event: DisasterEvent | None = None,
) -> Award:
    """Propose rescue compensation or a reward for an organisation's or a volunteer's work."""
    require_perm(by, "relief.add_award")
    _in_scope(by, org)
    award = Award(
        org=org,
        kind=kind,
        amount_yuan=amount_yuan,
        reason=reason.strip(),
        organisation=organisation,
        volunteer=volunteer,
        event=event,
        submitted_by=by,
    )
    clean_or_fail(award)
    award.save()
    audit_append(actor=by, action="relief.award.submit", obj=award, summary=f"{award}")
    return award


@transaction.atomic
def award_decide(*, by: User | None, award: Award, approve: bool, note: str = "") -> Award:
    """Approve or reject; who submitted it may not decide it."""
    require_perm(by, "relief.approve_award")
    award = Award.objects.select_for_update().get(pk=award.pk)
    target = AwardStatus.APPROVED if approve else AwardStatus.REJECTED
    lifecycle.AWARD.check(award.status, target)
    if by is not None and award.submitted_by_id == by.pk:
        raise Conflict(_("Someone else must decide what you submitted."), {"__all__": [_("Four-eyes rule.")]})
    award, _diff = apply_changes(
        by=by,
        instance=award,
        changes={"status": target, "decided_by": by, "decided_at": timezone.now(), "decision_note": note[:300]},
        fields=("status", "decided_by", "decided_at", "decision_note"),
        action=f"relief.award.{target}",
    )
    return award
