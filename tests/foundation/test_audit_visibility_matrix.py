"""The leak matrix of the audit trail: every reading role × record type × sharing state, on /audit/ (list,
label filter, who viewed) and /api/audit/* (entries, who-viewed). A reader never sees the label, id or
purpose of an entry about a record they may not see; only oversight (the auditor) sees the whole trail.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from palermo.accounts import roles as R
from palermo.accounts.models import User
from palermo.audit import services as audit
from palermo.core import visibility as V
from tests.foundation.world import RECORD_TYPES, SHARING_STATES, USER_SPECS, build_world, expected_visible

pytestmark = pytest.mark.django_db

# One more reader, in agency B without clearance: B's reads of records shared to B are its agency's trail.
B_SUPERVISOR = ("b_supervisor", "B", [R.SUPERVISOR], R.NORMAL, False)
SPECS = [*USER_SPECS, B_SUPERVISOR]
READERS = [s for s in SPECS if set(s[2]) & R.AUDIT_READING_ROLES]
NON_READERS = [s for s in SPECS if not set(s[2]) & R.AUDIT_READING_ROLES]


def _purpose(record_type, state, reader):
    return f"purpose-{record_type}-{state}-by-{reader}"


@pytest.fixture
def world():
    w = build_world()
    name, agency, roles, clearance, _ = B_SUPERVISOR
    w.users[name] = User.objects.create_user(name, password="not-used-in-tests-123", agency=w.agencies[agency],
                                             roles=roles, clearance=clearance)
    w.reads = set()
    for (record_type, state), obj in w.records.items():
        owner = "c_investigator" if state == "owned_by_C" else "a_investigator"
        for reader in (owner, "b_investigator"):
            if V.can_see(w.users[reader], obj):
                audit.record(w.users[reader], "view_sensitive", obj, purpose=_purpose(record_type, state, reader))
                w.reads.add((record_type, state, reader))
    return w


def _all_entries(client):
    items, offset = [], 0
    while True:
        page = client.get("/api/audit/entries", {"limit": 100, "offset": offset}).json()
        items += page["items"]
        offset += 100
        if offset >= page["count"]:
            return items


def _label_shown(label, text):
    return re.search(re.escape(label) + r"(?![\w#-])", text) is not None


def _may_see(spec, state):
    return R.AUDITOR in spec[2] or expected_visible(spec, state)


@pytest.mark.parametrize("spec", READERS, ids=[s[0] for s in READERS])
def test_audit_views_show_only_records_the_reader_may_see(world, spec):
    user = world.users[spec[0]]
    client = Client()
    client.force_login(user)
    items = _all_entries(client)
    api_text = " ".join(f"{i['object_type']}:{i['object_id']} {i['object_label']} {i['purpose']}" for i in items)
    leaks, hidden = [], []
    for record_type in RECORD_TYPES:
        for state in SHARING_STATES:
            obj = world.records[(record_type, state)]
            label, ref = obj.audit_label, f"{obj._meta.label_lower}:{obj.pk}"
            may_see = _may_see(spec, state)
            purposes = [_purpose(record_type, state, r) for r in ("a_investigator", "c_investigator", "b_investigator")]
            in_api = _label_shown(label, api_text) or ref in api_text.split() or any(p in api_text for p in purposes)
            by_label = client.get("/audit/", {"label": label}).content.decode()
            in_label_page = _label_shown(label, by_label.split("<tbody>")[1]) or any(p in by_label for p in purposes)
            api_who = client.get("/api/audit/who-viewed", {"object_type": obj._meta.label_lower, "object_id": obj.pk})
            ui_who = client.get("/audit/", {"who_viewed": 1, "object_type": obj._meta.label_lower,
                                            "object_id": obj.pk}).content.decode()
            in_who = bool(api_who.json()) or any(p in ui_who for p in purposes)
            for where, shown in (("api-entries", in_api), ("ui-label", in_label_page), ("who-viewed", in_who)):
                if shown and not may_see:
                    leaks.append(f"{where} {record_type} {state}")
            # what the reader may see is not hidden: the reads in their part of the trail are listed with it
            in_scope = [r for r in ("a_investigator", "b_investigator", "c_investigator")
                        if (record_type, state, r) in world.reads
                        and (R.AUDITOR in spec[2] or world.users[r].agency_id == user.agency_id)]
            for reader in in_scope if may_see else ():
                if _purpose(record_type, state, reader) not in api_text:
                    hidden.append(f"api-entries {record_type} {state} read by {reader}")
    assert not leaks, f"{spec[0]} saw entries about records they may not see: {leaks}"
    assert not hidden, f"{spec[0]} did not see entries about records they may see: {hidden}"
    restricted = [i for i in items if i["restricted"]]
    assert all(i["object_id"] == "" and i["object_type"] == "" and i["purpose"] == "" for i in restricted)
    if R.AUDITOR in spec[2]:
        assert not restricted and len(items) == len({i["seq"] for i in items})
    elif spec[3] != R.SECRET:
        assert restricted, "entries about records beyond the reader's clearance are listed, masked"


@pytest.mark.parametrize("spec", NON_READERS, ids=[s[0] for s in NON_READERS])
def test_roles_that_do_not_read_the_trail_are_refused(world, spec):
    client = Client()
    client.force_login(world.users[spec[0]])
    obj = world.records[("person", "own_normal")]
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/audit/entries").status_code == 403
    assert client.get("/api/audit/who-viewed", {"object_type": "core.person", "object_id": obj.pk}).status_code == 403


def test_the_administrator_of_the_owning_agency_sees_a_restricted_record(world):
    """The finding: an administrator without clearance or compartment saw secret case references."""
    client = Client()
    client.force_login(world.users["a_admin"])
    secret_case = world.records[("case", "own_secret_compartment")]
    page = client.get("/audit/", {"action": "view_sensitive"}).content.decode()
    assert "a restricted record" in page and secret_case.reference not in page
    assert not client.get("/api/audit/who-viewed", {"object_type": "core.case", "object_id": secret_case.pk}).json()


def test_who_viewed_on_the_command_line_as_a_user(world, capsys):
    restricted = world.records[("person", "own_restricted")]
    purpose = _purpose("person", "own_restricted", "a_investigator")
    call_command("audit", "who-viewed", "core.person", str(restricted.pk), "--as", "a_admin")
    assert capsys.readouterr().out == ""
    for reader in ("a_supervisor", "o_auditor"):
        call_command("audit", "who-viewed", "core.person", str(restricted.pk), "--as", reader)
        assert purpose in capsys.readouterr().out
    call_command("audit", "who-viewed", "core.person", str(restricted.pk))  # the database holder: the whole trail
    assert purpose in capsys.readouterr().out
