"""URLs of the intake app (mounted at /intake/ by palermo/urls.py)."""

from django.urls import path

from palermo.intake import views

app_name = "intake"
urlpatterns = [
    path("new", views.new_signal, name="new"),
    path("queue", views.queue, name="queue"),
    path("signals/<int:pk>", views.signal_detail, name="signal"),
    path("signals/<int:pk>/reassign", views.reassign, name="reassign"),
    path("signals/<int:pk>/status", views.change_status, name="status"),
    path("rules", views.routing_rules, name="rules"),
    path("rules/<int:pk>/deactivate", views.deactivate_rule, name="deactivate_rule"),
    path("report", views.public_report, name="report"),
    path("report/follow-up", views.follow_up, name="follow_up"),
]
