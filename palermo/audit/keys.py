"""The audit trail's keys. Both live outside the database (environment, or var/secrets.env on a
developer machine): the HMAC key of the chain and the Ed25519 key that signs checkpoints of its head."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def chain_key() -> bytes:
    """The HMAC key of the chain: rows rewritten by someone with database access cannot get valid hashes."""
    key = settings.PALERMO_AUDIT_KEY
    if not key:
        raise ImproperlyConfigured("PALERMO_AUDIT_KEY is not set: the audit trail cannot be written or verified. "
                                   "`make run` generates one into var/secrets.env; deployments set it in the "
                                   "environment.")
    return key.encode("utf-8")


def signing_key() -> Ed25519PrivateKey:
    raw = settings.PALERMO_AUDIT_SIGNING_KEY
    if not raw:
        raise ImproperlyConfigured("PALERMO_AUDIT_SIGNING_KEY is not set: checkpoints of the audit trail cannot be "
                                   "signed. `make run` generates one into var/secrets.env.")
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(raw))
    except ValueError as exc:
        raise ImproperlyConfigured("PALERMO_AUDIT_SIGNING_KEY is not a base64 Ed25519 private key (32 bytes)") from exc


def public_key_text(public_key: Ed25519PublicKey) -> str:
    return base64.urlsafe_b64encode(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def verifying_key() -> Ed25519PublicKey:
    """The key checkpoints are checked with: PALERMO_AUDIT_VERIFY_KEY (what the oversight body holds), or
    the public half of this instance's signing key."""
    raw = settings.PALERMO_AUDIT_VERIFY_KEY
    if raw:
        try:
            return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(raw))
        except ValueError as exc:
            raise ImproperlyConfigured("PALERMO_AUDIT_VERIFY_KEY is not a base64 Ed25519 public key") from exc
    return signing_key().public_key()


def generate_signing_key() -> str:
    return base64.urlsafe_b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode("ascii")
