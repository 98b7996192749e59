"""Pages of training, the rescue base and the experience hall. The hall's booking and quiz pages and the QR sign-in
page are public (visitors and trainees without an account); the rest follow the user's scope."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import scoped
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.requests import AuthedRequest
from yingji.core.web import run_service
from yingji.training import selectors, services
from yingji.training.forms import (
    BookingForm,
    CourseForm,
    EnrollForm,
    FacilityForm,
    HallBookingForm,
    HallSlotForm,
    QuestionForm,
    ScoreForm,
    SessionForm,
    SignInForm,
)
from yingji.training.models import Topic, TrainingSession
from yingji.training.qr import qr_svg
from yingji.training.ratelimit import too_many_page


def index(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "training/index.html",
        {
            "courses": selectors.course_list(user=request.user),
            "sessions": selectors.session_list(user=request.user, upcoming=True)[:20],
            "expiring": selectors.certificate_list(user=request.user, expiring_within=services.REMINDER_DAYS)[:20],
        },
    )


def _units(request: AuthedRequest, *kinds: str) -> QuerySet[OrgUnit]:
    """Active units of these kinds in the user's scope, in tree order."""
    return scoped(OrgUnit.objects.filter(active=True, kind__in=kinds), request.user, org_field="").order_by("path")


# Who organises courses and runs the base and the hall.
ORGANISERS = (OrgKind.DISTRICT, OrgKind.BUREAU, OrgKind.DEPARTMENT, OrgKind.STREET)
# Whose staff are enrolled as trainees.
TRAINEE_UNITS = (OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.ENTERPRISE, OrgKind.TEAM)


def _create_page(
    request: AuthedRequest,
    *,
    perm: str,
    form: Form,
    create: Callable[..., Model],
    title: str,
    success: str,
    done: Callable[[Any], str],
) -> HttpResponse:
    """A page that creates one thing through its service: the form, its errors in place, then `done(created)`."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_service(request, form, lambda: create(by=request.user, **data), success=success)
        if outcome:
            return redirect(done(outcome.value))
    return render(request, "training/form.html", {"form": form, "title": title})


def _initial_org(request: AuthedRequest) -> dict[str, Any]:
    return {"org": request.user.org_id}


def course_create(request: AuthedRequest) -> HttpResponse:
    form = CourseForm(request.POST or None, units=_units(request, *ORGANISERS), initial=_initial_org(request))
    return _create_page(
        request,
        perm="training.add_course",
        form=form,
        create=services.course_create,
        title=_("New course"),
        success=_("Course created."),
        done=lambda course: reverse("training:session-create") + f"?course={course.pk}",
    )


def session_create(request: AuthedRequest) -> HttpResponse:
    form = SessionForm(
        request.POST or None,
        courses=selectors.course_list(user=request.user),
        initial={"course": request.GET.get("course")},
    )
    return _create_page(
        request,
        perm="training.add_trainingsession",
        form=form,
        create=services.session_create,
        title=_("New training session"),
        success=_("Session scheduled."),
        done=lambda session: reverse("training:session", args=[session.pk]),
    )


def facility_create(request: AuthedRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None, units=_units(request, *ORGANISERS), initial=_initial_org(request))
    return _create_page(
        request,
        perm="training.add_facility",
        form=form,
        create=services.facility_create,
        title=_("New training facility"),
        success=_("Facility registered."),
        done=lambda facility: reverse("training:base"),
    )


def hall_slot_create(request: AuthedRequest) -> HttpResponse:
    form = HallSlotForm(request.POST or None, units=_units(request, *ORGANISERS), initial=_initial_org(request))
    return _create_page(
        request,
        perm="training.add_hallslot",
        form=form,
        create=services.hall_slot_create,
        title=_("New hall slot"),
        success=_("Slot opened for booking."),
        done=lambda slot: reverse("training:hall-bookings"),
    )


def question_create(request: AuthedRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None, initial={"topic": request.GET.get("topic")})
    return _create_page(
        request,
        perm="training.add_question",
        form=form,
        create=services.question_add,
        title=_("New quiz question"),
        success=_("Question added to the bank."),
        done=lambda question: reverse("training:question-create") + f"?topic={question.topic}",
    )


def _session(request: AuthedRequest, session_id: int) -> TrainingSession:
    return selectors._one(selectors.session_list(user=request.user), session_id)


def session_detail(request: AuthedRequest, session_id: int) -> HttpResponse:
    """A session: the sign-in QR code (drawn here as SVG), enrolment, attendance and scores."""
    session = _session(request, session_id)
    enroll_form = EnrollForm(request.POST or None, units=_units(request, *TRAINEE_UNITS), prefix="enroll")
    if request.method == "POST" and enroll_form.is_valid():
        outcome = run_service(
            request,
            enroll_form,
            lambda: services.attendance_enroll(by=request.user, session=session, **enroll_form.cleaned_data),
            success=_("Enrolled."),
        )
        if outcome:
            return redirect("training:session", session.pk)
    signin_url = request.build_absolute_uri(reverse("training:sign-in", args=[session.signin_code]))
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "attendances": selectors.attendance_list(user=request.user, session=session.pk),
            "enroll_form": enroll_form,
            "may_score": request.user.has_perm("training.change_attendance"),
            "qr": mark_safe(qr_svg(signin_url)),  # noqa: S308 - segno's own SVG of our own URL
            "signin_url": signin_url,
        },
    )


@require_POST
def attendance_score(request: AuthedRequest, attendance_id: int) -> HttpResponse:
    attendance = selectors._one(selectors.attendance_list(user=request.user), attendance_id)
    form = ScoreForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            None,
            lambda: services.attendance_score(by=request.user, attendance=attendance, score=form.cleaned_data["score"]),
            success=_("Score recorded."),
        )
    else:
        messages.error(request, _("A score lies between 0 and 100."))
    return redirect("training:session", attendance.session_id)


@login_not_required
def sign_in(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code leads: a signed-in trainee is signed in at once, anyone else gives the phone enrolled."""
    session = TrainingSession.objects.select_related("course").filter(signin_code=code).first()
    if session is None:
        raise Http404
    form = SignInForm(request.POST or None)
    done = None
    if request.method == "POST" and (refused := too_many_page(request, "sign_in")) is not None:
        return refused
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        outcome = run_service(
            request,
            form,
            lambda: services.attendance_sign_in(session=session, code=code, user=request.user, phone=phone),
        )
        if outcome:
            done = outcome.value
    return render(request, "training/sign_in.html", {"session": session, "form": form, "done": done})


def needs(request: AuthedRequest) -> HttpResponse:
    """Who still needs training this year, per street and enterprise."""
    year = timezone.localdate().year
    return render(
        request,
        "training/needs.html",
        {"streets": selectors.training_needs(user=request.user, year=year), "year": year},
    )


def certificates(request: AuthedRequest) -> HttpResponse:
    rows = selectors.certificate_list(user=request.user)
    soon = timezone.localdate() + timedelta(days=services.REMINDER_DAYS)
    return render(
        request, "training/certificates.html", {"certificates": rows[:500], "soon": soon, "today": timezone.localdate()}
    )


def _week_start(raw: str | None) -> date:
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def base(request: AuthedRequest) -> HttpResponse:
    """The rescue base: this week's calendar per facility, booking, and the month's usage."""
    facilities = selectors.facility_list(user=request.user)
    form = BookingForm(request.POST or None, facilities=facilities)
    may_book = request.user.has_perm("training.add_booking")
    if request.method == "POST":
        if not may_book:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            outcome = run_service(
                request, form, lambda: services.booking_create(by=request.user, **data), success=_("Facility booked.")
            )
            if outcome.value is not None:
                start = timezone.localtime(outcome.value.starts_at).date()
                return redirect(f"{reverse('training:base')}?week={start.isoformat()}")
    week = _week_start(request.GET.get("week"))
    today = timezone.localdate()
    month_start = today.replace(day=1)
    return render(
        request,
        "training/base.html",
        {
            "calendar": selectors.calendar_week(user=request.user, start=week),
            "form": form,
            "may_book": may_book,
            "stats": selectors.usage_stats(
                user=request.user, since=month_start, until=month_start + timedelta(days=31)
            ),
            "month": month_start,
            "mine": selectors.booking_list(user=request.user, since=timezone.now())[:20],
        },
    )


@require_POST
def booking_cancel(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, booking_id=booking_id)
    run_service(
        request,
        None,
        lambda: services.booking_cancel(by=request.user, booking=booking),
        success=_("Booking cancelled."),
    )
    return redirect("training:base")


def _slot_choices() -> list[tuple[int, str]]:
    choices = []
    for row in selectors.hall_slots():
        if row["left"] > 0:
            left = _("%(n)d places left") % {"n": row["left"]}
            choices.append((row["slot"].pk, f"{timezone.localtime(row['slot'].starts_at):%Y-%m-%d %H:%M} · {left}"))
    return choices


@login_not_required
def hall(request: HttpRequest) -> HttpResponse:
    """The experience hall's public page: open slots and a group's visit booking."""
    form = HallBookingForm(request.POST or None, slots=_slot_choices())
    booked = None
    if request.method == "POST" and (refused := too_many_page(request, "hall_booking")) is not None:
        return refused
    if request.method == "POST" and form.is_valid():
        outcome = run_service(request, form, lambda: services.hall_booking_create(by=request.user, **form.cleaned_data))
        if outcome:
            booked = outcome.value
            form = HallBookingForm(slots=_slot_choices())
    return render(
        request,
        "training/hall.html",
        {"slots": selectors.hall_slots(), "form": form, "booked": booked, "topics": Topic.choices},
    )


def hall_bookings(request: AuthedRequest) -> HttpResponse:
    """The hall desk: the day's visits (or any day's) with check-in."""
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else None
    except ValueError:
        day = None
    rows = selectors.hall_booking_list(user=request.user, day=day)
    return render(
        request,
        "training/hall_bookings.html",
        {"bookings": rows[:300], "day": day, "may_check_in": request.user.has_perm("training.change_hallbooking")},
    )


@require_POST
def hall_check_in(request: AuthedRequest, booking_id: int) -> HttpResponse:
    booking = selectors.hall_booking_get(user=request.user, booking_id=booking_id)
    run_service(
        request,
        None,
        lambda: services.hall_booking_check_in(by=request.user, booking=booking),
        success=_("Checked in."),
    )
    return redirect("training:hall-bookings")


@login_not_required
def quiz(request: HttpRequest) -> HttpResponse:
    """The safety quiz for kiosks and phones, no sign-in: the page fetches a random paper and scores it by API."""
    topic = request.GET.get("topic") if request.GET.get("topic") in Topic.values else ""
    return render(request, "training/quiz.html", {"topics": Topic.choices, "topic": topic})
