"""Receiving a message from a partner: open, check, apply once, audit, answer with a signed receipt.

Every outcome is answered in a sealed envelope to the sender when the sender is a partner we can
encrypt to (a receipt, or a rejection with its reason); a message from an unknown instance gets a
plain refusal, since there is nobody to seal an answer to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from palermo.audit import services as audit
from palermo.federation import registry, services
from palermo.federation.envelope import Envelope, Rejection, open_sealed, rejection_for, seal
from palermo.federation.models import Partner, ReceivedMessage
from palermo.federation.registry import RECEIPT_TYPE, TRANSPORT_TYPES

MAX_TOKEN_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    sealed: str = ""  # the answer sealed to the sender, when there is a partner to seal it to
    refusal: str = ""  # otherwise a plain reason code


def receive(token: str) -> Answer:
    me = services.profile()
    try:
        if len(token) > MAX_TOKEN_BYTES:
            raise Rejection("too_large", f"messages are limited to {MAX_TOKEN_BYTES} bytes")
        envelope = open_sealed(token, own_instance=me.instance_id, decryption_keys=services.decryption_keys(),
                               sender_keys=services.partner_verification_keys, seen_before=_seen_before)
        partner = Partner.objects.get(instance_id=envelope.sender)
        _check_allowed(envelope, partner)
        outcome = _apply_once(envelope, partner)
    except Rejection as refused:
        if refused.code != "replay":
            return _refuse(refused, me.instance_id)
        # An authentic message delivered again (its receipt was lost): confirm it, apply nothing.
        partner = Partner.objects.get(instance_id=refused.sender)
        audit.record(None, "federation_duplicate", partner, details={"message_id": refused.message_id})
        return Answer(200, sealed=_seal_to(partner, _receipt(me.instance_id, refused.sender, refused.message_id,
                                                             "duplicate")))
    return Answer(200, sealed=_seal_to(partner, _receipt(me.instance_id, envelope.sender, envelope.id, outcome)))


def _receipt(own_instance: str, sender: str, message_id: str, outcome: str) -> Envelope:
    return Envelope.new(type=RECEIPT_TYPE, sender=own_instance, recipient=sender, purpose="delivery",
                        conversation=message_id, body={"received_id": message_id, "outcome": outcome})


def _seen_before(sender: str, message_id: str) -> bool:
    return ReceivedMessage.objects.filter(sender=sender, message_id=message_id).exists()


def _check_allowed(envelope: Envelope, partner: Partner) -> None:
    kind = registry.get(envelope.type)
    if kind is None:
        raise Rejection("unknown_type", f"this instance does not handle {envelope.type!r} messages",
                        message_id=envelope.id, sender=envelope.sender)
    if envelope.type not in TRANSPORT_TYPES and envelope.type not in partner.allowed_message_types:
        raise Rejection("type_not_allowed", f"{envelope.type!r} messages are not agreed with this partner",
                        message_id=envelope.id, sender=envelope.sender)


def _apply_once(envelope: Envelope, partner: Partner) -> str:
    """Record, audit and apply in one transaction; a duplicate id changes nothing and says so."""
    try:
        with transaction.atomic():
            ReceivedMessage.objects.create(
                message_id=envelope.id, sender=envelope.sender, message_type=envelope.type,
                conversation=envelope.conversation, handling_code=envelope.handling_code,
                use_restrictions=envelope.use_restrictions, purpose=envelope.purpose,
                created=envelope.created_at(), expires=envelope.expires_at())
            audit.record(None, "federation_receive", partner, purpose=envelope.purpose,
                         details={"message_id": envelope.id, "type": envelope.type,
                                  "conversation": envelope.conversation, "handling_code": envelope.handling_code,
                                  "use_restrictions": envelope.use_restrictions})
            handler = registry.get(envelope.type).apply
            if handler is not None:
                handler(envelope, partner)
    except IntegrityError:
        return "duplicate"  # the same message arrived twice at once; the other arrival applied it
    return "applied"


def _refuse(refused: Rejection, own_instance: str) -> Answer:
    audit.record(None, "federation_reject", object_type="federation.partner", object_label=refused.sender[:200],
                 details={"message_id": refused.message_id, "code": refused.code, "reason": refused.reason})
    partner = Partner.objects.filter(instance_id=refused.sender, status=Partner.ACTIVE).first()
    if partner is None:
        return Answer(403 if refused.code in {"unknown_sender", "partner_suspended"} else 400, refusal=refused.code)
    return Answer(400, sealed=_seal_to(partner, rejection_for(refused, own_instance=own_instance)))


def _seal_to(partner: Partner, envelope: Envelope) -> str:
    signing_kid, signing = services.signing_key()
    recipient_kid, recipient = services.partner_encryption_key(partner)
    return seal(envelope, signing_key=signing, signing_kid=signing_kid, recipient_key=recipient,
                recipient_kid=recipient_kid)
