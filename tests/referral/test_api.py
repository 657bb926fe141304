"""The TRM API: the same services and rules as the pages, with field-level 4xx answers."""

import pytest

from palermo.federation.models import OutboxMessage
from palermo.referral.models import SopMeasure
from tests.referral.conftest import ready_to_refer

pytestmark = pytest.mark.django_db


def test_library_directory_and_a_persons_measures(client, world):
    client.force_login(world["casemanager"])
    library = client.get("/api/referral/library?country=RO").json()
    assert {m["area_label"] for m in library} >= {"Identification", "Criminal and civil proceedings"}
    assert any(m["for_children"] for m in library)
    assert any(e["stale"] for e in client.get("/api/referral/directory?country=IT").json())
    pk = world["person"].pk
    measure = SopMeasure.objects.get(code="ro-rs-1")
    created = client.post(f"/api/referral/persons/{pk}/measures", {"measure": measure.pk},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["institution"] == "Police anti-trafficking unit (example)"
    bad = client.post(f"/api/referral/persons/{pk}/measures", {"measure": 999999}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"] == ["body", "measure"]
    done = client.post(f"/api/referral/persons/{pk}/measures/{created.json()['id']}/done", {},
                       content_type="application/json")
    assert done.json()["adherence"] == "done"
    assert client.get(f"/api/referral/persons/{pk}/measures").json()[0]["done_on"]
    assert client.get("/api/referral/report").status_code == 403


def test_a_referral_through_the_api_with_field_level_refusal(client, world):
    ready_to_refer(world, fields=("name", "assistance_needs"))
    client.force_login(world["casemanager"])
    pk = world["person"].pk
    payload = {"kind": "assistance_request", "partner": "it.palermo.test", "partner_agency": "it-police",
               "packet": {"name": "Ana", "medical": "Asthma"}}
    refused = client.post(f"/api/referral/persons/{pk}/referrals", payload, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"] == ["body", "medical"]
    assert not OutboxMessage.objects.exists()
    payload["packet"] = {"name": "Ana", "assistance_needs": "Shelter"}
    sent = client.post(f"/api/referral/persons/{pk}/referrals", payload, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["fields_sent"] == ["name", "assistance_needs"]
    rid = sent.json()["id"]
    assert "packet" not in client.get(f"/api/referral/referrals/{rid}").json()
    short = client.post(f"/api/referral/referrals/{rid}/packet", {"purpose": "x"}, content_type="application/json")
    assert short.status_code == 400
    packet = client.post(f"/api/referral/referrals/{rid}/packet", {"purpose": "prepare the arrival plan"},
                         content_type="application/json").json()
    assert packet == {"Name": "Ana", "Assistance needs": "Shelter"}
    wrong_side = client.post(f"/api/referral/referrals/{rid}/decision", {"status": "confirmed"},
                             content_type="application/json")
    assert wrong_side.status_code == 400
    consent = client.post(f"/api/referral/persons/{pk}/consents", {"step": "nope", "method": "oral",
                                                                   "language": "ro"},
                          content_type="application/json")
    assert consent.status_code == 400
