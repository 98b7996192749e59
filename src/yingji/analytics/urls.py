from django.urls import path

from yingji.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.stats_page, name="stats"),
    path("alarm-quality/", views.alarm_quality_page, name="alarm-quality"),
    path("reports/", views.reports_page, name="reports"),
    path("targets/", views.targets_page, name="targets"),
]
