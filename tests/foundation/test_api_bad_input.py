"""Bad parameters found by schemathesis are 4xx with a field error, on SQLite and PostgreSQL alike, and
every API error — Django's own 404, 405, CSRF and 500 included — is JSON, never an HTML page."""

import json

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from palermo.core import selectors
from palermo.core.models import Person
from tests.foundation.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _client(user, **extra) -> Client:
    _, raw = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def _locs(response) -> list:
    return [tuple(error["loc"]) for error in response.json()["detail"]]


@pytest.mark.parametrize("path", ["/api/persons", "/api/organisations", "/api/cases", "/api/audit/entries"])
@pytest.mark.parametrize("offset", [2**63, 2**64 + 5, 2**31])
def test_an_offset_beyond_any_list_is_a_field_error(world, path, offset):
    api = _client(world.users["a_supervisor"])
    response = api.get(path, {"offset": offset})
    assert response.status_code == 422
    assert ("query", "offset") in _locs(response)
    assert api.get(path, {"offset": 2**31 - 1}).status_code == 200


@pytest.mark.parametrize("path, parameter", [
    ("/api/persons", "role"), ("/api/cases", "status"), ("/api/cases", "exploitation"),
    ("/api/audit/entries", "action"), ("/api/audit/entries", "actor"), ("/api/protection/providers", "kind"),
    ("/api/selectors/search?kind=phone", "value"),
])
def test_a_nul_byte_in_a_query_filter_is_a_field_error(world, path, parameter):
    api = _client(world.users["a_supervisor"])
    response = api.get(f"{path}{'&' if '?' in path else '?'}{parameter}=open%00x")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json")
    assert _locs(response) == [("query", parameter)]
    assert "NUL" in response.json()["detail"][0]["msg"]


def test_a_nul_byte_in_a_post_body_is_refused_and_nothing_is_stored(world):
    api = _client(world.users["a_investigator"])
    before = Person.objects.count()
    body = {"given_name": "An\u0000a", "family_name": "Lupu", "aliases": [{"name": "x\u0000", "source": "file"}]}
    response = api.post("/api/persons", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert set(_locs(response)) == {("body", "given_name"), ("body", "aliases", 0, "name")}
    surrogate = api.post("/api/persons", '{"given_name": "Ana", "family_name": "Pop\\ud83d"}',
                         content_type="application/json")
    assert surrogate.status_code == 422 and _locs(surrogate) == [("body", "family_name")]
    assert Person.objects.count() == before
    escaped_backslash = api.post("/api/persons", '{"given_name": "Ana \\\\u0000", "family_name": "Lupu"}',
                                 content_type="application/json")
    assert escaped_backslash.status_code == 201  # a literal backslash followed by "u0000" is ordinary text


def test_a_nul_byte_in_a_page_filter_is_a_bad_request_not_a_server_error(world):
    client = Client()
    client.force_login(world.users["a_investigator"])
    assert client.get("/persons/?q=a%00b").status_code == 400


def test_unknown_api_path_and_wrong_method_are_json(world):
    api = _client(world.users["a_investigator"])
    missing = api.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    wrong = api.put("/api/persons", "{}", content_type="application/json")
    assert wrong.status_code == 405 and wrong["Content-Type"].startswith("application/json")
    assert "GET" in wrong["Allow"] and wrong.json() == {"detail": "Method Not Allowed"}


def test_csrf_failure_on_a_session_is_json(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["a_investigator"])
    response = client.post("/api/persons", json.dumps({"given_name": "Ana"}), content_type="application/json")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")
    assert "CSRF" in response.json()["detail"]


def test_an_uncaught_error_is_a_json_500(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "dashboard_counts", broken)
    api = _client(world.users["a_investigator"], raise_request_exception=False)
    response = api.get("/api/counts")
    assert response.status_code == 500 and response.json() == {"detail": "Internal Server Error"}
    assert "database went away" not in response.content.decode()


def test_text_longer_than_its_column_is_a_field_error_not_a_database_error(world):
    """schemathesis on PostgreSQL: a 13-character primary_language was a 500 (SQLite stored it)."""
    api = _client(world.users["a_investigator"])
    before = Person.objects.count()
    body = {"given_name": "Ana", "primary_language": "x" * 13, "source_ref": "R" * 101,
            "aliases": [{"name": "Ana", "source": "s" * 301}]}
    response = api.post("/api/persons", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert set(_locs(response)) == {("body", "primary_language"), ("body", "source_ref"),
                                    ("body", "aliases[0]", "source")}
    assert Person.objects.count() == before


def test_every_model_refuses_text_longer_than_its_column(world):
    """The guard behind all services: an organisation's city and address have no check of their own."""
    from palermo.core.models import Organisation

    api = _client(world.users["a_investigator"])
    before = Organisation.objects.count()
    body = {"name": "Farm", "org_type": "Farm", "city": "c" * 121, "address": "a" * 301}
    response = api.post("/api/organisations", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert set(_locs(response)) == {("body", "city"), ("body", "address")}
    assert Organisation.objects.count() == before
