from django.urls import path

from yingji.warnings import views

app_name = "warnings"
urlpatterns = [
    path("", views.warning_list, name="list"),
    path("new/", views.warning_create, name="create"),
    path("import/", views.warning_import, name="import"),
    path("feed.atom", views.feed, name="feed"),
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscriptions/<int:subscription_id>/delete/", views.subscription_delete, name="subscription-delete"),
    path("<int:warning_id>/", views.warning_detail, name="detail"),
    path("<int:warning_id>/edit/", views.warning_revise, {"how": "edit"}, name="edit"),
    path("<int:warning_id>/update/", views.warning_revise, {"how": "update"}, name="update"),
    path("<int:warning_id>/<str:action>/", views.warning_action, name="action"),
]
