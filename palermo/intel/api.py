"""API endpoints of the intel app (mounted at /api/intel/)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from palermo.accounts.models import Compartment
from palermo.core.rules import FieldErrors
from palermo.intel import jobs as intel_jobs
from palermo.intel import selectors as S
from palermo.intel import services

router = Router(tags=["intel"])


class NetworkQuery(Schema):
    start: str = ""
    end: str = ""
    country: list[str] = []
    role: list[str] = []
    undated: str = ""


def _filter(query: NetworkQuery):
    return S.network_filter_from(query.start, query.end, query.country, query.role, query.undated)


@router.get("/network")
def network(request, query: Query[NetworkQuery]):
    """Cytoscape.js elements and the critical-nodes report of the records the caller may see."""
    view = S.network_view(request.user, _filter(query))
    return {"elements": view.elements, "report": view.report.as_dict()}


class JudgementIn(Schema):
    network_type: str
    judged_on: str = ""
    rationale: str = ""
    sensitivity: str = "normal"
    start: str = ""
    end: str = ""
    country: list[str] = []
    role: list[str] = []
    undated: str = ""


class JudgementOut(Schema):
    id: int
    network_type: str
    network_type_label: str
    judged_on: date
    analyst: str
    owner_agency: str
    sensitivity: str
    rationale: str
    structural_profile: dict
    scope: dict
    created_at: datetime


def _judgement_out(judgement) -> dict:
    return {"id": judgement.pk, "network_type": judgement.network_type,
            "network_type_label": judgement.get_network_type_display(), "judged_on": judgement.judged_on,
            "analyst": judgement.analyst.username, "owner_agency": judgement.owner_agency.code,
            "sensitivity": judgement.sensitivity, "rationale": judgement.rationale,
            "structural_profile": judgement.structural_profile, "scope": judgement.scope,
            "created_at": judgement.created_at}


@router.get("/network/judgements", response=list[JudgementOut])
def network_judgements(request):
    """Analysts' dated judgements of network type the caller may see, newest first."""
    return [_judgement_out(j) for j in S.network_type_judgements(request.user)]


@router.post("/network/judgements", response={201: JudgementOut})
def network_judgement_new(request, payload: JudgementIn):
    """Record a judgement of the network as filtered by start/end/country/role/undated; the structural
    facts are computed by the server from what the caller may see."""
    judgement = services.record_network_type_judgement(request.user, {
        "network_type": payload.network_type, "judged_on": payload.judged_on, "rationale": payload.rationale,
        "sensitivity": payload.sensitivity}, {"start": payload.start, "end": payload.end,
                                              "countries": payload.country, "roles": payload.role,
                                              "undated": payload.undated})
    return Status(201, _judgement_out(judgement))


class ExportIn(NetworkQuery):
    format: str
    purpose: str


class JobRef(Schema):
    job: int
    status: str
    url: str


@router.post("/network/export", response={202: JobRef})
def network_export(request, payload: ExportIn):
    """Ask for an export of the network as filtered, with the purpose it is for (audited). It is built in
    the background: follow `url` (GET /api/jobs/{job}) and download the file from the job's page."""
    job = intel_jobs.request_network_export(request.user, payload.format, {
        "start": payload.start, "end": payload.end, "countries": payload.country, "roles": payload.role,
        "undated": payload.undated}, payload.purpose)
    return Status(202, {"job": job.pk, "status": job.status, "url": f"/api/jobs/{job.pk}"})


class AlertOut(Schema):
    id: int
    basis: str
    other_agency: str
    other_contact_point: str
    own_record: str
    created_at: datetime
    acknowledged_at: datetime | None


def _alert_out(user, alert) -> dict:
    own = (alert.own_person.pseudonym if alert.own_person_id
           else f"{alert.own_selector.kind} selector held by {', '.join(S.alert_holders(user, alert)) or '—'}")
    return {"id": alert.pk, "basis": alert.basis, "other_agency": alert.other_agency.code,
            "other_contact_point": alert.other_contact_point, "own_record": own,
            "created_at": alert.created_at, "acknowledged_at": alert.acknowledged_at}


@router.get("/alerts", response=list[AlertOut])
def alerts(request):
    return [_alert_out(request.user, alert) for alert in S.deconfliction_alerts(request.user)]


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request, alert_id: int):
    return _alert_out(request.user, services.acknowledge_alert(request.user, alert_id))


class HitOut(Schema):
    alert_id: int
    basis: str
    own_record: str
    other_agency: str
    raised_by: str = Field(description="Username when the user is of the caller's agency, else empty")
    raised_by_agency: str
    raised_at: datetime
    acknowledged_at: datetime | None


class RefusalOut(Schema):
    user: str
    kind: str
    holder: str
    additions_in_window: int
    limit: int
    window_minutes: int
    refused_at: datetime


class DeconflictionReportOut(Schema):
    hits: list[HitOut]
    refusals: list[RefusalOut]


@router.get("/deconfliction/report", response=DeconflictionReportOut)
def deconfliction_report(request):
    """For the agency's supervisors: who raised which deconfliction hits and which selector additions the
    rate limit refused. The read is recorded in the audit trail first."""
    report = S.deconfliction_report(request.user)
    return {"hits": [{"alert_id": h.alert.pk, "basis": h.alert.basis, "own_record": h.own_record,
                      "other_agency": h.alert.other_agency.code, "raised_by": h.raised_by_label,
                      "raised_by_agency": h.raised_by_agency, "raised_at": h.alert.created_at,
                      "acknowledged_at": h.alert.acknowledged_at} for h in report.hits],
            "refusals": [{"user": r.user.username, "kind": r.kind, "holder": r.holder_label,
                          "additions_in_window": r.additions_in_window, "limit": r.limit,
                          "window_minutes": r.window_minutes, "refused_at": r.refused_at} for r in report.refusals]}


# --- intelligence reports ----------------------------------------------------------------------------


class GradeIn(Schema):
    """Fields of the agency's grading model: 3x5x2 (source_evaluation, intelligence_assessment,
    handling_code, conditions) or 4x4 (source_reliability, information_accuracy, handling_codes,
    other_restrictions). Fields of the other model are ignored."""

    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    conditions: list[str] = []
    source_reliability: str = ""
    information_accuracy: str = ""
    handling_codes: list[str] = []
    other_restrictions: str = ""


class ReportIn(Schema):
    title: str = ""
    kind: str = Field("", description="information (as received) or intelligence (analysed)")
    body: str = ""
    source_description: str = ""
    review_on: str = Field("", description="YYYY-MM-DD")
    expires_on: str = Field("", description="YYYY-MM-DD")
    usable_as_evidence: bool = False
    sensitivity: str = "normal"
    compartment_id: int | None = None
    derived_from: list[int] = []
    requirement_id: int | None = None
    grade: GradeIn = GradeIn()


class ReportOut(Schema):
    """Handling travels with the report: `restrictions` says what may be done with it."""

    id: int
    reference: str
    title: str
    kind: str
    owner_agency: str
    sensitivity: str
    grading_model: str
    grade_code: str
    handling_code: str
    handling_conditions: list[str]
    restrictions: list[str]
    usable_as_evidence: bool
    review_on: date
    expires_on: date
    requirement_id: int | None
    created_at: datetime


class ReportDetailOut(ReportOut):
    body: str
    source_description: str
    grade: dict[str, str]
    derived_from: list[str]
    used_in: list[str]


def _report_out(report) -> dict:
    return {"id": report.pk, "reference": report.reference, "title": report.title, "kind": report.kind,
            "owner_agency": report.owner_agency.code, "sensitivity": report.sensitivity,
            "grading_model": report.grading_model, "grade_code": report.grade_code,
            "handling_code": report.handling_code, "handling_conditions": list(report.handling_conditions),
            "restrictions": S.report_restrictions(report), "usable_as_evidence": report.usable_as_evidence,
            "review_on": report.review_on, "expires_on": report.expires_on,
            "requirement_id": report.requirement_id, "created_at": report.created_at}


def _report_detail_out(user, report) -> dict:
    return _report_out(report) | {
        "body": report.body, "source_description": report.source_description, "grade": S.grade_labels(report),
        "derived_from": [p.reference for p in S.visible_parents(user, report)],
        "used_in": [d.reference for d in S.visible_derivatives(user, report)]}


@router.get("/reports", response=list[ReportOut])
def reports(request):
    """Reports the caller may see, without their content (opening one is audited)."""
    return [_report_out(report) for report in S.report_list(request.user)]


class PurposeIn(Schema):
    purpose: str = ""


@router.get("/reports/{report_id}", response=ReportOut)
def report_detail(request, report_id: int):
    """Reference, grade and handling, without the content (reading it is POST .../read with a purpose)."""
    return _report_out(S.report_detail(request.user, report_id))


@router.post("/reports/{report_id}/read", response=ReportDetailOut)
def report_read(request, report_id: int, payload: PurposeIn):
    """The report's content, grade and handling; the read is recorded in the audit trail first, with the
    purpose the caller states (400 without one)."""
    return _report_detail_out(request.user, S.read_report(request.user, report_id, payload.purpose))


@router.post("/reports", response={201: ReportDetailOut})
def report_new(request, payload: ReportIn):
    """Graded under the caller's agency's model; a wrong grade is a 400 naming the `grade` field."""
    data = payload.dict()
    data["compartment"] = _compartment(request, data.pop("compartment_id"))
    data["requirement"] = data.pop("requirement_id")
    report = services.create_report(request.user, data)
    return Status(201, _report_detail_out(request.user, report))


def _compartment(request, compartment_id):
    if compartment_id is None:
        return None
    found = Compartment.objects.filter(pk=compartment_id, owner_agency_id=request.user.agency_id).first()
    if found is None:
        raise FieldErrors({"compartment_id": ["no such compartment in your agency"]})
    return found


# --- operations --------------------------------------------------------------------------------------


class OperationOut(Schema):
    id: int
    name: str
    status: str
    owner_agency: str
    compartment: str
    created_at: datetime


class DecisionOut(Schema):
    decision: str
    rationale: str
    decided_by: str
    decided_at: datetime


class OperationPlanOut(OperationOut):
    objective: str
    targets: list[str]
    victim_risk_assessment: str
    operation_risk_assessment: str
    case_id: int | None
    decisions: list[DecisionOut]


class DecisionIn(Schema):
    decision: str = ""
    rationale: str = ""


def _operation_out(operation) -> dict:
    return {"id": operation.pk, "name": operation.name, "status": operation.status,
            "owner_agency": operation.owner_agency.code, "compartment": operation.compartment.name,
            "created_at": operation.created_at}


def _decision_out(entry) -> dict:
    return {"decision": entry.decision, "rationale": entry.rationale, "decided_by": entry.decided_by.username,
            "decided_at": entry.decided_at}


@router.get("/operations", response=list[OperationOut])
def operations(request):
    """Operations in the caller's compartments: names and status only."""
    return [_operation_out(operation) for operation in S.operation_list(request.user)]


@router.get("/operations/{operation_id}", response=OperationOut)
def operation_detail(request, operation_id: int):
    """Name and status, for members of its compartment (404 for anyone else); the plan is POST .../read."""
    return _operation_out(S.operation_summary(request.user, operation_id))


@router.post("/operations/{operation_id}/read", response=OperationPlanOut)
def operation_read(request, operation_id: int, payload: PurposeIn):
    """The plan, seen only by members of its compartment (404 for anyone else); every read is audited with
    the purpose the caller states (400 without one)."""
    operation = S.operation_plan(request.user, operation_id, payload.purpose)
    return _operation_out(operation) | {
        "objective": operation.objective, "victim_risk_assessment": operation.victim_risk_assessment,
        "operation_risk_assessment": operation.operation_risk_assessment, "case_id": operation.case_id,
        "targets": [p.pseudonym for p in S.operation_targets(request.user, operation)],
        "decisions": [_decision_out(d) for d in operation.decisions.select_related("decided_by")]}


@router.post("/operations/{operation_id}/decisions", response={201: DecisionOut})
def operation_decision(request, operation_id: int, payload: DecisionIn):
    """Add to the decision log; the server sets who and when."""
    entry = services.record_decision(request.user, operation_id, payload.decision, payload.rationale)
    return Status(201, _decision_out(entry))
