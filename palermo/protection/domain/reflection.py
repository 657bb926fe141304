"""Recovery and reflection periods as jurisdiction rules: end dates, reminders, renewals.

No function here takes cooperation with the investigation or prosecution as an input: the period and
the support attached to it do not depend on it (CoE Convention art. 12(6), art. 13).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ._data import load
from .errors import ProtectionDomainError

DEFAULT_REMINDER_DAYS = (7, 2)


@dataclass(frozen=True)
class ReflectionRule:
    code: str
    jurisdiction: str
    instrument: str
    duration: dict
    is_minimum: bool
    renewable: bool
    source: str
    verification: str
    renewal_duration: dict | None = None
    renewal_note: str | None = None


@dataclass(frozen=True)
class ReflectionPeriod:
    rule: ReflectionRule
    starts_on: date
    last_day: date
    renewals: int = 0


def independence_statement() -> str:
    """The statement shown with every period: status never depends on cooperation with the prosecution."""
    return load("reflection_periods.json")["principle"]


def rules() -> dict[str, ReflectionRule]:
    return {entry["code"]: ReflectionRule(**entry) for entry in load("reflection_periods.json")["rules"]}


def rule(code: str) -> ReflectionRule:
    known = rules()
    if code not in known:
        raise ProtectionDomainError(f"Unknown jurisdiction rule {code!r}; expected one of {', '.join(known)}.")
    return known[code]


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add(day: date, duration: dict) -> date:
    """The day `duration` after `day` (calendar months and years, so 31 Jan + 1 month = 28/29 Feb)."""
    (unit, amount), = duration.items()
    if unit == "days":
        return day + timedelta(days=amount)
    if unit == "months":
        return _add_months(day, amount)
    if unit == "years":
        return _add_months(day, 12 * amount)
    raise ProtectionDomainError(f"Unknown duration unit {unit!r}.")


def start_period(code: str, starts_on: date) -> ReflectionPeriod:
    """Start a period on `starts_on`; the last day is the day before the duration has elapsed."""
    chosen = rule(code)
    return ReflectionPeriod(chosen, starts_on, _add(starts_on, chosen.duration) - timedelta(days=1))


def reminder_dates(period: ReflectionPeriod, days_before: tuple[int, ...] = DEFAULT_REMINDER_DAYS) -> list[date]:
    """Dates to remind the case manager before the period ends (never before it starts), earliest first."""
    if any(days < 0 for days in days_before):
        raise ProtectionDomainError("Reminder offsets are days before the last day and cannot be negative.")
    dates = {period.last_day - timedelta(days=days) for days in days_before}
    return sorted(day for day in dates if day >= period.starts_on)


def days_remaining(period: ReflectionPeriod, today: date) -> int:
    """Days left including today; 0 once the last day has passed."""
    return max(0, (period.last_day - today).days + 1)


def renew(period: ReflectionPeriod, *, until: date | None = None) -> ReflectionPeriod:
    """Extend a renewable period from the day after its last day, by the rule's renewal or up to `until`."""
    if not period.rule.renewable:
        raise ProtectionDomainError(f"The {period.rule.jurisdiction} {period.rule.instrument} is not renewable.")
    next_start = period.last_day + timedelta(days=1)
    if until is not None:
        if until < next_start:
            raise ProtectionDomainError("A renewal must end after the current last day.")
        last_day = until
    elif period.rule.renewal_duration is not None:
        last_day = _add(next_start, period.rule.renewal_duration) - timedelta(days=1)
    else:
        raise ProtectionDomainError(f"The {period.rule.instrument} has no fixed renewal length; give `until`.")
    return ReflectionPeriod(period.rule, period.starts_on, last_day, period.renewals + 1)


def describe(period: ReflectionPeriod, today: date) -> str:
    """A human-readable summary, always with the statement that status is independent of cooperation."""
    renewable = "renewable" if period.rule.renewable else "not renewable"
    minimum = " (a legal minimum; longer periods are allowed)" if period.rule.is_minimum else ""
    return (f"{period.rule.instrument}, {period.rule.jurisdiction}: {period.starts_on.isoformat()} to "
            f"{period.last_day.isoformat()}{minimum}, {renewable}; {days_remaining(period, today)} day(s) left. "
            f"Source: {period.rule.source}. {independence_statement()}")
