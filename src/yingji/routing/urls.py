from django.urls import path

from yingji.routing import views

app_name = "routing"
urlpatterns = [
    path("", views.network_list, name="network-list"),
    path("<int:network_id>/", views.network_detail, name="network-detail"),
    path("<int:network_id>/roads.geojson", views.network_geojson, name="network-geojson"),
    path("<int:network_id>/activate/", views.network_activate, name="network-activate"),
]
