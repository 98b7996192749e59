from django.urls import path

from yingji.forest import views

app_name = "forest"
urlpatterns = [
    path("", views.index, name="index"),
]
