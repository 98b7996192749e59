from django.urls import path

from yingji.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("import/", views.plan_import, name="import"),
    path("stats/", views.stats, name="stats"),
    path("drills/", views.drill_list, name="drills"),
    path("drills/<int:drill_id>/", views.drill_detail, name="drill"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/cards/", views.plan_cards, name="cards"),
    path("<int:plan_id>/diff/", views.plan_diff, name="diff"),
    path("<int:plan_id>/receipt/<int:filing_id>/", views.filing_receipt, name="receipt"),
    path("<int:plan_id>/<slug:action>/", views.plan_action, name="action"),
]
