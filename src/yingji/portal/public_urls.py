"""The public portal's pages, mounted at /public/ (no sign-in)."""

from django.urls import path

from yingji.portal import public_views as views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("warnings/", views.warnings, name="warnings"),
    path("warnings/<int:warning_id>/", views.warning, name="warning"),
    path("shelters/", views.shelters, name="shelters"),
    path("articles/", views.articles, name="articles"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("faq/", views.faq, name="faq"),
    path("ask/", views.ask, name="ask"),
    path("questions/<str:receipt>/", views.question, name="question"),
    path("follow/", views.follow, name="follow"),
    path("report/", views.report, name="report"),
    path("report/<str:receipt>/", views.report_status, name="report-status"),
]
