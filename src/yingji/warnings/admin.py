"""Admin of early warnings: read-only, since every change goes through the lifecycle and its audit."""

from django.contrib import admin

from yingji.warnings.models import EarlyWarning


@admin.register(EarlyWarning)
class EarlyWarningAdmin(admin.ModelAdmin):
    list_display = ("headline", "level", "event_type", "status", "msg_type", "source", "org", "sent", "expires")
    list_filter = ("status", "level", "event_type", "msg_type", "source")
    search_fields = ("headline", "identifier", "sender", "description")
    date_hierarchy = "created_at"
    list_select_related = ("org",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
