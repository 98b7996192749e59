"""Pages of disaster relief: events with their statistics and distributions, and the volunteers. Thin: the
services and selectors do the work."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import get_scoped_or_404, scoped
from yingji.core.models import ChannelConfig, ChannelKind, OrgKind, OrgUnit
from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service
from yingji.relief import excel, selectors, services
from yingji.relief.forms import (
    CallOutForm,
    CloseEventForm,
    DecideForm,
    DistributionForm,
    EventForm,
    ReplyForm,
    ReportForm,
    VolunteerForm,
)
from yingji.relief.models import Award, CallOut, Household
from yingji.resources.models import MaterialItem
from yingji.resources.selectors import warehouse_list


def _need(request: AuthedRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _event_units(request: AuthedRequest) -> QuerySet[OrgUnit]:
    """Units that may be responsible for an event: the district and streets in the user's scope."""
    units = OrgUnit.objects.filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET], active=True)
    return scoped(units, request.user, org_field="").order_by("path")


def index(request: AuthedRequest) -> HttpResponse:
    """The events, and the form that starts the response to a new one (启动响应)."""
    _need(request, "relief.view_disasterevent")
    may_open = request.user.has_perm("relief.add_disasterevent")
    form = EventForm(
        request.POST if request.method == "POST" else None,
        units=_event_units(request),
        initial={"org": request.user.org_id, "started_on": timezone.localdate()},
    )
    if request.method == "POST":
        _need(request, "relief.add_disasterevent")
        if form.is_valid():
            opened = run_service(
                request,
                form,
                lambda: services.event_create(by=request.user, **form.cleaned_data),
                success=_("Relief response started."),
            )
            if opened and opened.value is not None:
                return redirect("relief:event", event_id=opened.value.pk)
    page, query = page_of(request, selectors.event_list(user=request.user))
    return render(
        request,
        "relief/index.html",
        {
            "form": form,
            "may_open": may_open,
            "page": page,
            "query": query,
            "volunteers": selectors.volunteer_list(user=request.user, active=True).count(),
            "organisations": selectors.organisation_list(user=request.user).count(),
            "awards": selectors.award_list(user=request.user, status="submitted").count(),
        },
    )


def event(request: AuthedRequest, event_id: int) -> HttpResponse:
    _need(request, "relief.view_disasterevent")
    event = selectors.event_get(user=request.user, event_id=event_id)
    form = DistributionForm(
        request.POST if request.method == "POST" and "report" not in request.POST else None,
        households=selectors.household_list(user=request.user),
        materials=MaterialItem.objects.all(),
        warehouses=warehouse_list(user=request.user, active=True),
    )
    streets = scoped(OrgUnit.objects.filter(kind=OrgKind.STREET), request.user, org_field="")
    report_form = ReportForm(request.POST if "report" in request.POST else None, streets=streets)
    if request.method == "POST" and "report" in request.POST:
        _need(request, "relief.add_disasterreport")
        if report_form.is_valid():
            data = dict(report_form.cleaned_data)
            street = data.pop("street")
            outcome = run_service(
                request,
                report_form,
                lambda: services.report_submit(by=request.user, event=event, street=street, **data),
                success=_("Report filed."),
            )
            if outcome:
                return redirect("relief:event", event_id=event.pk)
    elif request.method == "POST":
        _need(request, "relief.add_distribution")
        if form.is_valid():
            handed = run_service(
                request,
                form,
                lambda: services.distribution_create(by=request.user, event=event, **form.cleaned_data),
                success=_("Relief handed out and taken from stock."),
            )
            if handed:
                return redirect("relief:event", event_id=event.pk)
    return render(
        request,
        "relief/event.html",
        {
            "event": event,
            "stats": selectors.event_stats(user=request.user, event=event),
            "distributions": selectors.distribution_list(user=request.user, event=event.pk)[:100],
            "form": form,
            "report_form": report_form,
            "may_report": request.user.has_perm("relief.add_disasterreport"),
            "may_distribute": request.user.has_perm("relief.add_distribution"),
            "may_close": request.user.has_perm("relief.change_disasterevent"),
            "close_form": CloseEventForm(initial={"ended_on": timezone.localdate()}),
        },
    )


@require_POST
def event_close(request: AuthedRequest, event_id: int) -> HttpResponse:
    """End the relief response (结束响应): no more reports or distributions for the event."""
    _need(request, "relief.view_disasterevent")
    event = selectors.event_get(user=request.user, event_id=event_id)
    form = CloseEventForm(request.POST)
    ended_on = form.cleaned_data["ended_on"] if form.is_valid() else None
    run_service(
        request,
        None,
        lambda: services.event_close(by=request.user, event=event, ended_on=ended_on),
        success=_("Relief response ended."),
    )
    return redirect("relief:event", event_id=event.pk)


def event_export(request: AuthedRequest, event_id: int) -> HttpResponse:
    _need(request, "relief.view_disasterevent")
    return excel.event_download(user=request.user, event=selectors.event_get(user=request.user, event_id=event_id))


def household(request: AuthedRequest, household_id: int) -> HttpResponse:
    """A household's relief history across events: what it received, when, from where, who signed."""
    _need(request, "relief.view_household")
    household = get_scoped_or_404(Household.objects.select_related("org"), request.user, household_id)
    return render(
        request,
        "relief/household.html",
        {"household": household, "history": selectors.distribution_list(user=request.user, household=household.pk)},
    )


def volunteers(request: AuthedRequest) -> HttpResponse:
    _need(request, "relief.view_volunteer")
    units = scoped(OrgUnit.objects.filter(kind__in=[OrgKind.STREET, OrgKind.COMMUNITY]), request.user, org_field="")
    active = selectors.volunteer_list(user=request.user, active=True)
    robots = ChannelConfig.objects.filter(kind=ChannelKind.WECOM, active=True)
    posted = request.POST if request.method == "POST" else None
    form = VolunteerForm(posted if "register" in request.POST else None, units=units)
    callout_form = CallOutForm(
        posted if "callout" in request.POST else None, units=units, volunteers=active, robots=robots
    )
    if "callout" in request.POST and callout_form.is_valid():
        data = dict(callout_form.cleaned_data)
        data["volunteers"] = list(data["volunteers"])
        outcome = run_service(
            request,
            callout_form,
            lambda: services.callout_send(by=request.user, **data),
            success=_("Call-out queued for sending."),
        )
        if outcome:
            return redirect("relief:volunteers")
    if "register" in request.POST and form.is_valid():
        registered = run_service(
            request,
            form,
            lambda: services.volunteer_register(by=request.user, **form.cleaned_data),
            success=_("Volunteer registered."),
        )
        if registered:
            return redirect("relief:volunteers")
    page, query = page_of(request, selectors.volunteer_list(user=request.user, q=request.GET.get("q", "")[:100]))
    return render(
        request,
        "relief/volunteers.html",
        {
            "form": form,
            "callout_form": callout_form,
            "reply_form": ReplyForm(volunteers=active),
            "may_call": request.user.has_perm("relief.add_callout"),
            "decide_form": DecideForm(),
            "may_register": request.user.has_perm("relief.add_volunteer"),
            "may_decide": request.user.has_perm("relief.approve_award"),
            "page": page,
            "query": query,
            "organisations": selectors.organisation_list(user=request.user),
            "callouts": selectors.callout_list(user=request.user)[:10],
            "awards": selectors.award_list(user=request.user)[:20],
        },
    )


def award_decide(request: AuthedRequest, award_id: int, decision: str) -> HttpResponse:
    """Approve or reject compensation or a reward (POST)."""
    if request.method != "POST" or decision not in ("approve", "reject"):
        raise PermissionDenied
    award = get_scoped_or_404(Award, request.user, award_id)
    form = DecideForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(
        request,
        None,
        lambda: services.award_decide(by=request.user, award=award, approve=decision == "approve", note=note),
        success=_("Decision recorded."),
    )
    return redirect("relief:volunteers")


def callout_reply(request: AuthedRequest, callout_id: int) -> HttpResponse:
    """Record a volunteer's yes or no to a call-out (POST), e.g. told on the phone."""
    if request.method != "POST":
        raise PermissionDenied
    callout = get_scoped_or_404(CallOut, request.user, callout_id)
    form = ReplyForm(request.POST, volunteers=selectors.volunteer_list(user=request.user))
    if form.is_valid():
        run_service(
            request,
            None,
            lambda: services.callout_reply(by=request.user, callout=callout, **form.cleaned_data),
            success=_("Reply recorded."),
        )
    return redirect("relief:volunteers")
