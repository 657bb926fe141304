"""Canonical forms for selectors, so the same phone or e-mail matches across agencies.

Plain Python (no Django): shared by the entity core, intake extraction and entity resolution.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers

SELECTOR_TYPES = (
    "phone",
    "email",
    "handle",
    "url",
    "identity_document",
    "vehicle",
    "account",
    "address",
)


class NormalisationError(ValueError):
    """The raw value cannot be turned into a canonical selector; the message says why."""


def fold(text: str) -> str:
    """Unicode-compatibility fold (full-width digits and letters become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def normalise_phone(raw: str, default_region: str | None = None) -> str:
    """E.164 form of a phone number; national forms need the region they were written in."""
    text = fold(raw)
    region = (default_region or "").upper() or None
    if not text.startswith("+") and text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        hint = "" if region or text.startswith("+") else " (give the country, or write it with +)"
        raise NormalisationError(f"not a phone number: {exc}{hint}") from exc
    if not phonenumbers.is_possible_number(number):
        raise NormalisationError("not a possible phone number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def normalise_email(raw: str) -> str:
    """Lower-cased address; a domain in another script is kept as IDNA (punycode)."""
    text = fold(raw).lower()
    if text.count("@") != 1:
        raise NormalisationError("an e-mail address has exactly one @")
    local, domain = text.split("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise NormalisationError("the domain of the e-mail address is not valid") from exc
    value = f"{local}@{domain}"
    if not _EMAIL.match(value):
        raise NormalisationError("not a valid e-mail address")
    return value


_HANDLE = re.compile(r"^[\w.\-]{1,64}$")


def normalise_handle(raw: str, platform: str | None = None) -> str:
    """`platform:handle` lower-cased without the leading @ (handles are case-insensitive on the big platforms)."""
    text = fold(raw).lstrip("@").lower()
    if not _HANDLE.match(text):
        raise NormalisationError("a handle is 1-64 letters, digits, dots, dashes or underscores")
    prefix = (platform or "").strip().lower()
    return f"{prefix}:{text}" if prefix else text


def normalise_url(raw: str) -> str:
    """Scheme and host lower-cased, `www.` and trailing slash dropped, query kept (ads carry ids there)."""
    text = fold(raw)
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        raise NormalisationError("not a web address")
    host = host.removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def normalise_code(raw: str) -> str:
    """Documents, vehicle plates and account numbers: upper-case letters and digits only."""
    text = re.sub(r"[^0-9A-Z]", "", fold(raw).upper())
    if len(text) < 3:
        raise NormalisationError("too short to identify anything (3 letters or digits at least)")
    return text


def normalise_address(raw: str) -> str:
    """Case- and space-insensitive form of a free-text address."""
    text = re.sub(r"[\s,;]+", " ", fold(raw).lower()).strip()
    if len(text) < 5:
        raise NormalisationError("an address needs at least 5 characters")
    return text


def normalise_selector(kind: str, raw: str, *, region: str | None = None, qualifier: str | None = None) -> str:
    """Dispatch on the selector type. `qualifier` is the platform of a handle or the issuing country
    of a document; it becomes part of the canonical value so that equal numbers from different
    issuers do not collide."""
    if not raw or not raw.strip():
        raise NormalisationError("a value is required")
    if kind == "phone":
        return normalise_phone(raw, region)
    if kind == "email":
        return normalise_email(raw)
    if kind == "handle":
        return normalise_handle(raw, qualifier)
    if kind == "url":
        return normalise_url(raw)
    if kind in ("identity_document", "vehicle", "account"):
        code = normalise_code(raw)
        return f"{qualifier.strip().upper()}:{code}" if qualifier else code
    if kind == "address":
        return normalise_address(raw)
    raise NormalisationError(f"unknown selector type {kind!r}; expected one of {', '.join(SELECTOR_TYPES)}")
