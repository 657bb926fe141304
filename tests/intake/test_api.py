"""Channel API: bulk tips, idempotent keys, 409 on reused keys, field-level errors."""

import json

import pytest
from django.test import Client

from palermo.accounts.models import ApiToken
from palermo.intake.models import Signal

pytestmark = pytest.mark.django_db

URL = "/api/intake/signals"


@pytest.fixture
def gateway(world):
    _token, raw = ApiToken.issue(world.users["ngo_operator"], "sms gateway")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return lambda body: client.post(URL, json.dumps(body), content_type="application/json")


def tips():
    return [
        {"key": "sms-1", "text": "Ajutor, sunt închisă, mă bat. Sunați 0722 555 123", "country": "RO",
         "channel": "SMS", "caller_type": "Victim", "exploitation_type": "SexualExploitation",
         "immediate_danger": True},
        {"key": "mail-7", "text": "Workers on a farm near Foggia have no passports", "country": "IT",
         "region": "Apulia", "exploitation_type": "ForcedLabour", "channel": "Email"},
    ]


def test_bulk_submission_records_triages_and_routes(world, gateway):
    response = gateway(tips())
    assert response.status_code == 200, response.content
    first, second = response.json()
    assert first["created"] and first["triage_level"] == "critical" and first["queue"] == "Ro Police (RO)"
    assert any("immediate danger" in reason for reason in first["triage_reasons"])
    assert first["language"] == "ro"
    assert second["queue"] == "It Labour (IT)"
    assert Signal.objects.count() == 2


def test_same_key_same_content_returns_the_same_signal(world, gateway):
    first = gateway(tips()).json()
    again = gateway(tips())
    assert again.status_code == 200
    assert [r["signal_id"] for r in again.json()] == [r["signal_id"] for r in first]
    assert not any(r["created"] for r in again.json())
    assert Signal.objects.count() == 2


def test_same_key_with_other_content_is_a_conflict_and_changes_nothing(world, gateway):
    gateway(tips())
    changed = tips()
    changed[1]["text"] = "something else"
    changed.append({"key": "new-1", "text": "a new tip", "country": "RO"})
    response = gateway(changed)
    assert response.status_code == 409
    assert "mail-7" in response.json()["detail"]
    assert Signal.objects.count() == 2


def test_field_errors_name_the_tip_and_field(world, gateway):
    bad = tips()
    bad[0]["channel"] = "Pigeon"
    bad[1]["country"] = "ZZ"
    response = gateway(bad)
    assert response.status_code == 400
    locations = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert locations == {("body", "0", "channel"), ("body", "1", "country")}
    assert not Signal.objects.exists()


def test_schema_errors_and_missing_auth(world, gateway):
    assert gateway([{"text": "no key, no country"}]).status_code == 422
    assert gateway({"not": "a list"}).status_code == 422
    assert gateway([]).status_code == 400
    assert Client().post(URL, "[]", content_type="application/json").status_code == 401


def test_roles_without_intake_work_are_refused(world):
    _token, raw = ApiToken.issue(world.users["police_admin"], "t")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).post(URL, json.dumps(tips()),
                                                                      content_type="application/json")
    assert response.status_code == 403
