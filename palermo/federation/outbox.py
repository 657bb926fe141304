"""Sending to partners: the outbox is written in the caller's transaction, delivery happens later.

Delivery claims a message with a short lease (so two workers never post it at once and a worker
killed mid-delivery only delays it), posts it outside any database transaction, and records the
partner's signed answer. Failures are retried with exponential backoff and jitter until the message
expires; then it is dead-lettered for an administrator to inspect and retry. The receiver applies
a message once however often it arrives, so a retry after a lost receipt is harmless.
"""

from __future__ import annotations

import random
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from palermo.audit import services as audit
from palermo.core.rules import ErrorCollector
from palermo.core.services import NotPermitted
from palermo.federation import registry, services
from palermo.federation.envelope import (
    DEFAULT_LIFETIME,
    REJECTION_TYPE,
    Envelope,
    Rejection,
    open_sealed,
    seal,
)
from palermo.federation.models import OutboxMessage, Partner
from palermo.federation.registry import RECEIPT_TYPE

INBOX_PATH = "federation/inbox"
CLAIM = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
POST_TIMEOUT_SECONDS = 20
RETRYABLE_REFUSALS = {"clock_skew"}  # the partner's clock or ours will be put right


def send(actor, partner: Partner, message_type: str, body: dict, *, purpose: str, handling_code: str = "",
         use_restrictions: list[str] | None = None, conversation: str = "",
         lifetime: timedelta = DEFAULT_LIFETIME) -> OutboxMessage:
    """Queue a message inside the caller's transaction: it leaves only if that transaction commits."""
    errors = ErrorCollector()
    if registry.get(message_type) is None:
        errors.add("message_type", f"{message_type!r} is not a message type of this instance")
    if not purpose.strip():
        errors.add("purpose", "say why this is sent")
    errors.raise_if_any()
    if partner.status != Partner.ACTIVE:
        raise NotPermitted(f"exchanges with {partner.instance_id} are suspended")
    if message_type not in partner.allowed_message_types:
        raise NotPermitted(f"{message_type!r} messages are not agreed with {partner.instance_id}")
    envelope = Envelope.new(type=message_type, sender=services.profile().instance_id, recipient=partner.instance_id,
                            purpose=purpose.strip(), body=body, handling_code=handling_code,
                            use_restrictions=use_restrictions, conversation=conversation, lifetime=lifetime)
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            message_id=envelope.id, partner=partner, message_type=message_type, conversation=envelope.conversation,
            purpose=envelope.purpose, handling_code=handling_code, use_restrictions=envelope.use_restrictions,
            body=body, created=envelope.created_at(), expires=envelope.expires_at(), created_by=actor,
            next_attempt_at=envelope.created_at())
        audit.record(actor, "federation_send", message, purpose=envelope.purpose,
                     details={"message_id": envelope.id, "type": message_type, "partner": partner.instance_id,
                              "conversation": envelope.conversation, "handling_code": handling_code,
                              "use_restrictions": envelope.use_restrictions})
    return message


def deliver_due(now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Deliver what is due (idempotent; several workers may run it at once). Returns counts by outcome."""
    now = now or timezone.now()
    expire_overdue(now)
    due = (OutboxMessage.objects.filter(status=OutboxMessage.PENDING, next_attempt_at__lte=now)
           .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).order_by("next_attempt_at")
           .values_list("pk", flat=True)[:limit])
    outcomes: dict[str, int] = {}
    for pk in list(due):
        outcome = deliver(pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def deliver(pk: int, now: datetime | None = None) -> str:
    """One delivery attempt of one message, if it is due and nobody else holds it."""
    now = now or timezone.now()
    claimed = (OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.PENDING, next_attempt_at__lte=now)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
               .update(claimed_until=now + CLAIM))
    if not claimed:
        return "not_due"
    message = OutboxMessage.objects.select_related("partner").get(pk=pk)
    if message.partner.status != Partner.ACTIVE:
        return _retry_later(message, "the partner is suspended here; delivery waits until it is resumed", now)
    try:
        token = _seal(message)
        status, content_type, answer = _post(urljoin(message.partner.url, INBOX_PATH), token)
    except OSError as exc:
        return _retry_later(message, f"the partner could not be reached: {exc}", now)
    if content_type.startswith("application/jose"):
        return _take_answer(message, answer, now)
    return _retry_later(message, f"the partner answered {status} without a signed answer: {answer[:200]}", now)


def retry_dead(actor, message: OutboxMessage, *, reason: str) -> OutboxMessage:
    """An administrator sends a dead-lettered or refused message again (same id: never applied twice)."""
    if actor is None or not actor.is_superuser:
        raise NotPermitted("only the instance's platform administrators retry undeliverable messages")
    errors = ErrorCollector()
    if message.status not in (OutboxMessage.DEAD, OutboxMessage.REJECTED):
        errors.add("status", "only undeliverable or refused messages are retried by hand")
    if not reason.strip():
        errors.add("reason", "say why it is sent again")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        previous = message.status
        message.status, message.attempts, message.next_attempt_at, message.claimed_until = (
            OutboxMessage.PENDING, 0, now, None)
        if message.expires <= now:
            message.expires = now + DEFAULT_LIFETIME
        message.save()
        audit.record(actor, "federation_retry", message, purpose=reason.strip(),
                     details={"message_id": message.message_id, "from": previous})
    return message


def expire_overdue(now: datetime) -> int:
    """Pending messages past their expiry go to the dead-letter list (the partner would refuse them)."""
    overdue = list(OutboxMessage.objects.filter(status=OutboxMessage.PENDING, expires__lte=now))
    for message in overdue:
        with transaction.atomic():
            message.status, message.claimed_until = OutboxMessage.DEAD, None
            message.last_error = (message.last_error + "\n" if message.last_error else "") + "expired undelivered"
            message.save(update_fields=["status", "claimed_until", "last_error"])
            audit.record(None, "federation_dead_letter", message, details={"message_id": message.message_id,
                                                                           "attempts": message.attempts})
    return len(overdue)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min… capped at an hour, each ±25 % so that retries after an outage spread out."""
    wait = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)
    return wait * random.uniform(0.75, 1.25)


def _seal(message: OutboxMessage) -> str:
    envelope = Envelope(type=message.message_type, sender=services.profile().instance_id,
                        recipient=message.partner.instance_id, purpose=message.purpose, body=message.body or {},
                        handling_code=message.handling_code, use_restrictions=list(message.use_restrictions),
                        conversation=message.conversation, id=message.message_id,
                        created=message.created.isoformat(timespec="seconds"),
                        expires=message.expires.isoformat(timespec="seconds"))
    signing_kid, signing = services.signing_key()
    recipient_kid, recipient = services.partner_encryption_key(message.partner)
    return seal(envelope, signing_key=signing, signing_kid=signing_kid, recipient_key=recipient,
                recipient_kid=recipient_kid)


def _post(url: str, token: str) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=token.encode("ascii"), method="POST",
                                     headers={"Content-Type": "application/jose", "Accept": "application/jose"})
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS) as response:  # noqa: S310 (https or loopback only)
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("ascii", "replace")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Content-Type", ""), answer.read().decode("ascii", "replace")


def _take_answer(message: OutboxMessage, token: str, now: datetime) -> str:
    me = services.profile().instance_id
    try:
        answer = open_sealed(token, own_instance=me, decryption_keys=services.decryption_keys(),
                             sender_keys=services.partner_verification_keys, seen_before=lambda _s, _i: False)
    except Rejection as bad:
        return _retry_later(message, f"the partner's answer could not be verified: {bad.reason}", now)
    if answer.sender != message.partner.instance_id:
        return _retry_later(message, "the answer was signed by another instance", now)
    if answer.type == RECEIPT_TYPE and answer.body.get("received_id") == message.message_id:
        return _close(message, OutboxMessage.DELIVERED, token, now, details={"outcome": answer.body.get("outcome")})
    if answer.type == REJECTION_TYPE and answer.body.get("rejected_id") == message.message_id:
        code, reason = answer.body.get("code", ""), answer.body.get("reason", "")
        if code in RETRYABLE_REFUSALS:
            return _retry_later(message, f"refused for now ({code}): {reason}", now)
        message.last_error = f"{code}: {reason}"
        return _close(message, OutboxMessage.REJECTED, token, now, details={"code": code, "reason": reason})
    return _retry_later(message, f"the partner's answer does not concern this message ({answer.type})", now)


def _close(message: OutboxMessage, status: str, token: str, now: datetime, details: dict) -> str:
    with transaction.atomic():
        message.status, message.receipt, message.answered_at, message.claimed_until = status, token, now, None
        message.attempts += 1
        message.save(update_fields=["status", "receipt", "answered_at", "claimed_until", "attempts", "last_error"])
        audit.record(None, "federation_" + status, message, details={"message_id": message.message_id, **details})
    return status


def _retry_later(message: OutboxMessage, error: str, now: datetime) -> str:
    message.attempts += 1
    message.last_error, message.claimed_until = error[:2000], None
    message.next_attempt_at = now + backoff(message.attempts)
    message.save(update_fields=["attempts", "last_error", "claimed_until", "next_attempt_at"])
    return "retry"
