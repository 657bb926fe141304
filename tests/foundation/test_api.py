"""The JSON API: token auth, field-level 4xx errors that change nothing, never a 500."""

import json

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.core.models import Case, Person
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _client(user) -> Client:
    _, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_requests_without_a_valid_token_are_refused(world):
    assert Client().get("/api/persons").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer plm_wrong").get("/api/persons").status_code == 401


def test_token_from_credentials(world):
    # A role that needs no second factor; tokens with one: tests/foundation/test_sign_in_security.py.
    response = Client().post("/api/token", {"username": "a_operator", "password": "not-used-in-tests-123"},
                             content_type="application/json")
    assert response.status_code == 201
    token = response.json()["token"]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/me").json()["username"] == "a_operator"
    bad = Client().post("/api/token", {"username": "a_operator", "password": "nope"}, content_type="application/json")
    assert bad.status_code == 401


def test_create_person_with_bad_fields_gives_field_errors_and_writes_nothing(world):
    api = _client(world.users["a_investigator"])
    before, audit_before = Person.objects.count(), AuditEntry.objects.count()
    response = api.post("/api/persons", {"date_of_birth": "32/13/1990", "citizenship": ["ZZ"], "gender": "x"},
                        content_type="application/json")
    assert response.status_code == 400
    fields = {tuple(d["loc"][1:]) for d in response.json()["detail"]}
    assert fields == {("date_of_birth",), ("citizenship",), ("gender",)}
    assert Person.objects.count() == before and AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("body", ["{not json", json.dumps({"given_name": 5, "aliases": "x"}), json.dumps([1, 2])])
def test_malformed_bodies_are_4xx_not_500(world, body):
    api = _client(world.users["a_investigator"])
    assert api.post("/api/persons", body, content_type="application/json").status_code in (400, 422)


def test_wrong_types_in_query_and_path_are_4xx(world):
    api = _client(world.users["a_investigator"])
    assert api.get("/api/persons/not-a-number").status_code in (404, 422)
    assert api.get("/api/persons", {"limit": "many"}).status_code == 422
    assert api.get("/api/selectors/search", {"kind": "phone"}).status_code == 422
    assert api.get("/api/selectors/search", {"kind": "smoke-signal", "value": "x"}).status_code == 400


def test_create_case_event_and_share_through_the_api(world):
    api = _client(world.users["a_investigator"])
    response = api.post("/api/cases", {"reference": "API-1", "title": "From the API",
                                       "exploitation_types": ["ForcedLabour"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    bad = api.post(f"/api/cases/{case_id}/events", {"stage": "Teleport", "occurred_on": "2026-01-01", "country": "QQ"},
                   content_type="application/json")
    assert bad.status_code == 400
    assert {d["loc"][-1] for d in bad.json()["detail"]} == {"stage", "country"}
    ok = api.post(f"/api/cases/{case_id}/events", {"stage": "Recruitment", "occurred_on": "2026-01-01", "country": "RO"},
                  content_type="application/json")
    assert ok.status_code == 201
    b_api = _client(world.users["b_investigator"])
    assert b_api.get(f"/api/cases/{case_id}").status_code == 404
    share = api.post("/api/shares", {"object_type": "case", "object_id": case_id, "purpose": "joint work",
                                     "to_agency": "agency-b", "use_restrictions": "no onward sharing"},
                     content_type="application/json")
    assert share.status_code == 201, share.content
    detail = b_api.get(f"/api/cases/{case_id}").json()
    assert detail["use_restrictions"] == ["no onward sharing"]
    assert [e["stage"] for e in detail["events"]] == ["Recruitment"]
    assert api.delete(f"/api/shares/{share.json()['id']}").status_code == 200
    assert b_api.get(f"/api/cases/{case_id}").status_code == 404
    assert Case.objects.filter(reference="API-1").count() == 1


def test_reveal_needs_a_purpose_and_is_audited(world):
    api = _client(world.users["a_investigator"])
    person = world.records[("person", "own_normal")]
    assert api.post(f"/api/persons/{person.pk}/reveal", {"purpose": "x"}, content_type="application/json").status_code == 400
    response = api.post(f"/api/persons/{person.pk}/reveal", {"purpose": "planning the interview"},
                        content_type="application/json")
    assert response.status_code == 200 and response.json()["given_name"] == "Given own_normal"
    entry = AuditEntry.objects.filter(action="reveal_identity").latest("seq")
    assert (entry.object_id, entry.purpose, entry.actor_username) == (str(person.pk), "planning the interview",
                                                                       "a_investigator")
    operator = _client(world.users["a_operator"])
    assert operator.post(f"/api/persons/{person.pk}/reveal", {"purpose": "just looking around"},
                         content_type="application/json").status_code == 403


def test_openapi_schema_is_published(world):
    schema = Client().get("/api/openapi.json").json()
    assert "/api/persons" in schema["paths"] and "/api/selectors/search" in schema["paths"]
