"""Admin of plans: read-only, since every change goes through the services, their lifecycle and the audit."""

from django.contrib import admin

from yingji.core.admin import ReadOnlyAdmin
from yingji.plans.models import Drill, Plan, PlanFiling, Scenario


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "level", "org", "status", "version", "filing_number", "approved_at")
    list_filter = ("level", "status")
    search_fields = ("title", "filing_number")
    list_select_related = ("org",)


@admin.register(PlanFiling)
class PlanFilingAdmin(ReadOnlyAdmin):
    list_display = ("number", "plan", "version", "filed_at", "filed_by")
    list_filter = ("year",)


@admin.register(Drill)
class DrillAdmin(ReadOnlyAdmin):
    list_display = ("title", "org", "content", "form", "scheduled_for", "status", "score")
    list_filter = ("status", "content", "form")


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("title", "org", "incident_type", "expected_deaths", "expected_injuries")
