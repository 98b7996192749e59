"""Pages of plans: registry, detail with structure and lifecycle buttons, .docx import, versions diff, response cards
(A5 print and phone), filing receipt, statistics, drills and scenarios with readiness per street. Thin: selectors
and services do the work."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.access import scoped
from yingji.core.errors import ValidationFailed, YingjiError
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service
from yingji.plans import forms, selectors, services
from yingji.plans.lifecycle import PERMISSION, PLAN
from yingji.plans.models import PlanStatus, Scenario
from yingji.resources.models import Expert
from yingji.routing.models import RoadNetwork


def _orgs(request: AuthedRequest) -> QuerySet[OrgUnit]:
    return scoped(OrgUnit.objects.filter(active=True).exclude(kind=OrgKind.TEAM), request.user, org_field="")


def plan_list(request: AuthedRequest) -> HttpResponse:
    form = forms.PlanFilterForm(request.GET or None)
    filters = {k: v or None for k, v in form.cleaned_data.items()} if form.is_valid() else {}
    page, query = page_of(request, selectors.plan_list(user=request.user, **filters))
    return render(
        request,
        "plans/plan_list.html",
        {"filter_form": form, "page": page, "query": query, "may_add": request.user.has_perm("plans.add_plan")},
    )


def plan_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("plans.add_plan"):
        raise PermissionDenied
    form = forms.PlanForm(request.POST or None, orgs=_orgs(request), initial={"org": request.user.org_id})
    if request.method == "POST" and form.is_valid():
        outcome = run_service(request, form, lambda: services.plan_create(by=request.user, **form.cleaned_data))
        if outcome.value is not None:
            return redirect("plans:detail", outcome.value.pk)
    return render(request, "plans/plan_form.html", {"form": form, "title": _("New plan")})


def plan_import(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("plans.add_plan"):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None, orgs=_orgs(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def run() -> Any:
            if upload.size > services.MAX_ATTACHMENT_BYTES:
                raise ValidationFailed("file: too large", {"file": [_("At most 50 MB.")]})
            return services.plan_import_docx(
                by=request.user,
                org=form.cleaned_data["org"],
                level=form.cleaned_data["level"],
                name=upload.name,
                content=upload.read(),
            )

        outcome = run_service(request, form, run, success=_("Imported as a draft: finish its steps and roles."))
        if outcome.value is not None:
            return redirect("plans:detail", outcome.value.pk)
    return render(request, "plans/plan_form.html", {"form": form, "title": _("Import a Word plan"), "upload": True})


def plan_detail(request: AuthedRequest, plan_id: int, **bound: Any) -> HttpResponse:
    plan = selectors.plan_detail(plan=selectors.plan_get(user=request.user, plan_id=plan_id))
    user = request.user
    moves = [to for to in PLAN.allowed(plan.status) if user.has_perm(PERMISSION[to])]
    review = plan.reviews.filter(concluded_at__isnull=True).first()
    experts = scoped(Expert.objects.all(), user)
    steps_by_level = {}
    for tier in sorted(plan.tiers.all(), key=lambda t: ["IV", "III", "II", "I"].index(t.level)):
        steps_by_level[tier] = [s for s in plan.steps.all() if s.level == tier.level]
    context = {
        "plan": plan,
        "moves": [(to, PlanStatus(to).label) for to in moves],
        "review": review,
        "review_form": bound.get("review_form")
        or forms.ReviewForm(
            experts=experts,
            initial={"comments": review.comments, "conclusion": review.conclusion} if review else None,
        ),
        "may_review": user.has_perm("plans.review_plan") and review is not None,
        "may_edit": user.has_perm("plans.change_plan") and plan.status in ("draft", "revising"),
        "attachment_form": bound.get("attachment_form") or forms.AttachmentForm(),
        "step_form": bound.get("step_form") or forms.StepForm(),
        "tier_form": bound.get("tier_form") or forms.TierForm(),
        "role_form": bound.get("role_form") or forms.RoleForm(orgs=_orgs(request)),
        "steps_by_level": steps_by_level,
        "unassigned_steps": [s for s in plan.steps.all() if s.level not in {t.level for t in plan.tiers.all()}],
        "versions": plan.versions.all(),
        "evaluation_due": services.evaluation_due(plan),
    }
    return render(request, "plans/plan_detail.html", context, status=400 if bound else 200)


@require_POST
def plan_action(request: AuthedRequest, plan_id: int, action: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    user = request.user
    if action == "move":
        run_service(request, None, lambda: services.plan_transition(by=user, plan=plan, to=request.POST.get("to", "")))
    elif action == "review":
        review_form = forms.ReviewForm(request.POST, experts=scoped(Expert.objects.all(), user))
        if not review_form.is_valid() or not run_service(
            request,
            review_form,
            lambda: services.plan_review_update(
                by=user,
                plan=plan,
                experts=review_form.cleaned_data["experts"],
                comments=review_form.cleaned_data["comments"],
                conclusion=review_form.cleaned_data["conclusion"] or None,
            ),
        ):
            return plan_detail(request, plan_id, review_form=review_form)
    elif action == "attach":
        attachment_form = forms.AttachmentForm(request.POST, request.FILES)
        if not attachment_form.is_valid() or not run_service(
            request,
            attachment_form,
            lambda: services.attachment_add(
                by=user,
                plan=plan,
                name=attachment_form.cleaned_data["file"].name,
                content=attachment_form.cleaned_data["file"].read(),
            ),
        ):
            return plan_detail(request, plan_id, attachment_form=attachment_form)
    elif action == "step":
        step_form = forms.StepForm(request.POST)
        if not step_form.is_valid() or not run_service(
            request, step_form, lambda: services.plan_step_add(by=user, plan=plan, **step_form.cleaned_data)
        ):
            return plan_detail(request, plan_id, step_form=step_form)
    elif action == "role":
        role_form = forms.RoleForm(request.POST, orgs=_orgs(request))
        if not role_form.is_valid() or not run_service(
            request, role_form, lambda: services.plan_role_set(by=user, plan=plan, **role_form.cleaned_data)
        ):
            return plan_detail(request, plan_id, role_form=role_form)
    elif action == "tier":
        tier_form = forms.TierForm(request.POST)
        if not tier_form.is_valid() or not run_service(
            request, tier_form, lambda: services.plan_tier_set(by=user, plan=plan, **tier_form.cleaned_data)
        ):
            return plan_detail(request, plan_id, tier_form=tier_form)
    else:
        raise Http404
    return redirect("plans:detail", plan.pk)


def plan_diff(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        old, new = int(request.GET.get("old", "")), int(request.GET.get("new", ""))
    except ValueError:
        raise Http404 from None
    diff = selectors.version_diff(plan=plan, old=old, new=new)
    return render(request, "plans/plan_diff.html", {"plan": plan, "diff": diff, "old": old, "new": new})


def plan_cards(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The response cards: A5 pages when printed, one column on a phone."""
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    role = request.GET.get("role")
    cards = selectors.plan_cards(plan=plan, role_id=int(role) if role and role.isdigit() else None)
    return render(request, "plans/plan_cards.html", {"plan": plan, "cards": cards})


def filing_receipt(request: AuthedRequest, plan_id: int, filing_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    filing = plan.filings.filter(pk=filing_id).select_related("filed_by").first()
    if filing is None:
        raise Http404
    return render(request, "plans/receipt.html", {"plan": plan, "filing": filing})


def stats(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "plans/stats.html",
        {
            "streets": selectors.filing_stats(user=request.user),
            "industries": selectors.industry_stats(user=request.user),
            "overdue": selectors.overdue_evaluations(user=request.user),
            "undrilled": selectors.undrilled(user=request.user),
        },
    )


def drill_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.DrillCreateForm(
        request.POST or None,
        orgs=_orgs(request),
        plans=selectors.plan_list(user=user),
        scenarios=selectors.scenario_list(user=user),
        initial={"org": user.org_id},
    )
    if request.method == "POST":
        if not user.has_perm("plans.add_drill"):
            raise PermissionDenied
        if form.is_valid():
            outcome = run_service(request, form, lambda: services.drill_create(by=user, **form.cleaned_data))
            if outcome.value is not None:
                return redirect("plans:drill", outcome.value.pk)
    page, query = page_of(request, selectors.drill_list(user=user))
    return render(
        request,
        "plans/drill_list.html",
        {"page": page, "query": query, "form": form, "may_add": user.has_perm("plans.add_drill")},
    )


def drill_detail(request: AuthedRequest, drill_id: int) -> HttpResponse:
    drill = selectors.drill_get(user=request.user, drill_id=drill_id)
    if request.method == "POST":
        items = {
            row.code: (request.POST[f"item-{row.code}"], request.POST.get(f"reason-{row.code}", "")[:300])
            for row in drill.items.all()
            if request.POST.get(f"item-{row.code}") in ("yes", "no")
        }
        outcome = run_service(
            request,
            None,
            lambda: services.drill_evaluate(
                by=request.user,
                drill=drill,
                items=items,
                findings=request.POST.get("findings", ""),
                improvements=request.POST.get("improvements", ""),
            ),
            success=_("Evaluation saved."),
        )
        if outcome:
            return redirect("plans:drill", drill.pk)
    parts = drill.metrics.get("parts", {}) if isinstance(drill.metrics, dict) else {}
    return render(
        request,
        "plans/drill_detail.html",
        {
            "drill": drill,
            "items": drill.items.all(),
            "parts": parts,
            "may_change": request.user.has_perm("plans.change_drill"),
        },
    )


def scenario_list(request: AuthedRequest) -> HttpResponse:
    page, query = page_of(request, selectors.scenario_list(user=request.user))
    return render(request, "plans/scenario_list.html", {"page": page, "query": query})


def scenario_detail(request: AuthedRequest, scenario_id: int) -> HttpResponse:
    """The scenario's needs and its readiness gaps from each street's centre, on a map."""
    scenario: Scenario = selectors.scenario_get(user=request.user, scenario_id=scenario_id)
    form = forms.ReadinessForm(request.GET or None)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else 30
    located = OrgUnit.objects.filter(kind=OrgKind.STREET, lat__isnull=False, lon__isnull=False)
    streets = scoped(located, request.user, org_field="")
    rows, problem = [], ""
    if RoadNetwork.objects.filter(active=True).exists():
        for street in streets:
            assert street.lat is not None and street.lon is not None  # only located streets were taken
            try:
                gaps = selectors.readiness(
                    user=request.user, scenario=scenario, lat=street.lat, lon=street.lon, minutes=minutes
                )
            except YingjiError as exc:
                messages.warning(request, f"{street.name}: {exc.detail}")
                continue
            rows.append(
                {
                    "street": street,
                    "gaps": gaps,
                    "shortfall": sum(g["shortfall"] for g in gaps),
                }
            )
    else:
        problem = _("No road network is loaded: travel times cannot be computed.")
    points = [
        {"name": r["street"].name, "lat": r["street"].lat, "lon": r["street"].lon, "shortfall": r["shortfall"]}
        for r in rows
    ]
    return render(
        request,
        "plans/scenario_detail.html",
        {
            "scenario": scenario,
            "needs": scenario.needs.all(),
            "form": form,
            "minutes": minutes,
            "rows": rows,
            "points": points,
            "problem": problem,
        },
    )
