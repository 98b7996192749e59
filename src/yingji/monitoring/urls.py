from django.urls import path

from yingji.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("devices/", views.device_list, name="device-list"),
    path("devices/new/", views.device_edit, name="device-create"),
    path("devices/<str:code>/", views.device_detail, name="device-detail"),
    path("devices/<str:code>/edit/", views.device_edit, name="device-edit"),
    path("devices/<str:code>/token/", views.device_token, name="device-token"),
    path("alarms/", views.alarm_list, name="alarm-list"),
    path("alarms/<int:alarm_id>/", views.alarm_detail, name="alarm-detail"),
    path("alarms/<int:alarm_id>/ack/", views.alarm_ack, name="alarm-ack"),
    path("alarms/<int:alarm_id>/close/", views.alarm_close, name="alarm-close"),
    path("rules/", views.rule_list, name="rule-list"),
    path("rules/new/", views.rule_edit, name="rule-create"),
    path("rules/<int:rule_id>/edit/", views.rule_edit, name="rule-edit"),
    path("alarms/<int:alarm_id>/verify/", views.alarm_verify, name="alarm-verify"),
    path("fire-danger/", views.fire_danger, name="fire-danger"),
    path("hydrology/", views.hydrology_index, name="hydrology"),
    path("hydrology/<str:code>/", views.hydrology_station, name="station-detail"),
    path("hydrology/<str:code>/edit/", views.hydrology_station_edit, name="station-edit"),
    path("fire/", views.fire_index, name="fire"),
]
