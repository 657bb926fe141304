"""Writes of the protection app. Each validates first (FieldErrors, field by field, nothing changed), then
writes and audits in one transaction. The judgements themselves come from palermo.protection.domain."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.audit import services as audit
from palermo.core import visibility as V
from palermo.core.rules import ErrorCollector, FieldErrors, age_range, date_field, flag_field, text_field
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.protection import vocabulary
from palermo.protection.domain import catalogue, children, consent, non_punishment, reflection
from palermo.protection.domain.authorisation import authorised_roles
from palermo.protection.domain.decision import decide_trafficking_status
from palermo.protection.domain.errors import ProtectionDomainError
from palermo.protection.domain.palermo_test import vocabulary as element_vocabulary
from palermo.protection.domain.screening import screen
from palermo.protection.models import (
    CaseManagerAssignment,
    ChildSafeguards,
    ConsentRecord,
    IdentificationDecision,
    InterviewPlan,
    MeasureAttempt,
    NeedsAssessment,
    PalermoFinding,
    Referral,
    ReflectionPeriod,
    RightsInformation,
    Screening,
    ServiceProvider,
    SupportPlan,
)

PROTECTION_ROLES = frozenset({R.CASE_MANAGER, R.INVESTIGATOR, R.PROSECUTOR, R.SUPERVISOR, R.NATIONAL_COORDINATOR})
SCREENING_TO_STATUS = {"presumed_victim": "presumed", "possible_victim": "possible", "insufficient_indicators": "pending"}
FINAL_TO_STATUS = {"identified_victim": "identified", "not_a_victim": "not_a_victim"}


def _require_actor(actor, person, action: str) -> None:
    """The actor needs a protection role and must see the person (absent and invisible look the same)."""
    if not (actor.is_authenticated and actor.agency_id and actor.has_role(*PROTECTION_ROLES)):
        raise NotPermitted(f"your role does not allow you to {action}")
    if not V.can_see(actor, person):
        raise NotVisible("no such person")


def _require_recording_agency(actor, record, action: str) -> None:
    if record.owner_agency_id != actor.agency_id:
        raise NotPermitted(f"only the agency that recorded it may {action}")


def role_for(actor, power: str) -> str | None:
    """The actor's role that holds `power`, or their first role (so the refusal can name it)."""
    held = [role for role in actor.roles if role in authorised_roles(power)]
    return held[0] if held else (actor.roles[0] if actor.roles else None)


def _base(actor, person) -> dict:
    return {"person": person, "owner_agency_id": actor.agency_id, "recorded_by": actor}


# --- age and status -------------------------------------------------------------------------------

def _latest(model, person):
    return model.objects.filter(person=person).order_by("-recorded_at", "-pk").first()


def age_inputs(person) -> tuple[float | None, bool]:
    """(age, uncertain): an assessed age wins, then the latest screening's age, then the date of birth."""
    assessment = ChildSafeguards.objects.filter(person=person, age_assessed_on__isnull=False).order_by("-pk").first()
    if assessment is not None and assessment.assessed_age is not None:
        return assessment.assessed_age, False
    latest = _latest(Screening, person)
    if latest is not None:
        return latest.age, latest.age_uncertain
    return recorded_age(person)


def age_status_of(person) -> children.AgeStatus:
    """Unknown or uncertain (and not yet assessed) age means a presumed child."""
    age, uncertain = age_inputs(person)
    return children.age_status(age, uncertain=uncertain)


def recorded_age(person) -> tuple[float | None, bool]:
    """(age, uncertain) from the person's date of birth: the youngest possible age; an estimate is uncertain."""
    dob = person.date_of_birth or None
    ages = age_range(dob, timezone.localdate())
    if ages is None:
        return None, True
    return max(ages[0], 0), dob["precision"] == "estimate"


def identification_status(person) -> str:
    """The status the non-punishment guard works on: a final decision, else the latest screening, else pending."""
    decision = _latest(IdentificationDecision, person)
    if decision is not None:
        return FINAL_TO_STATUS[decision.status]
    latest = _latest(Screening, person)
    return SCREENING_TO_STATUS[latest.outcome] if latest is not None else "pending"


# --- screening and decisions ------------------------------------------------------------------------

def _parse_age(errors: ErrorCollector, raw) -> float | None:
    if raw in (None, ""):
        return None
    try:
        age = float(raw)
    except (TypeError, ValueError):
        errors.add("age", "a number of years, or empty when unknown")
        return None
    if not 0 <= age < 130:
        errors.add("age", "between 0 and 129 years")
    return age


def screen_person(actor, person, data: dict) -> Screening:
    """Screen with the ILO/EC indicators; an age assessment on file replaces the age given."""
    _require_actor(actor, person, "screen a person")
    errors = ErrorCollector()
    exploitation = str(data.get("exploitation") or "")
    if exploitation not in catalogue.EXPLOITATIONS:
        errors.add("exploitation", f"choose one of {', '.join(catalogue.EXPLOITATIONS)}")
    age = _parse_age(errors, data.get("age"))
    uncertain = flag_field(data, "age_uncertain")
    codes = data.get("indicators") or []
    if isinstance(codes, str):
        codes = [codes]
    assessed = ChildSafeguards.objects.filter(person=person, age_assessed_on__isnull=False,
                                              assessed_age__isnull=False).order_by("-pk").first()
    if assessed is not None:
        age, uncertain = assessed.assessed_age, False
    errors.raise_if_any()
    try:
        result = screen(codes, age=age, exploitation=exploitation, age_uncertain=uncertain)
    except ProtectionDomainError as exc:
        field = "exploitation" if "list is not in the catalogue" in str(exc) else "indicators"
        raise FieldErrors({field: [str(exc)]}) from exc
    dimensions = [{"name": d.name, "label": d.label, "positive": d.positive,
                   "indicators": [{"code": i.code, "strength": i.strength, "wording": i.wording} for i in d.indicators]}
                  for d in result.dimensions]
    with transaction.atomic():
        record = Screening.objects.create(
            **_base(actor, person), exploitation=exploitation, age=age, age_uncertain=uncertain,
            treated_as_child=result.age.is_child, indicator_list=result.list_key,
            indicator_codes=sorted({i["code"] for d in dimensions for i in d["indicators"]}),
            dimensions=dimensions, outcome=result.outcome, explanation=result.explanation)
        audit.record(actor, "screen", record, purpose="victim identification",
                     details={"outcome": result.outcome, "indicators": len(record.indicator_codes)})
    return record


def record_finding(actor, person, data: dict) -> PalermoFinding:
    """One fact for the Palermo test, checked against the element's vocabulary."""
    _require_actor(actor, person, "record Palermo test findings")
    errors = ErrorCollector()
    element = str(data.get("element") or "")
    if element not in ("act", "means", "purpose"):
        errors.add("element", "choose act, means or purpose")
    elif str(data.get("code") or "") not in element_vocabulary(element):
        errors.add("code", f"choose one of {', '.join(element_vocabulary(element))}")
    facts = text_field(errors, data, "facts")
    sources = data.get("sources") or []
    if isinstance(sources, str):
        sources = [s.strip() for s in sources.split(";") if s.strip()]
    if not sources:
        errors.add("sources", "name at least one source (interview, document, report); separate several with ;")
    errors.raise_if_any()
    with transaction.atomic():
        finding = PalermoFinding.objects.create(**_base(actor, person), element=element, code=data["code"],
                                                facts=facts, sources=sources)
        audit.record(actor, "record_finding", finding, purpose="victim identification",
                     details={"element": element, "code": data["code"]})
    return finding


def decide(actor, person, data: dict) -> IdentificationDecision:
    """The final decision; only an authorised role, with a written reason."""
    _require_actor(actor, person, "record an identification decision")
    try:
        result = decide_trafficking_status(status=str(data.get("status") or ""),
                                           role=role_for(actor, "final_decision"),
                                           organisation_kind=str(data.get("organisation_kind") or ""),
                                           reason=str(data.get("reason") or ""))
    except ProtectionDomainError as exc:
        message = str(exc)
        field = ("reason" if "reason" in message else "organisation_kind" if "organisation kind" in message
                 else "status" if "final status" in message else "role")
        raise FieldErrors({field: [message]}) from exc
    with transaction.atomic():
        decision = IdentificationDecision.objects.create(
            **_base(actor, person), status=result.status, htcds_status=result.htcds_status,
            decided_by_role=result.decided_by_role, organisation_kind=result.organisation_kind,
            reason=result.reason, explanation=result.explanation)
        audit.record(actor, "identification_decision", decision, purpose="victim identification",
                     details={"status": result.status, "organisation_kind": result.organisation_kind})
    return decision


# --- needs first, interview planning -----------------------------------------------------------------

def assess_needs(actor, person, data: dict) -> NeedsAssessment:
    _require_actor(actor, person, "record a needs assessment")
    errors = ErrorCollector()
    texts = {f: text_field(errors, data, f, required=False) for f in
             ("medical_needs", "food_needs", "shelter_needs", "safety_needs", "psychosocial_needs")}
    if not any(texts.values()):
        errors.add("medical_needs", "record the needs found (write 'none found' where there are none)")
    errors.raise_if_any()
    with transaction.atomic():
        needs = NeedsAssessment.objects.create(**_base(actor, person), **texts,
                                               medical_addressed=flag_field(data, "medical_addressed"),
                                               basic_needs_addressed=flag_field(data, "basic_needs_addressed"))
        audit.record(actor, "needs_assessment", needs, purpose="assistance")
    return needs


def plan_interview(actor, person, data: dict) -> InterviewPlan:
    """Only after the needs assessment, with two interviewers, a vetted interpreter and a risk assessment."""
    _require_actor(actor, person, "plan an interview")
    errors = ErrorCollector()
    needs = _latest(NeedsAssessment, person)
    if needs is None:
        errors.add("needs", "record the needs assessment (medical, then food, shelter and safety) before the interview")
    elif needs.medical_needs and not needs.medical_addressed:
        errors.add("needs", "immediate medical needs are recorded but not yet addressed")
    gender = str(data.get("interviewer_gender") or "")
    if gender not in vocabulary.labels("interviewer_genders"):
        errors.add("interviewer_gender", "ask the person which interviewer they prefer")
    first, second = text_field(errors, data, "first_interviewer", limit=120), text_field(errors, data, "second_interviewer", limit=120)
    if first and second and first.casefold() == second.casefold():
        errors.add("second_interviewer", "two different interviewers are required")
    interpreter = text_field(errors, data, "interpreter", required=False, limit=120)
    language = text_field(errors, data, "interpreter_language", required=bool(interpreter), limit=40)
    vetted = flag_field(data, "interpreter_vetted")
    if interpreter and not vetted:
        errors.add("interpreter_vetted", "only a vetted interpreter may be used")
    incidents = text_field(errors, data, "interpreter_incidents", required=False)
    risk = text_field(errors, data, "risk_assessment")
    planned_for = data.get("planned_for")
    if not isinstance(planned_for, datetime):
        try:
            planned_for = datetime.fromisoformat(str(planned_for or ""))
        except ValueError:
            errors.add("planned_for", "date and time of the interview (YYYY-MM-DDTHH:MM)")
    errors.raise_if_any()
    if timezone.is_naive(planned_for):
        planned_for = timezone.make_aware(planned_for)
    with transaction.atomic():
        plan = InterviewPlan.objects.create(
            **_base(actor, person), needs_assessment=needs, interviewer_gender=gender, first_interviewer=first,
            second_interviewer=second, interpreter=interpreter, interpreter_language=language,
            interpreter_vetted=vetted, interpreter_incidents=incidents,
            risk_assessment=risk, planned_for=planned_for)
        audit.record(actor, "plan_interview", plan, purpose="victim identification")
    return plan


# --- reflection period -------------------------------------------------------------------------------

def start_reflection_period(actor, person, data: dict) -> ReflectionPeriod:
    """Timers never take cooperation with the prosecution as an input."""
    _require_actor(actor, person, "start a reflection period")
    errors = ErrorCollector()
    code = str(data.get("rule_code") or "")
    if code not in reflection.rules():
        errors.add("rule_code", f"choose one of {', '.join(reflection.rules())}")
    starts_on = date_field(errors, data, "starts_on")
    errors.raise_if_any()
    period = reflection.start_period(code, starts_on)
    with transaction.atomic():
        record = ReflectionPeriod.objects.create(
            **_base(actor, person), rule_code=code, starts_on=starts_on, last_day=period.last_day,
            reminders=[d.isoformat() for d in reflection.reminder_dates(period)])
        audit.record(actor, "start_reflection_period", record, purpose="assistance",
                     details={"rule": code, "last_day": period.last_day.isoformat()})
    return record


def as_period(record: ReflectionPeriod) -> reflection.ReflectionPeriod:
    return reflection.ReflectionPeriod(reflection.rule(record.rule_code), record.starts_on, record.last_day,
                                       record.renewals)


def renew_reflection_period(actor, record: ReflectionPeriod, data: dict) -> ReflectionPeriod:
    _require_actor(actor, record.person, "renew a reflection period")
    _require_recording_agency(actor, record, "renew this period")
    errors = ErrorCollector()
    until = date_field(errors, data, "until", required=False)
    errors.raise_if_any()
    try:
        renewed = reflection.renew(as_period(record), until=until)
    except ProtectionDomainError as exc:
        raise FieldErrors({"until": [str(exc)]}) from exc
    with transaction.atomic():
        record.last_day, record.renewals = renewed.last_day, renewed.renewals
        record.reminders = [d.isoformat() for d in reflection.reminder_dates(renewed)]
        record.save(update_fields=["last_day", "renewals", "reminders"])
        audit.record(actor, "renew_reflection_period", record, purpose="assistance",
                     details={"last_day": renewed.last_day.isoformat(), "renewals": renewed.renewals})
    return record


# --- consent ----------------------------------------------------------------------------------------

def record_consent(actor, person, data: dict) -> ConsentRecord:
    _require_actor(actor, person, "record consent")
    errors = ErrorCollector()
    purpose = str(data.get("purpose") or "")
    if purpose not in consent.PURPOSES:
        errors.add("purpose", f"choose one of {', '.join(consent.PURPOSES)}")
    method = str(data.get("method") or "")
    if method not in consent.METHODS:
        errors.add("method", f"choose one of {', '.join(consent.METHODS)}")
    language = text_field(errors, data, "language", limit=40)
    interpreter = text_field(errors, data, "interpreter", required=False, limit=120)
    granted = str(data.get("granted", "true")).lower() not in ("false", "0", "no", "refused")
    errors.raise_if_any()
    with transaction.atomic():
        record = ConsentRecord.objects.create(**_base(actor, person), purpose=purpose, granted=granted,
                                              method=method, language=language, interpreter=interpreter)
        audit.record(actor, "record_consent", record, purpose="consent",
                     details={"purpose": purpose, "granted": granted, "method": method})
    return record


def withdraw_consent(actor, record: ConsentRecord) -> ConsentRecord:
    _require_actor(actor, record.person, "withdraw consent")
    if not record.granted or record.withdrawn_at is not None:
        raise FieldErrors({"consent": ["only a granted consent that is still in force can be withdrawn"]})
    with transaction.atomic():
        record.withdrawn_at, record.withdrawn_by = timezone.now(), actor
        record.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(actor, "withdraw_consent", record, purpose="consent", details={"purpose": record.purpose})
    return record


def consent_records(person) -> list[consent.ConsentRecord]:
    """The person's consent records as the domain reads them (all agencies' records count)."""
    return [consent.ConsentRecord(purpose=r.purpose, granted=r.granted,
                                  recorded_by=r.recorded_by.username if r.recorded_by else "unknown",
                                  recorded_at=r.recorded_at, method=r.method, language=r.language,
                                  interpreter=r.interpreter or None, withdrawn_at=r.withdrawn_at)
            for r in ConsentRecord.objects.filter(person=person).select_related("recorded_by")]


# --- services and referral --------------------------------------------------------------------------

def add_provider(actor, data: dict) -> ServiceProvider:
    """A directory entry run by the actor's agency."""
    if not (actor.is_authenticated and actor.agency_id and actor.has_role(*R.CASEWORK_ROLES, R.ADMINISTRATOR)):
        raise NotPermitted("your role does not allow you to add to the service directory")
    errors = ErrorCollector()
    name = text_field(errors, data, "name", limit=200)
    kind = str(data.get("kind") or "")
    if kind not in vocabulary.labels("provider_kinds"):
        errors.add("kind", f"choose one of {', '.join(vocabulary.labels('provider_kinds'))}")
    languages = data.get("languages") or []
    if isinstance(languages, str):
        languages = [code.strip() for code in languages.split(",") if code.strip()]
    capacity = data.get("capacity")
    if capacity not in (None, ""):
        try:
            capacity = int(capacity)
            if capacity < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("capacity", "a whole number of places")
    else:
        capacity = None
    contact = text_field(errors, data, "contact", limit=200)
    address = text_field(errors, data, "address", required=False, limit=300)
    region = text_field(errors, data, "region", required=False, limit=120)
    errors.raise_if_any()
    with transaction.atomic():
        provider = ServiceProvider.objects.create(
            owner_agency_id=actor.agency_id, name=name, kind=kind, country=actor.agency.country,
            region=region, languages=languages, capacity=capacity,
            accepting_referrals=str(data.get("accepting_referrals", "true")).lower() not in ("false", "0", "no"),
            contact=contact, address=address)
        audit.record(actor, "create", provider, purpose="service directory", details={"kind": kind})
    return provider


def refer(actor, person, provider: ServiceProvider, data: dict) -> Referral:
    """Consent to referral is checked first; an override needs an authorised role and a written reason."""
    _require_actor(actor, person, "refer a person")
    if not provider.accepting_referrals:
        raise FieldErrors({"provider": [f"{provider.name} does not accept referrals at the moment"]})
    override_reason = str(data.get("override_reason") or "").strip() or None
    decision = consent.consent_allows(consent_records(person), "referral_to_services", timezone.now(),
                                      actor_role=role_for(actor, "consent_override") if override_reason else None,
                                      override_reason=override_reason)
    if not decision.allowed:
        if decision.audit_required:
            audit.record(actor, "consent_override_refused", person, purpose="referral to services",
                         details={"provider": provider.name, "explanation": decision.explanation})
        raise FieldErrors({"consent": [decision.explanation]})
    note = str(data.get("note") or "").strip()
    now = timezone.now().isoformat(timespec="seconds")
    with transaction.atomic():
        referral = Referral.objects.create(
            **_base(actor, person), provider=provider, consent_basis=decision.basis,
            consent_explanation=decision.explanation,
            history=[{"status": "sent", "reason": note, "by": actor.username, "at": now}])
        audit.record(actor, "consent_override" if decision.basis == "override" else "refer", referral,
                     purpose="referral to services",
                     details={"provider": provider.name, "kind": provider.kind, "consent_basis": decision.basis})
    return referral


def change_referral_status(actor, referral: Referral, data: dict) -> Referral:
    """The provider's agency accepts, rejects or closes; the referring agency revokes or closes."""
    status, reason = str(data.get("status") or ""), str(data.get("reason") or "").strip()
    provider_side = actor.agency_id == referral.provider.owner_agency_id
    referring_side = actor.agency_id == referral.owner_agency_id
    allowed_here = {"accepted", "rejected", "done"} if provider_side else set()
    if referring_side:
        allowed_here |= {"revoked", "done"}
    if not allowed_here or not actor.has_role(*PROTECTION_ROLES):
        raise NotPermitted("only the referring agency or the provider's agency may change this referral")
    errors = ErrorCollector()
    if status not in vocabulary.next_referral_statuses(referral.status):
        errors.add("status", f"a {referral.status} referral cannot become {status or 'nothing'}")
    elif status not in allowed_here:
        errors.add("status", f"your agency may not mark this referral {status}")
    if status in ("rejected", "revoked") and not reason:
        errors.add("reason", f"say why the referral is {status}")
    errors.raise_if_any()
    with transaction.atomic():
        referral.status, referral.status_reason = status, reason
        referral.history = [*referral.history, {"status": status, "reason": reason, "by": actor.username,
                                                "at": timezone.now().isoformat(timespec="seconds")}]
        referral.save(update_fields=["status", "status_reason", "history"])
        audit.record(actor, "referral_status", referral, purpose="referral to services",
                     details={"status": status, "reason": reason})
    return referral


def add_support_plan(actor, person, data: dict) -> SupportPlan:
    _require_actor(actor, person, "add a support plan")
    errors = ErrorCollector()
    plan_type = str(data.get("plan_type") or "")
    if plan_type not in vocabulary.labels("support_plan_types"):
        errors.add("plan_type", "choose a support-plan type")
    objectives = text_field(errors, data, "objectives")
    planned_end = date_field(errors, data, "planned_end")
    actual_end = date_field(errors, data, "actual_end", required=False)
    errors.raise_if_any()
    with transaction.atomic():
        plan = SupportPlan.objects.create(**_base(actor, person), plan_type=plan_type, objectives=objectives,
                                          planned_end=planned_end, actual_end=actual_end)
        audit.record(actor, "support_plan", plan, purpose="assistance", details={"plan_type": plan_type})
    return plan


def assign_case_manager(actor, person, case_manager) -> CaseManagerAssignment:
    _require_actor(actor, person, "assign a case manager")
    if case_manager is None or case_manager.agency_id != actor.agency_id or not case_manager.has_role(R.CASE_MANAGER):
        raise FieldErrors({"case_manager": ["choose a case manager of your agency"]})
    with transaction.atomic():
        assignment = CaseManagerAssignment.objects.create(**_base(actor, person), case_manager=case_manager)
        audit.record(actor, "assign_case_manager", assignment, purpose="assistance",
                     details={"case_manager": case_manager.username})
    return assignment


def record_rights_information(actor, person, data: dict) -> RightsInformation:
    """When the person was told of a right, or when a statement was taken / benefits explained."""
    _require_actor(actor, person, "record rights information")
    errors = ErrorCollector()
    item = str(data.get("item") or "")
    if item not in {**vocabulary.labels("rights_items"), **vocabulary.labels("milestones")}:
        errors.add("item", "choose a right or a milestone")
    occurred_at = data.get("occurred_at") or timezone.now()
    if not isinstance(occurred_at, datetime):
        try:
            occurred_at = timezone.make_aware(datetime.fromisoformat(str(occurred_at)))
        except ValueError:
            errors.add("occurred_at", "date and time (YYYY-MM-DDTHH:MM)")
    language = text_field(errors, data, "language", required=False, limit=40)
    errors.raise_if_any()
    if occurred_at > timezone.now():
        raise FieldErrors({"occurred_at": ["cannot be in the future"]})
    with transaction.atomic():
        record = RightsInformation.objects.create(**_base(actor, person), item=item, occurred_at=occurred_at,
                                                  language=language)
        audit.record(actor, "rights_information", record, purpose="assistance", details={"item": item})
    return record


def record_child_safeguards(actor, person, data: dict) -> ChildSafeguards:
    """Age assessment, guardian appointment, best-interests assessment (the latest record counts)."""
    _require_actor(actor, person, "record child safeguards")
    errors = ErrorCollector()
    assessed_on = date_field(errors, data, "age_assessed_on", required=False)
    assessed_age = _parse_age(errors, data.get("assessed_age"))
    if (assessed_on is None) != (assessed_age is None):
        errors.add("assessed_age", "an age assessment needs both its date and the assessed age")
    guardian = text_field(errors, data, "guardian", required=False, limit=200)
    guardian_on = date_field(errors, data, "guardian_appointed_on", required=False)
    if bool(guardian) != bool(guardian_on):
        errors.add("guardian", "a guardian appointment needs the guardian and the date")
    bia_on = date_field(errors, data, "best_interests_completed_on", required=False)
    bia_by = text_field(errors, data, "best_interests_assessed_by", required=bool(bia_on), limit=200)
    errors.raise_if_any()
    with transaction.atomic():
        record = ChildSafeguards.objects.create(
            **_base(actor, person), age_assessed_on=assessed_on, assessed_age=assessed_age, guardian=guardian,
            guardian_appointed_on=guardian_on, best_interests_completed_on=bia_on, best_interests_assessed_by=bia_by,
            return_in_best_interests=bool(bia_on) and flag_field(data, "return_in_best_interests"))
        audit.record(actor, "child_safeguards", record, purpose="child protection",
                     details={"age_assessed": assessed_on is not None, "guardian": bool(guardian),
                              "best_interests": bia_on is not None})
    return record


def child_safeguard_state(person) -> tuple[children.AgeStatus, date | None, children.BestInterestsAssessment | None]:
    latest = ChildSafeguards.objects.filter(person=person).order_by("-pk")
    guardian = latest.filter(guardian_appointed_on__isnull=False).first()
    bia = latest.filter(best_interests_completed_on__isnull=False).first()
    assessment = (children.BestInterestsAssessment(bia.best_interests_completed_on, bia.best_interests_assessed_by,
                                                   bia.return_in_best_interests) if bia else None)
    return age_status_of(person), guardian.guardian_appointed_on if guardian else None, assessment


# --- non-punishment and no-removal guard -------------------------------------------------------------

def attempt_measure(actor, person, data: dict) -> MeasureAttempt:
    """Record an attempt at removal, detention or a consequential charge. Refused and overridden attempts
    are kept, audited and reported to the national coordinator; a child's removal also needs a
    best-interests assessment that found return in the child's interests."""
    _require_actor(actor, person, "record a measure")
    errors = ErrorCollector()
    measure = str(data.get("measure") or "")
    if measure not in non_punishment.MEASURES:
        errors.add("measure", f"choose one of {', '.join(non_punishment.MEASURES)}")
    details = text_field(errors, data, "details", required=False)
    errors.raise_if_any()
    override_reason = str(data.get("override_reason") or "").strip() or None
    status = identification_status(person)
    role = role_for(actor, "non_punishment_override") if override_reason else None
    guard = non_punishment.check_measure(status=status, measure=measure, actor_role=role,
                                         override_reason=override_reason)
    allowed, text, report = guard.allowed, guard.reason, guard.report_to_national_coordinator
    if measure == "removal" and allowed:
        age, _, assessment = child_safeguard_state(person)
        safeguard = children.return_safeguard(age, assessment)
        if not safeguard.met:
            allowed, report = False, True
            text = f"Refused: {safeguard.explanation} ({age.explanation}) " + (
                f"The non-punishment guard had said: {guard.reason}" if guard.overridden else "")
    overridden = guard.overridden and allowed
    with transaction.atomic():
        attempt = MeasureAttempt.objects.create(
            **_base(actor, person), measure=measure, identification_status=status, actor_role=role or "",
            override_reason=override_reason or "", allowed=allowed, overridden=overridden, decision=text.strip(),
            reported_to_coordinator=report, details=details)
        action = "measure_overridden" if overridden else "measure_recorded" if allowed else "measure_refused"
        audit.record(actor, action, attempt, purpose="non-punishment guard",
                     details={"measure": measure, "status": status, "reported_to_coordinator": report})
    return attempt
