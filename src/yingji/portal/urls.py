"""Staff pages of the portal under /portal/ (the public pages are in public_urls.py, under /public/)."""

from django.urls import path

from yingji.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:question_id>/", views.question, name="question"),
    path("leads/", views.leads, name="leads"),
    path("leads/<int:lead_id>/", views.lead, name="lead"),
    path("leads/<int:lead_id>/photo/", views.lead_photo, name="lead-photo"),
    path("leads/<int:lead_id>/<str:action>/", views.lead_action, name="lead-action"),
    path("articles/", views.articles, name="articles"),
    path("articles/new/", views.article_edit, name="article-new"),
    path("articles/<int:article_id>/", views.article_edit, name="article-edit"),
    path("articles/<int:article_id>/<str:status>/", views.article_status, name="article-status"),
]
