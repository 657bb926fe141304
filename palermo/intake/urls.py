"""URLs of the intake app (mounted at /intake/ by palermo/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "intake"
urlpatterns: list = []
