from django.contrib.auth import views as auth_views
from django.urls import path

from palermo.ui import signin, views

urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("login/verify/", signin.verify, name="sign_in_verify"),
    path("login/enrol/", signin.enrol, name="sign_in_enrol"),
    path("account/security/", signin.account_security, name="account_security"),
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
    path("admin/users/<int:pk>/unlock/", signin.user_unlock, name="user_unlock"),
    path("admin/users/<int:pk>/reset-mfa/", signin.user_reset_mfa, name="user_reset_mfa"),
    path("admin/users/sign-in-policy/", signin.agency_sign_in_policy, name="agency_sign_in_policy"),
    path("oversight/grants/", views.grant_history, name="grant_history"),
]
