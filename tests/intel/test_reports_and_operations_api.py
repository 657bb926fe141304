"""The intelligence-report and operation API: same services, visibility and audit as the pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from palermo.accounts.models import ApiToken
from palermo.audit.models import AuditEntry
from palermo.audit.selectors import who_viewed
from palermo.intel.models import IntelligenceReport, Operation

pytestmark = pytest.mark.django_db

REVIEW = (timezone.localdate() + timedelta(days=30)).isoformat()
EXPIRY = (timezone.localdate() + timedelta(days=200)).isoformat()


class Api:
    def __init__(self, user):
        _, token = ApiToken.issue(user, "t")
        self.client, self.headers = Client(), {"Authorization": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/intel{path}", headers=self.headers)

    def post(self, path, body):
        return self.client.post(f"/api/intel{path}", body, content_type="application/json", headers=self.headers)


def _payload(**overrides):
    data = {"title": "Van seen at the border", "kind": "information", "body": "Plates noted by a customs officer.",
            "source_description": "customs officer", "review_on": REVIEW, "expires_on": EXPIRY,
            "grade": {"source_evaluation": "1", "intelligence_assessment": "B", "handling_code": "C",
                      "conditions": ["Not to be shared outside the task force"]}}
    return data | overrides


def _views_of(obj, username):
    return AuditEntry.objects.filter(action="view_sensitive", object_type=obj._meta.label_lower,
                                     object_id=str(obj.pk), actor_username=username).count()


def test_list_shows_grade_and_handling_without_content(demo):
    listed = Api(demo.users["ro.analyst"]).get("/reports")
    assert listed.status_code == 200
    debrief = next(r for r in listed.json() if r["title"].startswith("Debrief"))
    assert debrief["grade_code"] == "2/B/C" and debrief["handling_code"] == "C" and debrief["handling_conditions"]
    assert any(line.startswith("Handling C") for line in debrief["restrictions"])
    assert "Intelligence only: not for use as evidence" in debrief["restrictions"]
    assert "body" not in debrief
    inspector_sees = [r["reference"] for r in Api(demo.users["it.inspector"]).get("/reports").json()]
    assert debrief["reference"] not in inspector_sees


def test_detail_is_audited_before_it_is_returned_and_hidden_reports_are_404(demo):
    debrief = IntelligenceReport.objects.get(title__startswith="Debrief")
    api = Api(demo.users["ro.analyst"])
    before = _views_of(debrief, "ro.analyst")
    summary = api.get(f"/reports/{debrief.pk}")
    assert summary.status_code == 200 and "body" not in summary.json() and _views_of(debrief, "ro.analyst") == before
    refused = api.post(f"/reports/{debrief.pk}/read", {})
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"][-1] == "purpose"
    assert _views_of(debrief, "ro.analyst") == before
    response = api.post(f"/reports/{debrief.pk}/read", {"purpose": "linking the debrief to case RO-2026-014"})
    assert response.status_code == 200
    data = response.json()
    assert data["body"] == debrief.body and data["grade"] and data["restrictions"]
    assert _views_of(debrief, "ro.analyst") == before + 1
    assert AuditEntry.objects.filter(object_id=str(debrief.pk)).latest("seq").purpose == \
        "linking the debrief to case RO-2026-014"
    assert Api(demo.users["it.inspector"]).post(f"/reports/{debrief.pk}/read",
                                                {"purpose": "curious about it"}).status_code == 404
    assert Api(demo.users["it.inspector"]).get(f"/reports/{debrief.pk}").status_code == 404
    assert Api(demo.users["ro.analyst"]).get("/reports/999999").status_code == 404
    assert _views_of(debrief, "it.inspector") == 0


def test_create_grades_under_the_agency_model_and_is_audited(demo):
    response = Api(demo.users["ro.analyst"]).post("/reports", _payload())
    assert response.status_code == 201
    data = response.json()
    assert data["grading_model"] == "3x5x2" and data["grade_code"] == "1/B/C"
    assert data["handling_conditions"] == ["Not to be shared outside the task force"]
    assert "Not to be shared outside the task force" in data["restrictions"]
    report = IntelligenceReport.objects.get(pk=data["id"])
    assert report.owner_agency.code == "ro-police-atu"
    assert AuditEntry.objects.filter(action="create", object_type="intel.intelligencereport",
                                     object_id=str(report.pk), actor_username="ro.analyst").exists()


def test_derived_report_through_the_api_inherits_handling(demo):
    debrief = IntelligenceReport.objects.get(title__startswith="Debrief")
    response = Api(demo.users["ro.analyst"]).post("/reports", _payload(
        kind="intelligence", derived_from=[debrief.pk], sensitivity=debrief.sensitivity,
        grade={"source_evaluation": "1", "intelligence_assessment": "A", "handling_code": "P"}))
    assert response.status_code == 201
    data = response.json()
    assert data["handling_code"] == "C" and data["handling_conditions"] == debrief.handling_conditions
    assert data["derived_from"] == [debrief.reference]


def test_bad_grade_and_fields_are_400_field_errors_and_nothing_is_written(demo):
    before = IntelligenceReport.objects.count()
    api = Api(demo.users["ro.analyst"])
    response = api.post("/reports", _payload(
        title="", kind="rumour", review_on="yesterday", derived_from=[999999], requirement_id=999999,
        compartment_id=999999, grade={"source_evaluation": "9", "intelligence_assessment": "B",
                                      "handling_code": "C"}))
    assert response.status_code == 400
    fields = {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}
    assert set(fields) == {"compartment_id"}
    response = api.post("/reports", _payload(
        title="", kind="rumour", review_on="yesterday", derived_from=[999999], requirement_id=999999,
        grade={"source_evaluation": "9", "intelligence_assessment": "B", "handling_code": "C"}))
    fields = {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}
    assert response.status_code == 400
    assert set(fields) == {"title", "kind", "review_on", "derived_from", "requirement", "grade"}
    assert "requires the conditions" in fields["grade"] and "'9'" in fields["grade"]
    italian_grade = api.post("/reports", _payload(grade={"source_reliability": "A", "information_accuracy": "1"}))
    assert italian_grade.status_code == 400 and {d["loc"][-1] for d in italian_grade.json()["detail"]} == {"grade"}
    assert api.post("/reports", _payload(derived_from=["one"])).status_code == 422
    assert IntelligenceReport.objects.count() == before


def test_typed_record_numbers_that_are_not_numbers_are_field_errors_on_the_page(demo):
    client = Client()
    client.force_login(demo.users["ro.analyst"])
    response = client.post("/intel/reports/new", {
        "title": "t", "kind": "intelligence", "body": "b", "source_description": "s", "review_on": REVIEW,
        "expires_on": EXPIRY, "source_evaluation": "1", "intelligence_assessment": "A", "handling_code": "P",
        "derived_from": ["one"], "requirement": "first"})
    assert response.status_code == 400
    assert {"derived_from", "requirement"} <= set(response.context["errors"])


def test_roles_without_intelligence_work_may_not_write_reports(demo):
    response = Api(demo.users["ngo.casemanager"]).post("/reports", _payload())
    assert response.status_code == 403


def test_operation_plan_only_for_compartment_members_and_every_read_audited(demo):
    operation = Operation.objects.get(name__startswith="Operation Iris")
    leader = Api(demo.users["ro.investigator"])
    assert [o["id"] for o in leader.get("/operations").json()] == [operation.pk]
    assert "objective" not in leader.get(f"/operations/{operation.pk}").json()
    assert leader.post(f"/operations/{operation.pk}/read", {"purpose": ""}).status_code == 400
    response = leader.post(f"/operations/{operation.pk}/read", {"purpose": "briefing the arrest team"})
    assert response.status_code == 200
    plan = response.json()
    assert plan["objective"] == operation.objective and demo.persons["forger"].pseudonym in plan["targets"]
    assert plan["victim_risk_assessment"] and plan["operation_risk_assessment"]
    entry = AuditEntry.objects.filter(action="view_sensitive", object_type="intel.operation",
                                      object_id=str(operation.pk)).latest("seq")
    assert entry.actor_username == "ro.investigator" and entry.purpose == "briefing the arrest team"
    for outsider in ("ro.analyst", "it.investigator", "oversight.auditor"):
        api = Api(demo.users[outsider])
        assert api.get(f"/operations/{operation.pk}").status_code == 404
        assert api.post(f"/operations/{operation.pk}/read", {"purpose": "briefing the arrest team"}).status_code == 404
        assert api.get("/operations").json() == []
    assert [v.actor_username for v in who_viewed(demo.users["oversight.auditor"], "intel.operation",
                                                  str(operation.pk))] == ["ro.investigator"]


def test_leaving_the_compartment_closes_the_plan(demo):
    operation = Operation.objects.get(name__startswith="Operation Iris")
    supervisor = demo.users["ro.supervisor"]
    api = Api(supervisor)
    assert api.post(f"/operations/{operation.pk}/read", {"purpose": "weekly operations review"}).status_code == 200
    operation.compartment.members.remove(supervisor)
    assert api.post(f"/operations/{operation.pk}/read", {"purpose": "weekly operations review"}).status_code == 404
    assert api.post(f"/operations/{operation.pk}/decisions", {"decision": "Go", "rationale": "r"}).status_code == 404
    assert not operation.decisions.exists()


def test_decision_log_through_the_api(demo):
    operation = Operation.objects.get(name__startswith="Operation Iris")
    api = Api(demo.users["ro.supervisor"])
    bad = api.post(f"/operations/{operation.pk}/decisions", {"decision": "Go", "rationale": ""})
    assert bad.status_code == 400 and [d["loc"][-1] for d in bad.json()["detail"]] == ["rationale"]
    made = api.post(f"/operations/{operation.pk}/decisions",
                    {"decision": "Arrests at dawn", "rationale": "Shelter places confirmed"})
    assert made.status_code == 201 and made.json()["decided_by"] == "ro.supervisor"
    decisions = api.post(f"/operations/{operation.pk}/read", {"purpose": "checking the log"}).json()["decisions"]
    assert [(d["decision"], d["rationale"]) for d in decisions] == [("Arrests at dawn", "Shelter places confirmed")]
    assert Api(demo.users["ro.analyst"]).post(f"/operations/{operation.pk}/decisions",
                                              {"decision": "x", "rationale": "y"}).status_code == 403
