from django.urls import path

from yingji.forest import views

app_name = "forest"
urlpatterns = [
    path("", views.index, name="index"),
    path("areas/new/", views.area_create, name="area-create"),
    path("areas/import/", views.area_import, name="area-import"),
    path("areas/<int:area_id>/", views.area_detail, name="area"),
    path("areas/<int:area_id>/routes/new/", views.route_create, name="route-create"),
    path("fires/new/", views.fire_report, name="fire-report"),
    path("patrol/", views.patrol, name="patrol"),
    path("findings/<int:finding_id>/photo", views.finding_photo, name="finding-photo"),
]
