"""URLs of the intel app (mounted at /intel/ by palermo/urls.py)."""

from django.urls import path

from palermo.intel import views

app_name = "intel"
urlpatterns = [
    path("graph/", views.graph, name="graph"),
    path("graph/judgements", views.network_judgement_new, name="network_judgement_new"),
    path("graph/export", views.graph_export, name="graph_export"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/report/", views.deconfliction_report, name="deconfliction_report"),
    path("alerts/<int:pk>/acknowledge", views.alert_acknowledge, name="alert_acknowledge"),
    path("settings/grading", views.grading_settings, name="grading_settings"),
    path("reports/", views.reports, name="reports"),
    path("reports/new", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("requirements/new", views.requirement_new, name="requirement_new"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("operations/", views.operations, name="operations"),
    path("operations/<int:pk>/", views.operation_detail, name="operation_detail"),
    path("resolution/", views.resolution, name="resolution"),
    path("resolution/runs", views.resolution_run, name="resolution_run"),
]
