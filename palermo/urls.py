from django.urls import include, path

from palermo.api import api

urlpatterns = [
    path("api/", api.urls),
    path("intake/", include("palermo.intake.urls")),
    path("protection/", include("palermo.protection.urls")),
    path("intel/", include("palermo.intel.urls")),
    path("", include("palermo.ui.urls")),
]
