"""Admin: the incident-type taxonomy is maintained here; incidents, reports and the roster are read-only."""

from django.contrib import admin
from django.http import HttpRequest

from yingji.core.admin import ReadOnlyAdmin  # records of consequence change only through the duty desk's services
from yingji.incidents.models import DutyShift, Handover, Incident, IncidentType, Report, TimelineEntry


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "category", "order493", "active", "sort")
    list_filter = ("category", "order493", "active")
    search_fields = ("name", "code")
    list_editable = ("active", "sort")

    def has_delete_permission(self, request: HttpRequest, obj: IncidentType | None = None) -> bool:
        return False  # types in use stay; retire them with `active`


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    fields = ("at", "kind", "text", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "category", "type", "grade", "status", "org", "received_at")
    list_filter = ("status", "category", "grade", "type")
    search_fields = ("code", "title", "address", "reporter_name")
    date_hierarchy = "received_at"
    inlines = [TimelineInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("incident", "kind", "status", "due_at", "sent_at", "escalated_at")
    list_filter = ("kind", "status")


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "ends_at", "officer", "leader", "org")
    date_hierarchy = "starts_at"


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("at", "shift", "by")
