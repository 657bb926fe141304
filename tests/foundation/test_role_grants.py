"""Role escalation (issue 9): grants are bounded by the granter, through the UI, the API and the services;
every grant and revocation is audited and shown to the oversight body."""

import pytest
from django.test import Client

from palermo.accounts import roles as R
from palermo.accounts import services
from palermo.accounts.models import ApiToken, User
from palermo.audit.models import AuditEntry
from palermo.core.services import NotPermitted
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-pass"


@pytest.fixture
def world():
    return build_world()


def _ui(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    _, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _refused_fields(response) -> set[str]:
    return {item["loc"][-1] for item in response.json()["detail"]}


def _state(user) -> tuple:
    user.refresh_from_db()
    return sorted(user.roles), user.clearance, user.is_active


def _edit(roles, clearance, active=True) -> dict:
    return {"roles": roles, "clearance": clearance, **({"is_active": "on"} if active else {})}


def test_agency_admin_cannot_create_an_auditor(world):
    admin = world.users["a_admin"]
    grants = AuditEntry.objects.filter(object_type="accounts.user").exclude(action="grant_refused")
    grants_before = grants.count()
    page = _ui(admin).post("/admin/users/", {"username": "a_spy", "password": PASSWORD, "roles": [R.AUDITOR],
                                             "clearance": R.NORMAL})
    assert page.status_code == 403 and "Auditor (oversight)" in page.content.decode()
    api = _api(admin).post("/api/users", {"username": "a_spy", "password": PASSWORD, "roles": [R.AUDITOR]},
                           content_type="application/json")
    assert api.status_code == 403 and _refused_fields(api) == {"roles"}
    assert not User.objects.filter(username="a_spy").exists()
    assert grants.count() == grants_before
    assert AuditEntry.objects.filter(action="grant_refused", object_label="a_spy").count() == 2


def test_agency_admin_cannot_grant_itself_auditor(world):
    admin = world.users["a_admin"]
    before = _state(admin)
    response = _ui(admin).post(f"/admin/users/{admin.pk}/", _edit([R.ADMINISTRATOR, R.AUDITOR], R.NORMAL))
    assert response.status_code == 403
    assert _state(admin) == before
    # Nor through a second administrator it created for the purpose.
    accomplice = services.create_user(admin, {"username": "a_admin2", "password": PASSWORD,
                                              "roles": [R.ADMINISTRATOR]})
    with pytest.raises(NotPermitted):
        services.update_user(accomplice, admin, {"roles": [R.ADMINISTRATOR, R.AUDITOR], "clearance": R.NORMAL,
                                                 "is_active": True})
    assert _state(admin) == before


def test_agency_admin_cannot_grant_clearance_above_its_own(world):
    admin = world.users["a_admin"]  # cleared for normal records only
    created = _ui(admin).post("/admin/users/", {"username": "a_new", "password": PASSWORD, "roles": [R.ANALYST],
                                                "clearance": R.SECRET})
    assert created.status_code == 403 and not User.objects.filter(username="a_new").exists()
    api = _api(admin).post("/api/users", {"username": "a_new", "password": PASSWORD, "roles": [R.ANALYST],
                                                   "clearance": R.RESTRICTED}, content_type="application/json")
    assert api.status_code == 403 and _refused_fields(api) == {"clearance"}
    operator = world.users["a_operator"]
    before = _state(operator)
    raised = _ui(admin).post(f"/admin/users/{operator.pk}/", _edit([R.HOTLINE_OPERATOR], R.RESTRICTED))
    assert raised.status_code == 403 and _state(operator) == before


def test_a_user_cannot_change_their_own_roles_or_clearance(world):
    for name in ("a_admin", "o_admin"):
        me = world.users[name]
        before = _state(me)
        for change in (_edit([R.ADMINISTRATOR, R.SUPERVISOR], me.clearance), _edit([R.ADMINISTRATOR], R.NORMAL
                       if me.clearance != R.NORMAL else R.RESTRICTED), _edit([R.ADMINISTRATOR], me.clearance, False)):
            assert _ui(me).post(f"/admin/users/{me.pk}/", change).status_code == 403, (name, change)
            assert _state(me) == before


def test_the_oversight_admin_grants_auditor(world):
    oversight_admin = world.users["o_admin"]
    client = _ui(oversight_admin)
    response = client.post("/admin/users/", {"username": "o_new_auditor", "password": PASSWORD,
                                             "roles": [R.AUDITOR], "clearance": R.SECRET})
    assert response.status_code == 302
    auditor = User.objects.get(username="o_new_auditor")
    assert (auditor.agency.code, auditor.roles, auditor.clearance) == ("agency-o", [R.AUDITOR], R.SECRET)
    # The oversight body's administrator stays inside the oversight body and its roles.
    assert client.get(f"/admin/users/{world.users['a_admin'].pk}/").status_code == 404
    assert client.post("/admin/users/", {"username": "o_investigator", "password": PASSWORD,
                                         "roles": [R.INVESTIGATOR]}).status_code == 403


def test_platform_superuser_sets_agencies_up_but_grants_no_oversight_role(world):
    root = User.objects.create_superuser("root", password=PASSWORD)
    agency_o, agency_b = world.agencies["O"], world.agencies["B"]
    oversight_admin = services.create_user(root, {"username": "o_admin2", "password": PASSWORD,
                                                  "roles": [R.ADMINISTRATOR]}, agency=agency_o)
    b_admin = services.create_user(root, {"username": "b_admin", "password": PASSWORD, "roles": [R.ADMINISTRATOR],
                                          "clearance": R.SECRET}, agency=agency_b)
    assert (oversight_admin.agency, b_admin.agency, b_admin.clearance) == (agency_o, agency_b, R.SECRET)
    with pytest.raises(NotPermitted):
        services.create_user(root, {"username": "o_root_auditor", "password": PASSWORD, "roles": [R.AUDITOR]},
                             agency=agency_o)
    auditor = world.users["o_auditor"]
    before = _state(auditor)
    assert _ui(root).post(f"/admin/users/{auditor.pk}/", _edit([R.AUDITOR], R.SECRET, False)).status_code == 403
    assert _state(auditor) == before
    assert _ui(root).post(f"/admin/users/{root.pk}/", _edit([R.AUDITOR], R.SECRET)).status_code == 403
    investigator = world.users["b_investigator"]
    assert _ui(root).post(f"/admin/users/{investigator.pk}/",
                          _edit([R.INVESTIGATOR], R.RESTRICTED, False)).status_code == 302
    assert _state(investigator) == ([R.INVESTIGATOR], R.RESTRICTED, False)


def test_every_grant_and_revocation_is_audited_with_before_and_after(world):
    admin = world.users["a_admin"]
    client = _ui(admin)
    client.post("/admin/users/", {"username": "a_new", "password": PASSWORD, "roles": [R.ANALYST, R.SUPERVISOR]})
    created = User.objects.get(username="a_new")
    entry = AuditEntry.objects.get(action="create_user", object_label="a_new")
    assert entry.details["before"] is None
    assert entry.details["after"] == {"roles": [R.ANALYST, R.SUPERVISOR], "clearance": R.NORMAL, "is_active": True}
    client.post(f"/admin/users/{created.pk}/", _edit([R.ANALYST, R.INVESTIGATOR], R.NORMAL))
    client.post(f"/admin/users/{created.pk}/", _edit([R.ANALYST, R.INVESTIGATOR], R.NORMAL, False))
    entries = list(AuditEntry.objects.filter(object_type="accounts.user", object_id=str(created.pk)).order_by("seq"))
    assert [(e.action, e.details.get("subject")) for e in entries] == [
        ("create_user", None), ("grant_role", R.INVESTIGATOR), ("revoke_role", R.SUPERVISOR), ("deactivate_user", "")]
    grant = entries[1]
    assert grant.details["before"]["roles"] == [R.ANALYST, R.SUPERVISOR]
    assert grant.details["after"]["roles"] == [R.ANALYST, R.INVESTIGATOR]
    assert entries[3].details["after"]["is_active"] is False and entries[3].agency_code == "agency-a"
    secret_admin = services.create_user(User.objects.create_superuser("root", password=PASSWORD),
                                        {"username": "a_vetting", "password": PASSWORD, "roles": [R.ADMINISTRATOR],
                                         "clearance": R.SECRET}, agency=world.agencies["A"])
    created.refresh_from_db()
    services.update_user(secret_admin, created, {"roles": [R.ANALYST, R.INVESTIGATOR], "clearance": R.RESTRICTED,
                                                 "is_active": True})
    change = AuditEntry.objects.filter(action="change_clearance", object_label="a_new").get()
    assert (change.details["before"]["clearance"], change.details["after"]["clearance"]) == (R.NORMAL, R.RESTRICTED)
    assert AuditEntry.objects.filter(action="reactivate_user", object_label="a_new").exists()


def test_refused_grants_are_recorded_for_oversight(world):
    admin = world.users["a_admin"]
    _ui(admin).post(f"/admin/users/{admin.pk}/", _edit([R.ADMINISTRATOR, R.AUDITOR], R.SECRET))
    refused = AuditEntry.objects.get(action="grant_refused", actor_username="a_admin")
    assert refused.details["after"]["roles"] == [R.ADMINISTRATOR, R.AUDITOR]
    assert "own_account" in refused.details["reasons"]


def test_the_oversight_body_sees_grants_and_revocations_of_every_agency(world):
    services.create_user(world.users["a_admin"], {"username": "a_new", "password": PASSWORD, "roles": [R.ANALYST]})
    services.create_user(world.users["o_admin"], {"username": "o_new", "password": PASSWORD, "roles": [R.AUDITOR]})
    _ui(world.users["a_admin"]).post("/admin/users/", {"username": "a_spy", "password": PASSWORD,
                                                       "roles": [R.AUDITOR]})
    auditor = world.users["o_auditor"]
    page = _ui(auditor).get("/oversight/grants/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "a_new" in html and "o_new" in html and "a_spy" in html and "agency-a" in html
    assert 'href="/oversight/grants/"' in _ui(auditor).get("/").content.decode()
    body = _api(auditor).get("/api/grants").json()
    assert {(item["action"], item["user"]) for item in body["items"]} >= {
        ("create_user", "a_new"), ("create_user", "o_new"), ("grant_refused", "a_spy")}
    for name in ("a_admin", "a_supervisor", "o_admin"):
        assert _ui(world.users[name]).get("/oversight/grants/").status_code == 403
        assert _api(world.users[name]).get("/api/grants").status_code == 403
        assert 'href="/oversight/grants/"' not in _ui(world.users[name]).get("/").content.decode()


def test_the_edit_form_offers_only_what_the_admin_may_grant_and_keeps_the_rest(world):
    admin, investigator = world.users["a_admin"], world.users["a_investigator"]  # normal vs secret clearance
    client = _ui(admin)
    page = client.get(f"/admin/users/{investigator.pk}/").content.decode()
    assert 'value="auditor"' not in page and '<option value="secret" selected>' in page
    assert '<option value="restricted"' not in page
    response = client.post(f"/admin/users/{investigator.pk}/", _edit([R.INVESTIGATOR, R.ANALYST], R.SECRET))
    assert response.status_code == 302
    assert _state(investigator) == (sorted([R.INVESTIGATOR, R.ANALYST]), R.SECRET, True)
    own = client.get(f"/admin/users/{admin.pk}/").content.decode()
    assert "This is your own account" in own
