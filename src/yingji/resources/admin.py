"""Admin pages of the resource registries. The six registries follow from their declarations (core.registry):
writes go through the services (audited, scoped). The stock ledger is read-only here: movements are appended on
the warehouse page or through the API."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from yingji.core.admin import ReadOnlyAdmin
from yingji.core.models import User
from yingji.core.registry import registry_admin
from yingji.resources import services
from yingji.resources.models import CommunityPopulation, StockBalance, StockLot, StockMovement, TeamMember
from yingji.resources.registries import REGISTRIES


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 1


registry_admin(REGISTRIES["teams"], inlines=[TeamMemberInline])
registry_admin(REGISTRIES["experts"])
registry_admin(REGISTRIES["equipment"])
registry_admin(REGISTRIES["materials"])
registry_admin(REGISTRIES["warehouses"])
registry_admin(REGISTRIES["shelters"], extra_filters=("illustrative",))


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = ("warehouse", "item", "quantity", "minimum")
    list_filter = ("warehouse",)
    search_fields = ("item__name", "warehouse__name")


@admin.register(StockLot)
class StockLotAdmin(ReadOnlyAdmin):
    list_display = ("warehouse", "item", "batch", "expiry", "quantity")
    list_filter = ("warehouse",)
    search_fields = ("item__name", "batch")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("at", "warehouse", "item", "kind", "delta", "batch", "balance_after", "reason", "actor")
    list_filter = ("kind", "warehouse")
    search_fields = ("item__name", "reason", "batch", "transfer_ref")
    date_hierarchy = "at"


@admin.register(CommunityPopulation)
class CommunityPopulationAdmin(admin.ModelAdmin):
    list_display = ("community", "population", "source", "illustrative")
    search_fields = ("community__name",)
    autocomplete_fields = ("community",)

    def has_delete_permission(self, request: HttpRequest, obj: CommunityPopulation | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CommunityPopulation, form: Any, change: bool) -> None:
        data = form.cleaned_data
        assert isinstance(request.user, User)  # the admin is for signed-in staff
        obj.pk = services.community_population_set(
            by=request.user,
            community=data["community"],
            population=data["population"],
            source=data["source"],
            illustrative=data["illustrative"],
        ).pk
