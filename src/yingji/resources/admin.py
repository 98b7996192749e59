"""Admin pages of the resource registries. Writes go through the services (audited, scoped); the stock ledger
is read-only here: movements are appended on the warehouse page or through the API."""

from django.contrib import admin

from yingji.core.admin import ReadOnlyAdmin
from yingji.resources import services
from yingji.resources.models import (
    CommunityPopulation,
    Equipment,
    Expert,
    MaterialItem,
    Shelter,
    StockBalance,
    StockLot,
    StockMovement,
    Team,
    TeamMember,
    Warehouse,
)


class ServiceAdmin(admin.ModelAdmin):
    """Saves through `create(by=, **fields)` / `update(by=, <name>=obj, **fields)` services; never deletes."""

    create = None
    update = None
    fields_for_service: tuple[str, ...] = ()
    list_per_page = 50

    def has_delete_permission(self, request, obj=None):
        return False  # registries are kept; stock and teams are referenced by the ledger and dispatches

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in self.fields_for_service if f in form.cleaned_data}
        if change:
            saved = type(self).update(by=request.user, obj=type(obj).objects.get(pk=obj.pk), **values)
        else:
            saved = type(self).create(by=request.user, **values)
        obj.pk = saved.pk


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams' profiles; the team's name, place and contact are edited on its org unit."""

    list_display = ("org", "kind", "status", "headcount", "on_duty")
    list_filter = ("kind", "status")
    search_fields = ("org__name", "org__code", "skills")
    autocomplete_fields = ("org",)
    inlines = [TeamMemberInline]
    list_per_page = 50

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in services.TEAM_FIELDS if f in form.cleaned_data}
        if change:
            services.team_update(by=request.user, team=Team.objects.get(pk=obj.pk), **values)
        else:
            obj.pk = services.team_create(by=request.user, org=form.cleaned_data["org"], **values).pk


@admin.register(Expert)
class ExpertAdmin(ServiceAdmin):
    list_display = ("code", "name", "field", "title", "organisation", "phone", "availability", "org")
    list_filter = ("field", "availability")
    search_fields = ("code", "name", "organisation")
    autocomplete_fields = ("org",)
    fields_for_service = services.EXPERT_FIELDS
    create = staticmethod(services.expert_create)
    update = staticmethod(lambda *, by, obj, **v: services.expert_update(by=by, expert=obj, **v))


@admin.register(Equipment)
class EquipmentAdmin(ServiceAdmin):
    list_display = ("code", "name", "category", "model", "quantity", "status", "next_maintenance", "org")
    list_filter = ("category", "status")
    search_fields = ("code", "name", "model", "location")
    autocomplete_fields = ("org",)
    fields_for_service = services.EQUIPMENT_FIELDS
    create = staticmethod(services.equipment_create)
    update = staticmethod(lambda *, by, obj, **v: services.equipment_update(by=by, equipment=obj, **v))


@admin.register(MaterialItem)
class MaterialItemAdmin(ServiceAdmin):
    list_display = ("code", "name", "category", "spec", "unit", "shelf_life_days")
    list_filter = ("category",)
    search_fields = ("code", "name", "spec")
    fields_for_service = services.MATERIAL_FIELDS
    create = staticmethod(services.material_create)
    update = staticmethod(lambda *, by, obj, **v: services.material_update(by=by, material=obj, **v))


@admin.register(Warehouse)
class WarehouseAdmin(ServiceAdmin):
    list_display = ("code", "name", "org", "keeper", "phone", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "address", "keeper")
    autocomplete_fields = ("org",)
    fields_for_service = services.WAREHOUSE_FIELDS
    create = staticmethod(services.warehouse_create)
    update = staticmethod(lambda *, by, obj, **v: services.warehouse_update(by=by, warehouse=obj, **v))


@admin.register(Shelter)
class ShelterAdmin(ServiceAdmin):
    list_display = ("code", "name", "shelter_class", "kind", "effective_area_m2", "capacity", "occupancy", "is_open")
    list_filter = ("shelter_class", "kind", "is_open", "illustrative")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("org",)
    readonly_fields = ("capacity",)
    fields_for_service = services.SHELTER_FIELDS
    create = staticmethod(services.shelter_create)
    update = staticmethod(lambda *, by, obj, **v: services.shelter_update(by=by, shelter=obj, **v))


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

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        obj.pk = services.community_population_set(
            by=request.user,
            community=data["community"],
            population=data["population"],
            source=data["source"],
            illustrative=data["illustrative"],
        ).pk
