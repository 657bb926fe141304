"""Messages between Palermo instances: signed by the sender (JWS), encrypted to the recipient (JWE).

Plain Python, no Django: sealing and opening are pure functions of keys, clock and a replay check,
so every way a message can be refused is tested without a database. The formats are the standard
JOSE compact serialisations through joserfc: EdDSA (Ed25519) signatures inside ECDH-ES+A256KW /
A256GCM encryption to the recipient's X25519 key — sign, then encrypt, so that only the recipient
learns even who signed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

SIGNATURE_ALGORITHM = "Ed25519"
KEY_WRAPPING = "ECDH-ES+A256KW"
CONTENT_ENCRYPTION = "A256GCM"
CONTENT_TYPE = "palermo-message+jws"
REJECTION_TYPE = "federation.rejection"

DEFAULT_LIFETIME = timedelta(days=7)
MAX_CLOCK_SKEW = timedelta(minutes=5)

REQUIRED_CLAIMS = ("id", "type", "sender", "recipient", "conversation", "created", "expires",
                   "handling_code", "use_restrictions", "purpose", "body")


class Rejection(Exception):
    """Why a message is refused. `code` is stable (for the signed answer and the audit trail),
    `reason` is for the sender's administrator. `message_id`/`sender` are filled once known."""

    def __init__(self, code: str, reason: str, *, message_id: str = "", sender: str = ""):
        super().__init__(f"{code}: {reason}")
        self.code, self.reason, self.message_id, self.sender = code, reason, message_id, sender


@dataclass(frozen=True)
class Envelope:
    type: str
    sender: str
    recipient: str
    purpose: str
    body: dict
    handling_code: str = ""
    use_restrictions: list[str] = field(default_factory=list)
    conversation: str = ""
    id: str = ""
    created: str = ""
    expires: str = ""

    @classmethod
    def new(cls, *, type: str, sender: str, recipient: str, purpose: str, body: dict, handling_code: str = "",
            use_restrictions: list[str] | None = None, conversation: str = "", now: datetime | None = None,
            lifetime: timedelta = DEFAULT_LIFETIME) -> Envelope:
        """A message with a fresh id; a new conversation starts with the message's own id."""
        now = now or datetime.now(UTC)
        message_id = str(uuid.uuid4())
        return cls(type=type, sender=sender, recipient=recipient, purpose=purpose, body=body,
                   handling_code=handling_code, use_restrictions=list(use_restrictions or []),
                   conversation=conversation or message_id, id=message_id, created=_iso(now),
                   expires=_iso(now + lifetime))

    def claims(self) -> dict:
        return asdict(self)

    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)

    def expires_at(self) -> datetime:
        return datetime.fromisoformat(self.expires)


def seal(envelope: Envelope, *, signing_key: OKPKey, signing_kid: str, recipient_key: OKPKey,
         recipient_kid: str) -> str:
    """The message as a JWE compact token that carries the sender's JWS inside."""
    payload = json.dumps(envelope.claims(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    signed = jws.serialize_compact({"alg": SIGNATURE_ALGORITHM, "kid": signing_kid}, payload.encode("utf-8"),
                                   signing_key, algorithms=[SIGNATURE_ALGORITHM])
    header = {"alg": KEY_WRAPPING, "enc": CONTENT_ENCRYPTION, "kid": recipient_kid, "cty": CONTENT_TYPE}
    return jwe.encrypt_compact(header, signed.encode("ascii"), recipient_key)


def open_sealed(token: str, *, own_instance: str, decryption_keys: Mapping[str, OKPKey],
                sender_keys: Callable[[str], Mapping[str, OKPKey]], seen_before: Callable[[str, str], bool],
                now: datetime | None = None, max_skew: timedelta = MAX_CLOCK_SKEW) -> Envelope:
    """Decrypt, verify and check a received message, or raise Rejection saying why.

    `sender_keys(sender)` returns the sender's current verification keys by key id and raises
    Rejection for an unknown or suspended partner; `seen_before(sender, id)` answers the replay
    question. A replay is refused last, once the message is known to be authentic, so that the receiver
    can answer a sender's repeated delivery with a receipt.
    """
    now = now or datetime.now(UTC)
    signed = _decrypt(token, decryption_keys)
    claims, kid = _unverified_claims(signed)
    message_id, sender = str(claims.get("id", "")), str(claims.get("sender", ""))

    def refuse(code: str, reason: str) -> Rejection:
        return Rejection(code, reason, message_id=message_id, sender=sender)

    keys = sender_keys(sender)
    key = keys.get(kid)
    if key is None:
        raise refuse("unknown_key", f"the sender's key {kid!r} is not one we hold for {sender!r}")
    try:
        jws.deserialize_compact(signed, key, algorithms=[SIGNATURE_ALGORITHM])
    except (JoseError, ValueError) as exc:
        raise refuse("bad_signature", "the signature does not verify with the sender's key") from exc
    missing = [name for name in REQUIRED_CLAIMS if name not in claims]
    if missing:
        raise refuse("malformed", f"missing fields: {', '.join(missing)}")
    envelope = Envelope(**{name: claims[name] for name in REQUIRED_CLAIMS})
    if envelope.recipient != own_instance:
        raise refuse("wrong_recipient", f"addressed to {envelope.recipient!r}, not to this instance")
    try:
        created, expires = envelope.created_at(), envelope.expires_at()
    except (TypeError, ValueError) as exc:
        raise refuse("malformed", "created and expires must be ISO 8601 times with a zone") from exc
    if created - now > max_skew:
        raise refuse("clock_skew", f"created {envelope.created}, more than {max_skew} ahead of our clock")
    if expires <= now:
        raise refuse("expired", f"expired at {envelope.expires}")
    if seen_before(envelope.sender, envelope.id):
        raise refuse("replay", "a message with this id was received before")
    return envelope


def rejection_for(rejection: Rejection, *, own_instance: str, now: datetime | None = None) -> Envelope:
    """The signed answer to a refused message (sealed by the caller like any other message)."""
    return Envelope.new(type=REJECTION_TYPE, sender=own_instance, recipient=rejection.sender,
                        purpose="delivery", conversation=rejection.message_id, now=now,
                        body={"rejected_id": rejection.message_id, "code": rejection.code,
                              "reason": rejection.reason})


def _decrypt(token: str, decryption_keys: Mapping[str, OKPKey]) -> str:
    try:
        kid = jwe.extract_compact(token.encode("ascii"), jwe.default_registry).protected.get("kid", "")
    except (JoseError, ValueError, UnicodeError) as exc:
        raise Rejection("malformed", "not a JWE compact token") from exc
    key = decryption_keys.get(kid)
    if key is None:
        raise Rejection("not_for_us", f"encrypted to key {kid!r}, which this instance does not hold")
    try:
        return jwe.decrypt_compact(token, key).plaintext.decode("ascii")
    except (JoseError, ValueError, UnicodeError) as exc:
        raise Rejection("undecryptable", "the message cannot be decrypted (tampered or wrong key)") from exc


def _unverified_claims(signed: str) -> tuple[dict, str]:
    """Claims and key id read before verification, only to find which key verifies them."""
    try:
        obj = jws.extract_compact(signed.encode("ascii"))
        claims = json.loads(obj.payload)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise Rejection("malformed", "the content is not a signed JSON message") from exc
    if not isinstance(claims, dict):
        raise Rejection("malformed", "the signed content is not a JSON object")
    return claims, str(obj.protected.get("kid", ""))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
