"""Writes to the entity core. Each is transactional and audited: if the audit entry cannot be
written, the write rolls back. Bad input raises FieldErrors and changes nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, Compartment, TaskForce, User
from palermo.audit import services as audit
from palermo.core import vocab
from palermo.core.crypto import blind_index
from palermo.core.models import (
    Case,
    CaseEvent,
    CaseOrganisation,
    NameVariant,
    Organisation,
    Person,
    PersonRole,
    Selector,
    SelectorLink,
    Share,
)
from palermo.core.normalisation import NormalisationError, normalise_selector
from palermo.core.pseudonyms import new_pseudonym
from palermo.core.rules import ErrorCollector, FieldErrors, name_key, parse_date_of_birth, script_of
from palermo.core.signals import selectors_recorded

# Checks other apps add to every share (e.g. protection: the person's consent). Each is called as
# check(actor, obj, recipient_countries=[...], override_reason=str) before anything is written; it
# raises FieldErrors to refuse and returns a dict of details for the audit entry (or None).
SHARE_CHECKS: list = []
# Checks other apps add before a user attaches a selector (e.g. intel: the limit of additions that trigger
# deconfliction checks). Each is called as check(actor, holder, kind) after the input is validated and
# before anything is written; it raises FieldErrors to refuse.
SELECTOR_ADDITION_CHECKS: list = []


class NotPermitted(PermissionError):
    """The actor's role or agency does not allow this action; the message says why."""


def require_role(actor: User, allowed: frozenset[str], action: str) -> None:
    if not (actor.is_authenticated and actor.agency_id and actor.has_role(*allowed)):
        raise NotPermitted(f"your role does not allow you to {action}")


def check_governance(errors: ErrorCollector, actor: User, sensitivity: str, compartment: Compartment | None) -> None:
    if sensitivity not in R.SENSITIVITIES:
        errors.add("sensitivity", f"must be one of {', '.join(R.SENSITIVITIES)}")
    elif not R.clearance_allows(actor.clearance, sensitivity):
        errors.add("sensitivity", "above your clearance: you could not see the record you create")
    elif sensitivity == R.SECRET and compartment is None:
        errors.add("compartment", "a secret record must be placed in a compartment (need-to-know)")
    if compartment is not None and compartment.owner_agency_id != actor.agency_id:
        errors.add("compartment", "you can only use your own agency's compartments")


def _codes(errors: ErrorCollector, field: str, vocabulary: str, codes: list[str] | None) -> list[str]:
    codes = list(codes or [])
    bad = vocab.unknown_codes(vocabulary, codes)
    if bad:
        errors.add(field, f"unknown code(s): {', '.join(bad)}")
    return codes


def place_in_compartment(actor: User, obj, compartment: Compartment | None) -> None:
    if compartment is not None:
        Share.objects.create(content_type=content_object_type(obj), object_id=obj.pk, to_compartment=compartment,
                             purpose="need-to-know compartment of the owning agency", created_by=actor)


def content_object_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(type(obj))


def _unique_pseudonym() -> str:
    while True:
        candidate = new_pseudonym()
        if not Person.objects.filter(pseudonym=candidate).exists():
            return candidate


# The columns' own lengths (PostgreSQL refuses longer text; SQLite stored it).
PERSON_TEXT_LIMITS = {"given_name": 200, "family_name": 200, "source_ref": 100, "notes": 2000, "primary_language": 12}


def validate_person(data: dict, actor: User, *, today: date | None = None) -> dict:
    """Checks and normalises person fields; raises FieldErrors listing every bad field."""
    errors = ErrorCollector()
    clean: dict = {}
    for field, limit in PERSON_TEXT_LIMITS.items():
        value = (data.get(field) or "").strip()
        if len(value) > limit:
            errors.add(field, f"at most {limit} characters")
        clean[field] = value
    try:
        clean["date_of_birth"] = parse_date_of_birth(data.get("date_of_birth"), today=today)
    except ValueError as exc:
        errors.add("date_of_birth", str(exc))
    gender = (data.get("gender") or "").strip()
    if gender and gender not in vocab.vocabulary("genders"):
        errors.add("gender", f"unknown code {gender!r}; use one of {', '.join(vocab.vocabulary('genders'))}")
    clean["gender"] = gender
    citizenship = data.get("citizenship") or []
    if isinstance(citizenship, str):
        citizenship = [c.strip().upper() for c in citizenship.replace(";", ",").split(",") if c.strip()]
    bad = [c for c in citizenship if not vocab.is_country(c)]
    if bad:
        errors.add("citizenship", f"not ISO 3166 country codes: {', '.join(bad)}")
    clean["citizenship"] = citizenship
    clean["documents"] = data.get("documents") or []
    clean["contact"] = data.get("contact") or {}
    clean["sensitivity"] = data.get("sensitivity") or R.NORMAL
    clean["compartment"] = data.get("compartment")
    check_governance(errors, actor, clean["sensitivity"], clean["compartment"])
    if clean["source_ref"] and Person.objects.filter(owner_agency_id=actor.agency_id,
                                                     source_ref=clean["source_ref"]).exists():
        errors.add("source_ref", "your agency already has a person with this record number")
    aliases = []
    for i, alias in enumerate(data.get("aliases") or []):
        name, source = (alias.get("name") or "").strip(), (alias.get("source") or "").strip()
        kind = alias.get("kind") or "Alias"
        if not name:
            errors.add(f"aliases[{i}].name", "required")
        if not source:
            errors.add(f"aliases[{i}].source", "say where this name was found")
        if len(name) > 200:
            errors.add(f"aliases[{i}].name", "at most 200 characters")
        if len(source) > 300:
            errors.add(f"aliases[{i}].source", "at most 300 characters")
        if kind not in vocab.vocabulary("name_kinds"):
            errors.add(f"aliases[{i}].kind", f"unknown name kind {kind!r}")
        aliases.append({"name": name, "source": source, "kind": kind})
    clean["aliases"] = aliases
    errors.raise_if_any()
    return clean


def save_person(actor: User, clean: dict) -> Person:
    full = f"{clean['given_name']} {clean['family_name']}".strip()
    person = Person.objects.create(
        owner_agency_id=actor.agency_id, sensitivity=clean["sensitivity"], created_by=actor,
        pseudonym=clean.get("pseudonym") or _unique_pseudonym(), source_ref=clean["source_ref"], given_name=clean["given_name"],
        family_name=clean["family_name"], name_index=blind_index("name", name_key(full)) if full else "",
        date_of_birth=clean["date_of_birth"], documents=clean["documents"], contact=clean["contact"],
        gender=clean["gender"], citizenship=clean["citizenship"], primary_language=clean["primary_language"],
        notes=clean["notes"],
    )
    for alias in clean["aliases"]:
        _save_name_variant(actor, person, alias["name"], alias["kind"], alias["source"])
    place_in_compartment(actor, person, clean["compartment"])
    return person


def create_person(actor: User, data: dict) -> Person:
    require_role(actor, R.CASEWORK_ROLES, "record persons")
    clean = validate_person(data, actor)
    with transaction.atomic():
        person = save_person(actor, clean)
        audit.record(actor, "create", person, details={"aliases": len(clean["aliases"])})
    return person


def _save_name_variant(actor: User, person: Person, name: str, kind: str, source: str) -> NameVariant:
    return NameVariant.objects.create(person=person, name=name, name_index=blind_index("name", name_key(name)),
                                      kind=kind, script=script_of(name), source=source, recorded_by=actor)


def add_name_variant(actor: User, person: Person, name: str, kind: str, source: str) -> NameVariant:
    _require_owner(actor, person, "add names to")
    errors = ErrorCollector()
    if not name.strip():
        errors.add("name", "required")
    if not source.strip():
        errors.add("source", "say where this name was found")
    if kind not in vocab.vocabulary("name_kinds"):
        errors.add("kind", f"unknown name kind {kind!r}")
    errors.raise_if_any()
    with transaction.atomic():
        variant = _save_name_variant(actor, person, name.strip(), kind, source.strip())
        audit.record(actor, "add_name_variant", person, details={"variant_id": variant.pk, "script": variant.script})
    return variant


def _require_owner(actor: User, obj, action: str) -> None:
    require_role(actor, R.CASEWORK_ROLES, f"{action} records")
    if obj.owner_agency_id != actor.agency_id:
        raise NotPermitted(f"only the owning agency can {action} this record")


def add_person_role(actor: User, person: Person, role: str, *, started_on: date, case: Case | None = None,
                    perpetrator_roles: list[str] | None = None, ended_on: date | None = None,
                    source: str = "") -> PersonRole:
    _require_owner(actor, person, "record roles on")
    errors = ErrorCollector()
    if role not in vocab.vocabulary("person_roles"):
        errors.add("role", f"unknown role {role!r}")
    codes = _codes(errors, "perpetrator_roles", "perpetrator_roles", perpetrator_roles)
    if ended_on and ended_on < started_on:
        errors.add("ended_on", "cannot be before started_on")
    errors.raise_if_any()
    with transaction.atomic():
        person_role = PersonRole.objects.create(person=person, role=role, case=case, perpetrator_roles=codes,
                                                started_on=started_on, ended_on=ended_on, source=source,
                                                recorded_by=actor)
        audit.record(actor, "add_role", person, details={"role": role, "case_id": case.pk if case else None})
    return person_role


def create_organisation(actor: User, data: dict) -> Organisation:
    require_role(actor, R.CASEWORK_ROLES, "record organisations")
    errors = ErrorCollector()
    name = (data.get("name") or "").strip()
    if not name:
        errors.add("name", "required")
    org_type = data.get("org_type") or ""
    if org_type not in vocab.vocabulary("organisation_types"):
        errors.add("org_type", f"unknown organisation type {org_type!r}")
    country = (data.get("country") or "").upper()
    if country and not vocab.is_country(country):
        errors.add("country", f"{country!r} is not an ISO 3166 country code")
    sensitivity = data.get("sensitivity") or R.NORMAL
    check_governance(errors, actor, sensitivity, data.get("compartment"))
    errors.raise_if_any()
    with transaction.atomic():
        org = Organisation.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=sensitivity, created_by=actor, name=name,
            org_type=org_type, country=country, city=data.get("city", ""), address=data.get("address", ""),
            registration_number=data.get("registration_number", ""),
            suspected_front=bool(data.get("suspected_front")), notes=data.get("notes", ""),
        )
        place_in_compartment(actor, org, data.get("compartment"))
        audit.record(actor, "create", org)
    return org


def create_case(actor: User, data: dict) -> Case:
    require_role(actor, R.CASEWORK_ROLES, "open cases")
    errors = ErrorCollector()
    reference = (data.get("reference") or "").strip()
    if not reference:
        errors.add("reference", "required")
    elif Case.objects.filter(reference=reference).exists():
        errors.add("reference", "already used")
    title = (data.get("title") or "").strip()
    if not title:
        errors.add("title", "required")
    status = data.get("status") or "Active"
    if status not in vocab.vocabulary("case_statuses"):
        errors.add("status", f"unknown status {status!r}")
    exploitation = _codes(errors, "exploitation_types", "exploitation_types", data.get("exploitation_types"))
    means = _codes(errors, "means_of_control", "means_of_control", data.get("means_of_control"))
    methods = _codes(errors, "recruitment_methods", "recruitment_methods", data.get("recruitment_methods"))
    opened_on = data.get("opened_on") or timezone.localdate()
    if isinstance(opened_on, str):
        try:
            opened_on = date.fromisoformat(opened_on)
        except ValueError:
            errors.add("opened_on", "use YYYY-MM-DD")
    sensitivity = data.get("sensitivity") or R.NORMAL
    check_governance(errors, actor, sensitivity, data.get("compartment"))
    errors.raise_if_any()
    with transaction.atomic():
        case = Case.objects.create(
            owner_agency_id=actor.agency_id, sensitivity=sensitivity, created_by=actor, reference=reference,
            title=title, summary=data.get("summary", ""), status=status, exploitation_types=exploitation,
            means_of_control=means, recruitment_methods=methods, opened_on=opened_on,
            lead=data.get("lead") or actor,
        )
        place_in_compartment(actor, case, data.get("compartment"))
        audit.record(actor, "create", case)
    return case


def add_case_event(actor: User, case: Case, data: dict) -> CaseEvent:
    _require_owner(actor, case, "add events to")
    errors = ErrorCollector()
    stage = data.get("stage") or ""
    if stage not in vocab.vocabulary("event_stages"):
        errors.add("stage", f"unknown stage {stage!r}; use one of {', '.join(vocab.vocabulary('event_stages'))}")
    occurred_on = data.get("occurred_on")
    if isinstance(occurred_on, str):
        try:
            occurred_on = date.fromisoformat(occurred_on)
        except ValueError:
            errors.add("occurred_on", "use YYYY-MM-DD")
    if not occurred_on:
        errors.add("occurred_on", "required")
    country = (data.get("country") or "").upper()
    if country and not vocab.is_country(country):
        errors.add("country", f"{country!r} is not an ISO 3166 country code")
    errors.raise_if_any()
    with transaction.atomic():
        event = CaseEvent.objects.create(case=case, stage=stage, occurred_on=occurred_on,
                                         place=data.get("place", ""), country=country,
                                         description=data.get("description", ""), recorded_by=actor)
        audit.record(actor, "add_event", case, details={"event_id": event.pk, "stage": stage})
    return event


def link_organisation(actor: User, case: Case, organisation: Organisation, relation: str = "") -> CaseOrganisation:
    _require_owner(actor, case, "link organisations to")
    with transaction.atomic():
        link, _ = CaseOrganisation.objects.get_or_create(case=case, organisation=organisation,
                                                         defaults={"relation": relation})
        audit.record(actor, "link_organisation", case, details={"organisation_id": organisation.pk})
    return link


def validate_selector(kind: str, raw: str, *, region: str | None = None, qualifier: str | None = None) -> str:
    try:
        return normalise_selector(kind, raw or "", region=region, qualifier=qualifier)
    except NormalisationError as exc:
        raise FieldErrors({"value": [str(exc)]}) from exc


def attach_selector(actor: User, kind: str, value: str, holder, source: str, observed_on: date | None,
                    sensitivity: str) -> tuple[Selector, SelectorLink, bool]:
    """One selector record per agency and value; each sighting adds a link with its provenance."""
    selector, created = Selector.objects.get_or_create(
        owner_agency_id=actor.agency_id, value_index=blind_index(kind, value),
        defaults={"kind": kind, "value": value, "sensitivity": sensitivity, "created_by": actor},
    )
    link = SelectorLink.objects.create(
        selector=selector, person=holder if isinstance(holder, Person) else None,
        organisation=holder if isinstance(holder, Organisation) else None,
        source=source, observed_on=observed_on, recorded_by=actor,
    )
    return selector, link, created


def announce_selectors(value_indexes: list[str]) -> None:
    """Tell other apps (deconfliction) about recorded selectors once the transaction has committed."""
    transaction.on_commit(lambda: selectors_recorded.send(sender=Selector, value_indexes=value_indexes))


def add_selector(actor: User, holder: Person | Organisation, kind: str, raw: str, *, source: str,
                 region: str | None = None, qualifier: str | None = None, observed_on: date | None = None,
                 sensitivity: str = R.NORMAL, compartment: Compartment | None = None) -> SelectorLink:
    """Attaches a selector to a person or organisation the actor's agency owns, with provenance."""
    _require_owner(actor, holder, "attach selectors to")
    errors = ErrorCollector()
    try:
        value = validate_selector(kind, raw, region=region, qualifier=qualifier)
    except FieldErrors as exc:
        errors.errors.update(exc.errors)
    if not (source or "").strip():
        errors.add("source", "say which record or observation this comes from")
    check_governance(errors, actor, sensitivity, compartment)
    errors.raise_if_any()
    for check in SELECTOR_ADDITION_CHECKS:
        check(actor, holder, kind)
    with transaction.atomic():
        selector, link, created = attach_selector(actor, kind, value, holder, source.strip(), observed_on, sensitivity)
        if created:
            place_in_compartment(actor, selector, compartment)
        announce_selectors([selector.value_index])
        audit.record(actor, "add_selector", holder, details={"selector_id": selector.pk, "kind": kind})
    return link


def share(actor: User, obj, *, purpose: str, to_agency: Agency | None = None, to_task_force: TaskForce | None = None,
          to_compartment: Compartment | None = None, use_restrictions: str = "",
          expires_at: datetime | None = None, override_reason: str = "") -> Share:
    """Only the owning agency shares; the purpose is mandatory; restrictions travel with the record."""
    _require_owner(actor, obj, "share")
    require_role(actor, R.SHARING_ROLES, "share records")
    errors = ErrorCollector()
    recipients = [r for r in (to_agency, to_task_force, to_compartment) if r is not None]
    if len(recipients) != 1:
        errors.add("recipient", "name exactly one agency, task force or compartment")
    if not (purpose or "").strip():
        errors.add("purpose", "say why this is shared")
    if to_compartment is not None and to_compartment.owner_agency_id != actor.agency_id:
        errors.add("recipient", "you can only share into your own agency's compartments")
    if to_task_force is not None and not to_task_force.agencies.filter(pk=actor.agency_id).exists():
        errors.add("recipient", "your agency is not a member of that task force")
    if obj.sensitivity == R.SECRET and to_compartment is None:
        errors.add("recipient", "a secret record is shared only into a compartment")
    if expires_at is not None and expires_at <= timezone.now():
        errors.add("expires_at", "must be in the future")
    errors.raise_if_any()
    countries = _recipient_countries(actor, to_agency, to_task_force)
    check_details = {}
    for check in SHARE_CHECKS:
        check_details.update(check(actor, obj, recipient_countries=countries, override_reason=override_reason) or {})
    with transaction.atomic():
        created = Share.objects.create(content_type=content_object_type(obj), object_id=obj.pk,
                                       to_agency=to_agency, to_task_force=to_task_force,
                                       to_compartment=to_compartment, purpose=purpose.strip(),
                                       use_restrictions=use_restrictions.strip(), created_by=actor,
                                       expires_at=expires_at)
        audit.record(actor, "share", obj, purpose=purpose.strip(), details={
            "share_id": created.pk, "to": created.recipient_kind, "recipient_id": created.recipient.pk,
            "use_restrictions": created.use_restrictions, **check_details,
        })
    return created


def _recipient_countries(actor: User, to_agency: Agency | None, to_task_force: TaskForce | None) -> list[str]:
    """Countries the record would reach (a compartment stays inside the owning agency)."""
    if to_agency is not None:
        return [to_agency.country]
    if to_task_force is not None:
        return sorted(set(to_task_force.agencies.exclude(pk=actor.agency_id).values_list("country", flat=True)))
    return []


def revoke_share(actor: User, share_obj: Share) -> Share:
    target = share_obj.content_type.get_object_for_this_type(pk=share_obj.object_id)
    _require_owner(actor, target, "revoke shares of")
    if share_obj.revoked_at is not None:
        raise FieldErrors({"share": ["already revoked"]})
    with transaction.atomic():
        share_obj.revoked_at, share_obj.revoked_by = timezone.now(), actor
        share_obj.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor, "revoke_share", target, details={"share_id": share_obj.pk})
    return share_obj
