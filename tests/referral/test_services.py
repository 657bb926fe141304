"""TRM services on a real database: library edits, measures per person, consent per field, safeguards."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from palermo.audit.models import AuditEntry
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.federation.models import OutboxMessage
from palermo.protection import services as protection
from palermo.protection.models import MeasureAttempt
from palermo.referral import selectors, services
from palermo.referral.models import FamilyTracing, OriginContact, SopMeasure, TransnationalReferral
from tests.referral.conftest import ready_to_refer

pytestmark = pytest.mark.django_db


def _measure(code):
    return SopMeasure.objects.get(code=code)


def test_the_example_library_is_loaded_with_routing_and_identification_bodies(world):
    ro = selectors.library("RO")
    assert [label for _, label, _ in ro["areas"]][0] == "Identification"
    assert all(measures and any(m.for_children for m in measures) for _, _, measures in ro["areas"])
    assert ro["identification"].institution.code == "ro-police"
    assert selectors.library("IT")["identification"].institution.code == "it-ngo"
    assert _measure("ro-rs-2").institution.code == "ro-coord"


def test_only_the_countrys_national_coordinator_edits_its_library_and_each_edit_is_audited(world):
    measure = _measure("ro-id-1")
    data = {"title": "Initial referral", "what": measure.what, "when": measure.when, "who": measure.who,
            "how": "Call the 24-hour line.", "area": "identification", "institution": "ro-police", "due_days": "2"}
    for who in ("casemanager", "coordinator_it"):
        with pytest.raises(NotPermitted):
            services.edit_measure(world[who], measure, data)
    with pytest.raises(FieldErrors) as bad:
        services.edit_measure(world["coordinator"], measure, {**data, "institution": "it-ngo", "how": ""})
    assert set(bad.value.errors) == {"institution", "how"}
    services.edit_measure(world["coordinator"], measure, data)
    measure.refresh_from_db()
    assert measure.institution.code == "ro-police" and measure.due_days == 2
    entry = AuditEntry.objects.get(action="sop_measure_edit")
    assert entry.details["changed"] == ["due_days", "how", "institution"]
    added = services.add_measure(world["coordinator"], {**data, "title": "Child: hotline", "for_children": "on"})
    assert added.country == "RO" and added.for_children
    body = services.edit_identification_body(world["coordinator"], "RO", {"institution": "ro-coord",
                                                                          "how": "Example: a mixed team."})
    assert body.institution.code == "ro-coord" and AuditEntry.objects.filter(action="identification_body_edit").exists()


def test_measures_per_person_route_to_the_institution_and_adherence_is_reported(world):
    cm, person = world["casemanager"], world["person"]
    chosen = services.choose_measure(cm, person, {"measure": _measure("ro-fa-1").pk})
    assert chosen.institution.code == "ro-ngo" and chosen.due_on == timezone.localdate() + timedelta(days=1)
    late = services.choose_measure(cm, person, {"measure": _measure("ro-id-2").pk, "institution": "ro-police",
                                                "due_on": (timezone.localdate() - timedelta(days=3)).isoformat()})
    with pytest.raises(FieldErrors) as bad:
        services.choose_measure(cm, person, {"measure": _measure("ro-id-2").pk, "institution": "it-ngo"})
    assert "institution" in bad.value.errors
    services.mark_done(cm, chosen, {})
    with pytest.raises(FieldErrors):
        services.mark_done(cm, chosen, {})
    states = dict((m.pk, s) for m, s in selectors.person_measures(cm, person))
    assert states == {chosen.pk: "done", late.pk: "late"}
    with pytest.raises(NotPermitted):
        selectors.adherence_report(cm)
    report = selectors.adherence_report(world["coordinator"])
    assert report["persons"] == 1 and report["overall"]["late"] == 1 and report["overall"]["on_time_percent"] == 50
    assert AuditEntry.objects.filter(action="view_report", actor_username="ro.coord").exists()
    with pytest.raises(NotPermitted):
        services.choose_measure(world["hotline"], person, {"measure": _measure("ro-fa-1").pk})


def test_a_referral_leaves_with_only_the_consented_fields(world):
    ready_to_refer(world)
    packet = {"name": "Ana Example", "medical": "Asthma", "assistance_needs": "Shelter in Iasi",
              "security_risk": "Recruiter lives in the same village"}
    data = {"kind": "assistance_request", "partner": "it.palermo.test", "partner_agency": "it-police",
            "packet": packet}
    with pytest.raises(FieldErrors) as bad:
        services.send_referral(world["casemanager"], world["person"], data)
    assert list(bad.value.errors) == ["security_risk"]
    assert not OutboxMessage.objects.exists() and not TransnationalReferral.objects.exists()
    del packet["security_risk"]
    referral = services.send_referral(world["casemanager"], world["person"], data)
    message = OutboxMessage.objects.get()
    assert message.message_type == "trm.assistance_request" and message.body["packet"] == packet
    assert referral.fields_sent == ["name", "medical", "assistance_needs"] and referral.status == "sent"
    with connection.cursor() as cursor:
        cursor.execute("SELECT packet_text FROM referral_transnationalreferral WHERE id = %s", [referral.pk])
        assert "Ana" not in cursor.fetchone()[0]
    assert AuditEntry.objects.get(action="trm_referral_sent").details["fields"] == referral.fields_sent


def test_nothing_leaves_without_the_information_on_identity_protection_and_consent_to_sharing_abroad(world):
    services.record_step_consent(world["casemanager"], world["person"], {
        "step": "assistance_request", "fields": ["name"], "method": "oral", "language": "ro"})
    with pytest.raises(FieldErrors) as bad:
        services.send_referral(world["casemanager"], world["person"], {
            "kind": "assistance_request", "partner": "it.palermo.test", "partner_agency": "it-police",
            "packet": {"name": "Ana"}})
    assert {"identity_notice", "consent"} <= set(bad.value.errors)
    assert not OutboxMessage.objects.exists()


def test_a_return_needs_a_safe_risk_assessment_and_for_a_child_a_guardian_and_best_interests(world):
    ready_to_refer(world, fields=("name", "travel"), step="reintegration_request")
    cm, person = world["casemanager"], world["person"]
    data = {"kind": "reintegration_request", "partner": "it.palermo.test", "partner_agency": "it-police",
            "packet": {"name": "Ana", "travel": "Bus, 2026-12-20 08:00, Milano"}, "voluntary": "on"}
    with pytest.raises(FieldErrors) as bad:
        services.send_referral(cm, person, data)
    assert "risk assessment" in " ".join(bad.value.errors["return"])
    services.record_risk_assessment(cm, person, {"completed_on": timezone.localdate().isoformat(),
                                                 "return_safe": "on", "summary": "Recruiter convicted."})
    protection.screen_person(cm, person, {"exploitation": "labour", "age": "16"})
    with pytest.raises(FieldErrors) as bad:
        services.send_referral(cm, person, data)
    assert any("guardian" in m for m in bad.value.errors["return"])
    assert any("best-interests" in m for m in bad.value.errors["return"])
    protection.record_child_safeguards(cm, person, {
        "guardian": "G. Example", "guardian_appointed_on": date.today().isoformat(),
        "best_interests_completed_on": date.today().isoformat(), "best_interests_assessed_by": "Child directorate",
        "return_in_best_interests": "on"})
    assert services.send_referral(cm, person, data).involves_return


def test_an_involuntary_return_meets_the_non_punishment_guard(world):
    ready_to_refer(world, fields=("name",), step="reintegration_request")
    cm, person = world["casemanager"], world["person"]
    services.record_risk_assessment(cm, person, {"completed_on": timezone.localdate().isoformat(),
                                                 "return_safe": "on", "summary": "Safe."})
    with pytest.raises(FieldErrors) as bad:
        services.send_referral(cm, person, {"kind": "reintegration_request", "partner": "it.palermo.test",
                                            "partner_agency": "it-police", "packet": {"name": "Ana"}})
    assert "non-punishment" in bad.value.errors["voluntary"][0]
    assert MeasureAttempt.objects.get().reported_to_coordinator
    assert not OutboxMessage.objects.exists()


def test_contact_with_the_origin_country_needs_consent_and_a_risk_assessment_that_says_it_is_safe(world):
    cm, person = world["casemanager"], world["person"]
    data = {"authority": "consulate", "purpose": "Travel document for the return"}
    with pytest.raises(FieldErrors) as bad:
        services.contact_origin(cm, person, data)
    assert len(bad.value.errors["safeguards"]) == 3
    assert "identity" in bad.value.errors["safeguards"][2]
    services.record_identity_notice(cm, person, {"language": "ro", "explained": "Limits of confidentiality."})
    assert AuditEntry.objects.filter(action="trm_origin_contact_refused").count() == 1
    services.record_step_consent(cm, person, {"step": "origin_contact", "method": "oral", "language": "ro"})
    services.record_risk_assessment(cm, person, {"completed_on": timezone.localdate().isoformat(),
                                                 "summary": "The family of the recruiter works at the consulate."})
    with pytest.raises(FieldErrors) as bad:
        services.contact_origin(cm, person, data)
    assert "endanger" in bad.value.errors["safeguards"][0]
    services.record_risk_assessment(cm, person, {"completed_on": timezone.localdate().isoformat(),
                                                 "origin_contact_safe": "on", "summary": "No known risk."})
    assert services.contact_origin(cm, person, data).authority == "consulate"
    assert OriginContact.objects.count() == 1


def test_family_tracing_only_at_the_persons_wish_never_for_asylum_seekers(world):
    cm, person = world["casemanager"], world["person"]
    services.record_step_consent(cm, person, {"step": "family_tracing", "method": "oral", "language": "ro"})
    with pytest.raises(FieldErrors) as bad:
        services.start_family_tracing(cm, person, {"person_wishes": "on", "asylum_seeker": "on"})
    assert "asylum" in bad.value.errors["safeguards"][0]
    with pytest.raises(FieldErrors):
        services.start_family_tracing(cm, person, {})
    with pytest.raises(FieldErrors) as bad:
        services.start_family_tracing(cm, person, {"person_wishes": "on"})
    assert bad.value.errors["safeguards"] == ["start the security and risk assessment: tracing runs alongside it"]
    services.record_risk_assessment(cm, person, {"summary": "Assessment running: recruiter's village contacted."})
    services.start_family_tracing(cm, person, {"person_wishes": "on"})
    assert FamilyTracing.objects.count() == 1


def test_bad_consent_input_is_refused_field_by_field(world):
    with pytest.raises(FieldErrors) as bad:
        services.record_step_consent(world["casemanager"], world["person"], {
            "step": "assistance_request", "fields": ["passport"], "method": "telepathy", "language": ""})
    assert set(bad.value.errors) == {"fields", "method", "language"}
    with pytest.raises(FieldErrors) as bad:
        services.record_step_consent(world["casemanager"], world["person"], {
            "step": "family_tracing", "fields": ["name"], "method": "oral", "language": "ro"})
    assert "fields" in bad.value.errors


def test_the_directory_flags_stale_entries(world):
    rows = selectors.directory(country="RO", today=date(2026, 12, 1))
    stale = {e.contact_person for e, is_stale in rows if is_stale}
    assert stale == {"Case coordinator C. Example", "Liaison prosecutor E. Example"}
    entry = next(e for e, is_stale in rows if is_stale)
    with pytest.raises(NotPermitted):
        services.verify_contact(world["coordinator_it"], entry, {"contact_person": "X", "contact": "Y"})
    services.verify_contact(world["coordinator"], entry, {"contact_person": "New person", "contact": "+40 1"})
    entry.refresh_from_db()
    assert entry.last_verified == timezone.localdate()


def test_a_referral_needs_clearance_for_the_restricted_record_it_creates(world):
    from palermo.accounts import roles as R
    from palermo.accounts.models import User

    ready_to_refer(world, fields=("name",))
    low = User.objects.create_user("ngo.low", password="x" * 12, agency=world["ngo"], roles=[R.CASE_MANAGER])
    world["person"].sensitivity = R.NORMAL
    world["person"].save(update_fields=["sensitivity"])
    with pytest.raises(FieldErrors) as bad:
        services.send_referral(low, world["person"], {"kind": "assistance_request", "partner": "it.palermo.test",
                                                      "partner_agency": "it-police", "packet": {"name": "Ana"}})
    assert "sensitivity" in bad.value.errors


def test_a_person_the_user_cannot_see_is_absent(world):
    from palermo.accounts import roles as R
    from palermo.accounts.models import Agency, User

    other = Agency.objects.create(code="other", name="Other", agency_type="NGO", country="RO")
    stranger = User.objects.create_user("x.cm", password="x" * 12, agency=other, roles=[R.CASE_MANAGER],
                                        clearance=R.RESTRICTED)
    with pytest.raises(NotVisible):
        services.choose_measure(stranger, world["person"], {"measure": _measure("ro-fa-1").pk})
    with pytest.raises(NotVisible):
        selectors.person_measures(stranger, world["person"])
