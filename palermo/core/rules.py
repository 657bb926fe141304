"""Plain-Python rules of the entity core: dates of birth, names and scripts, field checks.
No Django here, so they are fast to test and reusable by imports, API and forms alike."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from anyascii import anyascii


class FieldErrors(ValueError):
    """Bad input, field by field: {"field": ["message", …]}. Nothing was changed."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class ErrorCollector:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_AGE = re.compile(r"^(?:~|about |age |approx\.? )?(\d{1,3})\s*(?:y|yrs|years)?$", re.I)


def parse_date_of_birth(raw: str | dict | None, *, today: date | None = None) -> dict | None:
    """Exact ("1990-05-12", "12/05/1990"), partial ("1990-05", "1990") or an estimated age ("~17",
    "age 17"), returned as a dict with its precision. An estimate records the day it was made."""
    if raw in (None, "", {}):
        return None
    if isinstance(raw, dict):
        raw = raw.get("value") or (f"~{raw['age']}" if "age" in raw else "")
    text = str(raw).strip()
    today = today or date.today()
    if m := _ISO_DAY.match(text):
        return _exact(int(m[1]), int(m[2]), int(m[3]), today)
    if m := _DMY.match(text):
        return _exact(int(m[3]), int(m[2]), int(m[1]), today)
    if m := _ISO_MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError("month must be between 01 and 12")
        _check_year(year, today)
        return {"precision": "month", "value": f"{year:04d}-{month:02d}"}
    if m := _YEAR.match(text):
        _check_year(int(m[1]), today)
        return {"precision": "year", "value": m[1]}
    if m := _AGE.match(text):
        age = int(m[1])
        if age > 120:
            raise ValueError("an estimated age above 120 is not plausible")
        return {"precision": "estimate", "age": age, "as_of": today.isoformat()}
    raise ValueError("use YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, YYYY, or an estimated age such as ~17")


def _check_year(year: int, today: date) -> None:
    if not 1900 <= year <= today.year:
        raise ValueError(f"year must be between 1900 and {today.year}")


def _exact(year: int, month: int, day: int, today: date) -> dict:
    try:
        value = date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a real date: {exc}") from exc
    if value > today:
        raise ValueError("a date of birth cannot be in the future")
    _check_year(year, today)
    return {"precision": "day", "value": value.isoformat()}


def describe_date_of_birth(dob: dict | None) -> str:
    if not dob:
        return "unknown"
    if dob["precision"] == "estimate":
        return f"about {dob['age']} years old (estimated {dob['as_of']})"
    return dob["value"] + ("" if dob["precision"] == "day" else f" ({dob['precision']} known)")


def age_range(dob: dict | None, on: date) -> tuple[int, int] | None:
    """Youngest and oldest age the person can be on `on`; None when nothing is known."""
    if not dob:
        return None
    if dob["precision"] == "estimate":
        elapsed = (on - date.fromisoformat(dob["as_of"])).days // 365
        return dob["age"] + elapsed - 2, dob["age"] + elapsed + 2
    parts = [int(p) for p in dob["value"].split("-")]
    earliest = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    latest = date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)

    def years(born: date) -> int:
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    return years(latest), years(earliest)


def script_of(text: str) -> str:
    """The dominant writing system of a name (Latin, Cyrillic, Greek, Arabic, Han, Thai, Georgian…)."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            script = {"CJK": "Han", "HIRAGANA": "Kana", "KATAKANA": "Kana"}.get(script, script.title())
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else ""


def name_key(name: str) -> str:
    """Script-neutral exact-match key for a name: transliterated, lower-cased, tokens sorted (so
    "Popescu Ana" and "Ana Popescu" and "Ана Попеску" meet)."""
    tokens = re.findall(r"[a-z0-9]+", anyascii(unicodedata.normalize("NFKC", name)).lower())
    return " ".join(sorted(tokens))


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why a piece of text cannot be stored, or None: PostgreSQL refuses NUL characters and an
    unpaired surrogate (from a JSON "\\ud800" escape) cannot be encoded, so both are refused at input."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (0x00)"
    return "contains an unpaired surrogate (not valid Unicode text)"


# Explicit embedding/override/isolate controls and the directional marks: in text shown to staff they
# can reorder what is displayed ("Trojan Source"), so displays show them as visible codes instead.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_DISPLAY = {ord(char): f"[U+{ord(char):04X}]" for char in BIDI_CONTROLS}


def neutralise_bidi(text: str) -> str:
    """Replaces each bidirectional control character by its visible code point, e.g. "[U+202E]"."""
    return text.translate(_BIDI_DISPLAY)


def text_field(errors: ErrorCollector, data: dict, field: str, *, required: bool = True, limit: int = 4000) -> str:
    """A form or API field as trimmed text, checked for presence and length."""
    value = str(data.get(field) or "").strip()
    if required and not value:
        errors.add(field, "required")
    elif len(value) > limit:
        errors.add(field, f"at most {limit} characters")
    return value


def date_field(errors: ErrorCollector, data: dict, field: str, *, required: bool = True) -> date | None:
    """A form or API field as a date (a date object or YYYY-MM-DD)."""
    raw = data.get(field)
    if isinstance(raw, date):
        return raw
    raw = str(raw or "").strip()
    if not raw:
        if required:
            errors.add(field, "required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.add(field, "not a date (use YYYY-MM-DD)")
        return None


def flag_field(data: dict, field: str) -> bool:
    """A checkbox or boolean field."""
    return str(data.get(field, "")).lower() in ("1", "true", "on", "yes")
