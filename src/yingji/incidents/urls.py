from django.urls import path

from yingji.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("desk/panels/", views.desk_panels, name="desk-panels"),
    path("list/", views.incident_list, name="list"),
    path("new/", views.incident_new, name="new"),
    path("roster/", views.roster, name="roster"),
    path("dispatches/", views.dispatch_list, name="dispatches"),
    path("proposals/<int:proposal_id>/<slug:decision>/", views.proposal_decide, name="proposal"),
    path("dispatches/<int:dispatch_id>/", views.dispatch_detail, name="dispatch"),
    path("<int:incident_id>/", views.incident_detail, name="detail"),
    path("<int:incident_id>/review/", views.review, name="review"),
    path("<int:incident_id>/review/docx/", views.review_docx, name="review-docx"),
    path("<int:incident_id>/materials/", views.incident_materials, name="materials"),
    path("<int:incident_id>/<slug:action>/", views.incident_action, name="action"),
    path("reports/<int:report_id>/", views.report_print, name="report"),
    path("reports/<int:report_id>/docx/", views.report_docx, name="report-docx"),
]
