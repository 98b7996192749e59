from django.urls import path

from yingji.resources import views
from yingji.resources.views import REGISTRIES

app_name = "resources"
urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.one_map, name="map"),
    path("alerts/", views.alerts, name="alerts"),
    path("teams/<int:pk>/members/", views.team_member_add, name="team-member-add"),
    path("teams/<int:pk>/members/<int:member_id>/remove/", views.team_member_remove, name="team-member-remove"),
    path("warehouses/<int:pk>/stock/", views.warehouse_stock, name="warehouse-stock"),
]
# The same five pages for every registry: list, detail, new, edit, and the Excel export and import.
for registry in REGISTRIES.values():
    slug, name = registry.slug, registry.name
    urlpatterns += [
        path(f"{slug}/", views.registry_list, {"slug": slug}, name=f"{name}-list"),
        path(f"{slug}/new/", views.registry_edit, {"slug": slug}, name=f"{name}-create"),
        path(f"{slug}/export/", views.registry_export, {"slug": slug}, name=f"{name}-export"),
        path(f"{slug}/import/", views.registry_import, {"slug": slug}, name=f"{name}-import"),
        path(f"{slug}/<int:pk>/", views.registry_detail, {"slug": slug}, name=f"{name}-detail"),
        path(f"{slug}/<int:pk>/edit/", views.registry_edit, {"slug": slug}, name=f"{name}-edit"),
    ]
