"""Roles × record types × sharing states × endpoints: nothing leaks, nothing visible is hidden.

Each test logs in as one user of the world (tests/foundation/world.py) and asks every endpoint —
API list, API detail, UI detail, UI list, counts, CSV export, selector search — for every record.
The users are those of the fixture, those whose roles and clearance were granted through the admin
pages, and administrators after an attempt to escalate.
"""

import csv
import io
import re

import pytest
from django.test import Client

from palermo.accounts import roles as R
from palermo.accounts import services as account_services
from palermo.accounts.models import ApiToken, User
from palermo.audit.models import AuditEntry
from tests.foundation.world import RECORD_TYPES, SHARING_STATES, USER_SPECS, build_world, expected_visible

pytestmark = pytest.mark.django_db

API_LIST = {"person": "/api/persons", "organisation": "/api/organisations", "case": "/api/cases"}
API_DETAIL = {"person": "/api/persons/{}", "organisation": "/api/organisations/{}", "case": "/api/cases/{}"}
UI_DETAIL = {"person": "/persons/{}/", "organisation": "/organisations/{}/", "case": "/cases/{}/"}


@pytest.fixture
def world():
    return build_world()


def _expected(spec, record_type, world):
    return {world.records[(record_type, s)].pk for s in SHARING_STATES if expected_visible(spec, s)}


@pytest.mark.parametrize("spec", USER_SPECS, ids=[s[0] for s in USER_SPECS])
def test_every_endpoint_shows_exactly_what_the_rule_allows(world, spec):
    _assert_sees_exactly_what_the_rule_allows(world, spec, world.users[spec[0]])


def _assert_sees_exactly_what_the_rule_allows(world, spec, user):
    _, raw_token = ApiToken.issue(user, "matrix")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    ui = Client()
    ui.force_login(user)
    leaks, hidden = [], []

    def check(endpoint, record_type, seen: set[int]):
        expected = _expected(spec, record_type, world)
        for state in SHARING_STATES:
            pk = world.records[(record_type, state)].pk
            if pk in seen and pk not in expected:
                leaks.append(f"{endpoint} {record_type} {state}")
            if pk in expected and pk not in seen:
                hidden.append(f"{endpoint} {record_type} {state}")

    for record_type, url in API_LIST.items():
        body = api.get(url, {"limit": 500}).json()
        check("api-list", record_type, {item["id"] for item in body["items"]})
        assert body["count"] == len(_expected(spec, record_type, world)), f"api-list count of {record_type}"
    for record_type, url in API_DETAIL.items():
        seen = set()
        for state in SHARING_STATES:
            pk = world.records[(record_type, state)].pk
            status = api.get(url.format(pk)).status_code
            assert status in (200, 404), f"{url.format(pk)} gave {status}"
            if status == 200:
                seen.add(pk)
        check("api-detail", record_type, seen)
    for record_type, url in UI_DETAIL.items():
        seen = set()
        for state in SHARING_STATES:
            pk = world.records[(record_type, state)].pk
            status = ui.get(url.format(pk)).status_code
            assert status in (200, 404)
            if status == 200:
                seen.add(pk)
        check("ui-detail", record_type, seen)

    page = ui.get("/persons/").content.decode()
    check("ui-list", "person", {p.pk for p in [world.records[("person", s)] for s in SHARING_STATES]
                                if p.pseudonym in page})
    page = ui.get("/cases/").content.decode()
    check("ui-list", "case", {c.pk for c in [world.records[("case", s)] for s in SHARING_STATES]
                              if re.search(rf">{re.escape(c.reference)}<", page)})

    counts = api.get("/api/counts").json()
    for record_type in RECORD_TYPES:
        assert counts[f"{record_type}s"] == len(_expected(spec, record_type, world)), f"count of {record_type}s"
    home = ui.get("/").content.decode()
    for record_type in RECORD_TYPES:
        shown = int(re.search(rf'data-count="{record_type}s">(\d+)<', home).group(1))
        assert shown == len(_expected(spec, record_type, world)), f"home count of {record_type}s"

    purpose = {"purpose": "statistics for the steering group"}
    exported = list(csv.DictReader(io.StringIO(
        api.post("/api/export/cases.csv", purpose, content_type="application/json").content.decode())))
    references = {row["reference"] for row in exported}
    check("export", "case", {world.records[("case", s)].pk for s in SHARING_STATES
                             if world.records[("case", s)].reference in references})

    exported = list(csv.DictReader(io.StringIO(ui.post("/persons/export.csv", purpose).content.decode())))
    pseudonyms = {row["pseudonym"] for row in exported}
    check("export", "person", {world.records[("person", s)].pk for s in SHARING_STATES
                               if world.records[("person", s)].pseudonym in pseudonyms})
    assert not any("Given" in line for line in ui.post("/persons/export.csv", purpose).content.decode().splitlines())

    seen = set()
    for state in SHARING_STATES:
        selector = world.records[("selector", state)]
        body = api.get("/api/selectors/search", {"kind": "phone", "value": selector.value}).json()
        if body["hits"]:
            seen.add(selector.pk)
    check("selector-search", "selector", seen)

    assert not leaks, f"{spec[0]} sees what it must not: {leaks}"
    assert not hidden, f"{spec[0]} misses what it may see: {hidden}"


def test_the_matrix_is_not_trivial():
    """The plan must contain both visible and invisible cells for most users, or the matrix proves nothing."""
    for spec in USER_SPECS:
        visible = [s for s in SHARING_STATES if expected_visible(spec, s)]
        if spec[1] in ("A", "B", "C"):
            assert visible and len(visible) < len(SHARING_STATES), spec[0]


PASSWORD = "granted-through-the-pages-1"
# Users whose roles and clearance come from the admin pages, as (spec, granted by, how).
GRANTED_SPECS = [
    (("g_analyst", "A", [R.ANALYST], R.RESTRICTED, False), "a_vetting", "create"),
    (("g_investigator", "A", [R.INVESTIGATOR], R.SECRET, False), "a_vetting", "create"),
    (("a_operator", "A", [R.HOTLINE_OPERATOR, R.ANALYST], R.RESTRICTED, False), "a_vetting", "edit"),
    (("a_investigator", "A", [R.INVESTIGATOR], R.NORMAL, False), "a_vetting", "edit"),
    (("g_b_investigator", "B", [R.INVESTIGATOR], R.RESTRICTED, False), "b_admin", "create"),
    (("g_auditor", "O", [R.AUDITOR], R.SECRET, False), "o_admin", "create"),
]


def _grant_through_the_pages(world) -> None:
    """The platform superuser appoints cleared administrators; they grant everything else on the pages."""
    root = User.objects.create_superuser("root", password=PASSWORD)
    world.users["a_vetting"] = account_services.create_user(
        root, {"username": "a_vetting", "password": PASSWORD, "roles": [R.ADMINISTRATOR], "clearance": R.SECRET},
        agency=world.agencies["A"])
    world.users["b_admin"] = account_services.create_user(
        root, {"username": "b_admin", "password": PASSWORD, "roles": [R.ADMINISTRATOR], "clearance": R.RESTRICTED},
        agency=world.agencies["B"])
    for (name, _, roles, clearance, _), granter, how in GRANTED_SPECS:
        client = Client()
        client.force_login(world.users[granter])
        form = {"roles": roles, "clearance": clearance, "is_active": "on"}
        if how == "create":
            response = client.post("/admin/users/", {**form, "username": name, "password": PASSWORD})
        else:
            response = client.post(f"/admin/users/{world.users[name].pk}/", form)
        assert response.status_code == 302, (name, response.status_code)
        world.users[name] = User.objects.get(username=name)
        assert (sorted(world.users[name].roles), world.users[name].clearance) == (sorted(roles), clearance)


@pytest.mark.parametrize("granted", GRANTED_SPECS, ids=[g[0][0] for g in GRANTED_SPECS])
def test_users_granted_through_the_admin_pages_see_exactly_what_the_rule_allows(world, granted):
    _grant_through_the_pages(world)
    spec = granted[0]
    _assert_sees_exactly_what_the_rule_allows(world, spec, world.users[spec[0]])


def test_a_user_deactivated_on_the_admin_pages_reads_nothing(world):
    _grant_through_the_pages(world)
    leaver = world.users["a_supervisor"]
    _, raw_token = ApiToken.issue(leaver, "matrix")
    client = Client()
    client.force_login(world.users["a_vetting"])
    response = client.post(f"/admin/users/{leaver.pk}/", {"roles": leaver.roles, "clearance": leaver.clearance})
    assert response.status_code == 302
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    ui = Client()
    ui.force_login(leaver)
    for record_type, url in API_DETAIL.items():
        assert api.get(url.format(world.records[(record_type, "own_normal")].pk)).status_code == 401
        assert api.get(API_LIST[record_type]).status_code == 401
        assert ui.get(UI_DETAIL[record_type].format(world.records[(record_type, "own_normal")].pk)).status_code == 302


ESCALATIONS = [
    # (who, how, path or None for the own edit page, form) — each must be refused.
    ("a_admin", "ui", "/admin/users/", {"username": "a_spy", "roles": [R.AUDITOR], "clearance": R.NORMAL}),
    ("a_admin", "ui", "/admin/users/", {"username": "a_spy", "roles": [R.ANALYST], "clearance": R.SECRET}),
    ("a_admin", "ui", None, {"roles": [R.ADMINISTRATOR, R.AUDITOR], "clearance": R.SECRET, "is_active": "on"}),
    ("a_admin", "api", "/api/users", {"username": "a_spy", "roles": [R.AUDITOR]}),
    ("a_admin", "api", "/api/users", {"username": "a_spy", "roles": [R.INVESTIGATOR], "clearance": R.SECRET}),
    ("b_investigator", "ui", "/admin/users/", {"username": "b_spy", "roles": [R.AUDITOR], "clearance": R.SECRET}),
    ("b_investigator", "ui", None, {"roles": [R.INVESTIGATOR], "clearance": R.SECRET, "is_active": "on"}),
    ("c_investigator", "api", "/api/users", {"username": "c_spy", "roles": [R.AUDITOR]}),
]


@pytest.mark.parametrize("name", sorted({e[0] for e in ESCALATIONS}))
def test_an_escalation_attempt_followed_by_reads_reveals_nothing(world, name):
    user = world.users[name]
    spec = next(s for s in USER_SPECS if s[0] == name)
    ui = Client()
    ui.force_login(user)
    _, raw_token = ApiToken.issue(user, "escalation")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    for _, how, path, form in (e for e in ESCALATIONS if e[0] == name):
        form = {**form, "password": PASSWORD} if "username" in form else form
        if how == "ui":
            response = ui.post(path or f"/admin/users/{user.pk}/", form)
        else:
            response = api.post(path, form, content_type="application/json")
        assert response.status_code == 403, (name, form, response.status_code)
    user.refresh_from_db()
    assert (user.roles, user.clearance) == (spec[2], spec[3])
    assert not User.objects.filter(username__endswith="_spy").exists()
    _assert_sees_exactly_what_the_rule_allows(world, spec, user)
    # The audit trail and the grant history stay as closed as before the attempt.
    assert ui.get("/oversight/grants/").status_code == 403 and api.get("/api/grants").status_code == 403
    trail = api.get("/api/audit/entries", {"limit": 100})
    if R.ADMINISTRATOR in spec[2]:
        assert {e["agency_code"] for e in trail.json()["items"]} <= {user.agency.code}
        assert AuditEntry.objects.filter(action="grant_refused", actor_username=name).exists()
    else:
        assert trail.status_code == 403
