import pytest

from palermo.protection.domain.decision import decide_trafficking_status
from palermo.protection.domain.errors import MissingReasonError, ProtectionDomainError, UnauthorisedError
from palermo.protection.domain.non_punishment import PROTECTED_STATUSES, check_measure

REASON = "Multi-agency panel reviewed the interview record and the inspection report."


def test_final_decision_by_authorised_role_records_organisation_kind():
    decision = decide_trafficking_status(status="identified_victim", role="national_coordinator",
                                         organisation_kind="NonPoliceGovernmentalOrganization", reason=REASON)
    assert decision.htcds_status == "ActualVictimOfTrafficking"
    assert "Non-police governmental organization" in decision.explanation


@pytest.mark.parametrize("role", ["case_manager", "interpreter", None])
def test_final_decision_refused_for_other_roles(role):
    with pytest.raises(UnauthorisedError, match="supervisor, national_coordinator, prosecutor"):
        decide_trafficking_status(status="not_a_victim", role=role, organisation_kind="Police", reason=REASON)


def test_final_decision_needs_reason_and_known_codes():
    with pytest.raises(MissingReasonError):
        decide_trafficking_status(status="not_a_victim", role="prosecutor", organisation_kind="Police",
                                  reason="short")
    with pytest.raises(ProtectionDomainError, match="organisation kind"):
        decide_trafficking_status(status="not_a_victim", role="prosecutor", organisation_kind="Army",
                                  reason=REASON)
    with pytest.raises(ProtectionDomainError, match="final status"):
        decide_trafficking_status(status="presumed_victim", role="prosecutor", organisation_kind="Police",
                                  reason=REASON)


@pytest.mark.parametrize("status", PROTECTED_STATUSES)
@pytest.mark.parametrize("measure", ["removal", "detention", "consequential_charge"])
def test_measures_refused_while_pending_or_positive(status, measure):
    decision = check_measure(status=status, measure=measure)
    assert decision.allowed is False
    assert decision.reason.startswith("Refused")
    assert decision.report_to_national_coordinator is True


def test_measure_allowed_after_not_a_victim_decision():
    decision = check_measure(status="not_a_victim", measure="removal")
    assert decision.allowed is True and decision.overridden is False


def test_override_by_authorised_role_with_reason_is_reported():
    decision = check_measure(status="presumed", measure="detention", actor_role="supervisor",
                             override_reason="Court order 12/2025 requires custody; shelter placement refused.")
    assert decision.allowed and decision.overridden
    assert decision.audit_required and decision.report_to_national_coordinator
    assert "national coordinator" in decision.reason


def test_override_without_reason_is_refused():
    decision = check_measure(status="identified", measure="removal", actor_role="supervisor", override_reason="")
    assert decision.allowed is False
    assert "Override refused" in decision.reason and "at least 30 characters" in decision.reason


def test_override_reason_boundary_is_thirty_characters():
    short = check_measure(status="pending", measure="removal", actor_role="prosecutor", override_reason="x" * 29)
    exact = check_measure(status="pending", measure="removal", actor_role="prosecutor", override_reason="x" * 30)
    assert short.allowed is False and exact.allowed is True


def test_override_by_unauthorised_role_is_refused():
    decision = check_measure(status="possible", measure="consequential_charge", actor_role="case_manager",
                             override_reason="The person was found carrying stolen goods on arrest.")
    assert decision.allowed is False and "case_manager" in decision.reason


def test_unknown_status_or_measure_is_an_error():
    with pytest.raises(ProtectionDomainError):
        check_measure(status="maybe", measure="removal")
    with pytest.raises(ProtectionDomainError):
        check_measure(status="pending", measure="fine")
