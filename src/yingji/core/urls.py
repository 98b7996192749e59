from django.urls import path

from yingji.core import live, views

app_name = "core"
urlpatterns = [
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/<int:org_id>/", views.org_detail, name="org-detail"),
    path("live/<slug:channel>/", live.stream, name="live"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/mfa/", views.mfa, name="mfa"),
    path("account/tokens/", views.token_list, name="token-list"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
