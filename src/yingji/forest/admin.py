"""Admin of forest fire prevention: for looking things up; changes go through the pages and the API (services)."""

from django.contrib import admin

from yingji.core.admin import ReadOnlyAdmin
from yingji.forest.models import ChainMember, DangerNotice, FirePoint, ForestArea, MissedPatrol, Patrol


@admin.register(ForestArea)
class ForestAreaAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "org", "area_ha", "patrols_per_day", "active")
    search_fields = ("code", "name")
    list_select_related = ("org",)


@admin.register(ChainMember)
class ChainMemberAdmin(ReadOnlyAdmin):
    list_display = ("area", "level", "name", "phone", "user", "active")
    list_filter = ("level", "active")
    list_select_related = ("area", "user")


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    list_display = ("area", "ranger", "status", "started_at", "ended_at", "distance_m", "points_count")
    list_filter = ("status",)
    date_hierarchy = "started_at"
    list_select_related = ("area", "ranger")


@admin.register(FirePoint)
class FirePointAdmin(ReadOnlyAdmin):
    list_display = ("reported_at", "area", "status", "lat", "lon", "reported_by")
    list_filter = ("status",)
    list_select_related = ("area", "reported_by")


@admin.register(DangerNotice)
class DangerNoticeAdmin(ReadOnlyAdmin):
    list_display = ("date", "area", "level", "level_name", "patrols_per_day", "recipients")
    list_select_related = ("area",)


@admin.register(MissedPatrol)
class MissedPatrolAdmin(ReadOnlyAdmin):
    list_display = ("date", "area", "done", "expected", "level")
    list_select_related = ("area",)
