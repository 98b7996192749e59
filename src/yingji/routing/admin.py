"""Admin pages for road networks: read their figures, switch the active one; nodes and edges are imported."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yingji.core.errors import YingjiError
from yingji.core.requests import AuthedRequest
from yingji.routing.models import RoadNetwork
from yingji.routing.services import network_activate


@admin.register(RoadNetwork)
class RoadNetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "node_count", "edge_count", "imported_at", "illustrative", "active")
    list_filter = ("active", "illustrative", "serves_district")
    search_fields = ("name", "source")
    fields = (
        "name",
        "source",
        "imported_at",
        "illustrative",
        "active",
        "serves_district",
        ("min_lat", "max_lat", "min_lon", "max_lon"),
        ("node_count", "edge_count"),
        "uid",
    )
    readonly_fields = (
        "source",
        "imported_at",
        "illustrative",
        "active",
        "serves_district",
        "min_lat",
        "max_lat",
        "min_lon",
        "max_lon",
        "node_count",
        "edge_count",
        "uid",
    )
    actions = ["activate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # networks come from `yingji roads import` or the demo

    def has_delete_permission(self, request: HttpRequest, obj: RoadNetwork | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.active)

    @admin.action(description=_("Use the selected network for routing"))
    def activate(self, request: AuthedRequest, queryset: QuerySet[RoadNetwork]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one network."), messages.ERROR)
            return
        try:
            network = network_activate(by=request.user, network=queryset.get())
        except YingjiError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
            return
        self.message_user(request, _("Routing now uses the road network “%(name)s”.") % {"name": network.name})
