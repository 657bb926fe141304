"""API of the Transnational Referral Mechanism (mounted at /api/referral/). Handlers read through the
selectors and write through the services, exactly as the pages do."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema, Status

from palermo.core.rules import FieldErrors
from palermo.protection import selectors as protection_selectors
from palermo.referral import rules, selectors, services
from palermo.referral.models import PersonMeasure

router = Router(tags=["referral"])


class MeasureOut(Schema):
    id: int
    country: str
    area: str
    area_label: str
    code: str
    title: str
    what: str
    when: str
    who: str
    how: str
    for_children: bool
    institution: str
    due_days: int

    @staticmethod
    def resolve_area_label(obj) -> str:
        return rules.SOP_AREAS[obj.area]

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.name


class ContactOut(Schema):
    country: str
    area: str
    institution: str
    contact_person: str
    contact: str
    last_verified: date | None
    stale: bool


class PersonMeasureIn(Schema):
    measure: int
    institution: str = ""
    due_on: date | None = None
    note: str = ""


class DoneIn(Schema):
    done_on: date | None = None


class PersonMeasureOut(Schema):
    id: int
    measure: str
    area: str
    institution: str
    due_on: date
    done_on: date | None
    adherence: str


class ConsentIn(Schema):
    step: str
    fields: list[str] = []
    granted: bool = True
    method: str
    language: str
    interpreter: str = ""


class ReferralIn(Schema):
    kind: str
    partner: str
    partner_agency: str
    packet: dict[str, str]
    involves_return: bool = False
    voluntary: bool = False


class ReferralOut(Schema):
    id: int
    reference: str
    kind: str
    direction: str
    partner: str
    partner_agency_name: str
    person_pseudonym: str
    fields_sent: list[str]
    involves_return: bool
    status: str
    decision_reason: str
    sent_at: datetime

    @staticmethod
    def resolve_partner(obj) -> str:
        return obj.partner.instance_id


class PurposeIn(Schema):
    purpose: str


class DecisionIn(Schema):
    status: str
    reason: str = ""


def _measure_out(chosen: PersonMeasure, state: str) -> dict:
    return {"id": chosen.pk, "measure": chosen.measure.title, "area": chosen.measure.area,
            "institution": chosen.institution.name, "due_on": chosen.due_on, "done_on": chosen.done_on,
            "adherence": state}


@router.get("/library", response=list[MeasureOut])
def library(request, country: str):
    """The SOP measures of one country, in the five areas."""
    return [m for _, _, measures in selectors.library(country)["areas"] for m in measures]


@router.get("/directory", response=list[ContactOut])
def directory(request, country: str = ""):
    """The transnational contact directory; `stale` when not verified within the threshold."""
    return [{"country": e.country, "area": e.area, "institution": e.institution.name,
             "contact_person": e.contact_person, "contact": e.contact, "last_verified": e.last_verified,
             "stale": stale} for e, stale in selectors.directory(country=country)]


@router.get("/persons/{pk}/measures", response=list[PersonMeasureOut])
def person_measures(request, pk: int):
    person = protection_selectors.person(request.user, pk)
    return [_measure_out(m, s) for m, s in selectors.person_measures(request.user, person)]


@router.post("/persons/{pk}/measures", response={201: PersonMeasureOut})
def choose_measure(request, pk: int, payload: PersonMeasureIn):
    person = protection_selectors.person(request.user, pk)
    chosen = services.choose_measure(request.user, person, payload.dict())
    return Status(201, _measure_out(chosen, rules.adherence(chosen.due_on, chosen.done_on, chosen.due_on)))


@router.post("/persons/{pk}/measures/{measure_id}/done", response=PersonMeasureOut)
def mark_done(request, pk: int, measure_id: int, payload: DoneIn):
    person = protection_selectors.person(request.user, pk)
    chosen = PersonMeasure.objects.filter(person=person, pk=measure_id).select_related("measure").first()
    if chosen is None:
        raise FieldErrors({"measure_id": ["not one of this person's measures"]})
    chosen = services.mark_done(request.user, chosen, payload.dict())
    return _measure_out(chosen, rules.adherence(chosen.due_on, chosen.done_on, chosen.done_on))


@router.post("/persons/{pk}/consents", response={201: dict})
def record_consent(request, pk: int, payload: ConsentIn):
    """The person's decision on one TRM step and, for a referral, on each packet field."""
    person = protection_selectors.person(request.user, pk)
    record = services.record_step_consent(request.user, person, {**payload.dict(),
                                                                "granted": "true" if payload.granted else "false"})
    return Status(201, {"id": record.pk, "step": record.step, "granted": record.granted, "fields": record.fields})


@router.post("/persons/{pk}/referrals", response={201: ReferralOut})
def send_referral(request, pk: int, payload: ReferralIn):
    """Send a request for assistance or for (re)integration support; only consented fields may leave."""
    person = protection_selectors.person(request.user, pk)
    data = {**payload.dict(), "involves_return": "1" if payload.involves_return else "",
            "voluntary": "1" if payload.voluntary else ""}
    return Status(201, services.send_referral(request.user, person, data))


@router.get("/referrals", response=list[ReferralOut])
def referrals(request, direction: str = ""):
    return list(selectors.visible_referrals(request.user, direction=direction)[:500])


@router.get("/referrals/{pk}", response=ReferralOut)
def referral(request, pk: int):
    """A referral without its packet's content (see POST …/packet)."""
    return selectors.referral(request.user, pk)


@router.post("/referrals/{pk}/packet", response=dict[str, str])
def referral_packet(request, pk: int, payload: PurposeIn):
    """The packet's content for a stated purpose (audited before it is returned)."""
    return selectors.referral_packet(request.user, selectors.referral(request.user, pk), payload.purpose)


@router.post("/referrals/{pk}/decision", response=ReferralOut)
def decide(request, pk: int, payload: DecisionIn):
    """The receiving organisation confirms, or refuses with a reason."""
    return services.decide_referral(request.user, selectors.referral(request.user, pk), payload.status,
                                    payload.reason)


@router.get("/report", response=dict)
def report(request):
    """SOP adherence across persons, for the national coordinator (counts only)."""
    data = selectors.adherence_report(request.user)
    return {"country": data["country"], "persons": data["persons"], "overall": data["overall"],
            "areas": dict(data["areas"]), "institutions": dict(data["institutions"])}
