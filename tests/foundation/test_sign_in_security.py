"""Sign-in security: throttling per account and per address (log-in page and API tokens), audited
unlock, multi-factor sign-in with real TOTP codes and one-time recovery codes, session timeout."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from palermo.accounts.models import Agency, ApiToken, RecoveryCode, SignInThrottle, TotpDevice, User
from palermo.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def people():
    """Agency A keeps the default policy (second factor required); agency B has switched it off."""
    a = Agency.objects.create(code="agency-a", name="Agency A", agency_type="LawEnforcement", country="RO")
    b = Agency.objects.create(code="agency-b", name="Agency B", agency_type="NGO", country="IT", mfa_required=False)
    users = {}
    for name, agency, roles in (("a_operator", a, [R.HOTLINE_OPERATOR]), ("a_investigator", a, [R.INVESTIGATOR]),
                                ("a_admin", a, [R.ADMINISTRATOR]), ("a_admin2", a, [R.ADMINISTRATOR]),
                                ("b_investigator", b, [R.INVESTIGATOR]), ("b_admin", b, [R.ADMINISTRATOR])):
        users[name] = User.objects.create_user(name, password=PASSWORD, agency=agency, roles=roles)
    return users


def _client(address="10.0.0.1", **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def _log_in(client, username, password=PASSWORD, **data):
    return client.post("/login/", {"username": username, "password": password, **data})


def _signed_in(client) -> bool:
    return client.get("/api/me").status_code == 200


def _admin(user) -> Client:
    client = _client("10.9.9.9")
    client.force_login(user)
    return client


# --- throttling ----------------------------------------------------------------------------------

def test_thirty_wrong_passwords_then_the_right_one_is_refused(people):
    client = _client()
    for _ in range(30):
        assert _log_in(client, "a_operator", "wrong-password").status_code in (200, 429)
    response = _log_in(client, "a_operator")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert not _signed_in(client)
    locked = AuditEntry.objects.filter(action="sign_in_locked", object_label="a_operator")
    assert locked.count() == 1 and locked.get().agency_code == "agency-a"


def test_account_lock_holds_from_another_address_and_ends_after_the_cool_off(people, settings):
    for i in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT):
        _log_in(_client(f"10.0.1.{i}"), "a_operator", "wrong-password")
    elsewhere = _client("10.0.2.1")
    assert _log_in(elsewhere, "a_operator").status_code == 429
    SignInThrottle.objects.filter(scope=SignInThrottle.ACCOUNT).update(
        locked_until=timezone.now() - timedelta(seconds=1))
    assert _log_in(elsewhere, "a_operator").status_code == 302 and _signed_in(elsewhere)


def test_lockout_reads_the_same_whether_or_not_the_account_exists(people, settings):
    pages = {}
    for number, username in enumerate(("a_operator", "nobody-by-this-name")):
        client = _client(f"10.0.3.{number}")
        first = _log_in(client, username, "wrong-password").content.decode()
        for _ in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT):
            last = _log_in(client, username, "wrong-password")
        pages[username] = (re.search(r'role="alert">([^<]*)<', first)[1],
                           last.status_code, re.search(r'role="alert">([^<]*)<', last.content.decode())[1])
    assert pages["a_operator"] == pages["nobody-by-this-name"]


def test_one_address_trying_many_accounts_is_locked(people, settings):
    client = _client("10.0.4.1")
    for i in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ADDRESS):
        _log_in(client, f"guess-{i}", "wrong-password")
    assert _log_in(client, "a_operator").status_code == 429
    assert AuditEntry.objects.filter(action="sign_in_locked", details__address="10.0.4.1").exists()
    other = _client("10.0.4.2")
    assert _log_in(other, "a_operator").status_code == 302


def test_success_forgets_earlier_failures_of_the_account(people, settings):
    client = _client()
    for _ in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT - 1):
        _log_in(client, "a_operator", "wrong-password")
    assert _log_in(client, "a_operator").status_code == 302
    client.post("/logout/")
    for _ in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT - 1):
        _log_in(client, "a_operator", "wrong-password")
    assert _log_in(client, "a_operator").status_code == 302


def test_agency_administrator_unlocks_and_it_is_audited_and_shown(people, settings):
    for _ in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT):
        _log_in(_client(), "a_operator", "wrong-password")
    target = people["a_operator"]
    admin = _admin(people["a_admin"])
    assert 'class="tag secret">locked' in admin.get("/admin/users/").content.decode()
    assert "Locked after repeated failed sign-ins" in admin.get(f"/admin/users/{target.pk}/").content.decode()
    assert _admin(people["b_admin"]).post(f"/admin/users/{target.pk}/unlock/").status_code == 404
    assert _admin(people["a_operator"]).post(f"/admin/users/{target.pk}/unlock/").status_code == 403
    assert _log_in(_client("10.0.5.1"), "a_operator").status_code == 429
    assert admin.post(f"/admin/users/{target.pk}/unlock/").status_code == 302
    entry = AuditEntry.objects.get(action="unlock_account")
    assert (entry.actor_username, entry.object_id, entry.details["was_locked"]) == ("a_admin", str(target.pk), True)
    page = admin.get(f"/admin/users/{target.pk}/").content.decode()
    assert "Not locked." in page
    events = page.split('id="sign-in-events"')[1]
    assert events.index("Unlocked") < events.index("Locked after failed sign-ins") and "a_admin" in events
    client = _client("10.0.5.2")
    assert _log_in(client, "a_operator").status_code == 302 and _signed_in(client)


def test_token_endpoint_shares_the_account_throttle_with_the_log_in_page(people, settings):
    for _ in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT - 2):
        _log_in(_client(), "a_operator", "wrong-password")
    api = _client("10.0.6.1")
    for _ in range(30):
        assert api.post("/api/token", {"username": "a_operator", "password": "wrong"},
                        content_type="application/json").status_code in (401, 429)
    response = api.post("/api/token", {"username": "a_operator", "password": PASSWORD},
                        content_type="application/json")
    assert response.status_code == 429 and "Too many failed attempts" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_guessing_bearer_tokens_locks_the_address_even_for_a_good_token(people, settings):
    _, good = ApiToken.issue(people["a_operator"], "script")
    guesser = _client("10.0.7.1", HTTP_AUTHORIZATION="Bearer plm_guess")
    statuses = [guesser.get("/api/me").status_code for _ in range(settings.PALERMO_TOKEN_MAX_FAILURES_PER_ADDRESS)]
    assert set(statuses) == {401}
    assert guesser.get("/api/me").status_code == 429
    assert _client("10.0.7.1", HTTP_AUTHORIZATION=f"Bearer {good}").get("/api/me").status_code == 429
    assert _client("10.0.7.2", HTTP_AUTHORIZATION=f"Bearer {good}").get("/api/me").status_code == 200
    assert AuditEntry.objects.filter(action="sign_in_locked", details__scope="token_address").exists()


# --- multi-factor sign-in ----------------------------------------------------------------------

def _enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    """Completes enrolment from the page as a user would: reads the key, types the app's code."""
    page = client.get("/login/enrol/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    totp = pyotp.TOTP(re.search(r'id="totp-secret">([A-Z2-7]+)<', html)[1])
    assert client.post("/login/enrol/", {"code": "000000" if totp.now() != "000000" else "111111"}).status_code == 400
    done = client.post("/login/enrol/", {"code": totp.now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.content.decode())
    assert len(codes) == 10
    return totp, codes


def _code_after(totp: pyotp.TOTP, seconds: int) -> str:
    return totp.at(time.time() + seconds)


def test_role_that_can_reveal_identities_must_enrol_before_anything_else(people):
    client = _client()
    response = _log_in(client, "a_investigator", next="/cases/")
    assert response.status_code == 302 and response.url == "/login/enrol/"
    assert not _signed_in(client)
    assert client.get("/cases/").status_code == 302
    assert client.get("/login/verify/").url == "/login/"
    totp, codes = _enrol(client)
    assert _signed_in(client)
    assert TotpDevice.objects.get(user=people["a_investigator"]).confirmed_at is not None
    assert AuditEntry.objects.filter(action="mfa_enrolled", actor_username="a_investigator").exists()
    # Recovery codes are stored hashed only.
    digests = list(RecoveryCode.objects.filter(user=people["a_investigator"]).values_list("digest", flat=True))
    assert len(digests) == 10 and not set(codes) & set(digests)


def test_sign_in_with_a_real_totp_code_and_no_replay(people):
    client = _client()
    _log_in(client, "a_investigator")
    totp, _codes = _enrol(client)
    client.post("/logout/")
    response = _log_in(client, "a_investigator", next="/persons/")
    assert response.url == "/login/verify/" and not _signed_in(client)
    assert client.post("/login/verify/", {"code": "12345x"}).status_code == 200
    assert not _signed_in(client)
    code = _code_after(totp, 30)  # the enrolment code's step is used up: the next step's code
    response = client.post("/login/verify/", {"code": code})
    assert response.status_code == 302 and response.url == "/persons/"
    assert _signed_in(client)
    client.post("/logout/")
    _log_in(client, "a_investigator")
    assert client.post("/login/verify/", {"code": code}).status_code == 200  # the same code again
    assert not _signed_in(client)


def test_recovery_code_signs_in_once(people):
    client = _client()
    _log_in(client, "a_investigator")
    _totp, codes = _enrol(client)
    client.post("/logout/")
    _log_in(client, "a_investigator")
    assert client.post("/login/verify/", {"code": codes[3].upper()}).status_code == 302
    assert _signed_in(client)
    assert AuditEntry.objects.get(action="mfa_recovery_code_used").details == {"recovery_codes_left": 9}
    client.post("/logout/")
    _log_in(client, "a_investigator")
    assert client.post("/login/verify/", {"code": codes[3]}).status_code == 200
    assert not _signed_in(client)


def test_wrong_second_factor_codes_lock_the_account(people, settings):
    client = _client()
    _log_in(client, "a_investigator")
    totp, _codes = _enrol(client)
    client.post("/logout/")
    _log_in(client, "a_investigator")
    for _ in range(settings.PALERMO_SIGNIN_MAX_FAILURES_PER_ACCOUNT):
        client.post("/login/verify/", {"code": "99999x"})
    assert _log_in(client, "a_investigator").status_code == 429
    assert client.post("/login/verify/", {"code": _code_after(totp, 30)}).url == "/login/"
    assert not _signed_in(client)


def test_api_token_needs_the_second_factor(people):
    client = _client()
    _log_in(client, "a_investigator")
    totp, _codes = _enrol(client)
    api = _client("10.0.8.1")
    body = {"username": "a_investigator", "password": PASSWORD}
    assert api.post("/api/token", body, content_type="application/json").status_code == 401
    response = api.post("/api/token", {**body, "otp": _code_after(totp, 30)}, content_type="application/json")
    assert response.status_code == 201
    # Required by policy but not yet enrolled: no token by password alone.
    refused = api.post("/api/token", {"username": "a_admin", "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 201  # administrators cannot reveal identities
    people["a_operator"].roles = [R.CASE_MANAGER]
    people["a_operator"].save()
    refused = api.post("/api/token", {"username": "a_operator", "password": PASSWORD},
                       content_type="application/json")
    assert refused.status_code == 403 and "multi-factor" in refused.json()["detail"]


def test_agency_administrator_resets_the_second_factor(people):
    client = _client()
    _log_in(client, "a_investigator")
    _enrol(client)
    target = people["a_investigator"]
    assert _admin(people["b_admin"]).post(f"/admin/users/{target.pk}/reset-mfa/").status_code == 404
    admin = _admin(people["a_admin"])
    assert "Multi-factor sign-in is on." in admin.get(f"/admin/users/{target.pk}/").content.decode()
    assert admin.post(f"/admin/users/{target.pk}/reset-mfa/").status_code == 302
    assert not TotpDevice.objects.filter(user=target).exists()
    assert not RecoveryCode.objects.filter(user=target).exists()
    assert AuditEntry.objects.get(action="mfa_reset").object_id == str(target.pk)
    assert _log_in(_client(), "a_investigator").url == "/login/enrol/"
    # Nobody resets their own second factor.
    own = _client()
    _log_in(own, "a_admin")
    _enrol(own)
    assert own.post(f"/admin/users/{people['a_admin'].pk}/reset-mfa/").status_code == 403
    assert TotpDevice.objects.filter(user=people["a_admin"]).exists()


def test_policy_off_lets_identity_roles_sign_in_with_the_password_alone(people):
    client = _client()
    assert _log_in(client, "b_investigator").url == "/"
    assert _signed_in(client)
    assert _log_in(_client(), "a_operator").url == "/"  # a role that reveals no identity
    admin = _admin(people["a_admin"])
    assert admin.post("/admin/users/sign-in-policy/", {}).status_code == 302
    assert not Agency.objects.get(code="agency-a").mfa_required
    assert AuditEntry.objects.get(action="mfa_policy_changed").details == {"before": True, "after": False}
    assert _log_in(_client(), "a_investigator").url == "/"
    assert _admin(people["a_operator"]).post("/admin/users/sign-in-policy/", {"mfa_required": "on"}).status_code == 403


# --- session timeout and return --------------------------------------------------------------------

def _age_session(client, **ago_seconds):
    session = client.session
    for key, ago in ago_seconds.items():
        session[key] = time.time() - ago
    session.save()


def test_idle_session_times_out_and_returns_to_the_page(people, settings):
    client = _client()
    _log_in(client, "a_operator")
    assert client.get("/cases/").status_code == 200
    _age_session(client, **{LAST_SEEN_AT: settings.PALERMO_SESSION_IDLE_MINUTES * 60 + 5})
    response = client.get("/cases/?page=2")
    assert response.status_code == 302 and response.url == "/login/?next=%2Fcases%2F%3Fpage%3D2"
    assert not _signed_in(client)
    page = client.get(response.url).content.decode()
    assert "Your session has timed out" in page and 'name="next" value="/cases/?page=2"' in page
    back = _log_in(client, "a_operator", next="/cases/?page=2")
    assert back.url == "/cases/?page=2"
    assert AuditEntry.objects.filter(action="logout", actor_username="a_operator").exists()


def test_active_session_stays_and_absolute_age_still_ends_it(people, settings):
    client = _client()
    _log_in(client, "a_operator")
    _age_session(client, **{LAST_SEEN_AT: settings.PALERMO_SESSION_IDLE_MINUTES * 60 - 60})
    assert client.get("/cases/").status_code == 200
    _age_session(client, **{LAST_SEEN_AT: 0, SIGNED_IN_AT: settings.SESSION_COOKIE_AGE + 5})
    assert client.get("/cases/").status_code == 302
    assert not _signed_in(client)


def test_htmx_request_after_timeout_redirects_the_page(people, settings):
    client = _client()
    _log_in(client, "a_operator")
    _age_session(client, **{LAST_SEEN_AT: settings.PALERMO_SESSION_IDLE_MINUTES * 60 + 5})
    response = client.post("/cases/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/cases/?q=x")
    assert response["HX-Redirect"].startswith("/login/?next=")
    assert "cases%2F%3Fq%3Dx" in response["HX-Redirect"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_sign_in_never_returns_to_another_site(people, target):
    client = _client()
    assert _log_in(client, "a_operator", next=target).url == "/"
    page = client.get(f"/login/?next={target}")
    assert page.status_code == 302 and page.url == "/"
