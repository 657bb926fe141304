"""Writes of cooperation requests: sending, answering, withdrawing, reminding — each change and the
message that carries it to the partner are one transaction (the federation outbox)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from palermo.accounts.models import Agency
from palermo.audit import services as audit
from palermo.cooperation import rules
from palermo.cooperation.models import CooperationRequest, RequestEvent
from palermo.cooperation.selectors import requests
from palermo.core import selectors as core_selectors
from palermo.core.rules import ErrorCollector
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted, check_governance
from palermo.federation import outbox
from palermo.federation.envelope import Rejection
from palermo.federation.models import Partner

REQUEST_TYPE, UPDATE_TYPE, REMINDER_TYPE = "cooperation.request", "cooperation.update", "cooperation.reminder"
SENDING_ROLES = frozenset().union(*(k.roles for k in rules.kinds().values()))


def _reference(now: datetime) -> str:
    return f"REQ-{now:%Y%m%d}-{secrets.token_hex(3).upper()}"


def send_request(actor, data: dict) -> CooperationRequest:
    """Send a request to an agency of a partner instance. `data`: partner, partner_agency, kind, subject,
    details, and optionally deadline (datetime), case (id), person (id), sensitivity."""
    if not actor.has_role(*SENDING_ROLES):
        raise NotPermitted("your role does not send requests abroad")
    now = timezone.now()
    errors = ErrorCollector()
    kind = rules.kinds().get(data.get("kind") or "")
    if kind is None:
        errors.add("kind", "choose the kind of request")
    elif not actor.has_role(*kind.roles):
        errors.add("kind", f"your role does not send a {kind.label.lower()}")
    partner = Partner.objects.filter(instance_id=data.get("partner") or "").first()
    if partner is None:
        errors.add("partner", "choose a partner country's instance")
    elif partner.status != Partner.ACTIVE:
        errors.add("partner", "exchanges with this partner are suspended")
    elif REQUEST_TYPE not in partner.allowed_message_types:
        errors.add("partner", "requests are not agreed with this partner")
    agency = next((a for a in (partner.agencies if partner else []) if a.get("code") == data.get("partner_agency")),
                  None)
    if partner is not None and agency is None:
        errors.add("partner_agency", "choose one of the partner's agencies")
    subject, details = (data.get("subject") or "").strip(), (data.get("details") or "").strip()
    if not subject:
        errors.add("subject", "required")
    elif len(subject) > 200:
        errors.add("subject", "at most 200 characters")
    if not details:
        errors.add("details", "say what you ask and why")
    deadline = data.get("deadline")
    if kind is not None:
        for field, message in rules.deadline_problems(kind, now, deadline):
            errors.add(field, message)
    sensitivity = data.get("sensitivity") or "normal"
    check_governance(errors, actor, sensitivity, None)
    case = person = None
    try:
        case = core_selectors.case_detail(actor, data["case"]) if data.get("case") else None
    except NotVisible:
        errors.add("case", "no such case")
    try:
        person = core_selectors.person_detail(actor, data["person"]) if data.get("person") else None
    except NotVisible:
        errors.add("person", "no such person")
    errors.raise_if_any()
    deadline = deadline or now + kind.deadline
    with transaction.atomic():
        request = CooperationRequest.objects.create(
            owner_agency=actor.agency, sensitivity=sensitivity, created_by=actor, reference=_reference(now),
            kind=kind.code, direction=rules.OUTGOING, partner=partner, partner_agency=agency["code"],
            partner_agency_name=agency.get("name", agency["code"]), partner_contact_point=partner.contact_point,
            subject=subject, details=details, person_pseudonym=person.pseudonym if person else "", case=case,
            sent_at=now, deadline=deadline, status=rules.SENT, conversation="")
        message = outbox.send(actor, partner, REQUEST_TYPE, {
            "reference": request.reference, "kind": kind.code, "addressee_agency": agency["code"],
            "requester_agency": {"code": actor.agency.code, "name": actor.agency.name,
                                 "contact_point": actor.agency.contact_point},
            "subject": subject, "details": details, "person_pseudonym": request.person_pseudonym,
            "deadline": deadline.isoformat()}, purpose=f"{kind.label}: {subject}", handling_code=sensitivity)
        request.conversation = message.conversation
        request.save(update_fields=["conversation"])
        RequestEvent.objects.create(request=request, status=rules.SENT, what="sent", by_user=actor,
                                    message_id=message.message_id)
        audit.record(actor, "cooperation_send", request, details={"kind": kind.code, "partner": partner.instance_id,
                                                                    "agency": agency["code"],
                                                                    "message_id": message.message_id})
    return request


def change_status(actor, pk, new_status: str, note: str = "") -> CooperationRequest:
    """The addressee acknowledges, works on, executes or refuses; the requester may withdraw."""
    try:
        request = requests(actor).get(pk=int(pk))
    except (CooperationRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such request") from exc
    if not actor.has_role(*SENDING_ROLES):
        raise NotPermitted("your role does not answer requests from abroad")
    errors = ErrorCollector()
    for field, message in rules.move_problems(request.direction, request.status, new_status, note):
        errors.add(field, message)
    errors.raise_if_any()
    with transaction.atomic():
        previous, request.status = request.status, new_status
        request.save(update_fields=["status", "updated_at"])
        message = outbox.send(actor, request.partner, UPDATE_TYPE, {
            "reference": request.reference, "status": new_status, "note": note.strip(),
            "from": "addressee" if request.direction == rules.INCOMING else "requester",
            "contact_point": actor.agency.contact_point}, purpose=f"answer to request {request.reference}",
            conversation=request.conversation, handling_code=request.sensitivity)
        RequestEvent.objects.create(request=request, status=new_status, what="status", note=note.strip(),
                                    by_user=actor, message_id=message.message_id)
        audit.record(actor, "cooperation_status", request, details={"from": previous, "to": new_status,
                                                                      "message_id": message.message_id})
    return request


def remind_overdue(now: datetime | None = None) -> int:
    """Remind partners of overdue requests we sent (idempotent: at most once per the kind's interval)."""
    now = now or timezone.now()
    sent = 0
    candidates = CooperationRequest.objects.filter(direction=rules.OUTGOING, deadline__lt=now).exclude(
        status__in=rules.CLOSED).select_related("partner")
    for request in candidates:
        kind = rules.kinds()[request.kind]
        if request.partner.status != Partner.ACTIVE or not rules.reminder_due(
                kind, request.status, request.deadline, request.last_reminder_at, now):
            continue
        with transaction.atomic():
            message = outbox.send(None, request.partner, REMINDER_TYPE, {
                "reference": request.reference, "deadline": request.deadline.isoformat(),
                "reminder": request.reminders + 1}, purpose=f"reminder of request {request.reference}",
                conversation=request.conversation, handling_code=request.sensitivity)
            request.reminders, request.last_reminder_at = request.reminders + 1, now
            request.save(update_fields=["reminders", "last_reminder_at"])
            RequestEvent.objects.create(request=request, what="reminder_sent", message_id=message.message_id)
        sent += 1
    return sent


# --- received from partners (called by the federation inbox inside its transaction) ---------------------------

def receive_request(envelope, partner: Partner) -> CooperationRequest:
    body = envelope.body
    kind = rules.kinds().get(body.get("kind", ""))
    agency = Agency.objects.filter(code=body.get("addressee_agency", "")).first()
    requester = body.get("requester_agency") or {}
    problems = []
    if kind is None:
        problems.append("unknown kind of request")
    if agency is None:
        problems.append("no such agency at this instance")
    if not all(isinstance(body.get(f), str) and body.get(f).strip() for f in ("reference", "subject", "details")):
        problems.append("reference, subject and details are required")
    try:
        deadline = datetime.fromisoformat(body.get("deadline", ""))
    except (TypeError, ValueError):
        problems.append("deadline is not an ISO 8601 time")
    if problems:
        raise Rejection("invalid_request", "; ".join(problems), message_id=envelope.id, sender=envelope.sender)
    request = CooperationRequest.objects.create(
        owner_agency=agency, sensitivity=envelope.handling_code if envelope.handling_code in ("normal", "restricted")
        else "restricted", reference=body["reference"][:40], kind=kind.code, direction=rules.INCOMING,
        partner=partner, partner_agency=str(requester.get("code", ""))[:40],
        partner_agency_name=str(requester.get("name", ""))[:200],
        partner_contact_point=str(requester.get("contact_point", ""))[:200], subject=body["subject"][:200],
        details=body["details"], person_pseudonym=str(body.get("person_pseudonym", ""))[:80],
        sent_at=envelope.created_at(), deadline=deadline, status=rules.SENT, conversation=envelope.conversation)
    RequestEvent.objects.create(request=request, status=rules.SENT, what="received", by_partner=partner.instance_id,
                                message_id=envelope.id)
    return request


def _own_request(envelope, partner: Partner, direction: str) -> CooperationRequest:
    found = CooperationRequest.objects.filter(partner=partner, direction=direction,
                                              reference=envelope.body.get("reference", "")).first()
    if found is None:
        raise Rejection("unknown_request", "no request with this reference between us", message_id=envelope.id,
                        sender=envelope.sender)
    return found


def receive_update(envelope, partner: Partner) -> CooperationRequest:
    body = envelope.body
    side = rules.OUTGOING if body.get("from") == "addressee" else rules.INCOMING
    request = _own_request(envelope, partner, side)
    their_direction = rules.INCOMING if side == rules.OUTGOING else rules.OUTGOING
    problems = rules.move_problems(their_direction, request.status, body.get("status", ""), body.get("note", ""))
    if problems:
        raise Rejection("invalid_status", "; ".join(m for _, m in problems), message_id=envelope.id,
                        sender=envelope.sender)
    request.status = body["status"]
    if body.get("contact_point") and side == rules.OUTGOING:
        request.partner_contact_point = str(body["contact_point"])[:200]
    request.save(update_fields=["status", "partner_contact_point", "updated_at"])
    RequestEvent.objects.create(request=request, status=request.status, what="status", note=body.get("note", ""),
                                by_partner=partner.instance_id, message_id=envelope.id)
    return request


def receive_reminder(envelope, partner: Partner) -> CooperationRequest:
    request = _own_request(envelope, partner, rules.INCOMING)
    request.reminders += 1
    request.last_reminder_at = timezone.now()
    request.save(update_fields=["reminders", "last_reminder_at"])
    RequestEvent.objects.create(request=request, what="reminder_received", by_partner=partner.instance_id,
                                message_id=envelope.id)
    return request
