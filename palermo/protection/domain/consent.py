"""Consent per purpose: recorded with who, when and how, withdrawable, checked before every share.

The latest record for a purpose at the moment of the action decides; a withdrawal takes effect from
its time. Without valid consent only an authorised role may override, with a written reason, and the
override is audited.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .authorisation import require_authorised, require_reason
from .errors import MissingReasonError, ProtectionDomainError, UnauthorisedError

PURPOSES = {
    "referral_to_services": "referral to services",
    "sharing_with_agency": "sharing with another agency",
    "sharing_abroad": "sharing abroad",
    "statistics_research": "statistics and research",
}
METHODS = ("oral", "written")


@dataclass(frozen=True)
class ConsentRecord:
    purpose: str
    granted: bool
    recorded_by: str
    recorded_at: datetime
    method: str
    language: str
    interpreter: str | None = None
    withdrawn_at: datetime | None = None

    def __post_init__(self):
        if self.purpose not in PURPOSES:
            raise ProtectionDomainError(f"Unknown consent purpose {self.purpose!r}; expected one of "
                                        f"{', '.join(PURPOSES)}.")
        if self.method not in METHODS:
            raise ProtectionDomainError(f"Unknown consent method {self.method!r}; expected one of {METHODS}.")
        if not self.recorded_by.strip():
            raise ProtectionDomainError("A consent record needs who recorded it.")
        if not self.language.strip():
            raise ProtectionDomainError("A consent record needs the language in which consent was explained.")
        if self.withdrawn_at is not None and self.withdrawn_at < self.recorded_at:
            raise ProtectionDomainError("Consent cannot be withdrawn before it was recorded.")
        if self.withdrawn_at is not None and not self.granted:
            raise ProtectionDomainError("Only a granted consent can be withdrawn.")

    def describe(self) -> str:
        how = f"{self.method}, in {self.language}" + (f" through interpreter {self.interpreter}"
                                                      if self.interpreter else "")
        return f"recorded by {self.recorded_by} on {self.recorded_at.isoformat(timespec='minutes')} ({how})"


@dataclass(frozen=True)
class ConsentDecision:
    allowed: bool
    basis: str
    record: ConsentRecord | None
    explanation: str
    audit_required: bool


def consent_allows(records: Iterable[ConsentRecord], purpose: str, at: datetime, *,
                   actor_role: str | None = None, override_reason: str | None = None) -> ConsentDecision:
    """Answer whether an action for `purpose` may happen at `at`; basis is consent, override or none."""
    if purpose not in PURPOSES:
        raise ProtectionDomainError(f"Unknown consent purpose {purpose!r}; expected one of {', '.join(PURPOSES)}.")
    label = PURPOSES[purpose]
    relevant = [r for r in records if r.purpose == purpose and r.recorded_at <= at]
    latest = max(relevant, key=lambda r: r.recorded_at, default=None)
    if latest is not None and latest.granted and (latest.withdrawn_at is None or latest.withdrawn_at > at):
        return ConsentDecision(True, "consent", latest, f"Allowed: consent to {label} {latest.describe()}.",
                               audit_required=False)
    if latest is None:
        missing = f"No consent to {label} is recorded."
    elif not latest.granted:
        missing = f"Consent to {label} was refused ({latest.describe()})."
    else:
        missing = (f"Consent to {label} was withdrawn on {latest.withdrawn_at.isoformat(timespec='minutes')} "
                   f"({latest.describe()}).")
    if actor_role is None and override_reason is None:
        return ConsentDecision(False, "none", latest, f"Refused: {missing}", audit_required=False)
    try:
        require_authorised("consent_override", actor_role, f"override missing consent to {label}")
        text = require_reason(override_reason, f"override missing consent to {label}")
    except (UnauthorisedError, MissingReasonError) as error:
        return ConsentDecision(False, "none", latest, f"Refused: {missing} Override refused: {error}",
                               audit_required=True)
    return ConsentDecision(True, "override", latest,
                           f"Allowed by override of a {actor_role.replace('_', ' ')}: {missing} Reason: {text}. "
                           "This override is audited.", audit_required=True)
