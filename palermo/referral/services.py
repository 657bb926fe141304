"""Writes of the Transnational Referral Mechanism. Each validates first (FieldErrors, nothing changed),
then writes and audits in one transaction; a referral and the message that carries it abroad are one
transaction (the federation outbox). Consent and the child and non-punishment safeguards are
protection's; this app adds consent per TRM step and packet field on top."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency
from palermo.audit import services as audit
from palermo.core import visibility as V
from palermo.core.rules import ErrorCollector, FieldErrors, date_field, flag_field, text_field
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted, check_governance
from palermo.federation import outbox
from palermo.federation.envelope import Rejection
from palermo.federation.models import Partner
from palermo.protection import services as protection
from palermo.protection.domain import children, consent
from palermo.referral import rules
from palermo.referral.models import (
    ContactEntry,
    FamilyTracing,
    IdentificationBody,
    IdentityNotice,
    Institution,
    OriginContact,
    PersonMeasure,
    RiskAssessment,
    SopMeasure,
    StepConsent,
    TransnationalReferral,
)

ASSISTANCE_TYPE, REINTEGRATION_TYPE, ANSWER_TYPE = "trm.assistance_request", "trm.reintegration_request", "trm.answer"
KIND_TYPES = {rules.ASSISTANCE_REQUEST: ASSISTANCE_TYPE, rules.REINTEGRATION_REQUEST: REINTEGRATION_TYPE}
TYPE_KINDS = {v: k for k, v in KIND_TYPES.items()}
TRM_ROLES = protection.PROTECTION_ROLES
SENSITIVITY = R.RESTRICTED


def _require_actor(actor, person, action: str) -> None:
    """A protection role and sight of the person (absent and invisible look the same)."""
    if not (actor.is_authenticated and actor.agency_id and actor.has_role(*TRM_ROLES)):
        raise NotPermitted(f"your role does not allow you to {action}")
    if not V.can_see(actor, person):
        raise NotVisible("no such person")


def _base(actor, person) -> dict:
    return {"person": person, "owner_agency_id": actor.agency_id, "recorded_by": actor}


# --- the SOP library, edited by the national coordinator of its country ----------------------------------

LIBRARY_FIELDS = ("title", "what", "when", "who", "how")


def _require_coordinator(actor, country: str) -> None:
    if not (actor.is_authenticated and actor.agency_id and actor.has_role(R.NATIONAL_COORDINATOR)):
        raise NotPermitted("only the national coordinator edits the SOP library")
    if actor.agency.country != country:
        raise NotPermitted("a national coordinator edits their own country's SOP library only")


def _measure_values(errors: ErrorCollector, data: dict, country: str) -> dict:
    values = {f: text_field(errors, data, f, limit=200 if f == "title" else 4000) for f in LIBRARY_FIELDS}
    area = str(data.get("area") or "")
    if area not in rules.SOP_AREAS:
        errors.add("area", "choose one of the five SOP areas")
    institution = Institution.objects.filter(country=country, code=str(data.get("institution") or "")).first()
    if institution is None:
        errors.add("institution", "choose the institution responsible in this country")
    try:
        due_days = int(data.get("due_days") or 0)
        if not 0 <= due_days <= 365:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("due_days", "a whole number of days between 0 and 365")
        due_days = 0
    return {**values, "area": area, "institution": institution, "due_days": due_days,
            "for_children": flag_field(data, "for_children")}


def edit_measure(actor, measure: SopMeasure, data: dict) -> SopMeasure:
    _require_coordinator(actor, measure.country)
    errors = ErrorCollector()
    values = _measure_values(errors, data, measure.country)
    errors.raise_if_any()
    changed = sorted(f for f, v in values.items() if getattr(measure, f) != v)
    with transaction.atomic():
        for field, value in values.items():
            setattr(measure, field, value)
        measure.updated_by = actor
        measure.save()
        audit.record(actor, "sop_measure_edit", measure, purpose="SOP library", details={"changed": changed})
    return measure


def add_measure(actor, data: dict) -> SopMeasure:
    country = actor.agency.country if actor.is_authenticated and actor.agency_id else ""
    _require_coordinator(actor, country)
    errors = ErrorCollector()
    values = _measure_values(errors, data, country)
    errors.raise_if_any()
    with transaction.atomic():
        code = f"{country.lower()}-{values['area'][:3]}-{secrets.token_hex(3)}"
        measure = SopMeasure.objects.create(country=country, code=code, updated_by=actor, **values)
        audit.record(actor, "sop_measure_add", measure, purpose="SOP library", details={"area": values["area"]})
    return measure


def edit_identification_body(actor, country: str, data: dict) -> IdentificationBody:
    _require_coordinator(actor, country)
    errors = ErrorCollector()
    institution = Institution.objects.filter(country=country, code=str(data.get("institution") or "")).first()
    if institution is None:
        errors.add("institution", "choose the institution that identifies victims in this country")
    how = text_field(errors, data, "how")
    errors.raise_if_any()
    with transaction.atomic():
        body, _ = IdentificationBody.objects.update_or_create(country=country, defaults={
            "institution": institution, "how": how, "updated_by": actor})
        audit.record(actor, "identification_body_edit", body, purpose="SOP library",
                     details={"institution": institution.code})
    return body


def verify_contact(actor, entry: ContactEntry, data: dict) -> ContactEntry:
    """The coordinator confirms or corrects a directory entry; today becomes its last-verified date."""
    _require_coordinator(actor, entry.country)
    errors = ErrorCollector()
    person = text_field(errors, data, "contact_person", limit=200)
    contact = text_field(errors, data, "contact", limit=200)
    errors.raise_if_any()
    with transaction.atomic():
        entry.contact_person, entry.contact = person, contact
        entry.last_verified, entry.updated_by = timezone.localdate(), actor
        entry.save()
        audit.record(actor, "trm_contact_verified", entry, purpose="transnational contact directory")
    return entry


# --- measures chosen for a person ------------------------------------------------------------------------

def choose_measure(actor, person, data: dict) -> PersonMeasure:
    """À la carte: any measure of the library; routed to its institution unless another of that country is named."""
    _require_actor(actor, person, "choose SOP measures")
    errors = ErrorCollector()
    raw = str(data.get("measure") or "").strip()
    measure = SopMeasure.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if measure is None:
        errors.add("measure", "choose a measure of the SOP library")
    institution = measure.institution if measure else None
    if measure and data.get("institution"):
        institution = Institution.objects.filter(country=measure.country, code=str(data["institution"])).first()
        if institution is None:
            errors.add("institution", "choose an institution of the measure's country")
    due_on = date_field(errors, data, "due_on", required=False)
    note = text_field(errors, data, "note", required=False)
    errors.raise_if_any()
    due_on = due_on or timezone.localdate() + timedelta(days=measure.due_days)
    with transaction.atomic():
        chosen = PersonMeasure.objects.create(**_base(actor, person), measure=measure, institution=institution,
                                              due_on=due_on, note=note)
        audit.record(actor, "trm_measure_chosen", chosen, purpose="transnational referral",
                     details={"measure": measure.code, "institution": institution.code, "due_on": due_on.isoformat()})
    return chosen


def mark_done(actor, chosen: PersonMeasure, data: dict) -> PersonMeasure:
    _require_actor(actor, chosen.person, "record SOP measures")
    errors = ErrorCollector()
    done_on = date_field(errors, data, "done_on", required=False) or timezone.localdate()
    if done_on > timezone.localdate():
        errors.add("done_on", "cannot be in the future")
    if chosen.done_on is not None:
        errors.add("done_on", "this measure is already recorded as done")
    errors.raise_if_any()
    with transaction.atomic():
        chosen.done_on = done_on
        chosen.save(update_fields=["done_on"])
        audit.record(actor, "trm_measure_done", chosen, purpose="transnational referral",
                     details={"measure": chosen.measure.code, "done_on": done_on.isoformat()})
    return chosen


# --- consent per step and field, information on identity protection, safeguards --------------------------

def record_step_consent(actor, person, data: dict) -> StepConsent:
    _require_actor(actor, person, "record consent")
    errors = ErrorCollector()
    step = str(data.get("step") or "")
    if step not in rules.STEPS:
        errors.add("step", "choose the step the person decides on")
    fields = data.get("fields") or []
    if isinstance(fields, str):
        fields = [fields]
    unknown = [f for f in fields if f not in rules.PACKET_FIELDS]
    if unknown:
        errors.add("fields", "not fields of the referral packet: " + ", ".join(unknown))
    granted = str(data.get("granted", "true")).lower() not in ("false", "0", "no", "refused")
    if step in rules.PACKET_STEPS and granted and not fields:
        errors.add("fields", "tick each field of the referral packet the person agrees to send")
    if step not in rules.PACKET_STEPS and fields:
        errors.add("fields", "packet fields belong to a request for assistance or for (re)integration support")
    method = str(data.get("method") or "")
    if method not in consent.METHODS:
        errors.add("method", "oral or written")
    language = text_field(errors, data, "language", limit=40)
    interpreter = text_field(errors, data, "interpreter", required=False, limit=120)
    errors.raise_if_any()
    with transaction.atomic():
        record = StepConsent.objects.create(**_base(actor, person), step=step, granted=granted,
                                            fields=[f for f in rules.PACKET_FIELDS if f in fields and granted],
                                            method=method, language=language, interpreter=interpreter)
        audit.record(actor, "trm_consent", record, purpose="consent",
                     details={"step": step, "granted": granted, "fields": record.fields})
    return record


def withdraw_step_consent(actor, record: StepConsent) -> StepConsent:
    _require_actor(actor, record.person, "withdraw consent")
    if not record.granted or record.withdrawn_at is not None:
        raise FieldErrors({"consent": ["only a consent that is still in force can be withdrawn"]})
    with transaction.atomic():
        record.withdrawn_at = timezone.now()
        record.save(update_fields=["withdrawn_at"])
        audit.record(actor, "trm_consent_withdrawn", record, purpose="consent", details={"step": record.step})
    return record


def record_identity_notice(actor, person, data: dict) -> IdentityNotice:
    _require_actor(actor, person, "record information given to the person")
    errors = ErrorCollector()
    language = text_field(errors, data, "language", limit=40)
    explained = text_field(errors, data, "explained")
    errors.raise_if_any()
    with transaction.atomic():
        notice = IdentityNotice.objects.create(**_base(actor, person), informed_at=timezone.now(), language=language,
                                               explained=explained)
        audit.record(actor, "trm_identity_notice", notice, purpose="transnational referral")
    return notice


def record_risk_assessment(actor, person, data: dict) -> RiskAssessment:
    _require_actor(actor, person, "record a security and risk assessment")
    errors = ErrorCollector()
    completed_on = date_field(errors, data, "completed_on", required=False)
    if completed_on and completed_on > timezone.localdate():
        errors.add("completed_on", "cannot be in the future")
    summary = text_field(errors, data, "summary")
    errors.raise_if_any()
    with transaction.atomic():
        record = RiskAssessment.objects.create(
            **_base(actor, person), completed_on=completed_on, return_safe=flag_field(data, "return_safe"),
            origin_contact_endangers=not flag_field(data, "origin_contact_safe"), summary=summary)
        audit.record(actor, "trm_risk_assessment", record, purpose="security and risk assessment",
                     details={"completed": completed_on is not None, "return_safe": record.return_safe,
                              "origin_contact_endangers": record.origin_contact_endangers})
    return record


def _step_consents(person) -> list[rules.StepConsent]:
    return [c.as_rule() for c in StepConsent.objects.filter(person=person)]


def latest_risk(person) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(person=person).order_by("-recorded_at", "-pk").first()


def _refuse(actor, person, action: str, field: str, problems: list[str], details: dict | None = None) -> None:
    """A safeguard said no: the refusal is audited (nothing else written) and shown field by field."""
    if problems:
        audit.record(actor, action, person, purpose="transnational referral safeguards",
                     details={"problems": problems, **(details or {})})
        raise FieldErrors({field: problems})


def contact_origin(actor, person, data: dict) -> OriginContact:
    """Contact with the origin country's authorities or consulate: only with consent and where safe."""
    _require_actor(actor, person, "contact the country of origin")
    errors = ErrorCollector()
    authority = str(data.get("authority") or "")
    if authority not in dict(OriginContact.AUTHORITIES):
        errors.add("authority", "choose the authorities or the consulate")
    purpose = text_field(errors, data, "purpose")
    errors.raise_if_any()
    now = timezone.now()
    risk = latest_risk(person)
    problems = rules.origin_contact_problems(rules.consent_for(_step_consents(person), rules.ORIGIN_CONTACT, now),
                                             risk.as_rule() if risk else None, now)
    notice_problem = _identity_notice_problem(person, now)
    if notice_problem:
        problems.append(notice_problem)
    _refuse(actor, person, "trm_origin_contact_refused", "safeguards", problems, {"authority": authority})
    with transaction.atomic():
        record = OriginContact.objects.create(**_base(actor, person), authority=authority, purpose=purpose)
        audit.record(actor, "trm_origin_contact", record, purpose=purpose[:200], details={"authority": authority})
    return record


def start_family_tracing(actor, person, data: dict) -> FamilyTracing:
    _require_actor(actor, person, "start family tracing")
    now = timezone.now()
    problems = rules.family_tracing_problems(
        person_wishes=flag_field(data, "person_wishes"), asylum_seeker=flag_field(data, "asylum_seeker"),
        consent=rules.consent_for(_step_consents(person), rules.FAMILY_TRACING, now), at=now,
        security_assessment_started=latest_risk(person) is not None)
    _refuse(actor, person, "trm_family_tracing_refused", "safeguards", problems)
    with transaction.atomic():
        record = FamilyTracing.objects.create(**_base(actor, person), note=str(data.get("note") or "").strip())
        audit.record(actor, "trm_family_tracing", record, purpose="family tracing at the person's wish")
    return record


def return_problems(person) -> list[str]:
    """Before a return: a completed risk assessment that found it safe; for a child also a guardian and a
    best-interests determination in favour of return (protection's child safeguards)."""
    risk = latest_risk(person)
    problems = rules.return_risk_problems(risk.as_rule() if risk else None)
    age, guardian_on, assessment = protection.child_safeguard_state(person)
    problems += [s.explanation for s in children.outstanding_child_safeguards(
        age, guardian_appointed_on=guardian_on, assessment=assessment, return_proposed=True)]
    return problems


def first_transnational_step_at(person) -> datetime | None:
    first = [d for d in (OriginContact.objects.filter(person=person).order_by("recorded_at").values_list(
        "recorded_at", flat=True).first(), TransnationalReferral.objects.filter(person=person).order_by(
        "sent_at").values_list("sent_at", flat=True).first()) if d]
    return min(first, default=None)


def _identity_notice_problem(person, now: datetime) -> str | None:
    """The notice must predate the person's first transnational step (contact abroad or referral)."""
    notice = IdentityNotice.objects.filter(person=person).order_by("informed_at").first()
    return rules.identity_notice_problem(notice.informed_at if notice else None,
                                         first_transnational_step_at(person) or now)


# --- referrals between countries ---------------------------------------------------------------------------

def _reference(now: datetime) -> str:
    return f"TRM-{now:%Y%m%d}-{secrets.token_hex(3).upper()}"


def send_referral(actor, person, data: dict) -> TransnationalReferral:
    """Send a request for assistance or for (re)integration support with only the consented packet fields.

    `data`: kind, partner, partner_agency, packet {field: text}, involves_return, voluntary (a return
    through the TRM is the person's choice; anything else is a removal and meets protection's guard)."""
    _require_actor(actor, person, "send a transnational referral")
    now = timezone.now()
    errors = ErrorCollector()
    check_governance(errors, actor, SENSITIVITY, None)
    kind = str(data.get("kind") or "")
    partner = Partner.objects.filter(instance_id=str(data.get("partner") or "")).first()
    if partner is None:
        errors.add("partner", "choose the receiving country's instance")
    elif partner.status != Partner.ACTIVE:
        errors.add("partner", "exchanges with this partner are suspended")
    elif kind in KIND_TYPES and KIND_TYPES[kind] not in partner.allowed_message_types:
        errors.add("partner", "TRM referrals of this kind are not agreed with this partner")
    agency = next((a for a in (partner.agencies if partner else []) if a.get("code") == data.get("partner_agency")),
                  None)
    if partner is not None and agency is None:
        errors.add("partner_agency", "choose the receiving organisation among the partner's agencies")
    packet = {str(k): str(v or "").strip() for k, v in (data.get("packet") or {}).items()}
    for field, message in rules.packet_problems(packet, _step_consents(person), kind, now):
        errors.add(field, message)
    abroad = consent.consent_allows(protection.consent_records(person), "sharing_abroad", now)
    if not abroad.allowed:
        errors.add("consent", abroad.explanation)
    problem = _identity_notice_problem(person, now)
    if problem:
        errors.add("identity_notice", problem)
    involves_return = kind == rules.REINTEGRATION_REQUEST or flag_field(data, "involves_return")
    if involves_return:
        for message in return_problems(person):
            errors.add("return", message)
    errors.raise_if_any()
    if involves_return and not flag_field(data, "voluntary"):
        attempt = protection.attempt_measure(actor, person, {
            "measure": "removal", "details": f"return requested through a TRM referral to {partner.country}"})
        if not attempt.allowed:
            raise FieldErrors({"voluntary": [attempt.decision]})
    filled = {f: v for f, v in packet.items() if v}
    with transaction.atomic():
        referral = TransnationalReferral.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=SENSITIVITY, created_by=actor, reference=_reference(now),
            kind=kind, direction=TransnationalReferral.OUTGOING, partner=partner, partner_agency=agency["code"],
            partner_agency_name=agency.get("name", agency["code"]), person=person, person_pseudonym=person.pseudonym,
            packet_text=json.dumps(filled), fields_sent=[f for f in rules.PACKET_FIELDS if f in filled],
            involves_return=involves_return, status=rules.SENT, conversation="", sent_at=now)
        message = outbox.send(actor, partner, KIND_TYPES[kind], {
            "reference": referral.reference, "addressee_agency": agency["code"],
            "referring_agency": {"code": actor.agency.code, "name": actor.agency.name,
                                 "contact_point": actor.agency.contact_point},
            "person_pseudonym": person.pseudonym, "packet": filled, "involves_return": involves_return},
            purpose=rules.STEPS[kind], handling_code=SENSITIVITY,
            use_restrictions=["Victim assistance only; no onward sharing without the person's consent"])
        referral.conversation = message.conversation
        referral.history = [{"status": rules.SENT, "by": actor.username, "at": now.isoformat(timespec="seconds"),
                             "message_id": message.message_id}]
        referral.save(update_fields=["conversation", "history"])
        audit.record(actor, "trm_referral_sent", referral, purpose=rules.STEPS[kind],
                     details={"partner": partner.instance_id, "agency": agency["code"],
                              "fields": referral.fields_sent, "message_id": message.message_id})
    return referral


def decide_referral(actor, referral: TransnationalReferral, decision: str, reason: str = "") -> TransnationalReferral:
    """The receiving country decides eligibility: confirm, or refuse with a reason."""
    if not actor.has_role(*TRM_ROLES) or referral.owner_agency_id != actor.agency_id:
        raise NotPermitted("only the addressed organisation decides on a referral")
    errors = ErrorCollector()
    reason = (reason or "").strip()
    if referral.direction != TransnationalReferral.INCOMING:
        errors.add("status", "the receiving country decides on a referral, not the referring one")
    elif referral.status != rules.SENT:
        errors.add("status", "this referral has already been decided")
    elif decision not in rules.KIND_ANSWERS[referral.kind]:
        errors.add("status", "a request for (re)integration support is confirmed" if referral.kind ==
                   rules.REINTEGRATION_REQUEST else "confirm or refuse")
    if decision == rules.REFUSED and not reason:
        errors.add("reason", "say why the person cannot be assisted, so the referring country can look elsewhere")
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        message = outbox.send(actor, referral.partner, ANSWER_TYPE, {
            "reference": referral.reference, "status": decision, "reason": reason,
            "contact_point": actor.agency.contact_point}, purpose=f"answer to referral {referral.reference}",
            conversation=referral.conversation, handling_code=SENSITIVITY)
        referral.status, referral.decision_reason, referral.decided_at = decision, reason, now
        referral.history = [*referral.history, {"status": decision, "by": actor.username,
                                                "at": now.isoformat(timespec="seconds"),
                                                "message_id": message.message_id}]
        referral.save(update_fields=["status", "decision_reason", "decided_at", "history", "updated_at"])
        audit.record(actor, "trm_referral_decided", referral, purpose="eligibility for assistance",
                     details={"status": decision, "message_id": message.message_id})
    return referral


# --- received from partners (called by the federation inbox inside its transaction) --------------------

def receive_request(envelope, partner: Partner) -> TransnationalReferral:
    body = envelope.body
    agency = Agency.objects.filter(code=body.get("addressee_agency", "")).first()
    packet = body.get("packet")
    referring = body.get("referring_agency") or {}
    problems = []
    if agency is None:
        problems.append("no such receiving organisation at this instance")
    if not isinstance(packet, dict) or not packet:
        problems.append("the packet is empty")
    elif [f for f in packet if f not in rules.PACKET_FIELDS] or not all(isinstance(v, str) for v in packet.values()):
        problems.append("the packet has fields that are not TRM packet fields")
    if not (isinstance(body.get("reference"), str) and body["reference"].strip()):
        problems.append("reference is required")
    if problems:
        raise Rejection("invalid_referral", "; ".join(problems), message_id=envelope.id, sender=envelope.sender)
    referral = TransnationalReferral.objects.create(
        owner_agency=agency, sensitivity=SENSITIVITY, reference=body["reference"][:40],
        kind=TYPE_KINDS[envelope.type], direction=TransnationalReferral.INCOMING, partner=partner,
        partner_agency=str(referring.get("code", ""))[:40], partner_agency_name=str(referring.get("name", ""))[:200],
        person_pseudonym=str(body.get("person_pseudonym", ""))[:80], packet_text=json.dumps(packet),
        fields_sent=[f for f in rules.PACKET_FIELDS if f in packet], involves_return=bool(body.get("involves_return")),
        status=rules.SENT, conversation=envelope.conversation, sent_at=envelope.created_at(),
        history=[{"status": rules.SENT, "by": partner.instance_id, "at": timezone.now().isoformat(timespec="seconds"),
                  "message_id": envelope.id}])
    audit.record(None, "trm_referral_received", referral, purpose=envelope.purpose,
                 details={"partner": partner.instance_id, "fields": referral.fields_sent, "message_id": envelope.id})
    return referral


def receive_answer(envelope, partner: Partner) -> TransnationalReferral:
    body = envelope.body
    referral = TransnationalReferral.objects.filter(partner=partner, direction=TransnationalReferral.OUTGOING,
                                                    reference=body.get("reference", "")).first()
    if referral is None:
        raise Rejection("unknown_referral", "no referral with this reference between us", message_id=envelope.id,
                        sender=envelope.sender)
    status, reason = body.get("status"), str(body.get("reason") or "").strip()
    if referral.status != rules.SENT or status not in rules.KIND_ANSWERS[referral.kind] or (
            status == rules.REFUSED and not reason):
        raise Rejection("invalid_status", "this referral cannot take that answer", message_id=envelope.id,
                        sender=envelope.sender)
    referral.status, referral.decision_reason, referral.decided_at = status, reason, timezone.now()
    referral.history = [*referral.history, {"status": status, "by": partner.instance_id,
                                            "at": timezone.now().isoformat(timespec="seconds"),
                                            "message_id": envelope.id}]
    referral.save(update_fields=["status", "decision_reason", "decided_at", "history", "updated_at"])
    audit.record(None, "trm_referral_answered", referral, purpose="eligibility for assistance",
                 details={"status": status, "partner": partner.instance_id, "message_id": envelope.id})
    return referral
