"""API endpoints of the intel app (mounted at /api/intel/)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

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
    wanted = S.network_filter_from(payload.start, payload.end, payload.country, payload.role, payload.undated)
    judgement = services.record_network_type_judgement(request.user, {
        "network_type": payload.network_type, "judged_on": payload.judged_on, "rationale": payload.rationale,
        "sensitivity": payload.sensitivity}, wanted)
    return Status(201, _judgement_out(judgement))


@router.get("/network/export/{fmt}", response={200: None})
def network_export(request, fmt: str, query: Query[NetworkQuery]):
    if fmt not in ("graphml", "nodes.csv", "edges.csv"):
        raise S.NotVisible("no such export format")
    content_type = "application/graphml+xml" if fmt == "graphml" else "text/csv"
    return HttpResponse(S.export_network(request.user, _filter(query), fmt), content_type=content_type)


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
