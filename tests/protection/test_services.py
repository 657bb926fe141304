"""Protection services on a real database: screening, consent-checked referral, the non-punishment guard,
reflection periods, children, and who sees what."""

from datetime import date

import pytest

from palermo.audit.models import AuditEntry
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.protection import selectors, services
from palermo.protection.models import MeasureAttempt, Referral, Screening

from .conftest import PRESUMED_LABOUR, REASON, share_person_with

pytestmark = pytest.mark.django_db


def _consent(w, purpose="referral_to_services"):
    return services.record_consent(w.users["casemanager"], w.person, {
        "purpose": purpose, "method": "written", "language": "ro", "interpreter": ""})


def test_screening_records_outcome_and_why(pw):
    record = services.screen_person(pw.users["casemanager"], pw.person,
                                    {"exploitation": "labour", "age": "31", "indicators": PRESUMED_LABOUR})
    assert record.outcome == "presumed_victim"
    positive = {d["name"] for d in record.positive_dimensions()}
    assert positive == {"deceptive_recruitment", "exploitative_conditions", "coercion_at_destination"}
    assert "Deceived about the nature of the job" in record.explanation
    assert AuditEntry.objects.filter(action="screen", object_id=str(record.pk)).exists()
    assert services.identification_status(pw.person) == "presumed"


def test_sexual_exploitation_list_missing_is_a_field_error_and_nothing_is_saved(pw):
    with pytest.raises(FieldErrors) as exc:
        services.screen_person(pw.users["casemanager"], pw.person, {"exploitation": "sexual", "age": 25})
    assert "exploitation" in exc.value.errors
    assert "not in the catalogue" in exc.value.errors["exploitation"][0]
    assert not Screening.objects.exists()


def test_bad_screening_input_is_reported_field_by_field(pw):
    with pytest.raises(FieldErrors) as exc:
        services.screen_person(pw.users["casemanager"], pw.person,
                               {"exploitation": "fishing", "age": "old", "indicators": []})
    assert set(exc.value.errors) == {"exploitation", "age"}
    with pytest.raises(FieldErrors) as exc:
        services.screen_person(pw.users["casemanager"], pw.person,
                               {"exploitation": "labour", "age": 30, "indicators": ["CHD-LAB-EX-S1"]})
    assert "indicators" in exc.value.errors


def test_uncertain_age_screens_as_a_child_until_assessed(pw):
    cm = pw.users["casemanager"]
    first = services.screen_person(cm, pw.person, {"exploitation": "labour", "age": "19", "age_uncertain": "on",
                                                   "indicators": []})
    assert first.treated_as_child and first.indicator_list == "children_labour"
    services.record_child_safeguards(cm, pw.person, {"age_assessed_on": "2026-11-02", "assessed_age": "22"})
    second = services.screen_person(cm, pw.person, {"exploitation": "labour", "age": "19", "age_uncertain": "on",
                                                    "indicators": PRESUMED_LABOUR})
    assert not second.treated_as_child and second.age == 22 and second.outcome == "presumed_victim"


def test_referral_needs_consent_then_the_shelter_accepts(pw):
    cm = pw.users["casemanager"]
    with pytest.raises(FieldErrors) as exc:
        services.refer(cm, pw.person, pw.shelter, {})
    assert "No consent to referral to services" in exc.value.errors["consent"][0]
    assert not Referral.objects.exists()
    _consent(pw)
    referral = services.refer(cm, pw.person, pw.shelter, {"note": "needs a safe place tonight"})
    assert referral.consent_basis == "consent" and referral.status == "sent"
    services.change_referral_status(cm, referral, {"status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == "accepted" and [h["status"] for h in referral.history] == ["sent", "accepted"]
    with pytest.raises(FieldErrors) as exc:
        services.change_referral_status(cm, referral, {"status": "revoked"})
    assert "reason" in exc.value.errors


def test_withdrawn_consent_blocks_referral_and_override_needs_an_authorised_role(pw):
    cm = pw.users["casemanager"]
    services.withdraw_consent(cm, _consent(pw))
    with pytest.raises(FieldErrors) as exc:
        services.refer(cm, pw.person, pw.shelter, {"override_reason": REASON})
    assert "withdrawn" in exc.value.errors["consent"][0] and "Override refused" in exc.value.errors["consent"][0]
    assert AuditEntry.objects.filter(action="consent_override_refused").exists()
    share_person_with(pw, "police")
    referral = services.refer(pw.users["supervisor"], pw.person, pw.shelter, {"override_reason": REASON})
    assert referral.consent_basis == "override"
    assert AuditEntry.objects.filter(action="consent_override", object_id=str(referral.pk)).exists()


def test_deportation_is_refused_while_presumed_and_reported_to_the_coordinator(pw):
    cm = pw.users["casemanager"]
    services.screen_person(cm, pw.person, {"exploitation": "labour", "age": 31, "indicators": PRESUMED_LABOUR})
    attempt = services.attempt_measure(cm, pw.person, {"measure": "removal"})
    assert not attempt.allowed and attempt.decision.startswith("Refused: removal or deportation")
    assert AuditEntry.objects.filter(action="measure_refused", object_id=str(attempt.pk)).exists()
    report = selectors.coordinator_report(pw.users["coordinator"], "review of the non-punishment guard")
    assert [a.pk for a in report["attempts"]] == [attempt.pk]
    assert report["counts"] == {"refused": 1, "overridden": 0, "allowed": 0}
    assert selectors.coordinator_report(pw.users["coordinator_it"], "review of the non-punishment guard")["attempts"] == []
    with pytest.raises(NotPermitted):
        selectors.coordinator_report(cm, "review of the non-punishment guard")


def test_override_of_the_guard_needs_authorised_role_and_reason(pw):
    share_person_with(pw, "police")
    refused = services.attempt_measure(pw.users["investigator"], pw.person,
                                       {"measure": "detention", "override_reason": REASON})
    assert not refused.allowed and "Override refused" in refused.decision
    short = services.attempt_measure(pw.users["supervisor"], pw.person,
                                     {"measure": "detention", "override_reason": "because"})
    assert not short.allowed
    overridden = services.attempt_measure(pw.users["supervisor"], pw.person,
                                          {"measure": "detention", "override_reason": REASON})
    assert overridden.allowed and overridden.overridden and overridden.reported_to_coordinator
    counts = selectors.coordinator_report(pw.users["coordinator"], "review of the non-punishment guard")["counts"]
    assert counts == {"refused": 2, "overridden": 1, "allowed": 0}


def test_removal_of_a_child_needs_a_best_interests_assessment_even_when_overridden(pw):
    share_person_with(pw, "police")
    services.screen_person(pw.users["casemanager"], pw.person, {"exploitation": "labour", "age": "", "indicators": []})
    blocked = services.attempt_measure(pw.users["supervisor"], pw.person,
                                       {"measure": "removal", "override_reason": REASON})
    assert not blocked.allowed and "best-interests assessment" in blocked.decision
    services.record_child_safeguards(pw.users["casemanager"], pw.person, {
        "guardian": "Guardian Office Iasi", "guardian_appointed_on": "2026-11-01",
        "best_interests_completed_on": "2026-11-10", "best_interests_assessed_by": "Child protection service",
        "return_in_best_interests": "on"})
    allowed = services.attempt_measure(pw.users["supervisor"], pw.person,
                                       {"measure": "removal", "override_reason": REASON})
    assert allowed.allowed and allowed.overridden


def test_not_a_victim_decision_lets_the_measure_through_unreported(pw):
    share_person_with(pw, "police")
    with pytest.raises(FieldErrors) as exc:
        services.decide(pw.users["casemanager"], pw.person,
                        {"status": "not_a_victim", "organisation_kind": "NGO", "reason": REASON})
    assert "role" in exc.value.errors
    services.decide(pw.users["supervisor"], pw.person,
                    {"status": "not_a_victim", "organisation_kind": "Police", "reason": REASON})
    attempt = services.attempt_measure(pw.users["investigator"], pw.person, {"measure": "detention"})
    assert attempt.allowed and not attempt.reported_to_coordinator
    assert MeasureAttempt.objects.filter(reported_to_coordinator=True).count() == 0


def test_reflection_period_with_reminders_and_renewal(pw):
    cm = pw.users["casemanager"]
    period = services.start_reflection_period(cm, pw.person, {"rule_code": "IT", "starts_on": "2026-01-31"})
    assert period.last_day == date(2026, 7, 30) and period.reminders == ["2026-07-23", "2026-07-28"]
    services.renew_reflection_period(cm, period, {})
    assert period.renewals == 1 and period.last_day == date(2027, 7, 30)
    coe = services.start_reflection_period(cm, pw.person, {"rule_code": "COE", "starts_on": "2026-11-01"})
    with pytest.raises(FieldErrors):
        services.renew_reflection_period(cm, coe, {})
    assert "cooperation" in selectors.reflection_summary(coe, date(2026, 11, 5))


def test_interview_needs_the_needs_assessment_first_and_two_interviewers(pw):
    cm = pw.users["casemanager"]
    plan = {"interviewer_gender": "female", "first_interviewer": "A. Ionescu", "second_interviewer": "a. ionescu",
            "interpreter": "B. Petrova", "interpreter_language": "bg", "risk_assessment": "",
            "planned_for": "2026-11-20T10:00"}
    with pytest.raises(FieldErrors) as exc:
        services.plan_interview(cm, pw.person, plan)
    assert {"needs", "second_interviewer", "interpreter_vetted", "risk_assessment"} <= set(exc.value.errors)
    services.assess_needs(cm, pw.person, {"medical_needs": "untreated hand injury", "medical_addressed": "on",
                                          "shelter_needs": "no safe place", "psychosocial_needs": "counselling"})
    saved = services.plan_interview(cm, pw.person, {**plan, "second_interviewer": "C. Rusu", "interpreter_vetted": "on",
                                                    "risk_assessment": "Exploiter still in contact by phone."})
    assert saved.needs_assessment.recorded_at <= saved.recorded_at


def test_protection_records_are_seen_through_the_person(pw):
    services.screen_person(pw.users["casemanager"], pw.person, {"exploitation": "labour", "age": 30, "indicators": []})
    inspector = pw.users["inspector"]
    with pytest.raises(NotVisible):
        selectors.person(inspector, pw.person.pk)
    assert not selectors.records(inspector, Screening, pw.person).exists()
    with pytest.raises(NotVisible):
        services.screen_person(inspector, pw.person, {"exploitation": "labour", "age": 30})
    share_person_with(pw, "inspect")
    assert selectors.records(inspector, Screening, pw.person).count() == 1
    with pytest.raises(NotPermitted):
        services.screen_person(pw.users["hotline"], pw.person, {"exploitation": "labour", "age": 30})


def test_shelter_address_stays_with_its_agency_and_reads_are_audited(pw):
    with pytest.raises(NotPermitted):
        selectors.provider_address(pw.users["investigator"], pw.shelter, "to drive the person to the shelter")
    with pytest.raises(FieldErrors):
        selectors.provider_address(pw.users["casemanager"], pw.shelter, "")
    address = selectors.provider_address(pw.users["casemanager"], pw.shelter, "to drive the person to the shelter")
    assert address == "Strada Ascunsa 7, Iasi"
    assert AuditEntry.objects.filter(action="view_sensitive", object_id=str(pw.shelter.pk)).count() == 1
    listed = selectors.directory(pw.users["inspector"])
    assert list(listed) == [pw.shelter]


def test_subject_access_export_is_audited_and_holds_the_record(pw):
    _consent(pw)
    with pytest.raises(FieldErrors, match="purpose"):
        selectors.export_person_record(pw.users["casemanager"], pw.person, "  ")
    assert not AuditEntry.objects.filter(action="export").exists()
    data = selectors.export_person_record(pw.users["casemanager"], pw.person, "her written request of 3 March")
    assert data["identity"]["given_name"] == "Testa"
    assert data["protection"]["consents"][0]["purpose"] == "referral_to_services"
    entry = AuditEntry.objects.get(action="export", object_id=str(pw.person.pk))
    assert entry.purpose == "her written request of 3 March"
    with pytest.raises(NotPermitted):
        selectors.export_person_record(pw.users["investigator"], pw.person, "her written request of 3 March")
