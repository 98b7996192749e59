"""Pages of the duty desk: the desk itself, incident list, intake, detail with command, roster, reports, review.
Thin: forms parse, services decide."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import resolve_in_scope
from yingji.core.errors import ValidationFailed, YingjiError
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.requests import AuthedRequest, Text
from yingji.core.web import page_of, run_service
from yingji.incidents import forms, grading, selectors, services
from yingji.incidents.documents import report_filename, review_filename
from yingji.incidents.docx_writer import docx_response
from yingji.incidents.models import Dispatch, DispatchStatus, Incident, ReportKind
from yingji.incidents.proposals import proposal_summary
from yingji.monitoring.selectors import alarm_list
from yingji.resources.models import Equipment, Expert, Team


def _panels(request: AuthedRequest) -> dict[str, Any]:
    return {
        "reports": selectors.reports_due(user=request.user)[:50],
        "proposals": [proposal_summary(p) for p in selectors.pending_proposals(user=request.user)[:20]],
    }


def desk_panels(request: AuthedRequest) -> JsonResponse:
    """The desk's reports-due and proposals lists, re-rendered for a live update."""
    context = _panels(request)
    return JsonResponse(
        {
            "reports": render_to_string("incidents/_reports_due.html", context, request=request),
            "proposals": render_to_string("incidents/_proposals.html", context, request=request),
            "proposal_count": len(context["proposals"]),
        }
    )


def desk(request: AuthedRequest) -> HttpResponse:
    """值守台: who is on duty, open incidents with report countdowns, the map and the intake form."""
    form = forms.IncidentForm(user=request.user, initial={"occurred_at": timezone.localtime().replace(second=0)})
    return render(
        request,
        "incidents/desk.html",
        {
            "on_duty": selectors.on_duty(user=request.user),
            "incidents": selectors.open_incidents(user=request.user)[:100],
            "alarms": alarm_list(user=request.user, status="open")[:20],
            **_panels(request),
            "form": form,
            "can_record": request.user.has_perm("incidents.add_incident"),
            "now": timezone.now(),
        },
    )


def incident_list(request: AuthedRequest) -> HttpResponse:
    form = forms.IncidentFilterForm(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    incidents = selectors.incident_list(user=request.user, filters=selectors.IncidentFilters(**filters))
    page, query = page_of(request, incidents)
    return render(request, "incidents/incident_list.html", {"form": form, "page": page, "query": query})


def incident_new(request: AuthedRequest) -> HttpResponse:
    """Intake (接报登记): a full page; the desk embeds the same form."""
    if not request.user.has_perm("incidents.add_incident"):
        raise PermissionDenied
    form = forms.IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        created: list[Incident] = []
        if run_service(request, form, lambda: created.append(services.incident_create(by=request.user, **data))):
            messages.success(request, _("Incident %(code)s recorded.") % {"code": created[0].code})
            return redirect("incidents:detail", created[0].pk)
    return render(request, "incidents/incident_new.html", {"form": form})


def incident_detail(request: AuthedRequest, incident_id: int) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, incident_id=incident_id)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


def _detail_context(request: AuthedRequest, incident: Incident, **bound: Any) -> dict[str, Any]:
    """What the incident page shows; `bound` puts back a submitted form with its errors."""
    user = request.user
    can_request = user.has_perm("incidents.add_materialrequest") and incident.is_open
    return {
        "incident": incident,
        "grade_label": grading.LABELS.get(incident.grade, ""),
        "timeline": selectors.timeline(user=user, incident_id=incident.pk),
        "reports": incident.reports.select_related("sent_by"),
        "tasks": incident.tasks.select_related("assignee_org", "assignee_user"),
        "merged": incident.merged.all(),
        "can_change": user.has_perm("incidents.change_incident") and incident.is_open,
        "can_note": user.has_perm("incidents.add_timelineentry") and incident.is_open,
        "can_command": user.has_perm("incidents.command_incident") and incident.is_open,
        "casualty_form": forms.CasualtyForm(
            initial={f: getattr(incident, f) for f in services.CASUALTY_FIELDS}, prefix="cas"
        ),
        "command_form": forms.CommandForm(
            initial={
                "commander": incident.commander_id,
                "response_level": incident.response_level,
                "post_address": incident.post_address,
                "post_lat": incident.post_lat,
                "post_lon": incident.post_lon,
            },
            prefix="cmd",
        ),
        "task_form": forms.TaskForm(user=user, prefix="task"),
        "note_form": forms.NoteForm(prefix="note"),
        "report_form": forms.ReportAddForm(prefix="rep"),
        "merge_form": forms.MergeForm(prefix="merge"),
        "has_final": incident.reports.filter(kind=ReportKind.FINAL, status="sent").exists(),
        "can_dispatch": user.has_perm("incidents.add_dispatch") and incident.is_open,
        "dispatches": _with_steps(selectors.dispatches(incident=incident)),
        **_recommendations(request, incident),
        "materials": selectors.material_requests(incident=incident),
        "can_request_material": can_request,
        "material_form": forms.MaterialForm(stock=list(selectors.material_stock(user=user)), prefix="mat")
        if can_request
        else None,
        "now": timezone.now(),
        **bound,
    }


def incident_materials(request: AuthedRequest, incident_id: int) -> HttpResponse:
    """Request materials from a warehouse on the incident page; a refusal (e.g. not enough stock) shows at the
    field and writes nothing."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id)
    if request.method != "POST":
        return redirect("incidents:detail", incident.pk)
    if not request.user.has_perm("incidents.add_materialrequest"):
        raise PermissionDenied
    form = forms.MaterialForm(request.POST, stock=list(selectors.material_stock(user=request.user)), prefix="mat")
    if form.is_valid() and run_service(
        request, form, lambda: services.material_issue(by=request.user, incident=incident, **form.cleaned_data)
    ):
        messages.success(request, _("Materials issued."))
        return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident, material_form=form))


def _next_steps(dispatch: Dispatch) -> list[tuple[str, Text]]:
    labels = dict(DispatchStatus.choices)
    return [(s, labels[s]) for s in services.dispatch_allowed(dispatch.status)]


def _with_steps(dispatches: Iterable[Dispatch]) -> list[Dispatch]:
    rows = list(dispatches)
    for dispatch in rows:
        dispatch.next_steps = _next_steps(dispatch)  # type: ignore[attr-defined]  # for the template, not a field
    return rows


def _recommendations(request: AuthedRequest, incident: Incident) -> dict[str, Any]:
    """Nearest teams, equipment and experts by travel time; an explanation instead when routing cannot answer."""
    if not (request.user.has_perm("incidents.add_dispatch") and incident.is_open):
        return {}
    form = forms.ResourceSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        recommended = selectors.dispatch_recommend(user=request.user, incident=incident)
        everything = selectors.resources_by_travel(
            user=request.user,
            incident=incident,
            kind=filters.get("kind") or "team",
            q=filters.get("q") or "",
            status=filters.get("status") or "",
            max_minutes=filters.get("max_minutes"),
        )
    except YingjiError as exc:
        return {"recommended": [], "recommend_error": exc.detail, "search_form": form}
    return {"recommended": recommended, "all_resources": everything, "search_form": form}


@require_POST
def incident_action(request: AuthedRequest, incident_id: int, action: str) -> HttpResponse:
    """The detail page's buttons: casualties, command, task, task status, note, report, send, merge, status."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id)
    by = request.user
    handlers: dict[str, Callable[[], object]] = {
        "casualties": lambda: _with_form(
            request,
            forms.CasualtyForm(request.POST, prefix="cas"),
            lambda d: services.incident_update(by=by, incident=incident, **d),
        ),
        "command": lambda: _with_form(
            request,
            forms.CommandForm(request.POST, prefix="cmd"),
            lambda d: services.incident_command(by=by, incident=incident, **d),
        ),
        "task": lambda: _with_form(
            request,
            forms.TaskForm(request.POST, user=by, prefix="task"),
            lambda d: services.task_create(by=by, incident=incident, **d),
        ),
        "note": lambda: _with_form(
            request,
            forms.NoteForm(request.POST, prefix="note"),
            lambda d: services.incident_note(by=by, incident=incident, **d),
        ),
        "report": lambda: _with_form(
            request,
            forms.ReportAddForm(request.POST, prefix="rep"),
            lambda d: services.report_add(by=by, incident=incident, **d),
        ),
        "merge": lambda: _with_form(
            request, forms.MergeForm(request.POST, prefix="merge"), lambda d: _merge(request, incident, d["into"])
        ),
        "respond": lambda: run_service(
            request, None, lambda: services.incident_set_status(by=by, incident=incident, status="responding")
        ),
        "close": lambda: run_service(request, None, lambda: services.incident_close(by=by, incident=incident)),
    }
    if action == "send":
        report = selectors.report_get(user=by, report_id=int(request.POST.get("report", 0) or 0))
        if report.incident_id != incident.pk:
            raise PermissionDenied
        run_service(request, None, lambda: services.report_send(by=by, report=report))
    elif action == "dispatch":
        run_service(request, None, lambda: _dispatch(request, incident))
    elif action == "dispatch-status":
        dispatch = selectors.dispatch_get(user=by, dispatch_id=int(request.POST.get("dispatch", 0) or 0))
        run_service(
            request,
            None,
            lambda: services.dispatch_set_status(by=by, dispatch=dispatch, status=request.POST.get("status", "")),
        )
    elif action == "task-status":
        task = selectors.task_get(user=by, task_id=int(request.POST.get("task", 0) or 0))
        run_service(
            request, None, lambda: services.task_set_status(by=by, task=task, status=request.POST.get("status", ""))
        )
    elif action in handlers:
        handlers[action]()
    else:
        raise PermissionDenied
    return redirect("incidents:detail", incident.pk)


def _with_form(request: AuthedRequest, form: forms.forms.Form, action: Callable[[dict[str, Any]], Any]) -> bool:
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} {' '.join(str(error) for error in errors)}")
        return False
    return bool(run_service(request, None, lambda: action(form.cleaned_data)))


def _dispatch(request: AuthedRequest, incident: Incident) -> None:
    post, user = request.POST, request.user
    services.dispatch_create(
        by=user,
        incident=incident,
        team=resolve_in_scope(Team, user, post["team"], field="team") if post.get("team") else None,
        equipment=resolve_in_scope(Equipment, user, post["equipment"], field="equipment")
        if post.get("equipment")
        else None,
        expert=resolve_in_scope(Expert, user, post["expert"], field="expert") if post.get("expert") else None,
    )


def _merge(request: AuthedRequest, incident: Incident, into_code: str) -> None:
    into = selectors.incident_list(user=request.user).filter(code=into_code.strip()).first()
    if into is None:
        raise ValidationFailed(_("no such incident"), {"into": [_("no open incident with this number")]})
    services.incident_merge(by=request.user, duplicate=incident, into=into)


def report_print(request: AuthedRequest, report_id: int) -> HttpResponse:
    """A report as a printable document: the frozen copy once sent, a preview while due."""
    report = selectors.report_get(user=request.user, report_id=report_id)
    return render(
        request,
        "incidents/print.html",
        {
            "document": selectors.report_document(report=report),
            "docx_url": reverse("incidents:report-docx", args=[report.pk]),
        },
    )


def report_docx(request: AuthedRequest, report_id: int) -> HttpResponse:
    """A report as a Word file, the same document as the printable one."""
    report = selectors.report_get(user=request.user, report_id=report_id)
    return docx_response(selectors.report_document(report=report), report_filename(report), by=request.user)


def review_docx(request: AuthedRequest, incident_id: int) -> HttpResponse:
    """The after-action review as a Word file, the same document as the printable one."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id)
    return docx_response(selectors.review_document(incident=incident), review_filename(incident), by=request.user)


def review(request: AuthedRequest, incident_id: int) -> HttpResponse:
    """The after-action review (总结评估): computed figures, findings and improvement actions; printable."""
    incident = selectors.incident_get(user=request.user, incident_id=incident_id)
    data = selectors.review_data(incident=incident)
    form = forms.ReviewForm(request.POST or None, initial={k: data[k] for k in ("findings", "improvements")})
    if request.method == "POST" and form.is_valid():
        if run_service(
            request, form, lambda: services.review_save(by=request.user, incident=incident, **form.cleaned_data)
        ):
            messages.success(request, _("Review saved."))
            return redirect("incidents:review", incident.pk)
    if request.GET.get("print"):
        return render(
            request,
            "incidents/print.html",
            {
                "document": selectors.review_document(incident=incident),
                "docx_url": reverse("incidents:review-docx", args=[incident.pk]),
            },
        )
    can_edit = request.user.has_perm("incidents.change_incident") and incident.status == "closed"
    sections = selectors.review_document(incident=incident, official=False).sections
    # Editors see findings and improvements in the form instead of as text.
    shown = sections[:-2] if can_edit else sections
    return render(
        request,
        "incidents/review.html",
        {"incident": incident, "shown": shown, "form": form, "can_edit": can_edit},
    )


def roster(request: AuthedRequest) -> HttpResponse:
    """值班表: the week's shifts, who is on duty now, the handover log and (for duty staff) new shifts."""
    try:
        week_of = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        week_of = timezone.localdate()
    can_plan = request.user.has_perm("incidents.add_dutyshift")
    shift_form = forms.ShiftForm(request.POST or None, prefix="shift")
    handover_form = forms.HandoverForm(request.POST or None, prefix="ho")
    on_duty = selectors.on_duty(user=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "shift" and shift_form.is_valid():
            if not can_plan:
                raise PermissionDenied
            org = request.user.org or OrgUnit.objects.filter(kind=OrgKind.BUREAU).first()
            if run_service(
                request, shift_form, lambda: services.shift_create(by=request.user, org=org, **shift_form.cleaned_data)
            ):
                messages.success(request, _("Shift added."))
                return redirect("incidents:roster")
        elif request.POST.get("action") == "handover" and handover_form.is_valid():
            if not on_duty:
                messages.error(request, _("Nobody is on duty now: there is no shift to hand over."))
            elif run_service(
                request,
                handover_form,
                lambda: services.handover_create(by=request.user, shift=on_duty[0], **handover_form.cleaned_data),
            ):
                messages.success(request, _("Handover recorded."))
                return redirect("incidents:roster")
    week = selectors.roster(user=request.user, week_of=week_of)
    by_day = [
        (day, [s for s in week["shifts"] if timezone.localtime(s.starts_at).date() == day]) for day in week["days"]
    ]
    handovers = [h for s in week["shifts"] for h in s.handovers.all()]
    return render(
        request,
        "incidents/roster.html",
        {
            "by_day": by_day,
            "monday": week["monday"],
            "prev_week": week["monday"] - timedelta(days=7),
            "next_week": week["monday"] + timedelta(days=7),
            "on_duty": on_duty,
            "handovers": sorted(handovers, key=lambda h: h.at, reverse=True),
            "shift_form": shift_form,
            "handover_form": handover_form,
            "can_plan": can_plan,
        },
    )


def dispatch_list(request: AuthedRequest) -> HttpResponse:
    """调派令: the orders sent to the user's team, newest open ones first (a team leader's phone page)."""
    page, query = page_of(request, selectors.team_dispatches(user=request.user))
    return render(request, "incidents/dispatch_list.html", {"page": page, "query": query})


def dispatch_detail(request: AuthedRequest, dispatch_id: int) -> HttpResponse:
    """One order: where to go, and the buttons that move it along (acknowledge, en route, on scene, released)."""
    dispatch = selectors.dispatch_get(user=request.user, dispatch_id=dispatch_id)
    if request.method == "POST":
        status = request.POST.get("status", "")
        labels = dict(DispatchStatus.choices)
        run_service(
            request,
            None,
            lambda: services.dispatch_set_status(by=request.user, dispatch=dispatch, status=status),
            success=_("Order: %(status)s.") % {"status": labels.get(status, status)},
        )
        return redirect("incidents:dispatch", dispatch.pk)
    steps = _next_steps(dispatch) if request.user.has_perm("incidents.change_dispatch") else []
    return render(request, "incidents/dispatch_detail.html", {"d": dispatch, "steps": steps})


@require_POST
def proposal_decide(request: AuthedRequest, proposal_id: int, decision: str) -> HttpResponse:
    """The desk's answer to an alarm's proposal: open the incident, attach the alarm to an open one, or dismiss."""
    proposal = selectors.proposal_get(user=request.user, proposal_id=proposal_id)
    by = request.user
    if decision == "confirm":
        outcome = run_service(request, None, lambda: services.proposal_confirm(by=by, proposal=proposal))
        if outcome.value is not None:  # confirmed: the new incident
            return redirect("incidents:detail", outcome.value.pk)
    elif decision == "attach":
        incident = selectors.incident_get(user=by, incident_id=int(request.POST.get("incident") or 0))
        outcome = run_service(
            request, None, lambda: services.proposal_attach(by=by, proposal=proposal, incident=incident)
        )
        if outcome:
            return redirect("incidents:detail", incident.pk)
    elif decision == "dismiss":
        reason = request.POST.get("reason", "")
        run_service(
            request,
            None,
            lambda: services.proposal_dismiss(by=by, proposal=proposal, reason=reason),
            success=_("Proposal dismissed."),
        )
    else:
        raise Http404
    return redirect("incidents:desk")
