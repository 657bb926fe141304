from django.urls import include, path

from palermo.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("palermo.ui.urls")),
]
