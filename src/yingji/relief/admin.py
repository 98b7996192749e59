from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from yingji.relief.models import (
    Award,
    CallOut,
    DisasterEvent,
    DisasterReport,
    Distribution,
    Household,
    SocialOrganisation,
    Volunteer,
)


class ReadOnly(admin.ModelAdmin):
    """Relief records change only through the services (audited); the admin reads them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


for model, columns in [
    (DisasterEvent, ["code", "name", "hazard", "started_on", "status"]),
    (DisasterReport, ["event", "org", "stage", "reported_on", "affected_people"]),
    (Household, ["code", "head_name", "org", "members"]),
    (Distribution, ["event", "household", "material", "quantity", "distributed_at"]),
    (Volunteer, ["name", "org", "availability", "hours_served", "active"]),
    (CallOut, ["title", "org", "created_at"]),
    (SocialOrganisation, ["name", "contact_name", "phone", "active"]),
    (Award, ["kind", "amount_yuan", "status", "created_at"]),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnly,), {"list_display": columns}))
