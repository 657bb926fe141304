"""URLs of the intel app (mounted at /intel/ by palermo/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "intel"
urlpatterns: list = []
