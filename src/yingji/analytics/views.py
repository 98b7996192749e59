"""Pages of analytics: the command dashboard, statistics, alarm quality and the report archive. Thin: the
selectors compute, the API serves the figures the pages' scripts fetch."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yingji.analytics import selectors, services
from yingji.analytics.forms import QualityFilterForm, ReportForm, StatFilterForm, TargetForm
from yingji.analytics.presentation import present
from yingji.analytics.stats import STATS
from yingji.core.errors import NotAllowed, YingjiError
from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service


def _api_query(request: HttpRequest) -> str:
    """The page's filters as the API's query string (for the Excel links)."""
    names = {"date_from": "from", "date_to": "to"}
    return urlencode([(names.get(key, key), value) for key, value in request.GET.items() if value and key != "page"])


def _figures_or_error(request: AuthedRequest, form: Any, names: list[str]) -> tuple[dict[str, Any], Any]:
    """The statistics `names` for the filter form's values; a refusal lands on the form."""
    data = form.cleaned_data if form.is_valid() else {}
    try:
        filters = selectors.stat_filters(
            user=request.user,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            street=data["street"].pk if data.get("street") else None,
            industry=data.get("industry") or "",
            category=data.get("category") or "",
            minutes=data.get("minutes") or 10,
        )
        figures = {name: selectors.stat_get(user=request.user, name=name, filters=filters) for name in names}
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from None
    except YingjiError as exc:
        form.add_error(None, exc.detail)
        return {}, None
    return figures, filters


def dashboard(request: AuthedRequest) -> HttpResponse:
    """The command dashboard (指挥大屏); its script fetches the figures and refreshes on live events."""
    if not request.user.has_perm("analytics.view_statistics"):
        raise PermissionDenied
    labels = {
        "officer": _("Duty officer"),
        "leader": _("Duty leader"),
        "phone": _("Duty phone"),
        "nobody": _("Nobody is on the roster for now."),
        "none": _("None"),
        "open": _("Open incidents"),
        "incidents": _("Open incidents"),
        "alarms": _("Active alarms"),
        "teams": _("Teams"),
        "people": _("People"),
        "equipment_ready": _("Equipment ready"),
        "equipment_in_use": _("Equipment in use"),
    }
    context = {"today": timezone.localdate(), "labels": labels, "extra_layers": selectors.dashboard_layers()}
    return render(request, "analytics/dashboard.html", context)


def _trend(incidents: dict[str, Any] | None) -> dict[str, Any] | None:
    """The incidents by month against the year before, for the page's chart."""
    if not incidents:
        return None
    previous = list(incidents["previous"]["by_month"].values())
    return {
        "labels": list(incidents["by_month"]),
        "current": list(incidents["by_month"].values()),
        "previous": previous,
        "current_label": _("This period"),
        "previous_label": _("Same period last year"),
    }


def stats_page(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("analytics.view_statistics"):
        raise PermissionDenied
    form = StatFilterForm(request.GET or None, user=request.user)
    # Every registered statistic; alarm quality has its own page, the funds are for those who keep them.
    names = [name for name in STATS if name not in ("alarm-quality", "funds")]
    if request.user.has_perm("analytics.view_budgetline"):
        names.append("funds")
    figures, filters = _figures_or_error(request, form, names)
    query = _api_query(request)
    return render(
        request,
        "analytics/stats.html",
        {
            "form": form,
            "sections": [present(name, result) for name, result in figures.items()],
            "filters": filters,
            "query": query,
            "trend": _trend(figures.get("incidents")),
        },
    )


def alarm_quality_page(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("analytics.view_statistics"):
        raise PermissionDenied
    form = QualityFilterForm(request.GET or None, user=request.user)
    figures, filters = _figures_or_error(request, form, ["alarm-quality"])
    query = _api_query(request)
    return render(
        request,
        "analytics/alarm_quality.html",
        {
            "form": form,
            "section": present("alarm-quality", figures["alarm-quality"]) if figures else None,
            "filters": filters,
            "query": query,
        },
    )


@require_http_methods(["GET", "POST"])
def reports_page(request: AuthedRequest) -> HttpResponse:
    """The report archive, with a form to request one and a progress bar for those building."""
    if not request.user.has_perm("analytics.view_report"):
        raise PermissionDenied
    last_month = (timezone.localdate().replace(day=1) - date.resolution).strftime("%Y-%m")
    form = ReportForm(request.POST or None, initial={"kind": "monthly", "period": last_month})
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.report_request(by=request.user, **form.cleaned_data),
            success=_("The report is queued; it appears below when built."),
        )
        if outcome:
            return redirect("analytics:reports")
    page, query = page_of(request, selectors.report_list(user=request.user))
    return render(
        request,
        "analytics/reports.html",
        {"form": form, "page": page, "query": query, "may_request": request.user.has_perm("analytics.add_report")},
    )


@require_http_methods(["GET", "POST"])
def targets_page(request: AuthedRequest) -> HttpResponse:
    """The annual control targets (控制指标): the bureau's leaders set them, everyone reads their area's."""
    if not request.user.has_perm("analytics.view_controltarget"):
        raise PermissionDenied
    year = timezone.localdate().year
    may_set = request.user.has_perm("analytics.change_controltarget")
    form = TargetForm(request.POST or None, user=request.user, initial={"year": year})
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid():
            outcome = run_service(
                request,
                form,
                lambda: services.target_set(by=request.user, **form.cleaned_data),
                success=_("The target is set."),
            )
            if outcome:
                return redirect("analytics:targets")
    targets = selectors.target_list(user=request.user).filter(year__gte=year - 1)
    return render(request, "analytics/targets.html", {"form": form, "targets": targets, "may_set": may_set})
