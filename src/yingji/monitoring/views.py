"""Pages of monitoring: overview, devices, alarms, rules, fire danger. Thin: selectors and services."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.requests import AuthedRequest
from yingji.core.web import page_of, run_service
from yingji.monitoring import firealarm, hydrology, selectors, services
from yingji.monitoring.chart import line_chart
from yingji.monitoring.forms import (
    AckForm,
    AlarmFilterForm,
    DeviceFilterForm,
    DeviceForm,
    RuleForm,
    StationForm,
    VerifyForm,
)
from yingji.monitoring.metrics import metric_label, metric_unit
from yingji.monitoring.models import Level


def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    devices = selectors.device_list(user=user)
    # Without .order_by() the list's ordering (and its annotation) would join the GROUP BY: one row per device.
    by_status = dict(
        devices.order_by().values("status").annotate(n=Count("id", distinct=True)).values_list("status", "n")
    )
    open_alarms = selectors.alarm_list(user=user, status="open")
    by_level = dict(open_alarms.order_by().values("level").annotate(n=Count("id")).values_list("level", "n"))
    return render(
        request,
        "monitoring/index.html",
        {
            "device_counts": by_status,
            "device_total": sum(by_status.values()),
            "levels": [(level, label, by_level.get(level, 0)) for level, label in reversed(Level.choices)],
            "alarms": open_alarms[:10],
            "suggestions": selectors.suggestion_list(user=user)[:5],
        },
    )


def device_list(request: AuthedRequest) -> HttpResponse:
    form = DeviceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    devices = selectors.device_list(
        user=request.user, q=filters.get("q"), type=filters.get("type"), status=filters.get("status")
    )
    page, query = page_of(request, devices)
    can_add = request.user.has_perm("monitoring.add_device")
    return render(
        request, "monitoring/device_list.html", {"form": form, "page": page, "query": query, "can_add": can_add}
    )


def device_detail(request: AuthedRequest, code: str) -> HttpResponse:
    device = selectors.device_get(user=request.user, code=code)
    since = timezone.now() - timedelta(hours=24)
    charts = []
    for metric in device.metric_codes:
        chart = line_chart(selectors.readings_recent(device=device, metric=metric, since=since))
        charts.append({"metric": metric, "label": metric_label(metric), "unit": metric_unit(metric), "chart": chart})
    latest = [(metric_label(m), v, metric_unit(m), t) for m, (t, v) in selectors.latest_values(device=device).items()]
    return render(
        request,
        "monitoring/device_detail.html",
        {
            "device": device,
            "charts": charts,
            "latest": latest,
            "alarms": selectors.alarm_list(user=request.user, device=device.code)[:20],
            "can_change": request.user.has_perm("monitoring.change_device"),
            "new_token": request.session.pop("device_token", None),
        },
    )


def device_edit(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    device = selectors.device_get(user=request.user, code=code) if code else None
    permission = "monitoring.change_device" if device else "monitoring.add_device"
    if not request.user.has_perm(permission):
        raise PermissionDenied
    form = DeviceForm(request.POST or None, instance=device, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        save = (
            (lambda: services.device_update(by=request.user, device=device, **fields))
            if device
            else (lambda: services.device_create(by=request.user, **fields))
        )
        outcome = run_service(request, form, save)
        if outcome:
            saved = outcome.value
            assert saved is not None  # a service that succeeded returned the device
            messages.success(request, _("Device %(code)s saved.") % {"code": saved.code})
            return redirect("monitoring:device-detail", code=saved.code)
    return render(request, "monitoring/form.html", {"form": form, "title": device or _("New device")})


@require_POST
def device_token(request: AuthedRequest, code: str) -> HttpResponse:
    device = selectors.device_get(user=request.user, code=code)
    request.session["device_token"] = services.device_token_issue(by=request.user, device=device)
    return redirect("monitoring:device-detail", code=device.code)


def alarm_list(request: AuthedRequest) -> HttpResponse:
    form = AlarmFilterForm(request.GET or {"status": "open"})
    filters = form.cleaned_data if form.is_valid() else {"status": "open"}
    alarms = selectors.alarm_list(
        user=request.user, status=filters.get("status") or None, level=filters.get("level"), q=filters.get("q")
    )
    page, query = page_of(request, alarms)
    context = {"form": form, "page": page, "query": query, "can_ack": request.user.has_perm("monitoring.change_alarm")}
    # htmx refreshes only the table every few seconds: new alarms appear without a reload.
    template = "monitoring/_alarm_rows.html" if request.headers.get("HX-Request") else "monitoring/alarm_list.html"
    return render(request, template, context)


def alarm_detail(request: AuthedRequest, alarm_id: int) -> HttpResponse:
    alarm = selectors.alarm_get(user=request.user, alarm_id=alarm_id)
    return render(
        request,
        "monitoring/alarm_detail.html",
        {
            "alarm": alarm,
            "events": alarm.events.select_related("by"),
            "form": AckForm(),
            "verify_form": VerifyForm(),
            "fire_point": firealarm.fire_point_of(alarm) if alarm.rule.needs_verification else None,
            "can_ack": request.user.has_perm("monitoring.change_alarm"),
        },
    )


def _alarm_action(request: AuthedRequest, alarm_id: int, *, close: bool) -> HttpResponse:
    alarm = selectors.alarm_get(user=request.user, alarm_id=alarm_id)
    form = AckForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if close:
        run_service(
            request,
            None,
            lambda: services.alarm_close(by=request.user, alarm=alarm, comment=comment),
            success=_("Alarm closed."),
        )
    else:
        run_service(
            request,
            None,
            lambda: services.alarm_acknowledge(by=request.user, alarm=alarm, comment=comment),
            success=_("Alarm acknowledged."),
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("monitoring:alarm-detail", alarm_id=alarm.pk)


@require_POST
def alarm_ack(request: AuthedRequest, alarm_id: int) -> HttpResponse:
    return _alarm_action(request, alarm_id, close=False)


@require_POST
def alarm_close(request: AuthedRequest, alarm_id: int) -> HttpResponse:
    return _alarm_action(request, alarm_id, close=True)


def rule_list(request: AuthedRequest) -> HttpResponse:
    rules = selectors.rule_list(user=request.user, q=request.GET.get("q") or None)
    page, query = page_of(request, rules)
    return render(
        request,
        "monitoring/rule_list.html",
        {"page": page, "query": query, "can_change": request.user.has_perm("monitoring.change_rule")},
    )


def rule_edit(request: AuthedRequest, rule_id: int | None = None) -> HttpResponse:
    rule = selectors.rule_get(user=request.user, rule_id=rule_id) if rule_id else None
    if not request.user.has_perm("monitoring.change_rule" if rule else "monitoring.add_rule"):
        raise PermissionDenied
    form = RuleForm(request.POST or None, instance=rule, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        save = (
            (lambda: services.rule_update(by=request.user, rule=rule, **fields))
            if rule
            else (lambda: services.rule_create(by=request.user, **fields))
        )
        if run_service(request, form, save):
            messages.success(request, _("Rule saved."))
            return redirect("monitoring:rule-list")
    return render(request, "monitoring/form.html", {"form": form, "title": rule or _("New alarm rule")})


def fire_danger(request: AuthedRequest) -> HttpResponse:
    days = selectors.fire_danger_list(user=request.user)
    page, query = page_of(request, days)
    return render(
        request,
        "monitoring/fire_danger.html",
        {"page": page, "query": query, "suggestions": selectors.suggestion_list(user=request.user)[:30]},
    )


# 三防 and smart fire -------------------------------------------------------------------------------


def hydrology_index(request: AuthedRequest) -> HttpResponse:
    return render(request, "monitoring/hydrology.html", hydrology.overview(user=request.user))


def hydrology_station(request: AuthedRequest, code: str) -> HttpResponse:
    station = hydrology.station_get(user=request.user, code=code)
    context = hydrology.station_page(user=request.user, station=station)
    context["can_change"] = request.user.has_perm("monitoring.change_device")
    return render(request, "monitoring/station_detail.html", context)


def hydrology_station_edit(request: AuthedRequest, code: str) -> HttpResponse:
    """The bureau enters a station's levels (or a point's depth threshold); the device's rule follows."""
    device = selectors.device_get(user=request.user, code=code)
    if not request.user.has_perm("monitoring.change_device"):
        raise PermissionDenied
    station = getattr(device, "station", None)
    form = StationForm(request.POST or None, instance=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {f: data[f] for f in hydrology.STATION_FIELDS}
        outcome = run_service(
            request,
            form,
            lambda: hydrology.station_save(by=request.user, device=device, serves=list(data["serves"]), **fields),
            success=_("Station saved."),
        )
        if outcome:
            return redirect("monitoring:station-detail", code=device.code)
    return render(request, "monitoring/form.html", {"form": form, "title": device.name})


def fire_index(request: AuthedRequest) -> HttpResponse:
    context = firealarm.fire_overview(user=request.user)
    context["form"] = VerifyForm()
    context["can_verify"] = request.user.has_perm("monitoring.change_alarm")
    return render(request, "monitoring/fire.html", context)


@require_POST
def alarm_verify(request: AuthedRequest, alarm_id: int) -> HttpResponse:
    alarm = selectors.alarm_get(user=request.user, alarm_id=alarm_id)
    form = VerifyForm(request.POST)
    if form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: firealarm.alarm_verify(
                by=request.user, alarm=alarm, result=form.cleaned_data["result"], note=form.cleaned_data["note"]
            ),
            success=_("Fire alarm verified."),
        )
        if not outcome.ok:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
    else:
        messages.error(request, _("Choose what the alarm was."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("monitoring:alarm-detail", alarm_id=alarm.pk)
