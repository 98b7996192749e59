from django.urls import path

from yingji.relief import views

app_name = "relief"
urlpatterns = [
    path("", views.index, name="index"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("events/<int:event_id>/export.xlsx", views.event_export, name="event-export"),
    path("volunteers/", views.volunteers, name="volunteers"),
]
