"""Dates of birth as agencies record them: full, month and year, year only, or estimated.

Victims often have no documents and give an age, so many dates are a year or an estimate; some
forms are filled in month-first. The parsed value keeps what is known and nothing more, and the
linker compares the parts (a day/month swap or a year-only date is evidence, not a mismatch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


class DateOfBirthError(ValueError):
    """The text is not a date of birth in any accepted form; the message says which forms are."""


ACCEPTED_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, DD/MM/YYYY (also with . or -), YYYYMMDD, or an estimate such as ~1990"


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    estimated: bool = False

    @property
    def is_full(self) -> bool:
        return self.month is not None and self.day is not None

    def iso(self) -> str:
        """ISO text of the known parts: 1990-03-07, 1990-03 or 1990."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


_ESTIMATE = re.compile(r"^(?:~|c\.?|ca\.?|circa|about|approx\.?|около|приблизно|примерно)\s*(\d{4})$|^(\d{4})\s*\?$", re.I)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _build(year: int, month: int | None, day: int | None, *, strict: bool, raw: str) -> PartialDate | None:
    try:
        if not 1880 <= year <= date.today().year:
            raise ValueError(f"year {year} is not a plausible year of birth")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} does not exist")
        if day is not None:
            date(year, month or 1, day)
    except ValueError as exc:
        if strict:
            raise DateOfBirthError(f"{raw!r}: {exc}") from exc
        return None
    return PartialDate(year, month, day)


def parse_date_of_birth(raw: str | None, *, strict: bool = True) -> PartialDate | None:
    """Parse the accepted forms; empty → None. Impossible dates raise DateOfBirthError when
    `strict` (file input must be fixed by a person) or give None otherwise (benchmark data
    with typed-in noise)."""
    text = (raw or "").strip()
    if not text:
        return None
    if match := _ESTIMATE.match(text):
        year = int(match.group(1) or match.group(2))
        built = _build(year, None, None, strict=strict, raw=text)
        return PartialDate(year, estimated=True) if built else None
    for pattern, order in ((_ISO, "ymd"), (_COMPACT, "ymd"), (_DAY_FIRST, "dmy"), (_MONTH_YEAR, "my")):
        if match := pattern.match(text):
            values = dict(zip(order, (int(g) if g else None for g in match.groups()), strict=True))
            return _build(values["y"], values.get("m"), values.get("d"), strict=strict, raw=text)
    if strict:
        raise DateOfBirthError(f"{text!r} is not a date of birth; accepted forms: {ACCEPTED_FORMS}")
    return None


def typed_date_digits(raw: str | None) -> str | None:
    """The digits of a full date as typed, in year-month-day order, even when the date is
    impossible (1940-34-07): a mistyped date one edit from another is still evidence."""
    text = (raw or "").strip()
    for pattern, order in ((_ISO, "ymd"), (_COMPACT, "ymd"), (_DAY_FIRST, "dmy")):
        if (match := pattern.match(text)) and all(match.groups()):
            values = dict(zip(order, match.groups(), strict=True))
            return f"{int(values['y']):04d}{int(values['m']):02d}{int(values['d']):02d}"
    return None
