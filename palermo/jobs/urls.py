"""URLs of the jobs app (mounted at /jobs/ by palermo/urls.py)."""

from django.urls import path

from palermo.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/download", views.job_download, name="download"),
]
