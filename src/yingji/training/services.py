"""Commands of training, the rescue base and the experience hall."""

import calendar
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import org_in_scope, resolve_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import Transitions, clean_or_fail, require_perm
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import OrgUnit, PersonalChannel, User
from yingji.core.notify import outbox_enqueue, sms_to_addresses
from yingji.core.roles import GROUP_NAMES, Role
from yingji.training import quiz
from yingji.training.models import (
    Attendance,
    Booking,
    BookingStatus,
    Certificate,
    CertificateStatus,
    Course,
    Facility,
    HallBooking,
    HallBookingStatus,
    HallSlot,
    Question,
    QuizAttempt,
    Reminder,
    SessionStatus,
    TrainingSession,
)

HALL_LIFECYCLE = Transitions(
    {
        HallBookingStatus.BOOKED: [HallBookingStatus.CHECKED_IN, HallBookingStatus.CANCELLED],
        HallBookingStatus.CHECKED_IN: [],
        HallBookingStatus.CANCELLED: [],
    }
)
BOOKING_LIFECYCLE = Transitions({BookingStatus.BOOKED: [BookingStatus.CANCELLED], BookingStatus.CANCELLED: []})
# Certificates are reminded this many days before they expire.
REMINDER_DAYS = 30
# A facility booking lasts at least half an hour and at most a day.
MIN_BOOKING = timedelta(minutes=30)
MAX_BOOKING = timedelta(hours=24)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _unit_or_own(by: User | None, org: OrgUnit | int | None, *, missing: str) -> OrgUnit:
    """The unit named (in the actor's scope), else the actor's own; `missing` is the field error when neither."""
    unit = org_in_scope(by, org, field="org") if org is not None else (by.org if by is not None else None)
    if unit is None:
        raise ValidationFailed(missing, {"org": [missing]})
    return unit


# --- courses, sessions, attendance, certificates ---------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    by: User | None,
    code: str,
    title: str,
    audience: str,
    hours: int = 8,
    pass_score: int = 60,
    certificate_months: int = 0,
    description: str = "",
    org: OrgUnit | int | None = None,
) -> Course:
    require_perm(by, "training.add_course")
    unit = _unit_or_own(by, org, missing=_("Name the organising unit."))
    course = Course(
        org=unit,
        code=code.strip(),
        title=title.strip(),
        audience=audience,
        hours=hours,
        pass_score=pass_score,
        certificate_months=certificate_months,
        description=description,
    )
    clean_or_fail(course)
    course.save()
    audit_append(actor=by, action="training.course.create", obj=course, summary=f"课程 {course.code} {course.title}")
    return course


@transaction.atomic
def session_create(
    *,
    by: User | None,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    instructors: str,
    capacity: int = 50,
) -> TrainingSession:
    require_perm(by, "training.add_trainingsession")
    session = TrainingSession(
        course=course,
        org=course.org,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        instructors=instructors,
        capacity=capacity,
    )
    clean_or_fail(session)
    session.save()
    audit_append(
        actor=by, action="training.session.create", obj=session, summary=f"{course.title} {starts_at:%Y-%m-%d}"
    )
    return session


@transaction.atomic
def attendance_enroll(
    *,
    by: User | None,
    session: TrainingSession,
    org: OrgUnit | int,
    name: str,
    phone: str,
    position: str = "",
    user: User | int | None = None,
) -> Attendance:
    """Enroll a trainee of a unit in the user's scope (an enterprise enrolls its own staff)."""
    require_perm(by, "training.add_attendance")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        message = _("The session is not open for enrolment.")
        raise Conflict(message, {"session": [message]})
    unit = org_in_scope(by, org, field="org", required=True)
    account = resolve_in_scope(User, by, user, field="user", org_field="org") if user is not None else None
    if session.attendances.count() >= session.capacity:
        message = _("The session is full.")
        raise Conflict(message, {"session": [message]})
    attendance = Attendance(
        session=session, org=unit, user=account, name=name.strip(), phone=phone.strip(), position=position
    )
    clean_or_fail(attendance)
    attendance.save()
    audit_append(
        actor=by, action="training.attendance.enroll", obj=attendance, summary=f"{attendance.name} 报名 {session}"
    )
    return attendance


@transaction.atomic
def attendance_sign_in(
    *,
    session: TrainingSession,
    code: str,
    user: User | AnonymousUser | None = None,
    phone: str = "",
    at: datetime | None = None,
) -> Attendance:
    """Sign in with the session's QR code: a signed-in trainee by account, anyone else by the phone enrolled.
    Open from an hour before the start to the end."""
    if code != session.signin_code:
        raise ValidationFailed(_("This sign-in code is not valid."), {"code": [_("Invalid code.")]})
    now = at or timezone.now()
    if not (session.starts_at - timedelta(hours=1) <= now <= session.ends_at):
        message = _("Sign-in is open from an hour before the session until its end.")
        raise Conflict(message, {"code": [message]})
    rows = Attendance.objects.select_for_update().filter(session=session)
    account = user if isinstance(user, User) else None
    attendance = None
    if account is not None:
        attendance = rows.filter(user=account).first()
    if attendance is None and phone:
        attendance = rows.filter(phone=phone.strip()).first()
    if attendance is None:
        message = _("You are not enrolled in this session; ask the organiser.")
        raise ValidationFailed(message, {"phone": [message]})
    if attendance.signed_in_at is None:
        attendance.signed_in_at = now
        attendance.save(update_fields=["signed_in_at"])
        audit_append(
            actor=account,
            action="training.attendance.sign_in",
            obj=attendance,
            summary=f"{attendance.name} 签到",
        )
    return attendance


@transaction.atomic
def attendance_score(*, by: User | None, attendance: Attendance, score: int) -> Attendance:
    """Record an exam score; a pass issues the course's certificate (if it has one)."""
    require_perm(by, "training.change_attendance")
    attendance = Attendance.objects.select_for_update().select_related("session__course").get(pk=attendance.pk)
    if attendance.signed_in_at is None:
        message = _("Only a trainee who signed in can be scored.")
        raise ValidationFailed(message, {"score": [message]})
    course = attendance.session.course
    attendance.score = score
    attendance.passed = score >= course.pass_score
    clean_or_fail(attendance)
    attendance.save(update_fields=["score", "passed"])
    audit_append(
        actor=by,
        action="training.attendance.score",
        obj=attendance,
        summary=f"{attendance.name} {score} 分",
        payload={"score": score, "passed": attendance.passed},
    )
    if (
        attendance.passed
        and course.certificate_months
        and not Certificate.objects.filter(attendance=attendance).exists()
    ):
        certificate_issue(by=by, attendance=attendance)
    return attendance


@transaction.atomic
def certificate_issue(*, by: User | None, attendance: Attendance, issued_on: date | None = None) -> Certificate:
    course = attendance.session.course
    issued = issued_on or timezone.localdate()
    serial = Certificate.objects.filter(course=course).count() + 1
    certificate = Certificate(
        course=course,
        attendance=attendance,
        org=attendance.org,
        user=attendance.user,
        holder=attendance.name,
        number=f"{course.code}-{issued:%Y}-{serial:04d}",
        issued_on=issued,
        expires_on=add_months(issued, course.certificate_months) if course.certificate_months else None,
    )
    clean_or_fail(certificate)
    certificate.save()
    audit_append(actor=by, action="training.certificate.issue", obj=certificate, summary=f"证书 {certificate.number}")
    return certificate


def _unit_managers(org_id: int, role: str) -> list[User]:
    return list(User.objects.filter(is_active=True, org_id=org_id, groups__name=GROUP_NAMES[role]).distinct())


def certificates_remind(*, today: date) -> int:
    """Remind holders and their units of certificates expiring within REMINDER_DAYS: our training certificates
    (the holder and the unit's safety managers) and team members' certificates in the resources registry (the
    team's leaders); once per certificate and expiry date. Returns how many reminders were sent."""
    from yingji.resources.models import TeamMember

    horizon = today + timedelta(days=REMINDER_DAYS)
    sent = 0
    done = set(Reminder.objects.filter(expires_on__gte=today).values_list("source", "source_id", "expires_on"))
    certificates = Certificate.objects.filter(
        status=CertificateStatus.VALID, expires_on__gte=today, expires_on__lte=horizon
    ).select_related("course", "user", "org")
    for certificate in certificates:
        # The query asked for an expiry date.
        assert certificate.expires_on is not None
        key = (Reminder.Source.CERTIFICATE, certificate.pk, certificate.expires_on)
        if key in done:
            continue
        people = _unit_managers(certificate.org_id, Role.ENTERPRISE_MANAGER)
        if certificate.user is not None:
            people.append(certificate.user)
        title = _("Certificate %(number)s of %(holder)s expires on %(day)s") % {
            "number": certificate.number,
            "holder": certificate.holder,
            "day": certificate.expires_on.isoformat(),
        }
        sent += _remind(key, people, title, _("Course: %(c)s. Book a refresher session.") % {"c": certificate.course})
    members = TeamMember.objects.filter(certificate_expiry__gte=today, certificate_expiry__lte=horizon).select_related(
        "team__org"
    )
    for member in members:
        assert member.certificate_expiry is not None
        key = (Reminder.Source.TEAM_MEMBER, member.pk, member.certificate_expiry)
        if key in done:
            continue
        title = _("Certificate of %(name)s (%(team)s) expires on %(day)s") % {
            "name": member.name,
            "team": member.team.org.name,
            "day": member.certificate_expiry.isoformat(),
        }
        people = _unit_managers(member.team.org_id, Role.TEAM_LEADER)
        sent += _remind(key, people, title, member.certificate or "")
    return sent


def _remind(key: tuple[str, int, date], people: list[User], title: str, body: str) -> int:
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                source=key[0], source_id=key[1], expires_on=key[2], recipients=len(people)
            )
            if people:
                outbox_enqueue(
                    recipients=people, channels=[PersonalChannel.INBOX], title=title, body=body, topic="training"
                )
            audit_append(actor=None, action="training.reminder.send", obj=reminder, summary=title[:300])
    except IntegrityError:
        # Another worker sent this one meanwhile.
        return 0
    return 1


# --- the rescue base: facilities and bookings -----------------------------------------------------------


@transaction.atomic
def facility_create(
    *,
    by: User | None,
    code: str,
    name: str,
    kind: str,
    capacity: int,
    description: str = "",
    org: OrgUnit | int | None = None,
) -> Facility:
    require_perm(by, "training.add_facility")
    unit = _unit_or_own(by, org, missing=_("Name the operating unit."))
    facility = Facility(
        org=unit, code=code.strip(), name=name.strip(), kind=kind, capacity=capacity, description=description
    )
    clean_or_fail(facility)
    facility.save()
    audit_append(actor=by, action="training.facility.create", obj=facility, summary=f"训练设施 {facility.name}")
    return facility


def _overlap_conflict(facility: Facility, other: Booking | None) -> Conflict:
    if other is not None:
        local = timezone.localtime
        message = _("%(facility)s is booked from %(start)s to %(end)s by %(org)s.") % {
            "facility": facility.name,
            "start": f"{local(other.starts_at):%Y-%m-%d %H:%M}",
            "end": f"{local(other.ends_at):%H:%M}",
            "org": other.org.name,
        }
    else:
        message = _("%(facility)s is already booked at that time.") % {"facility": facility.name}
    return Conflict(message, {"start": [message]})


def booking_create(
    *,
    by: User | None,
    facility: Facility | int,
    start: datetime,
    end: datetime,
    purpose: str,
    people: int = 1,
    org: OrgUnit | int | None = None,
) -> Booking:
    """Book a facility for [start, end) for a unit in the booker's scope (by default the booker's own).

    No double booking: the facility row is locked while the overlap is checked, so two bookers of the same
    facility take turns (on SQLite the IMMEDIATE transaction already serialises writers); on PostgreSQL the
    exclusion constraint refuses an overlap whatever path wrote it, and that refusal is the same 409."""
    require_perm(by, "training.add_booking")
    try:
        with transaction.atomic():
            return _booking_create(
                by=by, facility=facility, start=start, end=end, purpose=purpose, people=people, org=org
            )
    except IntegrityError as exc:
        # 23P01 is PostgreSQL's exclusion_violation: an overlap another writer committed while we waited.
        if getattr(exc.__cause__, "sqlstate", None) == "23P01" or "training_booking_no_overlap" in str(exc):
            found = facility if isinstance(facility, Facility) else Facility.objects.get(pk=facility)
            raise _overlap_conflict(found, None) from None
        raise


def _booking_create(
    *,
    by: User | None,
    facility: Facility | int,
    start: datetime,
    end: datetime,
    purpose: str,
    people: int,
    org: OrgUnit | int | None,
) -> Booking:
    found = resolve_in_scope(Facility.objects.filter(active=True), None, facility, field="facility", required=True)
    assert found is not None  # required=True refuses a missing facility
    unit = _unit_or_own(by, org, missing=_("Name the unit the booking is for."))
    if end <= start:
        message = _("The end must come after the start.")
        raise ValidationFailed(message, {"end": [message]})
    if end - start < MIN_BOOKING or end - start > MAX_BOOKING:
        message = _("A booking lasts between 30 minutes and 24 hours.")
        raise ValidationFailed(message, {"end": [message]})
    if start < timezone.now() - timedelta(minutes=5):
        message = _("A booking cannot start in the past.")
        raise ValidationFailed(message, {"start": [message]})
    if people > found.capacity:
        message = _("%(facility)s holds at most %(n)d people.") % {"facility": found.name, "n": found.capacity}
        raise ValidationFailed(message, {"people": [message]})
    # Lock the facility: two bookings of the same facility are checked one after the other. FOR NO KEY UPDATE, so
    # the foreign-key check of another transaction's booking (deferred to its commit) does not wait on us while we
    # wait on its row in the exclusion constraint: that would be a deadlock instead of a 409.
    Facility.objects.select_for_update(no_key=True).filter(pk=found.pk).first()
    other = (
        Booking.objects.filter(facility=found, status=BookingStatus.BOOKED, starts_at__lt=end, ends_at__gt=start)
        .select_related("org")
        .first()
    )
    if other is not None:
        raise _overlap_conflict(found, other)
    booking = Booking(
        facility=found, org=unit, booked_by=by, starts_at=start, ends_at=end, purpose=purpose.strip(), people=people
    )
    clean_or_fail(booking)
    booking.save()
    audit_append(
        actor=by,
        action="training.booking.create",
        obj=booking,
        summary=f"{found.name} {timezone.localtime(start):%Y-%m-%d %H:%M} {unit.name}",
        payload={"facility": found.pk, "org": unit.pk},
    )
    return booking


@transaction.atomic
def booking_cancel(*, by: User | None, booking: Booking) -> Booking:
    require_perm(by, "training.change_booking")
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    BOOKING_LIFECYCLE.check(booking.status, BookingStatus.CANCELLED)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    audit_append(actor=by, action="training.booking.cancel", obj=booking, summary=f"取消 {booking}")
    return booking


def exclusion_constraint_enabled() -> bool:
    """Whether the database itself refuses overlapping bookings (PostgreSQL's exclusion constraint)."""
    return connection.vendor == "postgresql"


# --- the experience hall -------------------------------------------------------------------------------


@transaction.atomic
def hall_slot_create(
    *, by: User | None, starts_at: datetime, ends_at: datetime, capacity: int, org: OrgUnit | int | None = None
) -> HallSlot:
    require_perm(by, "training.add_hallslot")
    unit = _unit_or_own(by, org, missing=_("Name the operating unit."))
    slot = HallSlot(org=unit, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    clean_or_fail(slot)
    slot.save()
    audit_append(actor=by, action="training.hallslot.create", obj=slot, summary=f"体验馆时段 {slot}")
    return slot


def slot_booked(slot: HallSlot) -> int:
    return slot.bookings.exclude(status=HallBookingStatus.CANCELLED).aggregate(n=Sum("visitors"))["n"] or 0


@transaction.atomic
def hall_booking_create(
    *,
    by: User | AnonymousUser | None,
    slot: HallSlot | int,
    group_name: str,
    group_kind: str,
    contact: str,
    phone: str,
    visitors: int,
) -> HallBooking:
    """Book a group's visit (the public may too: `by` None or anonymous); refused when the slot has too few places
    left. The confirmation, with its code, goes by SMS to the contact's phone and to the booker's inbox."""
    found = resolve_in_scope(
        HallSlot.objects.filter(active=True, starts_at__gt=timezone.now()), None, slot, field="slot", required=True
    )
    assert found is not None  # required=True refuses a missing slot
    # Lock the slot: two groups booking its last places take turns.
    locked = HallSlot.objects.select_for_update(no_key=True).get(pk=found.pk)
    left = locked.capacity - slot_booked(locked)
    if visitors > left:
        message = _("Only %(n)d places are left in this slot.") % {"n": max(left, 0)}
        raise Conflict(message, {"visitors": [message]})
    account = by if isinstance(by, User) else None
    booking = HallBooking(
        slot=locked,
        org=account.org if account is not None else None,
        booked_by=account,
        group_name=group_name.strip(),
        group_kind=group_kind,
        contact=contact.strip(),
        phone=phone.strip(),
        visitors=visitors,
    )
    clean_or_fail(booking)
    booking.save()
    audit_append(
        actor=account,
        action="training.hallbooking.create",
        obj=booking,
        summary=f"体验馆预约 {booking.group_name} {visitors} 人",
    )
    local = timezone.localtime(locked.starts_at)
    title = _("Safety experience hall: visit booked for %(when)s, code %(code)s") % {
        "when": f"{local:%Y-%m-%d %H:%M}",
        "code": booking.code,
    }
    body = _("%(group)s, %(n)d visitors. Show the code at the entrance.") % {"group": booking.group_name, "n": visitors}
    sms_to_addresses(title=title, body=body, phones=[booking.phone], topic="hall", obj=booking)
    if account is not None:
        outbox_enqueue(recipients=[account], channels=[PersonalChannel.INBOX], title=title, body=body, topic="hall")
    return booking


@transaction.atomic
def hall_booking_check_in(*, by: User | None, booking: HallBooking, at: datetime | None = None) -> HallBooking:
    require_perm(by, "training.change_hallbooking")
    booking = HallBooking.objects.select_for_update().get(pk=booking.pk)
    HALL_LIFECYCLE.check(booking.status, HallBookingStatus.CHECKED_IN)
    booking.status = HallBookingStatus.CHECKED_IN
    booking.checked_in_at = at or timezone.now()
    booking.save(update_fields=["status", "checked_in_at"])
    audit_append(actor=by, action="training.hallbooking.check_in", obj=booking, summary=f"签到 {booking.group_name}")
    return booking


@transaction.atomic
def hall_booking_cancel(*, by: User | None, booking: HallBooking) -> HallBooking:
    if by is not None and not (by.has_perm("training.change_hallbooking") or booking.booked_by_id == by.pk):
        raise NotAllowed(_("Your role may not do this."))
    booking = HallBooking.objects.select_for_update().get(pk=booking.pk)
    HALL_LIFECYCLE.check(booking.status, HallBookingStatus.CANCELLED)
    booking.status = HallBookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    audit_append(actor=by, action="training.hallbooking.cancel", obj=booking, summary=f"取消 {booking.group_name}")
    return booking


# --- quizzes --------------------------------------------------------------------------------------------


def question_add(
    *, by: User | None, topic: str, text: str, choices: list[str], answer: int, explanation: str = ""
) -> Question:
    require_perm(by, "training.add_question")
    if (
        not isinstance(choices, list)
        or not 2 <= len(choices) <= 6
        or not all(isinstance(c, str) and c for c in choices)
    ):
        message = _("Give 2 to 6 non-empty choices.")
        raise ValidationFailed(message, {"choices": [message]})
    if not 0 <= answer < len(choices):
        message = _("The right choice must be one of the choices.")
        raise ValidationFailed(message, {"answer": [message]})
    question = Question(topic=topic, text=text.strip(), choices=choices, answer=answer, explanation=explanation)
    clean_or_fail(question)
    question.save()
    return question


def quiz_paper(*, topic: str | None, size: int = quiz.DEFAULT_SIZE) -> list[Question]:
    """A random paper of `size` active questions of a topic (all topics when None), answers withheld by the API."""
    if not quiz.MIN_SIZE <= size <= quiz.MAX_SIZE:
        message = _("A paper has between %(a)d and %(b)d questions.") % {"a": quiz.MIN_SIZE, "b": quiz.MAX_SIZE}
        raise ValidationFailed(message, {"size": [message]})
    bank = Question.objects.filter(active=True)
    if topic:
        bank = bank.filter(topic=topic)
    ids = quiz.draw(list(bank.values_list("pk", flat=True)), size)
    by_id = Question.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


@transaction.atomic
def quiz_submit(
    *, topic: str | None, answers: dict[int, int | None]
) -> tuple[QuizAttempt, quiz.Result, dict[int, Question]]:
    """Score a paper and keep the attempt; questions not in the bank are refused."""
    if not answers:
        message = _("Answer at least one question.")
        raise ValidationFailed(message, {"answers": [message]})
    if len(answers) > quiz.MAX_SIZE:
        message = _("A paper has at most %(n)d questions.") % {"n": quiz.MAX_SIZE}
        raise ValidationFailed(message, {"answers": [message]})
    questions = Question.objects.in_bulk(list(answers))
    unknown = [str(q) for q in answers if q not in questions]
    if unknown:
        message = _("Unknown question: %(ids)s") % {"ids": ", ".join(unknown)}
        raise ValidationFailed(message, {"answers": [message]})
    result = quiz.score(answers, {pk: q.answer for pk, q in questions.items()})
    attempt = QuizAttempt.objects.create(
        topic=topic or "",
        questions=list(answers),
        answers=[answers[q] for q in answers],
        correct=result.correct,
        total=result.total,
        score=result.score,
    )
    return attempt, result, questions
