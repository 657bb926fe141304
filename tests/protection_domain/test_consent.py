from datetime import datetime, timedelta

import pytest

from palermo.protection.domain.consent import ConsentRecord, consent_allows
from palermo.protection.domain.errors import ProtectionDomainError

T0 = datetime(2025, 3, 1, 10, 0)
REASON = "Imminent threat to life; shelter must be told of the risk tonight."


def record(**changes):
    values = dict(purpose="referral_to_services", granted=True, recorded_by="case manager 7", recorded_at=T0,
                  method="oral", language="ro", interpreter="interpreter 3")
    values.update(changes)
    return ConsentRecord(**values)


def test_consent_allows_its_purpose_only():
    records = [record()]
    allowed = consent_allows(records, "referral_to_services", T0 + timedelta(hours=1))
    assert allowed.allowed and allowed.basis == "consent"
    assert "interpreter 3" in allowed.explanation and "in ro" in allowed.explanation
    assert consent_allows(records, "sharing_abroad", T0 + timedelta(hours=1)).allowed is False


def test_consent_not_yet_given_at_the_time_of_action():
    assert consent_allows([record()], "referral_to_services", T0 - timedelta(minutes=1)).allowed is False


def test_consent_after_withdrawal_is_refused_and_before_allowed():
    withdrawn = record(withdrawn_at=T0 + timedelta(days=2))
    assert consent_allows([withdrawn], "referral_to_services", T0 + timedelta(days=1)).allowed is True
    after = consent_allows([withdrawn], "referral_to_services", T0 + timedelta(days=2))
    assert after.allowed is False and "withdrawn" in after.explanation


def test_latest_record_decides():
    records = [record(), record(granted=False, recorded_at=T0 + timedelta(days=1))]
    assert consent_allows(records, "referral_to_services", T0 + timedelta(hours=2)).allowed is True
    refused = consent_allows(records, "referral_to_services", T0 + timedelta(days=3))
    assert refused.allowed is False and "refused" in refused.explanation
    records.append(record(recorded_at=T0 + timedelta(days=5)))
    assert consent_allows(records, "referral_to_services", T0 + timedelta(days=6)).allowed is True


def test_override_rules():
    at = T0 + timedelta(days=1)
    no_reason = consent_allows([], "sharing_with_agency", at, actor_role="supervisor", override_reason=None)
    assert no_reason.allowed is False and "Override refused" in no_reason.explanation
    wrong_role = consent_allows([], "sharing_with_agency", at, actor_role="prosecutor", override_reason=REASON)
    assert wrong_role.allowed is False
    granted = consent_allows([], "sharing_with_agency", at, actor_role="national_coordinator",
                             override_reason=REASON)
    assert granted.allowed and granted.basis == "override" and granted.audit_required


@pytest.mark.parametrize("changes,message", [
    ({"purpose": "marketing"}, "Unknown consent purpose"),
    ({"method": "implied"}, "Unknown consent method"),
    ({"recorded_by": " "}, "who recorded"),
    ({"language": ""}, "language"),
    ({"withdrawn_at": T0 - timedelta(seconds=1)}, "withdrawn before"),
    ({"granted": False, "withdrawn_at": T0 + timedelta(days=1)}, "Only a granted consent"),
])
def test_invalid_records_are_rejected(changes, message):
    with pytest.raises(ProtectionDomainError, match=message):
        record(**changes)
