"""Admin for the device registry and rules (through the services), and read-only views of alarms,
dead letters and fire danger; hydrological stations (through their service), the rainstorm signal criteria and flood
response rules the bureau keeps, and Modbus endpoints."""

from typing import Any

from django.contrib import admin
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from yingji.core.models import User
from yingji.monitoring import hydrology, services
from yingji.monitoring.models import (
    Alarm,
    AlarmEvent,
    DeadLetter,
    Device,
    FireDangerDay,
    FloodResponse,
    FloodResponseRule,
    HydroStation,
    ModbusEndpoint,
    RainstormCriterion,
    Rule,
    WarningSuggestion,
)


def actor(request: HttpRequest) -> User:
    """The staff member saving in the admin (the admin site lets only signed-in staff in)."""
    assert isinstance(request.user, User)
    return request.user


class ServiceSavedAdmin(admin.ModelAdmin):
    """Saves go through the app's create/update services (validation, audit), never `obj.save()`."""

    # Subclasses name their services and the keyword the update service takes the object by.
    create: staticmethod
    update: staticmethod
    target: str

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            saved = self.update(by=actor(request), **{self.target: obj}, **fields)
        else:
            saved = self.create(by=actor(request), **{n: form.cleaned_data[n] for n in form.cleaned_data})
        obj.pk = saved.pk


@admin.register(Device)
class DeviceAdmin(ServiceSavedAdmin):
    create, update, target = staticmethod(services.device_create), staticmethod(services.device_update), "device"
    list_display = ["code", "name", "type", "org", "status", "last_seen_at", "active"]
    list_filter = ["type", "status", "active"]
    search_fields = ["code", "name", "installation"]
    autocomplete_fields = ["org", "installation_org"]
    readonly_fields = ["status", "last_seen_at", "token_prefix"]


@admin.register(Rule)
class RuleAdmin(ServiceSavedAdmin):
    create, update, target = staticmethod(services.rule_create), staticmethod(services.rule_update), "rule"
    list_display = ["name", "kind", "device_type", "device", "metric", "blue", "yellow", "orange", "red", "active"]
    list_filter = ["kind", "device_type", "active", "opens_incident"]
    search_fields = ["name", "metric"]
    raw_id_fields = ["device"]


class AlarmEventInline(admin.TabularInline):
    model = AlarmEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "level", "value", "by", "comment"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    list_display = ["device", "rule", "level", "status", "value", "peak_value", "repeat_count", "raised_at"]
    list_filter = ["status", "level"]
    search_fields = ["device__code", "device__name", "rule__name"]
    inlines = [AlarmEventInline]


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "source", "topic", "reason"]
    list_filter = ["source"]
    search_fields = ["topic", "reason"]


@admin.register(FireDangerDay)
class FireDangerDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "device", "fwi", "level_name", "suggest_warning"]
    list_filter = ["level", "suggest_warning"]


@admin.register(WarningSuggestion)
class WarningSuggestionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event_type", "level", "headline"]
    list_filter = ["event_type", "level"]


@admin.register(HydroStation)
class HydroStationAdmin(admin.ModelAdmin):
    """Saved through `station_save`, which keeps the device's level rule in step with the levels."""

    list_display = ["device", "kind", "fortify_level", "warning_level", "guarantee_level", "depth_threshold_m"]
    list_filter = ["kind"]
    search_fields = ["device__code", "device__name"]
    raw_id_fields = ["device"]
    filter_horizontal = ["serves"]

    def save_model(self, request: HttpRequest, obj: HydroStation, form: ModelForm, change: bool) -> None:
        fields = {n: form.cleaned_data[n] for n in hydrology.STATION_FIELDS if n in form.cleaned_data}
        saved = hydrology.station_save(
            by=actor(request), device=form.cleaned_data["device"], serves=list(form.cleaned_data["serves"]), **fields
        )
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: list[BaseFormSet], change: bool) -> None:
        """The service has set the streets served."""


@admin.register(RainstormCriterion)
class RainstormCriterionAdmin(admin.ModelAdmin):
    list_display = ["level", "hours", "mm", "active"]
    list_filter = ["level", "active"]


@admin.register(FloodResponseRule)
class FloodResponseRuleAdmin(admin.ModelAdmin):
    list_display = ["level", "stage", "min_stations", "station_kind", "active", "note"]
    list_filter = ["level", "active"]


@admin.register(FloodResponse)
class FloodResponseAdmin(ReadOnlyAdmin):
    """Proposed by the level stations' state (hydrology.flood_response_check), never entered by hand."""

    list_display = ["proposed_at", "level", "status", "basis", "ended_at"]
    list_filter = ["level", "status"]


@admin.register(ModbusEndpoint)
class ModbusEndpointAdmin(admin.ModelAdmin):
    """Saved through `modbus_endpoint_save` (profile checked, audited)."""

    list_display = ["device", "host", "port", "unit_id", "profile", "interval_s", "active"]
    raw_id_fields = ["device"]

    def save_model(self, request: HttpRequest, obj: ModbusEndpoint, form: ModelForm, change: bool) -> None:
        from yingji.monitoring.modbus import ENDPOINT_FIELDS, modbus_endpoint_save

        fields = {n: form.cleaned_data[n] for n in ENDPOINT_FIELDS if n in form.cleaned_data}
        obj.pk = modbus_endpoint_save(by=actor(request), device=form.cleaned_data["device"], **fields).pk
