from django.urls import include, path
from django.views.generic import RedirectView

from palermo.api import api

urlpatterns = [
    path("api/", api.urls),
    path("report", RedirectView.as_view(pattern_name="intake:report", query_string=True)),
    path("report/", RedirectView.as_view(pattern_name="intake:report", query_string=True)),
    path("intake/", include("palermo.intake.urls")),
    path("protection/", include("palermo.protection.urls")),
    path("intel/", include("palermo.intel.urls")),
    path("federation/", include("palermo.federation.urls")),
    path("cooperation/", include("palermo.cooperation.urls")),
    path("jobs/", include("palermo.jobs.urls")),
    path("referral/", include("palermo.referral.urls")),
    path("", include("palermo.ui.urls")),
]
