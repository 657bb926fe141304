"""API endpoints of the protection app (mounted at /api/protection/). Handlers read through the
selectors and write through the services, exactly as the pages do."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema, Status

from palermo.protection import selectors, services
from palermo.protection.models import Screening

router = Router(tags=["protection"])


class ScreeningIn(Schema):
    exploitation: str
    age: float | None = None
    age_uncertain: bool = False
    indicators: list[str] = []


class DimensionOut(Schema):
    name: str
    label: str
    positive: bool
    indicators: list[dict]


class ScreeningOut(Schema):
    id: int
    person_id: int
    exploitation: str
    age: float | None
    treated_as_child: bool
    outcome: str
    explanation: str
    dimensions: list[DimensionOut]
    recorded_at: datetime


class ConsentIn(Schema):
    purpose: str
    method: str
    language: str
    interpreter: str = ""
    granted: bool = True


class ConsentOut(Schema):
    id: int
    purpose: str
    granted: bool
    method: str
    language: str
    interpreter: str
    recorded_at: datetime
    withdrawn_at: datetime | None


class ReferralIn(Schema):
    provider_id: int
    note: str = ""
    override_reason: str | None = None


class ReferralOut(Schema):
    id: int
    provider_id: int
    status: str
    consent_basis: str
    consent_explanation: str
    history: list[dict]


class MeasureIn(Schema):
    measure: str
    details: str = ""
    override_reason: str | None = None


class MeasureOut(Schema):
    id: int
    measure: str
    identification_status: str
    allowed: bool
    overridden: bool
    outcome: str
    decision: str
    reported_to_coordinator: bool


class ReflectionIn(Schema):
    rule_code: str
    starts_on: date


class ReflectionOut(Schema):
    id: int
    rule_code: str
    starts_on: date
    last_day: date
    renewals: int
    reminders: list[str]


class ProviderOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    region: str
    languages: list[str]
    capacity: int | None
    accepting_referrals: bool
    contact: str


@router.post("/persons/{person_id}/screenings", response={201: ScreeningOut})
def screen(request, person_id: int, payload: ScreeningIn):
    person = selectors.person(request.user, person_id)
    data = payload.dict()
    data["age_uncertain"] = "true" if data["age_uncertain"] else ""
    return Status(201, services.screen_person(request.user, person, data))


@router.get("/persons/{person_id}/screenings", response=list[ScreeningOut])
def screenings(request, person_id: int):
    return selectors.records(request.user, Screening, selectors.person(request.user, person_id))


@router.post("/persons/{person_id}/consents", response={201: ConsentOut})
def consent(request, person_id: int, payload: ConsentIn):
    person = selectors.person(request.user, person_id)
    data = payload.dict()
    data["granted"] = "true" if data["granted"] else "false"
    return Status(201, services.record_consent(request.user, person, data))


@router.post("/persons/{person_id}/referrals", response={201: ReferralOut})
def refer(request, person_id: int, payload: ReferralIn):
    person = selectors.person(request.user, person_id)
    provider = selectors.provider(request.user, payload.provider_id)
    return Status(201, services.refer(request.user, person, provider, payload.dict()))


@router.post("/persons/{person_id}/reflection-periods", response={201: ReflectionOut})
def reflection_period(request, person_id: int, payload: ReflectionIn):
    person = selectors.person(request.user, person_id)
    return Status(201, services.start_reflection_period(request.user, person, payload.dict()))


@router.post("/persons/{person_id}/measures", response={201: MeasureOut})
def measure(request, person_id: int, payload: MeasureIn):
    """Always 201: a refused attempt is recorded too; `allowed` and `decision` say what the guard decided."""
    person = selectors.person(request.user, person_id)
    return Status(201, services.attempt_measure(request.user, person, payload.dict()))


@router.get("/providers", response=list[ProviderOut])
def providers(request, kind: str | None = None):
    return selectors.directory(request.user, kind=kind)


class PurposeIn(Schema):
    purpose: str = ""


@router.post("/coordinator-report")
def coordinator_report(request, payload: PurposeIn):
    """Opening the report is audited with the purpose the coordinator states (400 without one)."""
    report = selectors.coordinator_report(request.user, payload.purpose)
    return {"country": report["country"], "counts": report["counts"],
            "screening_outcomes": report["screening_outcomes"],
            "attempts": [{"id": a.pk, "agency": a.owner_agency.code, "measure": a.measure,
                          "identification_status": a.identification_status, "outcome": a.outcome,
                          "decision": a.decision, "override_reason": a.override_reason,
                          "recorded_at": a.recorded_at.isoformat()} for a in report["attempts"]]}
