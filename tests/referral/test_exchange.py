"""The referral exchange through the federation inbox, with the partner's messages sealed by a test partner."""

import pytest
from django.db import connection
from joserfc.jwk import OKPKey

from palermo.audit.models import AuditEntry
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.federation import services as federation
from palermo.federation.envelope import Envelope, seal
from palermo.federation.models import OutboxMessage
from palermo.referral import selectors, services
from palermo.referral.models import TransnationalReferral
from tests.referral.conftest import ready_to_refer

pytestmark = pytest.mark.django_db


def _receive(client, italy, message_type, body, conversation=""):
    entry = next(k for k in federation.card()["keys"] if k["use"] == "enc")
    envelope = Envelope.new(type=message_type, sender=italy.instance_id, recipient="ro.palermo.test",
                            purpose="TRM referral", body=body, handling_code="restricted", conversation=conversation)
    token = seal(envelope, signing_key=italy.sig, signing_kid=italy.sig_kid,
                 recipient_key=OKPKey.import_key(entry["jwk"]), recipient_kid=entry["kid"])
    return client.post("/federation/inbox", data=token, content_type="application/jose")


def _request(**overrides):
    body = {"reference": "TRM-IT-1", "addressee_agency": "ro-ngo",
            "referring_agency": {"code": "it-ngo", "name": "Progetto Example", "contact_point": "+39 02 0000 600"},
            "person_pseudonym": "IT-P-7", "involves_return": True,
            "packet": {"name": "Maria Example", "birth_and_residence": "1998-04-02, Iasi",
                       "assistance_needs": "Shelter and medical care on arrival"}}
    body.update(overrides)
    return body


def test_a_request_for_assistance_reaches_the_addressed_organisation_encrypted_and_is_confirmed(client, world):
    assert _receive(client, world["italy"], "trm.assistance_request", _request()).status_code == 200
    incoming = TransnationalReferral.objects.get()
    assert incoming.direction == "incoming" and incoming.owner_agency == world["ngo"]
    assert incoming.fields_sent == ["name", "birth_and_residence", "assistance_needs"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT packet_text FROM referral_transnationalreferral WHERE id = %s", [incoming.pk])
        assert "Maria" not in cursor.fetchone()[0]
    assert list(selectors.visible_referrals(world["coordinator"])) == []
    found = selectors.referral(world["casemanager"], incoming.pk)
    with pytest.raises(FieldErrors):
        selectors.referral_packet(world["casemanager"], found, "look")
    packet = selectors.referral_packet(world["casemanager"], found, "decide eligibility for assistance")
    assert packet["Name"] == "Maria Example"
    read = AuditEntry.objects.get(action="reveal_identity", actor_username="ngo.cm")
    assert read.purpose == "decide eligibility for assistance"

    with pytest.raises(NotPermitted):
        services.decide_referral(world["coordinator"], found, "confirmed")
    with pytest.raises(FieldErrors) as bad:
        services.decide_referral(world["casemanager"], found, "refused", "")
    assert "reason" in bad.value.errors
    services.decide_referral(world["casemanager"], found, "confirmed")
    answer = OutboxMessage.objects.get(message_type="trm.answer")
    assert answer.body["status"] == "confirmed" and answer.conversation == incoming.conversation
    with pytest.raises(FieldErrors):
        services.decide_referral(world["casemanager"], found, "refused", "changed our mind")


def test_a_refusal_carries_its_reason_and_a_reintegration_request_is_confirmed_only(client, world):
    _receive(client, world["italy"], "trm.assistance_request", _request())
    _receive(client, world["italy"], "trm.reintegration_request", _request(reference="TRM-IT-2"))
    assistance, reintegration = TransnationalReferral.objects.order_by("reference")
    services.decide_referral(world["casemanager"], assistance, "refused", "No shelter place for adults this month")
    assert OutboxMessage.objects.get().body["reason"] == "No shelter place for adults this month"
    assert reintegration.kind == "reintegration_request"
    with pytest.raises(FieldErrors):
        services.decide_referral(world["casemanager"], reintegration, "refused", "No")
    assert services.decide_referral(world["casemanager"], reintegration, "confirmed").status == "confirmed"


def test_a_packet_with_fields_outside_the_seven_or_for_an_unknown_organisation_is_refused(client, world):
    bad_field = _request(packet={"name": "X", "passport_number": "YB123"})
    assert _receive(client, world["italy"], "trm.assistance_request", bad_field).status_code == 400
    assert _receive(client, world["italy"], "trm.assistance_request",
                    _request(addressee_agency="nobody")).status_code == 400
    assert not TransnationalReferral.objects.exists()


def test_the_partners_confirmation_or_refusal_updates_our_referral(client, world):
    ready_to_refer(world, fields=("name", "assistance_needs"))
    ours = services.send_referral(world["casemanager"], world["person"], {
        "kind": "assistance_request", "partner": "it.palermo.test", "partner_agency": "it-police",
        "packet": {"name": "Ana Example", "assistance_needs": "Legal aid"}})
    refusal = {"reference": ours.reference, "status": "refused", "reason": ""}
    assert _receive(client, world["italy"], "trm.answer", refusal, ours.conversation).status_code == 400
    answer = {**refusal, "reason": "Not eligible: the programme covers minors only"}
    assert _receive(client, world["italy"], "trm.answer", answer, ours.conversation).status_code == 200
    ours.refresh_from_db()
    assert ours.status == "refused" and ours.decision_reason.startswith("Not eligible")
    assert [h["status"] for h in ours.history] == ["sent", "refused"]
    assert _receive(client, world["italy"], "trm.answer", {**answer, "status": "confirmed"},
                    ours.conversation).status_code == 400
    unknown = {"reference": "nope", "status": "confirmed"}
    assert _receive(client, world["italy"], "trm.answer", unknown).status_code == 400


def test_a_user_of_another_agency_does_not_see_a_received_referral(client, world):
    _receive(client, world["italy"], "trm.assistance_request", _request())
    with pytest.raises(NotVisible):
        selectors.referral(world["coordinator"], TransnationalReferral.objects.get().pk)
