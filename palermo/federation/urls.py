from django.urls import path

from palermo.federation import views

app_name = "federation"
urlpatterns = [path("inbox", views.receive, name="inbox")]
