"""API of training, the rescue base and the experience hall. The hall's slots, visit booking and quizzes are open
to the public (no sign-in); everything else is scoped to the caller's unit."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yingji.core.api import Pages
from yingji.core.auth import api_auth
from yingji.core.models import User
from yingji.core.requests import ApiRequest
from yingji.training import selectors, services
from yingji.training.models import (
    Attendance,
    Audience,
    Booking,
    BookingStatus,
    Certificate,
    Course,
    Facility,
    FacilityKind,
    GroupKind,
    HallBooking,
    HallBookingStatus,
    Topic,
    TrainingSession,
)
from yingji.training.quiz import DEFAULT_SIZE, MAX_SIZE, MIN_SIZE
from yingji.training.ratelimit import too_many_json

router = Router(tags=["training"])
ID = Field(..., ge=1, le=2**63 - 1)
OPTIONAL_ID = Field(None, ge=1, le=2**63 - 1)


class PublicRequest(HttpRequest):
    """A request to an operation open to the public: `request.auth` is the signed-in user or AnonymousUser."""

    auth: User | AnonymousUser


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The public: hall visitors book and take quizzes without an account."""
    return AnonymousUser()


PUBLIC = [*api_auth, anonymous]


class CourseOut(Schema):
    id: int
    code: str
    title: str
    audience: Audience
    audience_label: str = Field(..., alias="get_audience_display")
    hours: int
    pass_score: int
    certificate_months: int
    description: str
    org_name: str = Field(..., alias="org.name")


class CourseIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    title: str = Field(..., min_length=1, max_length=200)
    audience: Audience
    hours: int = Field(8, ge=1, le=1000)
    pass_score: int = Field(60, ge=0, le=100)
    certificate_months: int = Field(0, ge=0, le=120)
    description: str = Field("", max_length=5000)
    org: int | None = OPTIONAL_ID


class CourseFilters(Schema):
    audience: Audience | None = None
    q: str | None = Field(None, max_length=100)


@router.get("/training/courses", response=list[CourseOut])
@paginate(Pages)
def courses_list(request: ApiRequest, filters: Query[CourseFilters]) -> QuerySet[Course]:
    """The bureau's courses: officials, enterprise principals and safety managers, special operations, teams, public."""
    return selectors.course_list(user=request.auth, **filters.dict())


@router.post("/training/courses", response={201: CourseOut})
def courses_create(request: ApiRequest, payload: CourseIn) -> Status[Course]:
    return Status(201, services.course_create(by=request.auth, **payload.dict()))


class SessionOut(Schema):
    id: int
    course: int = Field(..., alias="course_id")
    course_title: str = Field(..., alias="course.title")
    starts_at: datetime
    ends_at: datetime
    place: str
    instructors: str
    capacity: int
    status: str


class SessionIn(Schema):
    course: int = ID
    starts_at: datetime
    ends_at: datetime
    place: str = Field(..., min_length=1, max_length=200)
    instructors: str = Field(..., min_length=1, max_length=300)
    capacity: int = Field(50, ge=1, le=10_000)


@router.get("/training/sessions", response=list[SessionOut])
@paginate(Pages)
def sessions_list(request: ApiRequest, course: int | None = None) -> QuerySet[TrainingSession]:
    return selectors.session_list(user=request.auth, course=course if course and 0 < course < 2**63 else None)


@router.post("/training/sessions", response={201: SessionOut})
def sessions_create(request: ApiRequest, payload: SessionIn) -> Status[TrainingSession]:
    course = selectors.course_get(user=request.auth, course_id=payload.course)
    return Status(201, services.session_create(by=request.auth, **{**payload.dict(), "course": course}))


class AttendanceOut(Schema):
    id: int
    session: int = Field(..., alias="session_id")
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    name: str
    position: str
    signed_in_at: datetime | None
    score: int | None
    passed: bool | None


class EnrollIn(Schema):
    org: int = ID
    name: str = Field(..., min_length=1, max_length=60)
    phone: str = Field(..., min_length=3, max_length=40)
    position: str = Field("", max_length=60)
    user: int | None = OPTIONAL_ID


class ScoreIn(Schema):
    score: int = Field(..., ge=0, le=100)


@router.get("/training/sessions/{session_id}/attendances", response=list[AttendanceOut])
@paginate(Pages)
def attendances_list(request: ApiRequest, session_id: int) -> QuerySet[Attendance]:
    """The session's trainees from units in your scope."""
    return selectors.attendance_list(user=request.auth, session=session_id if 0 < session_id < 2**63 else -1)


@router.post("/training/sessions/{session_id}/attendances", response={201: AttendanceOut})
def attendances_enroll(request: ApiRequest, session_id: int, payload: EnrollIn) -> Status[Attendance]:
    session = selectors._one(selectors.session_list(user=request.auth), session_id)
    return Status(201, services.attendance_enroll(by=request.auth, session=session, **payload.dict()))


@router.post("/training/attendances/{attendance_id}/score", response=AttendanceOut)
def attendances_score(request: ApiRequest, attendance_id: int, payload: ScoreIn) -> Attendance:
    """Record an exam score; a pass issues the course's certificate."""
    attendance = selectors._one(selectors.attendance_list(user=request.auth), attendance_id)
    return services.attendance_score(by=request.auth, attendance=attendance, score=payload.score)


class CertificateOut(Schema):
    id: int
    number: str
    holder: str
    course_title: str = Field(..., alias="course.title")
    org_name: str = Field(..., alias="org.name")
    issued_on: date
    expires_on: date | None
    status: str


class CertificateFilters(Schema):
    expiring_within: int | None = Field(None, ge=0, le=3650)


@router.get("/training/certificates", response=list[CertificateOut])
@paginate(Pages)
def certificates_list(request: ApiRequest, filters: Query[CertificateFilters]) -> QuerySet[Certificate]:
    return selectors.certificate_list(user=request.auth, **filters.dict())


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    kind: FacilityKind
    kind_label: str = Field(..., alias="get_kind_display")
    capacity: int
    description: str


class FacilityIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    kind: FacilityKind
    capacity: int = Field(..., ge=1, le=10_000)
    description: str = Field("", max_length=5000)
    org: int | None = OPTIONAL_ID


@router.get("/training/facilities", response=list[FacilityOut])
@paginate(Pages)
def facilities_list(request: ApiRequest, kind: FacilityKind | None = None) -> QuerySet[Facility]:
    """The rescue base's facilities: water, real fire, collapse, tunnel, vehicle and ship, high-rise."""
    return selectors.facility_list(user=request.auth, kind=kind)


@router.post("/training/facilities", response={201: FacilityOut})
def facilities_create(request: ApiRequest, payload: FacilityIn) -> Status[Facility]:
    return Status(201, services.facility_create(by=request.auth, **payload.dict()))


class BookingOut(Schema):
    id: int
    facility: int = Field(..., alias="facility_id")
    facility_name: str = Field(..., alias="facility.name")
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    start: datetime = Field(..., alias="starts_at")
    end: datetime = Field(..., alias="ends_at")
    purpose: str
    people: int
    status: BookingStatus


class BookingIn(Schema):
    facility: int = ID
    start: datetime
    end: datetime
    purpose: str = Field(..., min_length=1, max_length=300)
    people: int = Field(1, ge=1, le=10_000)
    org: int | None = Field(None, ge=1, le=2**63 - 1, description="the unit booked for (default: yours)")


class BookingFilters(Schema):
    facility: int | None = OPTIONAL_ID
    since: datetime | None = None
    until: datetime | None = None


@router.get("/training/bookings", response=list[BookingOut])
@paginate(Pages)
def bookings_list(request: ApiRequest, filters: Query[BookingFilters]) -> QuerySet[Booking]:
    """Bookings of the units in your scope."""
    return selectors.booking_list(user=request.auth, **filters.dict())


@router.post("/training/bookings", response={201: BookingOut})
def bookings_create(request: ApiRequest, payload: BookingIn) -> Status[Booking]:
    """Book a facility for [start, end); an overlapping booking of the same facility answers 409."""
    return Status(201, services.booking_create(by=request.auth, **payload.dict()))


@router.post("/training/bookings/{booking_id}/cancel", response=BookingOut)
def bookings_cancel(request: ApiRequest, booking_id: int) -> Booking:
    return services.booking_cancel(
        by=request.auth, booking=selectors.booking_get(user=request.auth, booking_id=booking_id)
    )


class TooManyOut(Schema):
    detail: str
    retry_after_s: int


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    left: int


@router.get("/hall/slots", auth=PUBLIC, response={200: list[SlotOut], 429: TooManyOut})
def hall_slots(request: PublicRequest) -> list[dict[str, Any]] | JsonResponse:
    """The hall's open visiting slots in the next 30 days with the places left (no sign-in; 429 with Retry-After
    when one network asks too often)."""
    refused = too_many_json(request, "slots", request.auth)
    if refused is not None:
        return refused
    return [
        {
            "id": row["slot"].pk,
            "starts_at": row["slot"].starts_at,
            "ends_at": row["slot"].ends_at,
            "capacity": row["slot"].capacity,
            "booked": row["booked"],
            "left": row["left"],
        }
        for row in selectors.hall_slots()
    ]


class HallBookingIn(Schema):
    slot: int = ID
    group_name: str = Field(..., min_length=1, max_length=120)
    group_kind: GroupKind
    contact: str = Field(..., min_length=1, max_length=60)
    phone: str = Field(..., min_length=5, max_length=40, pattern=r"^[0-9+\- ]+$")
    visitors: int = Field(..., ge=1, le=10_000)


class HallBookingOut(Schema):
    id: int
    slot: int = Field(..., alias="slot_id")
    starts_at: datetime = Field(..., alias="slot.starts_at")
    group_name: str
    group_kind: GroupKind
    contact: str
    visitors: int
    code: str
    status: HallBookingStatus


class HallBookingFilters(Schema):
    slot: int | None = OPTIONAL_ID
    day: date | None = None


@router.get("/hall/bookings", response=list[HallBookingOut])
@paginate(Pages)
def hall_bookings_list(request: ApiRequest, filters: Query[HallBookingFilters]) -> QuerySet[HallBooking]:
    """Visits booked: the hall's operators see all, a unit its own."""
    return selectors.hall_booking_list(user=request.auth, **filters.dict())


@router.post("/hall/bookings", auth=PUBLIC, response={201: HallBookingOut, 429: TooManyOut})
def hall_bookings_create(request: PublicRequest, payload: HallBookingIn) -> Status[HallBooking] | JsonResponse:
    """Book a group's visit (no sign-in needed); too few places left in the slot answers 409. The confirmation
    code comes back here and by SMS to the contact's phone. The public is limited per network (429)."""
    refused = too_many_json(request, "hall_booking", request.auth)
    if refused is not None:
        return refused
    return Status(201, services.hall_booking_create(by=request.auth, **payload.dict()))


@router.post("/hall/bookings/{booking_id}/check-in", response=HallBookingOut)
def hall_bookings_check_in(request: ApiRequest, booking_id: int) -> HallBooking:
    booking = selectors.hall_booking_get(user=request.auth, booking_id=booking_id)
    return services.hall_booking_check_in(by=request.auth, booking=booking)


@router.post("/hall/bookings/{booking_id}/cancel", response=HallBookingOut)
def hall_bookings_cancel(request: ApiRequest, booking_id: int) -> HallBooking:
    booking = selectors.hall_booking_get(user=request.auth, booking_id=booking_id)
    return services.hall_booking_cancel(by=request.auth, booking=booking)


class PaperFilters(Schema):
    topic: Topic | None = None
    size: int = Field(DEFAULT_SIZE, ge=MIN_SIZE, le=MAX_SIZE)


class PaperQuestionOut(Schema):
    id: int
    topic: Topic
    text: str
    choices: list[str]


class PaperOut(Schema):
    topic: Topic | None
    size: int
    questions: list[PaperQuestionOut]


@router.get("/hall/quizzes/paper", auth=None, response={200: PaperOut, 429: TooManyOut})
def quiz_paper(request: HttpRequest, filters: Query[PaperFilters]) -> dict[str, Any] | JsonResponse:
    """A random paper from the question bank by topic (fire, gas, electricity, earthquake, flood, first aid,
    hazardous chemicals, road safety); answers are withheld. No sign-in: the hall's kiosks and phones use it."""
    refused = too_many_json(request, "quiz", request.user)
    if refused is not None:
        return refused
    questions = services.quiz_paper(topic=filters.topic, size=filters.size)
    return {"topic": filters.topic, "size": len(questions), "questions": questions}


class AnswerIn(Schema):
    question: int = ID
    choice: int | None = Field(None, ge=0, le=5)


class SubmitIn(Schema):
    topic: Topic | None = None
    answers: list[AnswerIn] = Field(..., min_length=1, max_length=MAX_SIZE)


class MarkedOut(Schema):
    question: int
    chosen: int | None
    answer: int
    right: bool
    explanation: str


class ScoreOut(Schema):
    attempt: int
    correct: int
    total: int
    score: int
    marked: list[MarkedOut]


@router.post("/hall/quizzes/score", auth=None, response={200: ScoreOut, 429: TooManyOut})
def quiz_score(request: HttpRequest, payload: SubmitIn) -> dict[str, Any] | JsonResponse:
    """Score a paper (no sign-in): each answer marked, with the explanation; the attempt is kept."""
    refused = too_many_json(request, "quiz", request.user)
    if refused is not None:
        return refused
    answers = {a.question: a.choice for a in payload.answers}
    attempt, result, questions = services.quiz_submit(topic=payload.topic, answers=answers)
    return {
        "attempt": attempt.pk,
        "correct": result.correct,
        "total": result.total,
        "score": result.score,
        "marked": [
            {
                "question": m.question,
                "chosen": m.chosen,
                "answer": m.answer,
                "right": m.right,
                "explanation": questions[m.question].explanation,
            }
            for m in result.marked
        ],
    }
