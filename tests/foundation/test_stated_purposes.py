"""Exports are recorded with the purpose the user stated, never one the software made up: a GET only
asks for it, a POST without one is refused and changes nothing."""

import json

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("path", ["/cases/export.csv", "/persons/export.csv"])
def test_ui_csv_export_needs_a_stated_purpose(world, path):
    client = Client()
    client.force_login(world.users["a_investigator"])
    exports = AuditEntry.objects.filter(action="export")
    asked = client.get(path)
    assert asked.status_code == 200 and 'name="purpose"' in asked.content.decode() and not exports.exists()
    refused = client.post(path, {"purpose": "  "})
    assert refused.status_code == 400 and not exports.exists()
    done = client.post(path, {"purpose": "monthly statistics for the unit"})
    assert done.status_code == 200 and done["Content-Type"] == "text/csv"
    assert [e.purpose for e in exports] == ["monthly statistics for the unit"]


@pytest.mark.parametrize("path", ["/api/export/cases.csv", "/api/export/persons.csv"])
def test_api_csv_export_needs_a_stated_purpose(world, path):
    _, raw = ApiToken.issue(world.users["a_investigator"], "t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    exports = AuditEntry.objects.filter(action="export")
    assert api.get(path).status_code == 405
    refused = api.post(path, json.dumps({}), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"][-1] == "purpose"
    assert not exports.exists()
    done = api.post(path, json.dumps({"purpose": "data for the national report"}), content_type="application/json")
    assert done.status_code == 200 and [e.purpose for e in exports] == ["data for the national report"]
