"""The inbox: a partner's message is applied once, answered with a signed receipt or refusal, audited."""

from datetime import UTC, datetime, timedelta

import pytest
from joserfc.jwk import OKPKey

from palermo.audit.models import AuditEntry
from palermo.federation import services
from palermo.federation.envelope import Envelope, open_sealed, seal
from palermo.federation.models import Partner, ReceivedMessage

from .partners import OtherInstance

pytestmark = pytest.mark.django_db
INBOX = "/federation/inbox"


@pytest.fixture
def italy(initialised):
    other = OtherInstance()
    services.add_partner(initialised, other.card(), trust_level="referral", message_types=["federation.ping"],
                         confirmed_fingerprint=other.fingerprint)
    return other


def _our_card_key(use):
    entry = next(k for k in services.card()["keys"] if k["use"] == use and k["retires_at"] is None)
    return entry["kid"], OKPKey.import_key(entry["jwk"])


def _send(client, sender, envelope):
    kid, key = _our_card_key("enc")
    token = seal(envelope, signing_key=sender.sig, signing_kid=sender.sig_kid, recipient_key=key, recipient_kid=kid)
    return client.post(INBOX, data=token, content_type="application/jose"), token


def _read_answer(sender, response):
    kid, key = _our_card_key("sig")
    return open_sealed(response.content.decode(), own_instance=sender.instance_id,
                       decryption_keys={sender.enc_kid: sender.enc}, sender_keys=lambda _: {kid: key},
                       seen_before=lambda _s, _i: False)


def _ping(sender, **overrides):
    fields = dict(type="federation.ping", sender=sender.instance_id, recipient="ro.palermo.test",
                  purpose="connection test", body={}, handling_code="P3", use_restrictions=["no-onward-dissemination"])
    fields.update(overrides)
    return Envelope.new(**fields)


def test_a_message_is_applied_once_and_answered_with_a_signed_receipt(client, italy):
    message = _ping(italy)
    response, token = _send(client, italy, message)
    assert response.status_code == 200 and response["Content-Type"] == "application/jose"
    receipt = _read_answer(italy, response)
    assert receipt.type == "federation.receipt"
    assert receipt.body == {"received_id": message.id, "outcome": "applied"}

    again = client.post(INBOX, data=token, content_type="application/jose")
    assert again.status_code == 200
    assert _read_answer(italy, again).body == {"received_id": message.id, "outcome": "duplicate"}
    assert ReceivedMessage.objects.filter(message_id=message.id).count() == 1
    received = AuditEntry.objects.get(action="federation_receive")
    assert received.details["message_id"] == message.id and received.purpose == "connection test"
    assert received.details["use_restrictions"] == ["no-onward-dissemination"]
    assert AuditEntry.objects.filter(action="federation_duplicate").count() == 1


def test_a_type_not_agreed_with_the_partner_is_refused_with_a_signed_reason(client, italy):
    partner = Partner.objects.get(instance_id=italy.instance_id)
    partner.allowed_message_types = []
    partner.save()
    response, _ = _send(client, italy, _ping(italy))
    assert response.status_code == 400
    refusal = _read_answer(italy, response)
    assert refusal.type == "federation.rejection" and refusal.body["code"] == "type_not_allowed"
    assert not ReceivedMessage.objects.exists()
    assert AuditEntry.objects.get(action="federation_reject").details["code"] == "type_not_allowed"


def test_an_expired_message_is_refused_with_a_signed_reason(client, italy):
    stale = _ping(italy, now=datetime.now(UTC) - timedelta(days=2), lifetime=timedelta(days=1))
    response, _ = _send(client, italy, stale)
    assert response.status_code == 400 and _read_answer(italy, response).body["code"] == "expired"


def test_suspended_unknown_and_tampered_senders_get_a_plain_refusal(client, italy, initialised):
    partner = Partner.objects.get(instance_id=italy.instance_id)
    services.set_partner_status(initialised, partner, Partner.SUSPENDED, reason="review of the agreement")
    response, _ = _send(client, italy, _ping(italy))
    assert response.status_code == 403 and response.json() == {"refused": "partner_suspended"}

    stranger = OtherInstance("md.palermo.test")
    response, token = _send(client, stranger, _ping(stranger))
    assert response.status_code == 403 and response.json() == {"refused": "unknown_sender"}

    parts = token.split(".")
    parts[3] = parts[3][:-4] + ("AAAA" if not parts[3].endswith("AAAA") else "BBBB")
    response = client.post(INBOX, data=".".join(parts), content_type="application/jose")
    assert response.status_code == 400 and response.json() == {"refused": "undecryptable"}
    response = client.post(INBOX, data=b"\xff\xfe", content_type="application/jose")
    assert response.status_code == 400
    assert not ReceivedMessage.objects.exists()
    assert AuditEntry.objects.filter(action="federation_reject").count() == 4


def test_the_inbox_takes_only_posts_and_is_closed_without_an_identity(client, db):
    assert client.post(INBOX, data="x", content_type="application/jose").status_code == 404
    assert client.get(INBOX).status_code == 405
