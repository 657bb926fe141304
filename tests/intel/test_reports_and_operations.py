"""Graded intelligence reports, collection requirements, and operations in a compartment."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import Compartment
from palermo.audit.models import AuditEntry
from palermo.audit.selectors import who_viewed
from palermo.core.rules import FieldErrors
from palermo.core.services import NotPermitted
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.models import CollectionRequirement, IntelligenceReport, Operation

pytestmark = pytest.mark.django_db

REVIEW = (timezone.localdate() + timedelta(days=30)).isoformat()
EXPIRY = (timezone.localdate() + timedelta(days=200)).isoformat()


def _report(user, **overrides):
    data = {"title": "t", "kind": "information", "body": "b", "source_description": "s", "review_on": REVIEW,
            "expires_on": EXPIRY, "grade": {"source_evaluation": "1", "intelligence_assessment": "A",
                                            "handling_code": "P"}}
    data.update(overrides)
    return services.create_report(user, data)


def test_demo_reports_carry_grades_under_each_agencys_model(demo):
    debrief = IntelligenceReport.objects.get(title__startswith="Debrief")
    assert debrief.grade_code == "2/B/C" and debrief.grading_model == "3x5x2"
    assessment = IntelligenceReport.objects.get(title__startswith="Assessment")
    # Derived: inherits the parent's handling C and its condition although graded P itself.
    assert assessment.handling_code == "C"
    assert assessment.handling_conditions == debrief.handling_conditions
    italian = IntelligenceReport.objects.get(owner_agency__code="it-police-milan")
    assert italian.grading_model == "4x4" and italian.grade_code == "A1 H1" and italian.handling_code == "C"
    assert debrief.requirement.status == CollectionRequirement.ANSWERED


def test_bad_report_lists_every_field_and_writes_nothing(demo):
    before = IntelligenceReport.objects.count()
    with pytest.raises(FieldErrors) as error:
        services.create_report(demo.users["ro.analyst"], {
            "title": "", "kind": "rumour", "review_on": "2020-01-01", "expires_on": "soon",
            "grade": {"source_evaluation": "9", "intelligence_assessment": "A", "handling_code": "C"},
            "derived_from": [999999]})
    assert {"title", "body", "kind", "review_on", "expires_on", "grade", "derived_from",
            "source_description"} <= set(error.value.errors)
    assert any("requires the conditions" in m for m in error.value.errors["grade"])
    assert IntelligenceReport.objects.count() == before


def test_derived_report_keeps_parent_sensitivity_and_evidence_limits(demo):
    analyst = demo.users["ro.analyst"]
    debrief = IntelligenceReport.objects.get(title__startswith="Debrief")
    with pytest.raises(FieldErrors) as error:
        _report(analyst, kind="intelligence", derived_from=[debrief.pk], sensitivity="normal", usable_as_evidence=True)
    assert set(error.value.errors) == {"sensitivity", "usable_as_evidence"}
    with pytest.raises(FieldErrors) as error:
        _report(analyst, kind="information", derived_from=[debrief.pk], sensitivity="restricted")
    assert set(error.value.errors) == {"kind"}


def test_report_pages_grade_by_agency_model_and_audit_reads(demo):
    client = Client()
    client.force_login(demo.users["it.investigator"])
    form = client.get(reverse("intel:report_new"))
    assert form.context["model"] == "4x4" and b"Source reliability" in form.content
    response = client.post(reverse("intel:report_new"), {
        "title": "Flat above the bar", "kind": "information", "body": "Seen by a neighbour.",
        "source_description": "witness statement", "review_on": REVIEW, "expires_on": EXPIRY,
        "source_reliability": "B", "information_accuracy": "2", "handling_codes": ["H3"], "other_restrictions": ""})
    assert response.status_code == 400 and "grade" in response.context["errors"]
    response = client.post(reverse("intel:report_new"), {
        "title": "Flat above the bar", "kind": "information", "body": "Seen by a neighbour.",
        "source_description": "witness statement", "review_on": REVIEW, "expires_on": EXPIRY,
        "source_reliability": "B", "information_accuracy": "2", "handling_codes": ["H3"],
        "other_restrictions": "Not to the press office"})
    report = IntelligenceReport.objects.get(title="Flat above the bar")
    assert response.status_code == 302 and report.grade_code == "B2 H3"
    page = client.get(reverse("intel:report_detail", args=[report.pk]))
    assert b"H3: Not to the press office" in page.content and b"not for use as evidence" in page.content
    assert b"Seen by a neighbour" not in page.content and b'name="purpose"' in page.content
    reads = AuditEntry.objects.filter(action="view_sensitive", object_type="intel.intelligencereport",
                                      object_id=str(report.pk), actor_username="it.investigator")
    assert not reads.exists()
    refused = client.post(reverse("intel:report_detail", args=[report.pk]), {"purpose": "x"})
    assert refused.status_code == 400 and b"Seen by a neighbour" not in refused.content and not reads.exists()
    page = client.post(reverse("intel:report_detail", args=[report.pk]), {"purpose": "checking the address"})
    assert b"Seen by a neighbour" in page.content
    assert [r.purpose for r in reads] == ["checking the address"]
    outsider = Client()
    outsider.force_login(demo.users["ro.analyst"])
    assert outsider.get(reverse("intel:report_detail", args=[report.pk])).status_code == 404


def test_requirement_is_answered_by_collectors_and_keeps_the_link(demo):
    requirement = services.create_requirement(demo.users["ro.analyst"], {"title": "Where is the money sent?",
                                                                        "question": "Which accounts?"})
    with pytest.raises(NotPermitted):
        services.create_requirement(demo.users["ro.investigator"], {"title": "x", "question": "y"})
    answer = _report(demo.users["ro.investigator"], requirement=requirement.pk, title="Accounts in Iași")
    requirement.refresh_from_db()
    assert requirement.status == CollectionRequirement.ANSWERED
    assert list(S.requirement_answers(demo.users["ro.analyst"], requirement)) == [answer]
    client = Client()
    client.force_login(demo.users["ro.analyst"])
    assert b"Accounts in Ia" in client.get(reverse("intel:requirement_detail", args=[requirement.pk])).content


def test_operation_is_seen_only_in_its_compartment_and_every_read_is_audited(demo):
    operation = Operation.objects.get(name__startswith="Operation Iris")
    assert operation.sensitivity == "secret"
    assert not S.operation_list(demo.users["ro.analyst"]).exists()
    leader = Client()
    leader.force_login(demo.users["ro.investigator"])
    url = reverse("intel:operation_detail", args=[operation.pk])
    asked = leader.get(url)
    assert asked.status_code == 200 and demo.persons["forger"].pseudonym.encode() not in asked.content
    assert leader.post(url, {"purpose": ""}).status_code == 400
    page = leader.post(url, {"purpose": "planning the search of the flat"})
    assert page.status_code == 200 and demo.persons["forger"].pseudonym.encode() in page.content
    outsider = Client()
    outsider.force_login(demo.users["ro.analyst"])
    assert outsider.get(reverse("intel:operation_detail", args=[operation.pk])).status_code == 404
    assert outsider.post(url, {"purpose": "planning the search of the flat"}).status_code == 404
    views = who_viewed(demo.users["oversight.auditor"], "intel.operation", str(operation.pk))
    assert [v.actor_username for v in views] == ["ro.investigator"]


def test_decision_log_records_who_what_why(demo):
    operation = Operation.objects.get(name__startswith="Operation Iris")
    client = Client()
    client.force_login(demo.users["ro.supervisor"])
    purpose = "deciding the arrest date"
    bad = client.post(reverse("intel:operation_detail", args=[operation.pk]),
                      {"decision": "Go", "rationale": "", "purpose": purpose})
    assert bad.status_code == 400 and "rationale" in bad.context["errors"]
    made = client.post(reverse("intel:operation_detail", args=[operation.pk]),
                       {"decision": "Arrests on 12 November at 06:00", "rationale": "Shelter places confirmed",
                        "purpose": purpose})
    assert made.status_code == 200 and b"Arrests on 12 November" in made.content
    entry = operation.decisions.get()
    assert entry.decided_by == demo.users["ro.supervisor"] and entry.rationale == "Shelter places confirmed"
    with pytest.raises(NotPermitted):
        services.record_decision(demo.users["ro.analyst"], operation.pk, "x", "y")


def test_operation_must_be_secret_in_a_compartment_the_planner_is_in(demo):
    other = Compartment.objects.create(name="Other team", owner_agency=demo.agencies["ro-police-atu"])
    with pytest.raises(FieldErrors) as error:
        services.create_operation(demo.users["ro.investigator"], {
            "name": "x", "objective": "y", "victim_risk_assessment": "z", "operation_risk_assessment": "w",
            "compartment": other, "targets": [demo.persons["gangmaster"].pk]})
    assert set(error.value.errors) == {"compartment", "targets"}
