"""The command dashboard at /dashboard/ (the issue's address), outside the app's own /analytics/ pages; the project's
URLconf includes this module by name, so the core URLconf imports no top-layer app."""

from django.urls import path

from yingji.analytics.views import dashboard

urlpatterns = [path("", dashboard, name="dashboard")]
