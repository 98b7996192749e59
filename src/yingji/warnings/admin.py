"""Admin of early warnings: read-only, since every change goes through the lifecycle and its audit."""

from django.contrib import admin

from yingji.core.admin import ReadOnlyAdmin
from yingji.warnings.models import EarlyWarning


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ReadOnlyAdmin):
    list_display = (
        "headline",
        "level",
        "event_type",
        "status",
        "msg_type",
        "source",
        "exercise",
        "org",
        "sent",
        "expires",
    )
    list_filter = ("status", "level", "event_type", "msg_type", "source", "exercise")
    search_fields = ("headline", "identifier", "sender", "description")
    date_hierarchy = "created_at"
    list_select_related = ("org",)
