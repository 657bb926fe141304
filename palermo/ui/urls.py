from django.contrib.auth import views as auth_views
from django.urls import path

from palermo.ui import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="ui/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.case_export, name="case_export"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/export.csv", views.person_export, name="person_export"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("share/<str:object_type>/<int:pk>/", views.share_record, name="share_record"),
    path("selectors/", views.selector_search, name="selector_search"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/checkpoint/", views.audit_checkpoint, name="audit_checkpoint"),
    path("admin/agencies/", views.agency_list, name="agency_list"),
    path("admin/users/", views.user_admin, name="user_admin"),
    path("admin/users/<int:pk>/", views.user_edit, name="user_edit"),
]
