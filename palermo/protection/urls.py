"""URLs of the protection app (mounted at /protection/ by palermo/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "protection"
urlpatterns: list = []
