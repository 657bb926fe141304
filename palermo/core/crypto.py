"""Encryption at rest for identity fields, and blind indexes so encrypted values can still be matched.

Values are Fernet tokens (AES-128-CBC + HMAC) under the key(s) in PALERMO_FIELD_KEY; the first key
encrypts, all keys decrypt, which allows rotation. A blind index is an HMAC of the normalised value
under a key derived from the first field key: equal values match, nothing else can be learnt.
"""

from __future__ import annotations

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
    return hmac.new(settings.PALERMO_FIELD_KEYS[0].encode(), b"palermo-blind-index-v1", hashlib.sha256).digest()


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
        if value in (None, "", [], {}):
            return ""
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))
