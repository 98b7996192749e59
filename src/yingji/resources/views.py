"""Pages of the resource registries, the stock ledger, the alerts and the one map. Thin: one registry
description per registry drives the same list, detail and edit views; selectors read and services write."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.errors import ValidationFailed
from yingji.core.maplayers import offered_layers
from yingji.core.registry import Registry, registry_xlsx
from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service
from yingji.resources import forms, reach, selectors, services
from yingji.resources.models import TeamKind, TeamMember
from yingji.resources.registries import REGISTRIES
from yingji.resources.shelter_capacity import site_area_meets_recommendation


def _registry(slug: str) -> Registry:
    try:
        return REGISTRIES[slug]
    except KeyError:
        raise Http404 from None


def index(request: AuthedRequest) -> HttpResponse:
    counts = selectors.registry_counts(user=request.user)
    cards = [(REGISTRIES[slug], counts[slug]) for slug in REGISTRIES]
    return render(request, "resources/index.html", {"cards": cards})


def registry_list(request: AuthedRequest, slug: str) -> HttpResponse:
    registry = _registry(slug)
    form = registry.filter_form(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v not in ("", None, False)}
    page, query = page_of(request, registry.list_rows(user=request.user, **filters))
    rows = [(obj, [cell(obj) for _label, cell in registry.columns]) for obj in page]
    today = timezone.localdate()
    return render(
        request,
        "resources/list.html",
        {
            "registry": registry,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "today": today,
            "can_add": request.user.has_perm(f"resources.add_{registry.model_perm}"),
            "detail_url": f"resources:{registry.name}-detail",
        },
    )


def registry_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    registry = _registry(slug)
    obj = registry.get(request.user, pk)
    context: dict[str, Any] = {
        "registry": registry,
        "obj": obj,
        "fields": [(label, cell(obj)) for label, cell in registry.detail],
        "can_change": request.user.has_perm(f"resources.change_{registry.model_perm}"),
    }
    if slug == "teams":
        context["members"] = obj.members.all()
        context["member_form"] = forms.MemberForm()
        context["soon"] = timezone.localdate() + timedelta(days=selectors.CERTIFICATE_WARNING_DAYS)
    elif slug == "warehouses":
        context["balances"] = selectors.stock_balances(warehouse=obj)
        context["lots"] = selectors.stock_lots(warehouse=obj)
        context["movements"] = selectors.stock_movements(user=request.user, warehouse=obj)[:50]
        context["stock_form"] = forms.StockForm(warehouse=obj)
        context["can_move"] = request.user.has_perm("resources.add_stockmovement")
    elif slug == "shelters":
        context["site_area_ok"] = site_area_meets_recommendation(obj.effective_area_m2)
    elif slug == "equipment":
        context["overdue"] = obj.next_maintenance is not None and obj.next_maintenance < timezone.localdate()
    return render(request, "resources/detail.html", context)


def registry_edit(request: AuthedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    registry = _registry(slug)
    obj = registry.get(request.user, pk) if pk is not None else None
    perm = f"resources.{'change' if obj else 'add'}_{registry.model_perm}"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    instance_kwargs = {"instance": obj} if obj is not None else {}
    form = registry.form(request.POST or None, user=request.user, **instance_kwargs)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        outcome = run_service(
            request,
            form,
            (lambda: registry.update(by=request.user, obj=obj, **values))
            if obj is not None
            else (lambda: registry.create(by=request.user, **values)),
        )
        if outcome.value is not None:  # saved: the row
            messages.success(request, _("Saved."))
            return redirect(f"resources:{registry.name}-detail", outcome.value.pk)
    return render(request, "resources/form.html", {"registry": registry, "form": form, "obj": obj})


def registry_export(request: AuthedRequest, slug: str) -> HttpResponse:
    return registry_xlsx(_registry(slug), request.user)


@require_POST
def registry_import(request: AuthedRequest, slug: str) -> HttpResponse:
    registry = _registry(slug)
    if registry.import_xlsx is None:
        raise Http404  # a registry without an Excel sheet
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an .xlsx file to import."))
        return redirect(f"resources:{registry.name}-list")
    try:
        report = registry.import_xlsx(request.user, upload.read())
    except ValidationFailed as exc:
        messages.error(request, _("Nothing was imported:"))
        for problem in exc.errors.get("file", [exc.detail]):
            messages.error(request, problem)
    else:
        messages.success(
            request, _("Imported: %(c)d created, %(u)d updated.") % {"c": report.created, "u": report.updated}
        )
    return redirect(f"resources:{registry.name}-list")


@require_POST
def team_member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, team_id=pk)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_save(by=request.user, team=team, **form.cleaned_data)
        except ValidationFailed as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Member added."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {errors[0]}")
    return redirect("resources:team-detail", team.pk)


@require_POST
def team_member_remove(request: AuthedRequest, pk: int, member_id: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, team_id=pk)
    member = TeamMember.objects.filter(team=team, pk=member_id).first()
    if member is None:
        raise Http404
    services.team_member_remove(by=request.user, team=team, member=member)
    messages.success(request, _("Member removed."))
    return redirect("resources:team-detail", team.pk)


@require_POST
def warehouse_stock(request: AuthedRequest, pk: int) -> HttpResponse:
    """One stock movement (or a new minimum) from the warehouse page's form."""
    warehouse = selectors.warehouse_get(user=request.user, warehouse_id=pk)
    form = forms.StockForm(request.POST, warehouse=warehouse)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {errors[0]}")
        return redirect("resources:warehouse-detail", pk)
    data = form.cleaned_data
    common = {"by": request.user, "item": data["item"]}
    try:
        if data["action"] == "in":
            services.stock_receive(
                **common,
                warehouse=warehouse,
                quantity=data["quantity"],
                reason=data["reason"],
                batch=data["batch"],
                expiry=data["expiry"],
            )
        elif data["action"] == "out":
            services.stock_withdraw(
                **common,
                warehouse=warehouse,
                quantity=data["quantity"],
                reason=data["reason"],
                batch=data["batch"] or None,
            )
        elif data["action"] == "transfer":
            if data["target"] is None:
                raise ValidationFailed(
                    _("Choose a receiving warehouse."), {"target": [_("Choose a receiving warehouse.")]}
                )
            services.stock_transfer(
                **common,
                source=warehouse,
                target=data["target"],
                quantity=data["quantity"],
                reason=data["reason"],
                batch=data["batch"] or None,
            )
        elif data["action"] == "adjust":
            services.stock_adjust(
                **common,
                warehouse=warehouse,
                delta=data["quantity"],
                reason=data["reason"],
                batch=data["batch"],
                expiry=data["expiry"],
            )
        else:
            services.stock_minimum_set(**common, warehouse=warehouse, minimum=data["quantity"])
    except ValidationFailed as exc:
        for field, problems in (exc.errors or {"__all__": [exc.detail]}).items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {problems[0]}" if label else str(problems[0]))
    else:
        messages.success(request, _("Stock updated."))
    return redirect("resources:warehouse-detail", pk)


def alerts(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "resources/alerts.html",
        {
            "below": selectors.stock_below_minimum(user=request.user),
            "expired": selectors.lots_expired(user=request.user),
            "certificates": selectors.certificates_expiring(user=request.user),
            "maintenance": selectors.equipment_maintenance_overdue(user=request.user),
            "today": timezone.localdate(),
        },
    )


def one_map(request: AuthedRequest) -> HttpResponse:
    """The one map (一张图): resources, districts and streets, nearest, evacuation and coverage tools."""
    return render(
        request,
        "resources/map.html",
        {
            "network": reach.road_network_info(),
            "layers": offered_layers(),
            "team_kinds": TeamKind.choices,
            "nearest_url": reverse("api:resources_nearest"),
            "evacuation_url": reverse("api:routing_evacuation"),
            "coverage_url": reverse("api:resources_coverage"),
        },
    )
