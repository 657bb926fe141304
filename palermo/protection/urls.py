"""URLs of the protection app (mounted at /protection/ by palermo/urls.py)."""

from django.urls import path

from palermo.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.index, name="index"),
    path("person/<int:pk>/", views.person_page, name="person"),
    path("person/<int:pk>/export/", views.export_record, name="export"),
    path("person/<int:pk>/<slug:action>/", views.person_action, name="act"),
    path("consent/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("reflection/<int:pk>/renew/", views.renew_period, name="renew_period"),
    path("referral/<int:pk>/status/", views.referral_status, name="referral_status"),
    path("services/", views.directory, name="directory"),
    path("coordinator/", views.coordinator_report, name="coordinator_report"),
]
