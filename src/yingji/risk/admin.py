"""Read-mostly admin views of the prevention registers; changes go through the services (API and pages)."""

from django.contrib import admin

from yingji.core.admin import ReadOnlyAdmin as ReadOnly
from yingji.risk.models import (
    Commitment,
    DangerEvent,
    Draw,
    EnforcementDocument,
    EnterpriseProfile,
    HazardUnit,
    HiddenDanger,
    Inspection,
    InspectionPlan,
    RiskPoint,
)


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(ReadOnly):
    list_display = ("org", "uscc", "scale", "high_risk", "industry_section")
    list_filter = ("scale", "high_risk", "industry_section")
    search_fields = ("org__name", "org__code", "uscc")


@admin.register(RiskPoint)
class RiskPointAdmin(ReadOnly):
    list_display = ("name", "org", "method", "score", "colour", "active")
    list_filter = ("colour", "method", "active")
    search_fields = ("name", "org__name")


class DangerEventInline(admin.TabularInline):
    model = DangerEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "by", "note", "at")


@admin.register(HiddenDanger)
class HiddenDangerAdmin(ReadOnly):
    list_display = ("title", "org", "grade", "status", "deadline", "found_at")
    list_filter = ("status", "grade", "source")
    search_fields = ("title", "org__name")
    inlines = [DangerEventInline]


@admin.register(HazardUnit)
class HazardUnitAdmin(ReadOnly):
    list_display = ("name", "org", "kind", "s_value", "is_major", "grade")
    list_filter = ("is_major", "grade")


for model in (InspectionPlan, Draw, Inspection, EnforcementDocument, Commitment):
    admin.site.register(model, ReadOnly)
