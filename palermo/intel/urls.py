"""URLs of the intel app (mounted at /intel/ by palermo/urls.py)."""

from django.urls import path

from palermo.intel import views

app_name = "intel"
urlpatterns = [
    path("graph/", views.graph, name="graph"),
    path("graph/export/<str:fmt>", views.graph_export, name="graph_export"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/acknowledge", views.alert_acknowledge, name="alert_acknowledge"),
]
