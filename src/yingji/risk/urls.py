from django.urls import path

from yingji.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprises/", views.enterprise_list, name="enterprises"),
    path("enterprises/org/<int:org_id>/", views.enterprise_detail, name="enterprise"),
    path("enterprises/export/", views.enterprise_export, name="enterprise-export"),
    path("enterprises/template/", views.enterprise_template, name="enterprise-template"),
    path("enterprises/import/", views.enterprise_import, name="enterprise-import"),
    path("dangers/", views.danger_list, name="dangers"),
    path("dangers/new/", views.danger_create, name="danger-create"),
    path("dangers/<int:danger_id>/", views.danger_detail, name="danger"),
    path("dangers/<int:danger_id>/to/<str:to>/", views.danger_move, name="danger-move"),
    path("dangers/<int:danger_id>/photos/", views.danger_photo, name="danger-photo"),
    path("photos/<int:photo_id>/", views.photo_file, name="photo"),
    path("map/", views.risk_map, name="map"),
    path("enterprises/org/<int:org_id>/points/new/", views.risk_point_edit, name="point-create"),
    path("enterprises/org/<int:org_id>/points/<int:point_id>/", views.risk_point_edit, name="point-edit"),
    path("enterprises/org/<int:org_id>/hazard-units/new/", views.hazard_unit_create, name="hazard-unit-create"),
    path("points/<int:point_id>/card/", views.risk_point_card, name="point-card"),
    path("commitments/", views.commitments, name="commitments"),
    path("plans/", views.plans, name="plans"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:inspection_id>/documents/", views.document_issue, name="document-issue"),
    path("enterprises/org/<int:org_id>/edit/", views.profile_edit, name="profile-edit"),
    path("enterprises/org/<int:org_id>/self-inspection/", views.self_inspection, name="self-inspection"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/docx/", views.document_docx, name="document-docx"),
]
