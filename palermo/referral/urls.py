"""URLs of the TRM (mounted at /referral/ by palermo/urls.py)."""

from django.urls import path

from palermo.referral import views

app_name = "referral"
urlpatterns = [
    path("", views.index, name="index"),
    path("measure/new", views.measure_new, name="measure_new"),
    path("measure/<int:pk>/", views.measure_edit, name="measure_edit"),
    path("identification/<str:country>/", views.identification_body, name="identification_body"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:pk>/verify", views.verify_contact, name="verify_contact"),
    path("person/<int:pk>/", views.person_page, name="person"),
    path("person/<int:pk>/<slug:action>/", views.person_action, name="act"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("report/", views.report, name="report"),
]
