"""Non-punishment and no-removal guard.

While identification is pending or positive, removal, detention or a charge for an offence the person
was compelled to commit as a consequence of trafficking is refused (CoE Convention art. 10(2), 13, 26;
Directive 2011/36/EU art. 8). Only an authorised role may override, with a written reason; every
override is audited and reported to the national coordinator.
"""

from dataclasses import dataclass

from .authorisation import authorised_roles, require_authorised, require_reason
from .errors import MissingReasonError, ProtectionDomainError, UnauthorisedError

IDENTIFICATION_STATUSES = {
    "pending": "identification pending",
    "possible": "possible victim",
    "presumed": "presumed victim",
    "identified": "identified victim",
    "not_a_victim": "decided not to be a victim",
}
PROTECTED_STATUSES = ("pending", "possible", "presumed", "identified")
MEASURES = {
    "removal": "removal or deportation",
    "detention": "detention",
    "consequential_charge": "a charge for an offence committed as a consequence of trafficking",
}


@dataclass(frozen=True)
class GuardDecision:
    allowed: bool
    overridden: bool
    reason: str
    audit_required: bool
    report_to_national_coordinator: bool


def check_measure(*, status: str, measure: str, actor_role: str | None = None,
                  override_reason: str | None = None) -> GuardDecision:
    """Say whether `measure` may be recorded against a person with identification `status`.

    Passing an override_reason asks for an override; it is granted only to an authorised role with a
    reason of the minimum length, and is otherwise refused with the reason why.
    """
    if status not in IDENTIFICATION_STATUSES:
        raise ProtectionDomainError(
            f"Unknown identification status {status!r}; expected one of {', '.join(IDENTIFICATION_STATUSES)}."
        )
    if measure not in MEASURES:
        raise ProtectionDomainError(f"Unknown measure {measure!r}; expected one of {', '.join(MEASURES)}.")
    what, who = MEASURES[measure], IDENTIFICATION_STATUSES[status]
    if status not in PROTECTED_STATUSES:
        return GuardDecision(True, False, f"Allowed: the person was {who} by a final decision, so the "
                                          f"non-punishment protection does not block {what}.",
                             audit_required=False, report_to_national_coordinator=False)
    refusal = (f"Refused: {what} may not be recorded while the person is a {who}"
               if status != "pending" else f"Refused: {what} may not be recorded while identification is pending")
    refusal += " (non-punishment and no-removal protection)."
    if override_reason is None and actor_role is None:
        return GuardDecision(False, False, refusal + " An authorised role "
                             f"({', '.join(authorised_roles('non_punishment_override'))}) may override "
                             "with a written reason.", audit_required=True, report_to_national_coordinator=True)
    try:
        require_authorised("non_punishment_override", actor_role, f"override the refusal of {what}")
        text = require_reason(override_reason, f"override the refusal of {what}")
    except (UnauthorisedError, MissingReasonError) as error:
        return GuardDecision(False, False, f"{refusal} Override refused: {error}",
                             audit_required=True, report_to_national_coordinator=True)
    return GuardDecision(True, True, f"Overridden by a {actor_role.replace('_', ' ')}: {what} recorded although "
                                     f"the person is a {who}. Reason: {text}. This override is audited and must "
                                     "be reported to the national coordinator.",
                         audit_required=True, report_to_national_coordinator=True)
