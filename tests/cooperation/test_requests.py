"""Requests between states on one instance, with the partner's messages sealed by a test partner."""

from datetime import timedelta

import pytest
from django.utils import timezone
from joserfc.jwk import OKPKey

from palermo.audit.models import AuditEntry
from palermo.cooperation import selectors, services
from palermo.cooperation.models import CooperationRequest
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.federation import services as federation
from palermo.federation.envelope import Envelope, seal
from palermo.federation.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _ask(world, who="investigator", **overrides):
    data = {"partner": "it.palermo.test", "partner_agency": "it-police", "kind": "identity_verification",
            "subject": "Passport of P-7QX", "details": "Please verify passport YB1234567 issued in Milan."}
    data.update(overrides)
    return services.send_request(world[who], data)


def test_a_request_leaves_through_the_outbox_in_the_same_transaction(world):
    request = _ask(world)
    assert request.direction == "outgoing" and request.status == "sent"
    assert request.deadline - request.sent_at == timedelta(days=14)
    message = OutboxMessage.objects.get()
    assert message.message_type == "cooperation.request" and message.conversation == request.conversation
    assert message.body["addressee_agency"] == "it-police"
    assert message.body["requester_agency"]["contact_point"] == "ATU duty desk, +40 21 000 0100"
    assert AuditEntry.objects.filter(action="cooperation_send", object_id=str(request.pk)).exists()


def test_bad_requests_are_refused_field_by_field_and_nothing_is_sent(world):
    with pytest.raises(FieldErrors) as bad:
        _ask(world, kind="mutual_legal_assistance", partner_agency="nowhere", subject="",
             deadline=timezone.now() + timedelta(days=400))
    assert {"kind", "partner_agency", "subject"} <= set(bad.value.errors)
    with pytest.raises(FieldErrors) as bad:
        _ask(world, deadline=timezone.now() + timedelta(days=60))
    assert "deadline" in bad.value.errors
    with pytest.raises(NotPermitted):
        _ask(world, who="hotline")
    assert not OutboxMessage.objects.exists() and not CooperationRequest.objects.exists()
    assert _ask(world, who="prosecutor", kind="mutual_legal_assistance").kind == "mutual_legal_assistance"


def test_only_the_owning_agency_sees_a_request_and_every_read_of_its_text_is_audited(world):
    request = _ask(world)
    with pytest.raises(NotVisible):
        selectors.request_detail(world["casemanager"], request.pk)
    assert selectors.request_detail(world["prosecutor"], request.pk).details.startswith("Please verify")
    assert AuditEntry.objects.filter(action="view_sensitive", object_type="cooperation.cooperationrequest",
                                     actor_username="ro.pros").count() == 1


def _receive(client, italy, message_type, body, conversation=""):
    entry = next(k for k in federation.card()["keys"] if k["use"] == "enc")
    envelope = Envelope.new(type=message_type, sender=italy.instance_id, recipient="ro.palermo.test",
                            purpose="request", body=body, handling_code="restricted", conversation=conversation)
    token = seal(envelope, signing_key=italy.sig, signing_kid=italy.sig_kid,
                 recipient_key=OKPKey.import_key(entry["jwk"]), recipient_kid=entry["kid"])
    return client.post("/federation/inbox", data=token, content_type="application/jose")


def _incoming_body(**overrides):
    body = {"reference": "IT-REQ-1", "kind": "danger_alert", "addressee_agency": "ro-ngo",
            "requester_agency": {"code": "it-police", "name": "Polizia Milano", "contact_point": "+39 02 0000 500"},
            "subject": "Woman at risk on return to Iasi", "details": "Threats by the recruiter's family.",
            "person_pseudonym": "IT-P-44", "deadline": (timezone.now() + timedelta(hours=20)).isoformat()}
    body.update(overrides)
    return body


def test_a_request_from_abroad_reaches_the_addressed_agency_only_and_is_answered(client, world):
    assert _receive(client, world["italy"], "cooperation.request", _incoming_body()).status_code == 200
    incoming = CooperationRequest.objects.get(direction="incoming")
    assert incoming.owner_agency == world["ngo"] and incoming.sensitivity == "restricted"
    assert incoming.urgent and incoming.partner_contact_point == "+39 02 0000 500"
    assert list(selectors.requests(world["investigator"])) == []
    assert list(selectors.requests(world["casemanager"])) == [incoming]

    with pytest.raises(FieldErrors) as bad:
        services.change_status(world["casemanager"], incoming.pk, "refused", "")
    assert "note" in bad.value.errors
    services.change_status(world["casemanager"], incoming.pk, "acknowledged")
    answer = OutboxMessage.objects.get(message_type="cooperation.update")
    assert answer.body == {"reference": "IT-REQ-1", "status": "acknowledged", "note": "", "from": "addressee",
                           "contact_point": "shelter desk"}
    assert answer.conversation == incoming.conversation


def test_a_request_for_an_unknown_agency_is_refused_and_nothing_is_recorded(client, world):
    response = _receive(client, world["italy"], "cooperation.request", _incoming_body(addressee_agency="nobody"))
    assert response.status_code == 400
    assert not CooperationRequest.objects.exists()


def test_the_partners_answer_and_reminders_update_our_request(client, world):
    request = _ask(world)
    body = {"reference": request.reference, "status": "executed", "note": "Passport genuine.", "from": "addressee",
            "contact_point": "Documents desk, +39 02 0000 510"}
    assert _receive(client, world["italy"], "cooperation.update", body, request.conversation).status_code == 200
    request.refresh_from_db()
    assert request.status == "executed" and request.partner_contact_point == "Documents desk, +39 02 0000 510"
    assert [e.label for e in request.events.all()] == ["Sent", "Executed / answered"]
    again = {**body, "status": "refused"}
    assert _receive(client, world["italy"], "cooperation.update", again, request.conversation).status_code == 400


def test_overdue_requests_are_reminded_once_per_interval(world):
    request = _ask(world)
    CooperationRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert services.remind_overdue() == 1
    assert services.remind_overdue() == 0
    assert services.remind_overdue(timezone.now() + timedelta(days=8)) == 1
    assert OutboxMessage.objects.filter(message_type="cooperation.reminder").count() == 2
    assert selectors.overview(world["investigator"]) == {"outgoing_open": 1, "incoming_open": 0, "overdue": 1}


def test_the_pages_list_send_and_answer(client, world):
    client.force_login(world["investigator"])
    page = client.get("/cooperation/new")
    assert page.status_code == 200 and "it.palermo.test|it-police" in page.content.decode()
    refused = client.post("/cooperation/new", {"kind": "identity_verification", "to": "it.palermo.test|it-police",
                                               "subject": "", "details": ""})
    assert refused.status_code == 400 and not CooperationRequest.objects.exists()
    sent = client.post("/cooperation/new", {"kind": "identity_verification", "to": "it.palermo.test|it-police",
                                            "subject": "Passport check", "details": "Please verify.",
                                            "sensitivity": "normal"})
    request = CooperationRequest.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/cooperation/{request.pk}/"
    listing = client.get("/cooperation/?direction=outgoing").content.decode()
    assert request.reference in listing and "Verification of identity and travel documents" in listing
    detail = client.get(f"/cooperation/{request.pk}/").content.decode()
    assert "Withdrawn by the requester" in detail and "identity_verification" not in detail
    client.force_login(world["casemanager"])
    assert client.get(f"/cooperation/{request.pk}/").status_code == 404


def test_the_api_sends_lists_and_answers_with_field_errors_for_bad_input(client, world):
    client.force_login(world["investigator"])
    bad = client.post("/api/cooperation/requests", {"partner": "it.palermo.test", "partner_agency": "it-police",
                                                    "kind": "danger_alert", "subject": "", "details": "x"},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"] == ["body", "subject"]
    created = client.post("/api/cooperation/requests", {
        "partner": "it.palermo.test", "partner_agency": "it-police", "kind": "danger_alert",
        "subject": "Person at risk", "details": "Threats received."}, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind_label"] == "Urgent alert: a person at risk"
    pk = created.json()["id"]
    listed = client.get("/api/cooperation/requests?direction=outgoing").json()
    assert [item["id"] for item in listed["items"]] == [pk]
    detail = client.get(f"/api/cooperation/requests/{pk}").json()
    assert detail["details"] == "Threats received." and detail["events"][0]["what"] == "sent"
    wrong = client.post(f"/api/cooperation/requests/{pk}/status", {"status": "executed", "note": "done"},
                        content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["detail"][0]["loc"] == ["body", "status"]
    withdrawn = client.post(f"/api/cooperation/requests/{pk}/status", {"status": "withdrawn", "note": "resolved"},
                            content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    client.force_login(world["casemanager"])
    assert client.get(f"/api/cooperation/requests/{pk}").status_code == 404
