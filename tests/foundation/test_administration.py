"""Agency and user administration through the UI: audited, field errors, own agency only."""

import pytest
from django.test import Client

from palermo.accounts.models import Agency, User
from palermo.audit.models import AuditEntry
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_platform_administrator_registers_an_agency(world):
    root = User.objects.create_superuser("root", password="x" * 12)
    client = Client()
    client.force_login(root)
    bad = client.post("/admin/agencies/", {"code": "agency-a", "name": "", "agency_type": "Spaceport", "country": "QQ"})
    assert bad.status_code == 400
    assert Agency.objects.count() == 4
    ok = client.post("/admin/agencies/", {"code": "md-police", "name": "Moldovan police unit",
                                          "agency_type": "LawEnforcement", "country": "MD",
                                          "contact_point": "Duty desk"})
    assert ok.status_code == 302
    page = client.get("/admin/agencies/").content.decode()
    assert "<title>Agencies · Palermo</title>" in page and page.count("Register an agency") == 1
    assert Agency.objects.get(code="md-police").contact_point == "Duty desk"
    assert AuditEntry.objects.filter(action="create_agency", actor_username="root").exists()
    other = Client()
    other.force_login(world.users["a_admin"])
    assert other.post("/admin/agencies/", {"code": "x-y", "name": "X", "agency_type": "NGO",
                                           "country": "RO"}).status_code == 403


def test_agency_administrator_manages_own_users(world):
    client = Client()
    client.force_login(world.users["a_admin"])
    bad = client.post("/admin/users/", {"username": "a_new", "password": "short", "roles": ["wizard"]})
    assert bad.status_code == 400 and not User.objects.filter(username="a_new").exists()
    ok = client.post("/admin/users/", {"username": "a_new", "password": "a-long-enough-pass", "roles": ["analyst"],
                                       "clearance": "normal"})
    assert ok.status_code == 302
    created = User.objects.get(username="a_new")
    assert (created.agency.code, created.roles, created.clearance) == ("agency-a", ["analyst"], "normal")
    foreign = world.users["b_investigator"]
    assert client.get(f"/admin/users/{foreign.pk}/").status_code == 404
    client.post(f"/admin/users/{created.pk}/", {"roles": ["analyst", "supervisor"], "clearance": "normal",
                                                "is_active": "on"})
    created.refresh_from_db()
    assert created.roles == ["analyst", "supervisor"] and created.clearance == "normal"
    assert AuditEntry.objects.filter(action="grant_role", object_label="a_new").exists()
    investigator = Client()
    investigator.force_login(world.users["a_investigator"])
    assert investigator.get("/admin/users/").status_code == 403
