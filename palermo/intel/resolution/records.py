"""Person records from many agencies turned into the comparison columns the linker uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from palermo.core.normalisation import NormalisationError, normalise_address, normalise_email, normalise_phone

from .dates import parse_date_of_birth, typed_date_digits
from .fields import document_ocr_key, gender_code, nationality_code
from .names import parse_person_name, spelling_key

INPUT_COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "given_name",
    "family_name",
    "date_of_birth",
    "nationality",
    "phone",
    "email",
    "document_number",
    "gender",
)
# Optional: a household address sharpens the relatives rule but is not part of the CLI contract.
OPTIONAL_COLUMNS = ("address",)


def _or_none(value: str) -> str | None:
    return value or None


@lru_cache(maxsize=500_000)
def _phone(raw: str, region: str) -> tuple[str | None, str | None]:
    """E.164 phone (None when it cannot be read) and its last nine digits, which still match
    when one agency wrote the number without its country code."""
    if not raw.strip():
        return None, None
    digits = re.sub(r"\D", "", raw)
    try:
        e164 = normalise_phone(raw, region or None)
    except NormalisationError:
        e164 = None
    tail = (e164 or digits)[-9:]
    return e164, tail if len(tail) >= 7 else None


def _email(raw: str) -> str | None:
    try:
        return normalise_email(raw) if raw.strip() else None
    except NormalisationError:
        return None


def _address(raw: str) -> str | None:
    try:
        return normalise_address(raw) if raw.strip() else None
    except NormalisationError:
        return None


def _address_numbers(address: str | None) -> str | None:
    """House, flat and postal numbers of an address in written order, when there are at least
    two: they survive the misspelt street and suburb names that defeat string similarity."""
    numbers = re.findall(r"\d+", address or "")
    return " ".join(numbers) if len(numbers) >= 2 else None


def comparison_row(record: Mapping[str, object], *, strict_dates: bool = True) -> dict[str, object]:
    """The linker's columns for one record. Empty means unknown (None), never 'different'."""
    text = {column: str(record.get(column) or "").strip() for column in (*INPUT_COLUMNS, *OPTIONAL_COLUMNS)}
    gender = gender_code(text["gender"])
    name = parse_person_name(text["full_name"], text["given_name"], text["family_name"], gender)
    dob = parse_date_of_birth(text["date_of_birth"], strict=strict_dates)
    address = _address(text["address"])
    nationality = nationality_code(text["nationality"])
    document = _or_none(document_ocr_key(text["document_number"]))
    phone, phone_tail = _phone(text["phone"], nationality)
    given_display = " ".join(filter(None, [text["given_name"], text["family_name"]])) or text["full_name"]
    return {
        "record_id": text["record_id"],
        "source": _or_none(text["source"]),
        "name_as_recorded": _or_none(given_display),
        "given_key": _or_none(spelling_key(name.given) if name.given else ""),
        "given_canonical": _or_none(name.given_canonical),
        "given_alternatives": list(name.given_alternatives) or None,
        "given_skeleton": _or_none(name.given_skeleton),
        "family_key": _or_none(name.family_key),
        "family_skeleton": _or_none(name.family_skeleton),
        "dob_text": dob.iso() if dob else None,
        "dob_full": dob.iso() if dob and dob.is_full else None,
        "dob_year": dob.year if dob else None,
        "dob_month": dob.month if dob else None,
        "dob_day": dob.day if dob else None,
        "dob_estimated": bool(dob and dob.estimated),
        "dob_digits": typed_date_digits(text["date_of_birth"]),
        "nationality": _or_none(nationality),
        "phone": phone,
        "phone_tail": phone_tail,
        "email": _email(text["email"]),
        "email_user": (_email(text["email"]) or "").split("@")[0] or None,
        "document_key": document,
        "document_sorted": "".join(sorted(document)) if document else None,
        "gender": _or_none(gender),
        "address": address,
        "address_numbers": _address_numbers(address),
    }


def comparison_rows(records: Iterable[Mapping[str, object]], *, strict_dates: bool = True) -> list[dict[str, object]]:
    return [comparison_row(record, strict_dates=strict_dates) for record in records]
