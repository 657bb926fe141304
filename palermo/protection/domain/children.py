"""Child safeguards: presumption of minority, guardian appointment, best interests before any return.

Grounded in the Council of Europe Convention on Action against Trafficking in Human Beings art. 10(3)
and 10(4) (presumed a child when age is uncertain; representative appointed) and art. 16(7)
(no return of a child unless in the child's best interests).
"""

from dataclasses import dataclass
from datetime import date

CHILD_AGE_LIMIT = 18


@dataclass(frozen=True)
class AgeStatus:
    is_child: bool
    presumed: bool
    explanation: str


def age_status(age: float | None, *, uncertain: bool = False) -> AgeStatus:
    """Decide whether a person is treated as a child; unknown or uncertain age means a presumed child.

    `uncertain` stays true until an age assessment is completed; pass False once it is.
    """
    if age is not None and (isinstance(age, bool) or not isinstance(age, int | float)):
        raise ValueError(f"age must be a number of years or None, not {age!r}")
    if age is not None and not 0 <= age < 130:
        raise ValueError(f"age {age!r} is outside 0-129 years")
    if age is None:
        return AgeStatus(True, True, "Age unknown: presumed a child (under 18) until an age assessment is completed.")
    if age < CHILD_AGE_LIMIT:
        return AgeStatus(True, False, f"Age {age:g}: a child (under 18).")
    if uncertain:
        return AgeStatus(True, True, f"Stated age {age:g} is uncertain: presumed a child (under 18) until an "
                                     "age assessment is completed.")
    return AgeStatus(False, False, f"Age {age:g}: an adult.")


@dataclass(frozen=True)
class BestInterestsAssessment:
    completed_on: date
    assessed_by: str
    return_in_best_interests: bool


@dataclass(frozen=True)
class Safeguard:
    name: str
    met: bool
    explanation: str


def guardian_safeguard(status: AgeStatus, guardian_appointed_on: date | None) -> Safeguard:
    """A child (or presumed child) needs a guardian or legal representative appointed."""
    if not status.is_child:
        return Safeguard("guardian", True, "Not required: the person is an adult.")
    if guardian_appointed_on is None:
        return Safeguard("guardian", False, "A guardian must be appointed for this child "
                                            f"({status.explanation}).")
    return Safeguard("guardian", True, f"Guardian appointed on {guardian_appointed_on.isoformat()}.")


def return_safeguard(status: AgeStatus, assessment: BestInterestsAssessment | None) -> Safeguard:
    """A child may be returned only after a best-interests assessment concluded return is in their interests."""
    if not status.is_child:
        return Safeguard("best_interests_before_return", True, "Not required: the person is an adult.")
    if assessment is None:
        return Safeguard("best_interests_before_return", False,
                         "No return of a child before a best-interests assessment is completed.")
    if not assessment.return_in_best_interests:
        return Safeguard("best_interests_before_return", False,
                         f"The best-interests assessment of {assessment.completed_on.isoformat()} found "
                         "return is not in the child's best interests.")
    return Safeguard("best_interests_before_return", True,
                     f"The best-interests assessment of {assessment.completed_on.isoformat()} by "
                     f"{assessment.assessed_by} found return is in the child's best interests.")


def outstanding_child_safeguards(status: AgeStatus, *, guardian_appointed_on: date | None,
                                 assessment: BestInterestsAssessment | None,
                                 return_proposed: bool) -> list[Safeguard]:
    """The safeguards not yet met for this person (empty for an adult)."""
    checks = [guardian_safeguard(status, guardian_appointed_on)]
    if return_proposed:
        checks.append(return_safeguard(status, assessment))
    return [check for check in checks if not check.met]
