"""Pages of the resource registries, the stock ledger, the alerts and the one map. Thin: one registry
description per registry drives the same list, detail and edit views; selectors read and services write."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yingji.core.errors import ValidationFailed
from yingji.resources import excel, forms, reach, selectors, services
from yingji.resources.api import xlsx_response
from yingji.resources.models import TeamMember
from yingji.resources.sheets import SHEETS
from yingji.resources.shelter_capacity import site_area_meets_recommendation

Cell = Callable[[Any], Any]


@dataclass(frozen=True)
class Registry:
    """How the pages show and change one registry."""

    slug: str
    name: str  # URL name prefix: team, expert, …
    title: Promise
    model_perm: str
    filter_form: type[django_forms.Form]
    form: type[django_forms.Form]
    columns: list[tuple[Promise, Cell]]
    fields: list[tuple[Promise, Cell]]
    list_rows: Callable[..., QuerySet]
    get: Callable[[Any, int], Any]
    create: Callable[..., Any]
    update: Callable[..., Any]


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _place(obj: Any) -> str:
    return f"{obj.lat:.5f}, {obj.lon:.5f}" if obj.lat is not None else "—"


REGISTRIES: dict[str, Registry] = {
    r.slug: r
    for r in [
        Registry(
            slug="teams",
            name="team",
            title=gettext_lazy("Rescue teams"),
            model_perm="team",
            filter_form=forms.TeamFilterForm,
            form=forms.TeamForm,
            columns=[
                (gettext_lazy("Kind"), lambda t: t.get_kind_display()),
                (gettext_lazy("Parent unit"), lambda t: t.org.parent),
                (gettext_lazy("On duty / headcount"), lambda t: f"{t.on_duty} / {t.headcount}"),
                (gettext_lazy("Leader"), lambda t: f"{t.org.contact} {t.org.phone}"),
                (gettext_lazy("Status"), lambda t: t.get_status_display()),
            ],
            fields=[
                (gettext_lazy("Code"), lambda t: t.org.code),
                (gettext_lazy("Kind"), lambda t: t.get_kind_display()),
                (gettext_lazy("Parent unit"), lambda t: t.org.parent),
                (gettext_lazy("Status"), lambda t: t.get_status_display()),
                (gettext_lazy("Headcount"), lambda t: t.headcount),
                (gettext_lazy("On duty"), lambda t: t.on_duty),
                (gettext_lazy("Leader"), lambda t: t.org.contact or "—"),
                (gettext_lazy("Phone"), lambda t: t.org.phone or "—"),
                (gettext_lazy("Base address"), lambda t: t.org.address or "—"),
                (gettext_lazy("Location"), lambda t: _place(t.org)),
                (gettext_lazy("Skills"), lambda t: t.skills or "—"),
                (gettext_lazy("Notes"), lambda t: t.notes or "—"),
            ],
            list_rows=selectors.team_list,
            get=lambda user, pk: selectors.team_get(user=user, team_id=pk),
            create=services.team_create,
            update=lambda *, by, obj, **v: services.team_update(by=by, team=obj, **v),
        ),
        Registry(
            slug="experts",
            name="expert",
            title=gettext_lazy("Experts"),
            model_perm="expert",
            filter_form=forms.ExpertFilterForm,
            form=forms.ExpertForm,
            columns=[
                (gettext_lazy("Field"), lambda x: x.get_field_display()),
                (gettext_lazy("Title"), lambda x: x.title),
                (gettext_lazy("Organisation"), lambda x: x.organisation),
                (gettext_lazy("Phone"), lambda x: x.phone),
                (gettext_lazy("Availability"), lambda x: x.get_availability_display()),
            ],
            fields=[
                (gettext_lazy("Code"), lambda x: x.code),
                (gettext_lazy("Field"), lambda x: x.get_field_display()),
                (gettext_lazy("Title"), lambda x: x.title or "—"),
                (gettext_lazy("Organisation"), lambda x: x.organisation or "—"),
                (gettext_lazy("Phone"), lambda x: x.phone or "—"),
                (gettext_lazy("Availability"), lambda x: x.get_availability_display()),
                (gettext_lazy("Owner"), lambda x: x.org),
                (gettext_lazy("Location"), _place),
                (gettext_lazy("Notes"), lambda x: x.notes or "—"),
            ],
            list_rows=selectors.expert_list,
            get=lambda user, pk: selectors.expert_get(user=user, expert_id=pk),
            create=services.expert_create,
            update=lambda *, by, obj, **v: services.expert_update(by=by, expert=obj, **v),
        ),
        Registry(
            slug="equipment",
            name="equipment",
            title=gettext_lazy("Large equipment"),
            model_perm="equipment",
            filter_form=forms.EquipmentFilterForm,
            form=forms.EquipmentForm,
            columns=[
                (gettext_lazy("Category"), lambda e: e.get_category_display()),
                (gettext_lazy("Model"), lambda e: e.model),
                (gettext_lazy("Quantity"), lambda e: e.quantity),
                (gettext_lazy("Owner"), lambda e: e.org),
                (gettext_lazy("Status"), lambda e: e.get_status_display()),
                (gettext_lazy("Next maintenance"), lambda e: e.next_maintenance or "—"),
            ],
            fields=[
                (gettext_lazy("Code"), lambda e: e.code),
                (gettext_lazy("Category"), lambda e: e.get_category_display()),
                (gettext_lazy("Model"), lambda e: e.model or "—"),
                (gettext_lazy("Quantity"), lambda e: e.quantity),
                (gettext_lazy("Status"), lambda e: e.get_status_display()),
                (gettext_lazy("Next maintenance"), lambda e: e.next_maintenance or "—"),
                (gettext_lazy("Owner"), lambda e: e.org),
                (gettext_lazy("Location"), lambda e: e.location or "—"),
                (gettext_lazy("Coordinates"), _place),
                (gettext_lazy("Keeper"), lambda e: f"{e.keeper} {e.phone}".strip() or "—"),
            ],
            list_rows=selectors.equipment_list,
            get=lambda user, pk: selectors.equipment_get(user=user, equipment_id=pk),
            create=services.equipment_create,
            update=lambda *, by, obj, **v: services.equipment_update(by=by, equipment=obj, **v),
        ),
        Registry(
            slug="materials",
            name="material",
            title=gettext_lazy("Material catalogue"),
            model_perm="materialitem",
            filter_form=forms.MaterialFilterForm,
            form=forms.MaterialForm,
            columns=[
                (gettext_lazy("Category"), lambda m: m.get_category_display()),
                (gettext_lazy("Specification"), lambda m: m.spec),
                (gettext_lazy("Unit"), lambda m: m.unit),
                (gettext_lazy("Shelf life (days)"), lambda m: m.shelf_life_days or "—"),
                (gettext_lazy("On hand"), lambda m: m.on_hand),
            ],
            fields=[
                (gettext_lazy("Code"), lambda m: m.code),
                (gettext_lazy("Category"), lambda m: m.get_category_display()),
                (gettext_lazy("Specification"), lambda m: m.spec or "—"),
                (gettext_lazy("Unit"), lambda m: m.unit),
                (gettext_lazy("Shelf life (days)"), lambda m: m.shelf_life_days or "—"),
                (gettext_lazy("On hand"), lambda m: m.on_hand),
            ],
            list_rows=selectors.material_list,
            get=lambda user, pk: selectors.material_get(user=user, material_id=pk),
            create=services.material_create,
            update=lambda *, by, obj, **v: services.material_update(by=by, material=obj, **v),
        ),
        Registry(
            slug="warehouses",
            name="warehouse",
            title=gettext_lazy("Warehouses"),
            model_perm="warehouse",
            filter_form=forms.WarehouseFilterForm,
            form=forms.WarehouseForm,
            columns=[
                (gettext_lazy("Owner"), lambda w: w.org),
                (gettext_lazy("Address"), lambda w: w.address),
                (gettext_lazy("Keeper"), lambda w: f"{w.keeper} {w.phone}"),
                (gettext_lazy("Items in stock"), lambda w: w.item_count),
                (gettext_lazy("Below minimum"), lambda w: w.low_count or "—"),
            ],
            fields=[
                (gettext_lazy("Code"), lambda w: w.code),
                (gettext_lazy("Owner"), lambda w: w.org),
                (gettext_lazy("Address"), lambda w: w.address or "—"),
                (gettext_lazy("Location"), _place),
                (gettext_lazy("Keeper"), lambda w: f"{w.keeper} {w.phone}".strip() or "—"),
                (gettext_lazy("Active"), lambda w: _yes(w.active)),
            ],
            list_rows=selectors.warehouse_list,
            get=lambda user, pk: selectors.warehouse_get(user=user, warehouse_id=pk),
            create=services.warehouse_create,
            update=lambda *, by, obj, **v: services.warehouse_update(by=by, warehouse=obj, **v),
        ),
        Registry(
            slug="shelters",
            name="shelter",
            title=gettext_lazy("Shelters"),
            model_perm="shelter",
            filter_form=forms.ShelterFilterForm,
            form=forms.ShelterForm,
            columns=[
                (gettext_lazy("Class"), lambda s: s.get_shelter_class_display()),
                (gettext_lazy("Indoor or outdoor"), lambda s: s.get_kind_display()),
                (gettext_lazy("Effective area (m²)"), lambda s: s.effective_area_m2),
                (gettext_lazy("Occupancy / capacity"), lambda s: f"{s.occupancy} / {s.capacity}"),
                (gettext_lazy("Open"), lambda s: _yes(s.is_open)),
            ],
            fields=[
                (gettext_lazy("Code"), lambda s: s.code),
                (gettext_lazy("Class"), lambda s: s.get_shelter_class_display()),
                (gettext_lazy("Indoor or outdoor"), lambda s: s.get_kind_display()),
                (gettext_lazy("Effective area (m²)"), lambda s: s.effective_area_m2),
                (gettext_lazy("Capacity"), lambda s: s.capacity),
                (gettext_lazy("Stated capacity"), lambda s: s.capacity_given or "—"),
                (gettext_lazy("Current occupancy"), lambda s: s.occupancy),
                (gettext_lazy("Open"), lambda s: _yes(s.is_open)),
                (gettext_lazy("Facilities"), lambda s: "、".join(s.facility_labels()) or "—"),
                (gettext_lazy("Owner"), lambda s: s.org),
                (gettext_lazy("Address"), lambda s: s.address or "—"),
                (gettext_lazy("Location"), _place),
                (gettext_lazy("Manager"), lambda s: f"{s.manager} {s.phone}".strip() or "—"),
            ],
            list_rows=selectors.shelter_list,
            get=lambda user, pk: selectors.shelter_get(user=user, shelter_id=pk),
            create=services.shelter_create,
            update=lambda *, by, obj, **v: services.shelter_update(by=by, shelter=obj, **v),
        ),
    ]
}


def _registry(slug: str) -> Registry:
    try:
        return REGISTRIES[slug]
    except KeyError:
        raise Http404 from None


def _apply_errors(form: django_forms.Form, exc: ValidationFailed) -> None:
    for field, errors in (exc.errors or {"__all__": [exc.detail]}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def index(request):
    counts = selectors.registry_counts(user=request.user)
    cards = [(REGISTRIES[slug], counts[slug]) for slug in REGISTRIES]
    return render(request, "resources/index.html", {"cards": cards})


def registry_list(request, slug: str):
    registry = _registry(slug)
    form = registry.filter_form(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v not in ("", None, False)}
    page = Paginator(registry.list_rows(user=request.user, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
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
            "query": query.urlencode(),
            "today": today,
            "can_add": request.user.has_perm(f"resources.add_{registry.model_perm}"),
            "detail_url": f"resources:{registry.name}-detail",
        },
    )


def registry_detail(request, slug: str, pk: int):
    registry = _registry(slug)
    obj = registry.get(request.user, pk)
    context: dict[str, Any] = {
        "registry": registry,
        "obj": obj,
        "fields": [(label, cell(obj)) for label, cell in registry.fields],
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


def registry_edit(request, slug: str, pk: int | None = None):
    registry = _registry(slug)
    obj = registry.get(request.user, pk) if pk is not None else None
    perm = f"resources.{'change' if obj else 'add'}_{registry.model_perm}"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    instance_kwargs = {"instance": obj} if obj is not None else {}
    form = registry.form(request.POST or None, user=request.user, **instance_kwargs)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            saved = (
                registry.update(by=request.user, obj=obj, **values)
                if obj is not None
                else registry.create(by=request.user, **values)
            )
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"resources:{registry.name}-detail", saved.pk)
    return render(request, "resources/form.html", {"registry": registry, "form": form, "obj": obj})


def registry_export(request, slug: str) -> HttpResponse:
    return xlsx_response(SHEETS[_registry(slug).slug], request.user)


@require_POST
def registry_import(request, slug: str):
    registry = _registry(slug)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an .xlsx file to import."))
        return redirect(f"resources:{registry.name}-list")
    try:
        report = excel.import_xlsx(SHEETS[slug], user=request.user, data=upload.read())
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
def team_member_add(request, pk: int):
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
def team_member_remove(request, pk: int, member_id: int):
    team = selectors.team_get(user=request.user, team_id=pk)
    member = TeamMember.objects.filter(team=team, pk=member_id).first()
    if member is None:
        raise Http404
    services.team_member_remove(by=request.user, team=team, member=member)
    messages.success(request, _("Member removed."))
    return redirect("resources:team-detail", team.pk)


@require_POST
def warehouse_stock(request, pk: int):
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
        for field, errors in (exc.errors or {"__all__": [exc.detail]}).items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {errors[0]}" if label else errors[0])
    else:
        messages.success(request, _("Stock updated."))
    return redirect("resources:warehouse-detail", pk)


def alerts(request):
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


def one_map(request):
    """The one map (一张图): resources, districts and streets, nearest, evacuation and coverage tools."""
    return render(
        request,
        "resources/map.html",
        {
            "network": reach.road_network_info(),
            "team_kinds": forms.TeamFilterForm.base_fields["kind"].choices[1:],
            "nearest_url": reverse("api:resources_nearest"),
            "evacuation_url": reverse("api:routing_evacuation"),
            "coverage_url": reverse("api:resources_coverage"),
        },
    )
