from django.urls import path

from yingji.relief import views

app_name = "relief"
urlpatterns = [
    path("", views.index, name="index"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("events/<int:event_id>/close/", views.event_close, name="event-close"),
    path("events/<int:event_id>/export.xlsx", views.event_export, name="event-export"),
    path("households/<int:household_id>/", views.household, name="household"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("callouts/<int:callout_id>/reply/", views.callout_reply, name="callout-reply"),
    path("awards/<int:award_id>/<str:decision>/", views.award_decide, name="award-decide"),
]
