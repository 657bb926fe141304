import inspect
from datetime import date

import pytest

from palermo.protection.domain import reflection
from palermo.protection.domain.children import (
    BestInterestsAssessment,
    age_status,
    outstanding_child_safeguards,
    return_safeguard,
)
from palermo.protection.domain.errors import ProtectionDomainError


@pytest.mark.parametrize("code,start,last_day", [
    ("COE", date(2025, 1, 1), date(2025, 1, 30)),
    ("BE", date(2025, 1, 1), date(2025, 2, 14)),
    ("NL", date(2025, 1, 31), date(2025, 4, 29)),
    ("IT", date(2025, 8, 31), date(2026, 2, 27)),
    ("ES", date(2025, 1, 1), date(2025, 3, 31)),
    ("US-CP", date(2024, 2, 29), date(2026, 2, 27)),
    ("US-T", date(2025, 1, 1), date(2028, 12, 31)),
])
def test_period_last_day(code, start, last_day):
    assert reflection.start_period(code, start).last_day == last_day


def test_reminders_default_to_7_and_2_days_before_and_never_before_start():
    period = reflection.start_period("COE", date(2025, 1, 1))
    assert reflection.reminder_dates(period) == [date(2025, 1, 23), date(2025, 1, 28)]
    assert reflection.reminder_dates(period, (40, 0)) == [date(2025, 1, 30)]
    with pytest.raises(ProtectionDomainError):
        reflection.reminder_dates(period, (-1,))


def test_days_remaining_counts_today_and_stops_at_zero():
    period = reflection.start_period("COE", date(2025, 1, 1))
    assert reflection.days_remaining(period, date(2025, 1, 1)) == 30
    assert reflection.days_remaining(period, date(2025, 1, 30)) == 1
    assert reflection.days_remaining(period, date(2025, 1, 31)) == 0


def test_renewability():
    italy = reflection.renew(reflection.start_period("IT", date(2025, 1, 1)))
    assert italy.last_day == date(2026, 6, 30) and italy.renewals == 1
    with pytest.raises(ProtectionDomainError, match="not renewable"):
        reflection.renew(reflection.start_period("NL", date(2025, 1, 1)))
    t_visa = reflection.start_period("US-T", date(2025, 1, 1))
    with pytest.raises(ProtectionDomainError, match="give `until`"):
        reflection.renew(t_visa)
    assert reflection.renew(t_visa, until=date(2029, 6, 30)).last_day == date(2029, 6, 30)


def test_status_is_independent_of_cooperation():
    for function in (reflection.start_period, reflection.renew, reflection.reminder_dates, reflection.describe):
        assert not any("cooperat" in name for name in inspect.signature(function).parameters)
    text = reflection.describe(reflection.start_period("BE", date(2025, 1, 1)), date(2025, 1, 2))
    assert "do not depend on the person's cooperation" in text


def test_every_rule_cites_a_source_and_a_verification_note():
    for rule in reflection.rules().values():
        assert rule.source and rule.verification
    with pytest.raises(ProtectionDomainError):
        reflection.rule("FR")


def test_age_presumption():
    assert age_status(None).is_child and age_status(None).presumed
    assert age_status(17).is_child and not age_status(17).presumed
    assert not age_status(18).is_child
    assert age_status(18, uncertain=True).is_child and age_status(18, uncertain=True).presumed
    with pytest.raises(ValueError):
        age_status(True)


def test_child_safeguards():
    child, adult = age_status(None), age_status(30)
    missing = outstanding_child_safeguards(child, guardian_appointed_on=None, assessment=None, return_proposed=True)
    assert [s.name for s in missing] == ["guardian", "best_interests_before_return"]
    against = BestInterestsAssessment(date(2025, 2, 1), "child protection service", return_in_best_interests=False)
    assert return_safeguard(child, against).met is False
    favour = BestInterestsAssessment(date(2025, 2, 1), "child protection service", return_in_best_interests=True)
    assert outstanding_child_safeguards(child, guardian_appointed_on=date(2025, 1, 5), assessment=favour,
                                        return_proposed=True) == []
    assert outstanding_child_safeguards(adult, guardian_appointed_on=None, assessment=None,
                                        return_proposed=True) == []
