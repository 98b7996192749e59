"""The duty roster (排班) and the handover log (交接班)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import ValidationFailed
from yingji.core.models import OrgUnit, User
from yingji.incidents.models import DutyShift, Handover


@transaction.atomic
def shift_create(
    *,
    by: User | None,
    org: OrgUnit | None,
    starts_at: datetime,
    ends_at: datetime,
    officer: User,
    leader: User,
    phone: str = "",
    note: str = "",
) -> DutyShift:
    """Put a shift on the roster; shifts of one unit may not overlap. Without a unit it fails validation."""
    require_perm(by, "incidents.add_dutyshift")
    shift = DutyShift(
        org=org, starts_at=starts_at, ends_at=ends_at, officer=officer, leader=leader, phone=phone, note=note
    )
    clean_or_fail(shift, validate_constraints=False)
    if ends_at <= starts_at:
        raise ValidationFailed(_("a shift must end after it starts"), {"ends_at": [_("must be after the start")]})
    if DutyShift.objects.filter(org=org, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationFailed(_("overlaps another shift"), {"starts_at": [_("overlaps another shift of this unit")]})
    shift.save()
    audit_append(
        actor=by,
        action="incidents.shift.create",
        obj=shift,
        summary=f"排班 {timezone.localtime(starts_at):%m-%d %H:%M} 值班员 {officer} 带班领导 {leader}",
        payload={"officer": officer.pk, "leader": leader.pk, "starts_at": starts_at, "ends_at": ends_at},
    )
    return shift


@transaction.atomic
def handover_create(*, by: User, shift: DutyShift, notes: str, open_items: str = "") -> Handover:
    """Write the handover log of a shift (交接班)."""
    require_perm(by, "incidents.add_handover")
    handover = Handover(shift=shift, by=by, at=timezone.now(), notes=notes, open_items=open_items)
    clean_or_fail(handover)
    handover.save()
    audit_append(actor=by, action="incidents.handover.create", obj=handover, summary=f"交接班 {shift}")
    return handover
