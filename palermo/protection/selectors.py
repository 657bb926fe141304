"""Reads of the protection app. A protection record is seen through its person (palermo.core.visibility);
a shelter's address only by its own agency, and every such read is audited before it is returned."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import QuerySet

from palermo.accounts import roles as R
from palermo.audit import services as audit
from palermo.core import selectors as core_selectors
from palermo.core import visibility as V
from palermo.core.rules import FieldErrors, describe_date_of_birth
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.protection import services, vocabulary
from palermo.protection.domain import catalogue, non_punishment, reflection
from palermo.protection.domain.errors import CatalogueListUnavailableError
from palermo.protection.domain.palermo_test import Finding, palermo_test
from palermo.protection.models import (
    OUTCOMES,
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

PERSON_RECORDS = {
    "screenings": Screening, "findings": PalermoFinding, "decisions": IdentificationDecision,
    "needs": NeedsAssessment, "interviews": InterviewPlan, "reflection_periods": ReflectionPeriod,
    "consents": ConsentRecord, "referrals": Referral, "support_plans": SupportPlan,
    "case_managers": CaseManagerAssignment, "rights": RightsInformation, "child_safeguards": ChildSafeguards,
    "measures": MeasureAttempt,
}
MIN_PURPOSE_LENGTH = core_selectors.MIN_PURPOSE_LENGTH


def person(user, pk):
    """The person, if visible to the user (NotVisible otherwise)."""
    return core_selectors.person_detail(user, pk)


def records(user, model, person_obj) -> QuerySet:
    """One kind of protection record of a person, seen through the person."""
    if not V.can_see(user, person_obj):
        return model.objects.none()
    return _records_of_seen_person(model, person_obj)


def _records_of_seen_person(model, person_obj) -> QuerySet:
    """Only for a person the caller has just checked the user may see."""
    return model.objects.filter(person=person_obj).select_related("owner_agency", "recorded_by").order_by(
        "-recorded_at", "-pk")


def record(user, model, pk):
    """One protection record, seen through its person."""
    try:
        return model.objects.filter(person__in=V.persons(user)).select_related("person").get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(f"no such {model._meta.verbose_name}") from exc


def referral_for_update(user, pk) -> Referral:
    """A referral reached through its person, or by the agency that runs the provider it was sent to."""
    visible_person = Referral.objects.filter(person__in=V.persons(user))
    to_my_provider = Referral.objects.filter(provider__owner_agency_id=user.agency_id)
    try:
        return (visible_person | to_my_provider).select_related("provider", "person").distinct().get(pk=int(pk))
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such referral") from exc


def incoming_referrals(user) -> QuerySet[Referral]:
    """Referrals to the providers the user's agency runs: pseudonym, referring agency and status only."""
    if not (user.is_authenticated and user.agency_id):
        return Referral.objects.none()
    return (Referral.objects.filter(provider__owner_agency_id=user.agency_id)
            .select_related("provider", "person", "owner_agency").order_by("-recorded_at"))


def protection_queue(user) -> list[dict]:
    """Visible persons with a victim role, a screening, a needs assessment, a case manager or a referral, by pseudonym, with their status."""
    victim_roles = V.person_roles(user).filter(role__in=("PresumedVictim", "IdentifiedVictim")).values("person")
    candidates = V.persons(user).filter(pk__in=victim_roles)
    for model in (Screening, NeedsAssessment, CaseManagerAssignment, Referral):
        candidates = candidates | V.persons(user).filter(pk__in=model.objects.values("person"))
    rows = []
    for person_obj in candidates.distinct().select_related("owner_agency").order_by("pseudonym"):
        latest = records(user, Screening, person_obj).first()
        rows.append({"person": person_obj, "status": non_punishment.IDENTIFICATION_STATUSES[
            services.identification_status(person_obj)], "latest_screening": latest})
    return rows


def periods_ending_soon(user, today) -> list[ReflectionPeriod]:
    """Running reflection periods of visible persons whose first reminder date has come."""
    running = (ReflectionPeriod.objects.filter(person__in=V.persons(user), starts_on__lte=today, last_day__gte=today)
               .select_related("person").order_by("last_day"))
    return [p for p in running if p.reminders and min(p.reminders) <= today.isoformat()]


def directory(user, *, kind: str | None = None) -> QuerySet[ServiceProvider]:
    """The shared service directory (without addresses; see provider_address)."""
    if not (user.is_authenticated and user.agency_id):
        return ServiceProvider.objects.none()
    qs = ServiceProvider.objects.select_related("owner_agency").defer("address")
    return qs.filter(kind=kind) if kind else qs


def provider(user, pk) -> ServiceProvider:
    try:
        return directory(user).get(pk=int(pk))
    except (ServiceProvider.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("no such provider") from exc


def provider_address(user, provider_obj: ServiceProvider, purpose: str) -> str:
    """The address, for the provider's own agency only; a shelter's address read is audited first."""
    if provider_obj.owner_agency_id != user.agency_id:
        raise NotPermitted("a provider's address never leaves the agency that runs it")
    purpose = (purpose or "").strip()
    sensitive = vocabulary.address_is_sensitive(provider_obj.kind)
    if sensitive and len(purpose) < MIN_PURPOSE_LENGTH:
        raise FieldErrors({"purpose": [f"state the purpose in at least {MIN_PURPOSE_LENGTH} characters"]})
    with transaction.atomic():
        if sensitive:
            audit.record(user, "view_sensitive", provider_obj, purpose=purpose, details={"field": "address"})
        return ServiceProvider.objects.get(pk=provider_obj.pk).address


def indicator_checklist(exploitation: str, population: str = "adults") -> dict:
    """The catalogue grouped by dimension for the screening form, or the reason a list is unavailable."""
    key = catalogue.list_key(population, exploitation)
    try:
        indicators = catalogue.indicators_of(key)
    except CatalogueListUnavailableError as exc:
        return {"key": key, "unavailable": str(exc), "dimensions": []}
    groups = [{"label": dim.label, "indicators": [i for i in indicators if i.dimension == dim.key]}
              for dim in catalogue.dimensions()]
    return {"key": key, "unavailable": "", "dimensions": groups}


def reflection_summary(record: ReflectionPeriod, today) -> str:
    return reflection.describe(services.as_period(record), today)


def person_overview(user, person_obj) -> dict:
    """Everything the protection page shows about one person."""
    if not V.can_see(user, person_obj):
        raise NotVisible("no such person")
    data = {name: _records_of_seen_person(model, person_obj) for name, model in PERSON_RECORDS.items()}
    age, guardian_on, assessment = services.child_safeguard_state(person_obj)
    findings = [Finding(f.element, f.code, f.facts, tuple(f.sources)) for f in data["findings"]]
    years, uncertain = services.age_inputs(person_obj)
    data.update({
        "status": services.identification_status(person_obj),
        "status_label": non_punishment.IDENTIFICATION_STATUSES[services.identification_status(person_obj)],
        "age_status": age, "guardian_appointed_on": guardian_on, "best_interests": assessment,
        "case_manager": data["case_managers"].first(),
        "palermo_result": palermo_test(findings, age=years, age_uncertain=uncertain) if findings else None,
    })
    return data


def export_person_record(user, person_obj, purpose: str) -> dict:
    """"What is held about me": the person's protection record, for the case manager to hand over. Audited
    before it is returned; identity fields are included because the person is the recipient."""
    if not user.has_role(R.CASE_MANAGER, R.SUPERVISOR):
        raise NotPermitted("only a case manager or supervisor hands a person their record")
    if not V.can_see(user, person_obj):
        raise NotVisible("no such person")
    purpose = core_selectors.stated_purpose(purpose)
    with transaction.atomic():
        audit.record(user, "export", person_obj, purpose=purpose,
                     details={"format": "subject_access"})
        identity = {"given_name": person_obj.given_name, "family_name": person_obj.family_name,
                    "date_of_birth": describe_date_of_birth(person_obj.date_of_birth or None), "gender": person_obj.gender,
                    "citizenship": person_obj.citizenship, "primary_language": person_obj.primary_language}
        sections = {name: [_as_dict(obj) for obj in _records_of_seen_person(model, person_obj)]
                    for name, model in PERSON_RECORDS.items()}
    return {"pseudonym": person_obj.pseudonym, "held_by": person_obj.owner_agency.name, "identity": identity,
            "protection": sections}


HIDDEN_FIELDS = {"id", "person", "owner_agency", "recorded_by", "withdrawn_by", "case_manager", "provider",
                 "needs_assessment"}


def _as_dict(obj) -> dict:
    row = {"recorded_by_agency": obj.owner_agency.name,
           "recorded_at": obj.recorded_at.isoformat(timespec="minutes")}
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS or field.name == "recorded_at":
            continue
        value = getattr(obj, field.name)
        row[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    if isinstance(obj, Referral):
        row["provider"] = f"{obj.provider.name} ({obj.provider.get_kind_display()})"
    if isinstance(obj, CaseManagerAssignment):
        row["case_manager"] = obj.case_manager.get_full_name() or obj.case_manager.username
    return row


def coordinator_report(user, purpose: str) -> dict:
    """Refused and overridden measures recorded by agencies of the coordinator's country, with counts by
    outcome. No names and no person pseudonyms: the coordinator oversees the guard, not the persons."""
    if not user.has_role(R.NATIONAL_COORDINATOR) or not user.agency_id:
        raise NotPermitted("the report is for the national coordinator")
    purpose = core_selectors.stated_purpose(purpose)
    country = user.agency.country
    attempts = list(MeasureAttempt.objects.filter(reported_to_coordinator=True, owner_agency__country=country)
                    .select_related("owner_agency").order_by("-recorded_at"))
    with transaction.atomic():
        audit.record(user, "view_report", object_type="protection.measureattempt",
                     purpose=purpose,
                     details={"country": country, "rows": len(attempts)})
    counts = Counter(a.outcome for a in attempts)
    counted = Counter(Screening.objects.filter(owner_agency__country=country).values_list("outcome", flat=True))
    return {"country": country, "attempts": attempts,
            "counts": {outcome: counts.get(outcome, 0) for outcome in ("refused", "overridden", "allowed")},
            "screening_outcomes": {label: counted[code] for code, label in OUTCOMES if counted.get(code)}}
