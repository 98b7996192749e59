"""Pages of dual prevention: the overview with indicators, enterprises (self-service for an enterprise user),
hidden dangers and their closed loop, the four-colour map, risk notice cards, documents, commitments, plans.
Thin: selectors read, services write (through core.web.run_service)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import get_scoped_or_404
from yingji.core.models import OrgKind
from yingji.core.photos import media_file
from yingji.core.requests import AuthedRequest
from yingji.core.roles import user_has_role
from yingji.core.web import page_of, run_service
from yingji.risk import excel, gb18218, selectors, services
from yingji.risk.checklists import checklist_for
from yingji.risk.forms import (
    AssignForm,
    ChecklistForm,
    CommitmentForm,
    DangerFilterForm,
    DangerForm,
    DocumentForm,
    HazardUnitForm,
    ImportForm,
    NoteForm,
    PhotoForm,
    ProfileForm,
    RiskPointForm,
)
from yingji.risk.lec import COLOUR_HEX, COLOUR_LABELS, COLOURS
from yingji.risk.lifecycle import DANGER, roles_for
from yingji.risk.models import Colour, DangerPhoto, DangerStatus, EnterpriseProfile, HiddenDanger

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _legend() -> list[tuple[str, str, str]]:
    return [(c, COLOUR_HEX[c], str(COLOUR_LABELS[c])) for c in COLOURS]


def index(request: AuthedRequest) -> HttpResponse:
    """The overview: indicators per street; an enterprise user goes straight to their own enterprise."""
    user = request.user
    if user.org is not None and user.org.kind == OrgKind.ENTERPRISE:
        return redirect("risk:enterprise", org_id=user.org_id)
    by = "industry" if request.GET.get("by") == "industry" else "street"
    return render(
        request,
        "risk/index.html",
        {
            "data": selectors.indicators(user=user, by=by),
            "by": by,
            "supervised": selectors.supervised_list(user=user)[:20],
            "colours": COLOURS,
            "legend": _legend(),
        },
    )


def enterprise_list(request: AuthedRequest) -> HttpResponse:
    q = (request.GET.get("q") or "")[:100]
    rows = selectors.enterprise_list(user=request.user, q=q or None)
    page, query = page_of(request, rows)
    colours = selectors.enterprise_colours(user=request.user)
    labels = dict(Colour.choices)
    for profile in page:
        profile.colour = colours.get(profile.org_id, "")
        profile.colour_label = labels.get(profile.colour, "")
    return render(request, "risk/enterprise_list.html", {"page": page, "query": query, "q": q, "hex": COLOUR_HEX})


def enterprise_export(request: AuthedRequest) -> HttpResponse:
    """The profiles in scope as .xlsx (the import's columns)."""
    return excel.enterprises_download(request.user)


def enterprise_template(request: AuthedRequest) -> HttpResponse:
    """An empty import sheet."""
    return excel.enterprises_template()


def enterprise_import(request: AuthedRequest) -> HttpResponse:
    """Upload profiles from Excel: every row or none; each problem shown as 第N行 字段: 原因."""
    if not request.user.has_perm("risk.add_enterpriseprofile"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request, form, lambda: excel.enterprises_upload(by=request.user, file=form.cleaned_data["file"])
        )
        if outcome:
            report = outcome.value
            assert report is not None  # ok: the import returned its report
            messages.success(
                request, _("Imported: %(c)d created, %(u)d updated.") % {"c": report.created, "u": report.updated}
            )
            return redirect("risk:enterprises")
    return render(request, "risk/enterprise_import.html", {"form": form})


def enterprise_detail(request: AuthedRequest, org_id: int) -> HttpResponse:
    """One enterprise: profile, risk points, hidden dangers, hazard units, today's commitment, documents."""
    unit = get_scoped_or_404(selectors.enterprise_units(user=request.user), request.user, org_id)
    profile = EnterpriseProfile.objects.filter(org=unit).first()
    today = timezone.localdate()
    commitment = selectors.commitment_list(user=request.user, day=today, org=unit.pk).first()
    form = CommitmentForm(request.POST or None)
    may_commit = request.user.org_id == unit.pk and request.user.has_perm("risk.add_commitment")
    if request.method == "POST" and may_commit and form.is_valid():
        items = {k: form.cleaned_data[k] for k in services.COMMITMENT_ITEMS}
        fn = lambda: services.commitment_make(  # noqa: E731
            by=request.user, org=unit, items=items, exceptions=form.cleaned_data["exceptions"]
        )
        if run_service(request, form, fn, success=_("Today's commitment is recorded.")):
            return redirect("risk:enterprise", org_id=unit.pk)
    points = selectors.risk_point_list(user=request.user, org=unit.pk)
    colour = selectors.enterprise_colours(user=request.user).get(unit.pk, "")
    return render(
        request,
        "risk/enterprise_detail.html",
        {
            "unit": unit,
            "profile": profile,
            "points": points,
            "colour": colour,
            "colour_label": dict(Colour.choices).get(colour, ""),
            "street": selectors.street_of(unit),
            "dangers": selectors.danger_list(user=request.user, org=unit.pk)[:50],
            "units": selectors.hazard_unit_list(user=request.user, org=unit.pk),
            "documents": selectors.document_list(user=request.user, org=unit.pk)[:20],
            "commitment": commitment,
            "may_commit": may_commit and commitment is None and profile is not None and profile.high_risk,
            "form": form,
            "hex": COLOUR_HEX,
        },
    )


def danger_list(request: AuthedRequest) -> HttpResponse:
    form = DangerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.danger_list(
        user=request.user,
        q=filters.get("q") or None,
        status=filters.get("status") or None,
        grade=filters.get("grade") or None,
        overdue=True if filters.get("overdue") else None,
    )
    page, query = page_of(request, rows)
    return render(
        request,
        "risk/danger_list.html",
        {"form": form, "page": page, "query": query, "may_add": request.user.has_perm("risk.add_hiddendanger")},
    )


def danger_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("risk.add_hiddendanger"):
        raise PermissionDenied
    initial = {"org": request.GET.get("org")} if (request.GET.get("org") or "").isdigit() else {}
    form = DangerForm(request.POST or None, initial=initial, enterprises=selectors.enterprise_units(user=request.user))
    if request.method == "POST" and form.is_valid():
        outcome = run_service(request, form, lambda: services.danger_create(by=request.user, **form.cleaned_data))
        if outcome and outcome.value is not None:
            return redirect("risk:danger", danger_id=outcome.value.pk)
    return render(request, "risk/danger_form.html", {"form": form})


def _moves(request: AuthedRequest, danger: HiddenDanger) -> list[str]:
    if not request.user.has_perm("risk.change_hiddendanger"):
        return []
    major = danger.grade == "major"
    return [
        t
        for t in DANGER.allowed(danger.status)
        if user_has_role(request.user, *roles_for(danger.status, t, major=major))
    ]


def danger_detail(request: AuthedRequest, danger_id: int) -> HttpResponse:
    danger = selectors.danger_get(user=request.user, danger_id=danger_id)
    moves = _moves(request, danger)
    return render(
        request,
        "risk/danger_detail.html",
        {
            "danger": danger,
            "moves": moves,
            "assign_form": AssignForm(),
            "note_form": NoteForm(),
            "photo_form": PhotoForm(initial={"stage": "rectified" if danger.status == "rectifying" else "found"}),
            "may_photo": request.user.has_perm("risk.change_hiddendanger") and danger.status != DangerStatus.CLOSED,
            "photos": danger.photos.all(),
            "events": danger.events.select_related("by"),
        },
    )


@require_POST
def danger_move(request: AuthedRequest, danger_id: int, to: str) -> HttpResponse:
    danger = selectors.danger_get(user=request.user, danger_id=danger_id)
    assigning = to == DangerStatus.RECTIFYING and danger.status == DangerStatus.REPORTED
    form = AssignForm(request.POST) if assigning else NoteForm(request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        outcome = run_service(
            request, form, lambda: services.danger_transition(by=request.user, danger=danger, to=to, **values)
        )
        if outcome:
            return redirect("risk:danger", danger_id=danger.pk)
    context = {
        "danger": danger,
        "moves": _moves(request, danger),
        "assign_form": form if assigning else AssignForm(),
        "note_form": NoteForm() if assigning else form,
        "photo_form": PhotoForm(),
        "may_photo": request.user.has_perm("risk.change_hiddendanger"),
        "photos": danger.photos.all(),
        "events": danger.events.select_related("by"),
        "failed_move": to,
        "move_errors": form.non_field_errors(),
    }
    return render(request, "risk/danger_detail.html", context, status=400)


@require_POST
def danger_photo(request: AuthedRequest, danger_id: int) -> HttpResponse:
    danger = selectors.danger_get(user=request.user, danger_id=danger_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_PHOTO_BYTES:
            form.add_error("file", _("A photo may be at most 10 MB."))
        else:
            fn = lambda: services.danger_photo_add(  # noqa: E731
                by=request.user,
                danger=danger,
                stage=form.cleaned_data["stage"],
                data=upload.read(),
                filename=upload.name,
            )
            if run_service(request, form, fn, success=_("Photo uploaded.")):
                return redirect("risk:danger", danger_id=danger.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("risk:danger", danger_id=danger.pk)


def photo_file(request: AuthedRequest, photo_id: int) -> FileResponse:
    """A stored photo, if its hidden danger is in the user's scope."""
    photo = get_scoped_or_404(
        DangerPhoto.objects.select_related("danger"), request.user, photo_id, org_field="danger__org"
    )
    path = media_file(photo.path)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), content_type=photo.content_type)


def risk_map(request: AuthedRequest) -> HttpResponse:
    return render(request, "risk/map.html", {"legend": _legend()})


def risk_point_card(request: AuthedRequest, point_id: int) -> HttpResponse:
    """The printable risk notice card (风险告知卡) of a risk point."""
    point = selectors.risk_point_get(user=request.user, point_id=point_id)
    return render(request, "risk/point_card.html", {"point": point, "hex": COLOUR_HEX})


def commitments(request: AuthedRequest) -> HttpResponse:
    rows = selectors.commitment_status(user=request.user)
    return render(request, "risk/commitments.html", {"rows": rows, "today": timezone.localdate()})


def plans(request: AuthedRequest) -> HttpResponse:
    rows = selectors.plan_list(user=request.user).prefetch_related(
        "draws__inspections__org", "draws__inspections__inspectors"
    )
    due = selectors.reinspections_due(user=request.user)[:50]
    return render(request, "risk/plans.html", {"plans": rows, "due": due})


def document_detail(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, document_id=document_id)
    return render(request, "risk/document.html", {"document": document})


def document_docx(request: AuthedRequest, document_id: int) -> HttpResponse:
    """The document as a Word file."""
    from yingji.risk.docx import document_bytes

    document = selectors.document_get(user=request.user, document_id=document_id)
    response = HttpResponse(document_bytes(document), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{document.number}.docx") or "attachment"
    return response


def inspection_detail(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    """An inspection: its enterprise's industry checklist to record, or the recorded result with its findings."""
    inspection = selectors.inspection_get(user=request.user, inspection_id=inspection_id)
    items = checklist_for(inspection.org.industry)
    form = ChecklistForm(request.POST or None, items=items, with_reinspection=True)
    may_record = inspection.status == "planned" and request.user.has_perm("risk.change_inspection")
    if request.method == "POST" and may_record and form.is_valid():
        checklist = form.checklist()
        findings = [{"title": r["item"], "description": r["note"]} for r in checklist if not r["ok"]]
        findings += [{"title": line} for line in form.extra_findings()]
        fn = lambda: services.inspection_record(  # noqa: E731
            by=request.user,
            inspection=inspection,
            checklist=checklist,
            summary=form.cleaned_data["summary"],
            findings=findings,
            reinspect_by=form.cleaned_data.get("reinspect_by"),
        )
        if run_service(request, form, fn, success=_("The inspection is recorded.")):
            return redirect("risk:inspection", inspection_id=inspection.pk)
    return render(
        request,
        "risk/inspection.html",
        {
            "inspection": inspection,
            "form": form,
            "may_record": may_record,
            "findings": inspection.findings.all(),
            "documents": inspection.documents.all(),
            "document_form": DocumentForm(),
            "may_issue": not inspection.self_inspection and request.user.has_perm("risk.add_enforcementdocument"),
        },
    )


@require_POST
def document_issue(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    """Issue a numbered enforcement document after an inspection."""
    inspection = selectors.inspection_get(user=request.user, inspection_id=inspection_id)
    form = DocumentForm(request.POST)
    if form.is_valid():
        fn = lambda: services.document_issue(  # noqa: E731
            by=request.user, org=inspection.org, inspection=inspection, **form.cleaned_data
        )
        outcome = run_service(request, form, fn)
        if outcome and outcome.value is not None:
            return redirect("risk:document", document_id=outcome.value.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("risk:inspection", inspection_id=inspection.pk)


def self_inspection(request: AuthedRequest, org_id: int) -> HttpResponse:
    """An enterprise inspects itself with its industry checklist; each item not passed becomes a hidden danger."""
    unit = get_scoped_or_404(selectors.enterprise_units(user=request.user), request.user, org_id)
    if not request.user.has_perm("risk.add_hiddendanger"):
        raise PermissionDenied
    form = ChecklistForm(request.POST or None, items=checklist_for(unit.industry))
    if request.method == "POST" and form.is_valid():
        checklist = form.checklist() + [{"item": line, "ok": False} for line in form.extra_findings()]
        fn = lambda: services.self_inspection_record(  # noqa: E731
            by=request.user, org=unit, checklist=checklist, summary=form.cleaned_data["summary"]
        )
        outcome = run_service(request, form, fn, success=_("The self-inspection is recorded."))
        if outcome and outcome.value is not None:
            return redirect("risk:inspection", inspection_id=outcome.value.pk)
    return render(request, "risk/self_inspection.html", {"unit": unit, "form": form})


def profile_edit(request: AuthedRequest, org_id: int) -> HttpResponse:
    """Edit an enterprise's profile: the enterprise itself, or the authorities in scope."""
    unit = get_scoped_or_404(selectors.enterprise_units(user=request.user), request.user, org_id)
    profile = get_scoped_or_404(EnterpriseProfile.objects.select_related("org"), request.user, org=unit)
    if not request.user.has_perm("risk.change_enterpriseprofile"):
        raise PermissionDenied
    initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
    initial["address"] = unit.address
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fn = lambda: services.enterprise_update(by=request.user, profile=profile, **form.cleaned_data)  # noqa: E731
        if run_service(request, form, fn, success=_("The profile is saved.")):
            return redirect("risk:enterprise", org_id=unit.pk)
    return render(request, "risk/profile_form.html", {"unit": unit, "form": form})


def risk_point_edit(request: AuthedRequest, org_id: int, point_id: int | None = None) -> HttpResponse:
    """Add a risk point to an enterprise, or change one: the assessment gives the colour."""
    unit = get_scoped_or_404(selectors.enterprise_units(user=request.user), request.user, org_id)
    point = selectors.risk_point_get(user=request.user, point_id=point_id) if point_id else None
    if point is not None and point.org_id != unit.pk:
        raise Http404
    if not request.user.has_perm("risk.change_riskpoint" if point else "risk.add_riskpoint"):
        raise PermissionDenied
    initial = {}
    if point is not None:
        initial = {name: getattr(point, name) for name in (*services.RISK_POINT_FIELDS, *services.ASSESSMENT_FIELDS)}
        for name in ("l_value", "e_value", "c_value"):
            if initial[name] is not None:
                initial[name] = format(initial[name].normalize(), "f")
    form = RiskPointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if point is None:
            fn = lambda: services.risk_point_create(by=request.user, org=unit, **form.values())  # noqa: E731
        else:
            fn = lambda: services.risk_point_update(by=request.user, point=point, **form.values())  # noqa: E731
        if run_service(request, form, fn, success=_("The risk point is saved.")):
            return redirect("risk:enterprise", org_id=unit.pk)
    return render(request, "risk/point_form.html", {"unit": unit, "point": point, "form": form})


def hazard_unit_create(request: AuthedRequest, org_id: int) -> HttpResponse:
    """Identify a unit by GB 18218-2018 (计算) and register it (保存)."""
    unit = get_scoped_or_404(selectors.enterprise_units(user=request.user), request.user, org_id)
    if not request.user.has_perm("risk.add_hazardunit"):
        raise PermissionDenied
    form = HazardUnitForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = gb18218.identify(data["items"], data["exposed_people"])
        except gb18218.HazardInputError as exc:
            line = exc.field.split(".")[1] if exc.field.startswith("items.") else None
            prefix = _("Line %(n)d: ") % {"n": int(line) + 1} if line is not None else ""
            form.add_error("items" if line is not None else "exposed_people", prefix + exc.message)
        if result is not None and request.POST.get("save"):
            fn = lambda: services.hazard_unit_create(by=request.user, org=unit, **data)  # noqa: E731
            if run_service(request, form, fn, success=_("The hazard unit is registered.")):
                return redirect("risk:enterprise", org_id=unit.pk)
    return render(request, "risk/hazard_unit_form.html", {"unit": unit, "form": form, "result": result})
