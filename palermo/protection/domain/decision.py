"""The final identification decision: only authorised roles decide, and the deciding organisation kind
(HTCDS vic_TraffickingStatusDecisionMakingOrg) is recorded with a written reason."""

from dataclasses import dataclass

from ._data import load
from .authorisation import require_authorised, require_reason
from .errors import ProtectionDomainError


@dataclass(frozen=True)
class FinalDecision:
    status: str
    htcds_status: str
    decided_by_role: str
    organisation_kind: str
    reason: str
    explanation: str


def _codes(key: str) -> dict[str, dict]:
    return {entry["code"]: entry for entry in load("roles.json")[key]}


def decide_trafficking_status(*, status: str, role: str, organisation_kind: str, reason: str) -> FinalDecision:
    """Validate and return a final decision (identified_victim / not_a_victim); raise with the reason if refused."""
    statuses = _codes("final_statuses")
    if status not in statuses:
        raise ProtectionDomainError(f"Unknown final status {status!r}; expected one of {', '.join(statuses)}.")
    kinds = _codes("decision_organisation_kinds")
    if organisation_kind not in kinds:
        raise ProtectionDomainError(
            f"Unknown deciding organisation kind {organisation_kind!r}; expected one of {', '.join(kinds)}."
        )
    require_authorised("final_decision", role, f"take the final decision '{statuses[status]['label']}'")
    text = require_reason(reason, "take a final identification decision")
    explanation = (f"{statuses[status]['label']}: decided by a {role.replace('_', ' ')} for a "
                   f"{kinds[organisation_kind]['label']} organisation. Reason: {text}")
    return FinalDecision(status, statuses[status]["htcds"], role, organisation_kind, text, explanation)
