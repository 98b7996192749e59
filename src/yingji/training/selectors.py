"""Queries of training, the rescue base and the hall. Courses, facilities and hall slots are the bureau's public
offer (every signed-in person sees them); attendance, certificates and bookings belong to units and are scoped."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from yingji.core.access import get_scoped_or_404, scoped, under
from yingji.core.inputs import MAX_ID
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.roles import GROUP_NAMES, Role
from yingji.training.models import (
    Attendance,
    Audience,
    Booking,
    BookingStatus,
    Certificate,
    CertificateStatus,
    Course,
    Facility,
    HallBooking,
    HallBookingStatus,
    HallSlot,
    TrainingSession,
)

# Courses whose pass counts as an enterprise's yearly training of its principal and safety managers.
ENTERPRISE_AUDIENCES = (Audience.PRINCIPALS, Audience.SAFETY_MANAGERS)


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and (user.org_id or user.is_superuser))


def _one(rows: QuerySet, pk: Any) -> Any:
    """A row of the bureau's public offer by id; anything else is Http404."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    try:
        return rows.get(pk=pk)
    except rows.model.DoesNotExist:
        raise Http404 from None


def course_list(*, user: User, audience: str | None = None, q: str | None = None) -> QuerySet[Course]:
    if not _signed_in(user):
        return Course.objects.none()
    courses = Course.objects.filter(active=True).select_related("org")
    if audience:
        courses = courses.filter(audience=audience)
    if q:
        courses = courses.filter(Q(title__icontains=q) | Q(code__icontains=q))
    return courses.annotate(sessions_count=Count("sessions")).order_by("code")


def course_get(*, user: User, course_id: int) -> Course:
    return _one(course_list(user=user), course_id)


def session_list(*, user: User, course: int | None = None, upcoming: bool = False) -> QuerySet[TrainingSession]:
    if not _signed_in(user):
        return TrainingSession.objects.none()
    sessions = TrainingSession.objects.select_related("course", "org").annotate(enrolled=Count("attendances"))
    if course:
        sessions = sessions.filter(course_id=course)
    if upcoming:
        sessions = sessions.filter(ends_at__gte=timezone.now())
    return sessions.order_by("-starts_at", "-id")


def attendance_list(*, user: User, session: int | None = None, org: int | None = None) -> QuerySet[Attendance]:
    rows = scoped(Attendance.objects.select_related("session__course", "org", "user"), user)
    if session:
        rows = rows.filter(session_id=session)
    if org:
        rows = under(rows, user, org)
    return rows.order_by("session", "name", "id")


def certificate_list(
    *, user: User, expiring_within: int | None = None, org: int | None = None
) -> QuerySet[Certificate]:
    rows = scoped(Certificate.objects.select_related("course", "org", "user"), user)
    if expiring_within is not None:
        today = timezone.localdate()
        rows = rows.filter(
            status=CertificateStatus.VALID,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=expiring_within),
        )
    if org:
        rows = under(rows, user, org)
    return rows.order_by("expires_on", "number")


def training_needs(*, user: User, year: int | None = None) -> list[dict[str, Any]]:
    """Per street, each enterprise in scope with its safety managers (the accounts holding that role) and who of
    them has not passed an enterprise course (principal or safety manager) this year."""
    year = year or timezone.localdate().year
    enterprises = list(
        scoped(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True), user, org_field="").select_related(
            "parent"
        )
    )
    managers = User.objects.filter(
        is_active=True, org__in=enterprises, groups__name=GROUP_NAMES[Role.ENTERPRISE_MANAGER]
    ).distinct()
    trained = set(
        Attendance.objects.filter(
            passed=True,
            session__course__audience__in=ENTERPRISE_AUDIENCES,
            session__starts_at__year=year,
            user__in=managers,
        ).values_list("user_id", flat=True)
    )
    by_org: dict[int, list[User]] = defaultdict(list)
    for person in managers.order_by("username"):
        assert person.org_id is not None  # the query asked for an enterprise
        by_org[person.org_id].append(person)
    # Phone-enrolled trainees without an account count for their enterprise by the number who passed.
    passed_per_org = dict(
        Attendance.objects.filter(
            passed=True, session__course__audience__in=ENTERPRISE_AUDIENCES, session__starts_at__year=year
        )
        .values_list("org")
        .annotate(n=Count("id"))
        .values_list("org", "n")
    )
    streets: dict[int, dict[str, Any]] = {}
    for enterprise in sorted(enterprises, key=lambda e: (e.parent.name if e.parent else "", e.name)):
        street = enterprise.parent if enterprise.parent and enterprise.parent.kind == OrgKind.STREET else None
        if street is None and enterprise.parent and enterprise.parent.parent_id:
            street = OrgUnit.objects.filter(pk=enterprise.parent.parent_id).first()
        key = street.pk if street else 0
        group = streets.setdefault(key, {"street": street, "enterprises": [], "needing": 0, "untrained_enterprises": 0})
        people = by_org.get(enterprise.pk, [])
        needing = [p for p in people if p.pk not in trained]
        passed = passed_per_org.get(enterprise.pk, 0)
        untrained = bool(needing) or passed == 0
        group["enterprises"].append(
            {"enterprise": enterprise, "managers": people, "needing": needing, "passed": passed, "untrained": untrained}
        )
        group["needing"] += len(needing)
        group["untrained_enterprises"] += int(untrained)
    return list(streets.values())


def facility_list(*, user: User, kind: str | None = None) -> QuerySet[Facility]:
    if not _signed_in(user):
        return Facility.objects.none()
    facilities = Facility.objects.filter(active=True).select_related("org")
    return facilities.filter(kind=kind) if kind else facilities


def facility_get(*, user: User, facility_id: int) -> Facility:
    return _one(facility_list(user=user), facility_id)


def booking_list(
    *,
    user: User,
    facility: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_cancelled: bool = False,
) -> QuerySet[Booking]:
    """Bookings of units in the user's scope (the district sees the whole base)."""
    rows = scoped(Booking.objects.select_related("facility", "org", "booked_by"), user)
    if not include_cancelled:
        rows = rows.filter(status=BookingStatus.BOOKED)
    if facility:
        rows = rows.filter(facility_id=facility)
    if since:
        rows = rows.filter(ends_at__gt=since)
    if until:
        rows = rows.filter(starts_at__lt=until)
    return rows.order_by("starts_at", "facility")


def booking_get(*, user: User, booking_id: int) -> Booking:
    return get_scoped_or_404(Booking.objects.select_related("facility", "org"), user, pk=booking_id)


def calendar_week(*, user: User, start: date) -> dict[str, Any]:
    """The base's week from `start` (7 days): each facility's booked slots per day. Who booked is shown for the
    user's own scope; other units' slots show as busy only."""
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    end = begin + timedelta(days=7)
    facilities = list(facility_list(user=user))
    mine = set(booking_list(user=user, since=begin, until=end).values_list("pk", flat=True))
    busy = Booking.objects.filter(
        status=BookingStatus.BOOKED, starts_at__lt=end, ends_at__gt=begin, facility__in=facilities
    ).select_related("org")
    days = [start + timedelta(days=i) for i in range(7)]
    grid: dict[int, dict[date, list[dict[str, Any]]]] = {f.pk: {d: [] for d in days} for f in facilities}
    for booking in busy.order_by("starts_at"):
        day = timezone.localtime(booking.starts_at).date()
        if day in grid[booking.facility_id]:
            grid[booking.facility_id][day].append(
                {
                    "booking": booking,
                    "start": timezone.localtime(booking.starts_at),
                    "end": timezone.localtime(booking.ends_at),
                    "mine": booking.pk in mine,
                }
            )
    return {
        "days": days,
        "rows": [{"facility": f, "cells": [grid[f.pk][d] for d in days]} for f in facilities],
        "previous": start - timedelta(days=7),
        "next": start + timedelta(days=7),
    }


def usage_stats(*, user: User, since: date, until: date) -> list[dict[str, Any]]:
    """Per facility: bookings, booked hours, people and the share of the opening hours (08:00-20:00) used."""
    tz = timezone.get_current_timezone()
    begin = datetime.combine(since, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(until, datetime.min.time(), tzinfo=tz)
    open_hours = max((until - since).days, 1) * 12
    stats = []
    rows = Booking.objects.filter(status=BookingStatus.BOOKED, starts_at__gte=begin, starts_at__lt=end)
    per = {
        row["facility"]: row
        for row in rows.values("facility").annotate(
            n=Count("id"), people=Sum("people"), span=Sum(F("ends_at") - F("starts_at"))
        )
    }
    for facility in facility_list(user=user):
        row = per.get(facility.pk, {})
        span = row.get("span")
        hours = (span.total_seconds() / 3600) if isinstance(span, timedelta) else (float(span or 0) / 3.6e9)
        stats.append(
            {
                "facility": facility,
                "bookings": row.get("n", 0),
                "hours": round(hours, 1),
                "people": row.get("people") or 0,
                "utilisation": round(100 * hours / open_hours, 1),
            }
        )
    return stats


def usage_by_month(*, user: User, year: int) -> list[dict[str, Any]]:
    rows = scoped(Booking.objects.filter(status=BookingStatus.BOOKED, starts_at__year=year), user)
    return list(rows.annotate(month=TruncMonth("starts_at")).values("month").annotate(n=Count("id")).order_by("month"))


def hall_slots(*, upcoming: bool = True, days: int = 30) -> list[dict[str, Any]]:
    """Open hall slots with the places left (public)."""
    now = timezone.now()
    slots = HallSlot.objects.filter(active=True)
    if upcoming:
        slots = slots.filter(starts_at__gt=now, starts_at__lt=now + timedelta(days=days))
    booked = Sum("bookings__visitors", filter=~Q(bookings__status=HallBookingStatus.CANCELLED))
    return [
        {"slot": slot, "booked": slot.booked or 0, "left": max(slot.capacity - (slot.booked or 0), 0)}
        for slot in slots.annotate(booked=booked).order_by("starts_at")
    ]


def hall_booking_list(*, user: User, slot: int | None = None, day: date | None = None) -> QuerySet[HallBooking]:
    """Hall bookings: the hall's operators (district staff) see all; a unit sees its own."""
    rows = scoped(HallBooking.objects.select_related("slot", "org", "booked_by"), user)
    if slot:
        rows = rows.filter(slot_id=slot)
    if day:
        rows = rows.filter(slot__starts_at__date=day)
    return rows.order_by("slot__starts_at", "id")


def hall_booking_get(*, user: User, booking_id: int) -> HallBooking:
    return get_scoped_or_404(HallBooking.objects.select_related("slot", "org"), user, pk=booking_id)
