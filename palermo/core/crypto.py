"""Encryption at rest for identity fields, and blind indexes so encrypted values can still be matched.

Values are Fernet tokens (AES-128-CBC + HMAC) under the key(s) in PALERMO_FIELD_KEY; the first key
encrypts, all keys decrypt, and `palermo rotate-field-key` re-encrypts everything under the first.
A blind index is an HMAC of the normalised value: equal values match, nothing else can be learnt. Its
key is PALERMO_INDEX_KEY when set, else derived from the first field key. Blind indexes cannot all be
recomputed (some index values that are never stored), so the index key must outlive a rotated field
key: `palermo index-key` prints the current one to pin in PALERMO_INDEX_KEY before rotating.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = settings.PALERMO_FIELD_KEYS
    if not keys:
        raise ImproperlyConfigured(
            "PALERMO_FIELD_KEY is not set: identity fields cannot be encrypted. "
            "Generate one with `palermo generate_field_key` and put it in the environment."
        )
    return MultiFernet([Fernet(k.encode()) for k in keys])


@cache
def _index_key() -> bytes:
    if settings.PALERMO_INDEX_KEY:
        return base64.urlsafe_b64decode(settings.PALERMO_INDEX_KEY)
    return derived_index_key(settings.PALERMO_FIELD_KEYS[0])


def index_key_to_pin() -> str:
    """The blind-index key in use, in the form PALERMO_INDEX_KEY takes (`palermo index-key`)."""
    return base64.urlsafe_b64encode(_index_key()).decode()


def derived_index_key(field_key: str) -> bytes:
    return hmac.new(field_key.encode(), b"palermo-blind-index-v1", hashlib.sha256).digest()


def fingerprint(key: str | bytes) -> str:
    """Names a key without revealing it (backups record which keys their data needs)."""
    material = key.encode() if isinstance(key, str) else key
    return hmac.new(material, b"palermo-key-fingerprint-v1", hashlib.sha256).hexdigest()[:16]


def field_key_fingerprints() -> list[str]:
    return [fingerprint(k) for k in settings.PALERMO_FIELD_KEYS]


def index_key_fingerprint() -> str:
    return fingerprint(_index_key())


def reset_key_caches() -> None:
    """After the keys in settings change (tests, rotation)."""
    _fernet.cache_clear()
    _index_key.cache_clear()


class Ciphertext(str):
    """A value that is already a Fernet token (restore, rotation): stored as it is, not encrypted again."""


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]


def is_under_first_key(token: str) -> bool:
    try:
        Fernet(settings.PALERMO_FIELD_KEYS[0].encode()).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> Ciphertext:
    """The same plain text under the first key (the token's timestamp is kept)."""
    return Ciphertext(_fernet().rotate(token.encode("ascii")).decode("ascii"))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("an encrypted field cannot be read with the configured PALERMO_FIELD_KEY") from exc


def blind_index(kind: str, normalised_value: str) -> str:
    return hmac.new(_index_key(), f"{kind}\x1f{normalised_value}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores ciphertext; Python code sees plain text. Empty strings stay empty (nothing to hide)."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        if isinstance(value, Ciphertext):
            return str(value)
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


class EncryptedJSONField(models.TextField):
    """A JSON document stored encrypted (dates of birth, documents, contact details)."""

    def from_db_value(self, value, expression, connection):
        return json.loads(decrypt(value)) if value else None

    def to_python(self, value):
        if value is None or isinstance(value, dict | list):
            return value
        return json.loads(value)

    def get_prep_value(self, value):
        if isinstance(value, Ciphertext):
            return str(value)
        if value in (None, "", [], {}):
            return ""
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))
