from django.urls import path

from palermo.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.request_list, name="requests"),
    path("new", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
]
